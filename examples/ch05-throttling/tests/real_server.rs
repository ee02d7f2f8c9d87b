//! Listings 2 and 5 against the real local server, which answers 429 beyond 50
//! requests per second. Real sockets need the real clock, so these tests count
//! answers, not time.
use std::time::Duration;

use ch05_throttling::listings::fire_at_once::{
    SERVER_LIMIT, rate_limited_server, too_many,
};
use ch05_throttling::listings::throttled_pipeline::{our_limit, run_throttled};
use item_pipeline::{Api, Failure, Store, run};

/// An empty database file of this test's own, removed when dropped.
fn temp_db(name: &str) -> tempfile::TempPath {
    tempfile::Builder::new()
        .prefix(&format!("ch05-real-server-{name}-"))
        .suffix(".sqlite")
        .tempfile()
        .expect("the temporary folder is writable")
        .into_temp_path()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fired_all_at_once_some_requests_get_429() {
    let server = rate_limited_server().await.expect("a loopback server");
    let api = Api::new(&server.url(""), Duration::from_secs(10)).expect("a client");
    let db = temp_db("unthrottled");
    let store = Store::open(&db).expect("a temporary file");

    let report = run(&api, &store, 0..100).await;

    let refused = too_many(&report);
    // The burst the server allows always gets through; past it, requests are
    // refused.
    assert!(report.stored.len() >= SERVER_LIMIT.0 as usize, "{report:?}");
    assert!(refused > 0, "100 requests at once should exceed 50 per second");
    // Every failure is a 429, and the client saw every refusal the server made.
    assert_eq!(report.stored.len() + refused, 100, "{report:?}");
    assert_eq!(server.stats().rate_limited, refused as u64);
    assert!(report.failed.values().all(|f| *f == Failure::Status(429)));
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_throttled_pipeline_sees_no_429_over_100_requests() {
    let server = rate_limited_server().await.expect("a loopback server");
    let api = Api::new(&server.url(""), Duration::from_secs(10)).expect("a client");
    let db = temp_db("throttled");
    let store = Store::open(&db).expect("a temporary file");

    let report = run_throttled(&api, &store, 0..100, &our_limit()).await;

    assert_eq!(server.stats().requests, 100);
    assert_eq!(server.stats().rate_limited, 0);
    assert_eq!(report.stored.len(), 100, "{:?}", report.failed);
    assert_eq!(store.rows().await.expect("readable").len(), 100);
    server.shutdown().await;
}

/// The listing's own limit is below the server's in both burst and rate, which is
/// what makes "no 429" hold whatever the network does.
#[test]
fn our_limit_is_below_the_servers_in_burst_and_in_rate() {
    let ours = our_limit();
    let (max, per) = SERVER_LIMIT;
    assert!(ours.max_rate() < max);
    assert_eq!(ours.time_period(), per);
}
