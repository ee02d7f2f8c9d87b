//! Chapter 4's pipeline, unthrottled, against an API that allows 50 requests per
//! second: it fires all 100 at once and collects 429s.
use std::process::ExitCode;
use std::time::Duration;

use item_pipeline::{Api, Failure, Report, Store, run};
use local_server::{Config, LocalServer};

// ANCHOR: server
/// The API's published limit: 50 requests per second, in bursts of up to 50.
pub const SERVER_LIMIT: (u32, Duration) = (50, Duration::from_secs(1));

/// A local API that enforces [`SERVER_LIMIT`] and answers `429 Too Many Requests`
/// beyond it.
pub async fn rate_limited_server() -> std::io::Result<LocalServer> {
    let (max, per) = SERVER_LIMIT;
    LocalServer::start(Config::default().with_rate_limit(max, per)).await
}
// ANCHOR_END: server

/// How many of the failures are the server saying "too many requests".
pub fn too_many(report: &Report) -> usize {
    let is_429 = |failure: &&Failure| **failure == Failure::Status(429);
    report.failed.values().filter(is_429).count()
}

/// What happened, from both sides: the client's report and the server's count.
pub fn print_report(report: &Report, server: &LocalServer) {
    println!("stored: {}", report.stored.len());
    println!(
        "failed: {}, of which 429 Too Many Requests: {}",
        report.failed.len(),
        too_many(report)
    );
    let stats = server.stats();
    println!(
        "the server refused {} of {} requests",
        stats.rate_limited, stats.requests
    );
}

// ANCHOR: main
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

    // Chapter 4's `run`, unchanged: all 100 requests start at once.
    let report = run(&api, &store, 0..100).await;

    print_report(&report, &server);
    server.shutdown().await;
    Ok(())
}
// ANCHOR_END: main

#[tokio::main]
async fn main() -> ExitCode {
    if std::env::args().len() > 1 {
        eprintln!("usage: 02_fire_at_once (it takes no arguments)");
        std::process::exit(2);
    }
    match run_main().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}
