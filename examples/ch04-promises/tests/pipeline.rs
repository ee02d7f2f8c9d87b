//! Listing 6 against real parts: the local HTTP server (told to fail some ids on
//! purpose), a real HTTP client and a real SQLite file. Real sockets need the real
//! clock, so nothing here asserts on time; the claims are about what happens to
//! every id.
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::Duration;

use item_pipeline::{Api, Failure, Item, Store, enrich, process, run};
use local_server::{Config, Fault, LocalServer};

/// Short, so that stalled ids cost little; long enough for a loaded CI machine to
/// answer a healthy request on loopback.
const TIMEOUT: Duration = Duration::from_millis(1500);
const IDS: u64 = 100;

/// A database file of this test's own, in a new temporary folder removed at the
/// end, so every test starts empty and no two runs share a file.
struct TempDb {
    path: PathBuf,
    _dir: tempfile::TempDir,
}

impl TempDb {
    fn new(name: &str) -> TempDb {
        let dir = tempfile::Builder::new()
            .prefix("ch04-pipeline-test-")
            .tempdir()
            .expect("the temporary folder is writable");
        TempDb { path: dir.path().join(format!("{name}.sqlite")), _dir: dir }
    }
}

/// A seeded choice of faults over ids 0..IDS (splitmix64): about one id in eight
/// misbehaves, in each of the ways the server can.
fn faults(seed: u64) -> BTreeMap<u64, Fault> {
    let mut state = seed;
    let mut next = move || {
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    };
    (0..IDS)
        .filter_map(|id| {
            let fault = match next() % 100 {
                0..4 => Fault::Status(500),
                4..7 => Fault::Status(503),
                7..10 => Fault::Malformed,
                10..12 => Fault::Stall,
                _ => return None,
            };
            Some((id, fault))
        })
        .collect()
}

async fn server_with(faults: &BTreeMap<u64, Fault>) -> LocalServer {
    let config = faults.iter().fold(Config::default(), |config, (&id, &fault)| {
        config.with_fault(id, fault)
    });
    LocalServer::start(config)
        .await
        .expect("binding 127.0.0.1:0 works on a test machine")
}

/// The failure each injected fault must turn into.
fn expected_failure(fault: Fault) -> fn(&Failure) -> bool {
    match fault {
        Fault::Status(500) => |f| *f == Failure::Status(500),
        Fault::Status(503) => |f| *f == Failure::Status(503),
        Fault::Malformed => |f| matches!(f, Failure::Malformed(_)),
        Fault::Stall => |f| *f == Failure::Timeout(TIMEOUT),
        other => panic!("the test does not inject {other:?}"),
    }
}

/// What the database must hold for `ids`: each item as the server sends it,
/// enriched.
fn enriched_rows(ids: &[u64]) -> Vec<item_pipeline::Enriched> {
    ids.iter().map(|&id| enrich(Item { id, name: format!("item {id}") })).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_id_is_stored_once_or_reported_with_the_injected_failure() {
    for seed in [1, 2, 3] {
        let faults = faults(seed);
        assert!(faults.len() >= 5, "seed {seed} injects too little to test");
        let server = server_with(&faults).await;
        let api = Api::new(&server.url(""), TIMEOUT).expect("a loopback client");
        let db = TempDb::new(&format!("seed{seed}"));
        let store = Store::open(&db.path).expect("a fresh temporary file opens");

        let report = run(&api, &store, 0..IDS).await;

        // stored + failed = requested, and no id is in both or twice.
        let stored: BTreeSet<u64> = report.stored.iter().copied().collect();
        assert_eq!(stored.len(), report.stored.len(), "an id stored twice");
        assert!(stored.iter().all(|id| !report.failed.contains_key(id)));
        assert_eq!(stored.len() + report.failed.len(), IDS as usize);
        // The failures are exactly the injected ones, each with the matching error.
        let failed: BTreeSet<u64> = report.failed.keys().copied().collect();
        let injected: BTreeSet<u64> = faults.keys().copied().collect();
        assert_eq!(failed, injected, "seed {seed}");
        for (id, failure) in &report.failed {
            let fault = faults[id];
            assert!(
                expected_failure(fault)(failure),
                "id {id}: {fault:?} gave {failure:?}"
            );
        }
        // Every id was fetched exactly once.
        for id in 0..IDS {
            assert_eq!(server.requests_for(id), 1, "id {id}");
        }
        // The file holds the enriched rows of the stored ids, and nothing else.
        let ids: Vec<u64> = stored.into_iter().collect();
        assert_eq!(store.rows().await.expect("readable"), enriched_rows(&ids));
        server.shutdown().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_run_over_the_same_ids_does_not_duplicate_rows() {
    let faults = faults(7);
    let server = server_with(&faults).await;
    let api = Api::new(&server.url(""), TIMEOUT).expect("a loopback client");
    let db = TempDb::new("twice");

    let first = run(&api, &store_at(&db.path), 0..IDS).await;
    let rows_after_first = store_at(&db.path).rows().await.expect("readable");
    // A new connection, as a second run of the program would open.
    let second = run(&api, &store_at(&db.path), 0..IDS).await;
    let rows_after_second = store_at(&db.path).rows().await.expect("readable");

    assert_eq!(first, second);
    assert_eq!(rows_after_first.len(), first.stored.len());
    assert_eq!(rows_after_second, rows_after_first);
    server.shutdown().await;
}

fn store_at(path: &Path) -> Store {
    Store::open(path).expect("the test's own temporary file opens")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn building_the_jobs_fetches_nothing() {
    let server = server_with(&BTreeMap::new()).await;
    let api = Api::new(&server.url(""), TIMEOUT).expect("a loopback client");
    let db = TempDb::new("lazy");
    let store = store_at(&db.path);

    let jobs: Vec<_> = (0..10).map(|id| process(&api, &store, id)).collect();
    // Not a timing claim: a window in which eager jobs (spawned ones, say) would
    // have reached the server, which is on real sockets and so cannot use the
    // paused clock.
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(server.stats().requests, 0, "a job ran before it was awaited");
    assert!(store.rows().await.expect("readable").is_empty());

    let outcomes = futures::future::join_all(jobs).await;
    assert!(outcomes.iter().all(|(_, outcome)| outcome.is_ok()));
    assert_eq!(server.stats().requests, 10);
    assert_eq!(store.rows().await.expect("readable").len(), 10);
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_that_refuses_rows_reports_every_id_instead_of_losing_it() {
    let server = server_with(&BTreeMap::new()).await;
    let api = Api::new(&server.url(""), TIMEOUT).expect("a loopback client");
    let db = TempDb::new("refuses");
    // A table that already exists with a rule no row can meet: `CREATE TABLE IF NOT
    // EXISTS` keeps it, and every insert fails.
    rusqlite::Connection::open(&db.path)
        .and_then(|c| {
            c.execute_batch(
                "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT, slug TEXT,
                 fingerprint TEXT CHECK (length(fingerprint) < 0))",
            )
        })
        .expect("a fresh temporary file");
    let store = store_at(&db.path);

    let report = run(&api, &store, 0..20).await;

    assert!(report.stored.is_empty());
    assert_eq!(report.failed.len(), 20);
    for failure in report.failed.values() {
        assert!(
            matches!(failure, Failure::Store(why) if why.contains("CHECK constraint failed")),
            "{failure:?}"
        );
    }
    server.shutdown().await;
}

/// Runs the listing's binary (a real process) and waits for it on the blocking
/// pool, so the test's own server keeps serving meanwhile.
async fn listing(args: &[&str]) -> Output {
    let mut command =
        std::process::Command::new(env!("CARGO_BIN_EXE_06_download_enrich_store"));
    command.args(args);
    tokio::task::spawn_blocking(move || {
        command.output().expect("the listing's binary starts")
    })
    .await
    .expect("the waiting task does not panic")
}

fn one_line_error(output: &Output) -> String {
    assert!(!output.status.success(), "it should fail");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
    assert!(stderr.starts_with("error: "), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    stderr
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_server_is_a_clear_error_and_writes_nothing() {
    // A port that was free a moment ago and has nothing listening now.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let db = TempDb::new("unreachable");
    let url = format!("http://127.0.0.1:{port}");
    let db_arg = db.path.to_string_lossy().into_owned();

    let output = listing(&["--server", &url, "--db", &db_arg]).await;

    let stderr = one_line_error(&output);
    assert!(stderr.contains(&format!("cannot reach {url}")), "{stderr}");
    assert!(!db.path.exists(), "the database was created anyway");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_that_cannot_be_opened_is_a_clear_error_and_fetches_nothing() {
    let server = server_with(&BTreeMap::new()).await;
    let url = server.url("");
    let scratch = tempfile::tempdir().expect("the temporary folder is writable");
    let missing = scratch.path().join("no-such-dir");
    let db_arg = missing.join("items.sqlite").to_string_lossy().into_owned();

    let output = listing(&["--server", &url, "--db", &db_arg]).await;

    let stderr = one_line_error(&output);
    assert!(stderr.contains("cannot open database"), "{stderr}");
    assert_eq!(server.stats().requests, 0, "items were fetched anyway");
    assert!(!missing.exists());
    server.shutdown().await;
}

/// Reading the rows back is SQLite work, and SQLite may wait for another writer:
/// that wait must happen on the blocking pool, so a task beside it on the same
/// single thread runs on.
#[tokio::test(flavor = "current_thread")]
async fn reading_rows_while_another_writer_holds_the_file_leaves_the_runtime_free()
{
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    let db = TempDb::new("locked");
    let store = store_at(&db.path);
    let (locked, is_locked) = std::sync::mpsc::channel();
    let path = db.path.clone();
    let writer = std::thread::spawn(move || -> rusqlite::Result<()> {
        let other = rusqlite::Connection::open(&path)?;
        other.execute_batch("BEGIN EXCLUSIVE")?;
        let _ = locked.send(());
        std::thread::sleep(Duration::from_millis(300));
        other.execute_batch("COMMIT")
    });
    is_locked.recv().expect("the other connection takes the lock");
    let ticks = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&ticks);
    let ticker = tokio::spawn(async move {
        loop {
            tokio::time::sleep(Duration::from_millis(5)).await;
            counter.fetch_add(1, Ordering::SeqCst);
        }
    });
    let rows = store.rows().await.expect("readable once the writer commits");
    ticker.abort();
    writer.join().expect("the writer thread ends").expect("the writer commits");
    assert!(rows.is_empty());
    assert!(
        ticks.load(Ordering::SeqCst) > 0,
        "the runtime's only thread was blocked while SQLite waited"
    );
}
