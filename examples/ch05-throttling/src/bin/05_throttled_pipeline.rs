//! Chapter 4's pipeline with a leaky bucket in front of each job: the same 100 ids,
//! the same 50-per-second API, and not one 429.
use std::process::ExitCode;
use std::time::{Duration, Instant};

use ch05_throttling::listings::fire_at_once::{print_report, rate_limited_server};
use futures::future;
use item_pipeline::{Api, Report, Store, process};
use throttle::LeakyBucket;

// ANCHOR: throttled
/// Chapter 4's `run`, throttled: each job first waits for the bucket, then runs as
/// before.
pub async fn run_throttled(
    api: &Api,
    store: &Store,
    ids: impl IntoIterator<Item = u64>,
    bucket: &LeakyBucket,
) -> Report {
    let jobs: Vec<_> = ids
        .into_iter()
        .map(|id| async move {
            // the new line: wait for a free slot in the bucket
            bucket.acquire().await;
            process(api, store, id).await
        })
        .collect();
    let mut report = Report::default();
    for (id, outcome) in future::join_all(jobs).await {
        match outcome {
            Ok(()) => report.stored.push(id),
            Err(failure) => {
                report.failed.insert(id, failure);
            }
        }
    }
    report
}
// ANCHOR_END: throttled

// ANCHOR: main
/// Our own limit: below the server's 50 per second, with room to spare for the
/// network.
pub fn our_limit() -> LeakyBucket {
    LeakyBucket::new(40, Duration::from_secs(1))
}

async fn run_main() -> Result<(), String> {
    let server = rate_limited_server()
        .await
        .map_err(|e| format!("cannot start the local server: {e}"))?;
    let api = Api::new(&server.url(""), Duration::from_secs(10))?;
    // A scratch database in a new temporary folder, removed when `scratch` is
    // dropped.
    let scratch = tempfile::tempdir()
        .map_err(|e| format!("cannot create a temporary folder: {e}"))?;
    let store = Store::open(&scratch.path().join("items.sqlite"))?;

    let started = Instant::now();
    let report = run_throttled(&api, &store, 0..100, &our_limit()).await;
    let took = started.elapsed();

    print_report(&report, &server);
    println!("took {:.1} s", took.as_secs_f64());
    server.shutdown().await;
    Ok(())
}

#[tokio::main]
async fn main() -> ExitCode {
    // ANCHOR_END: main
    if std::env::args().len() > 1 {
        eprintln!("usage: 05_throttled_pipeline (it takes no arguments)");
        std::process::exit(2);
    }
    // ANCHOR: main
    match run_main().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}
// ANCHOR_END: main
