//! Fires failed requests again against a real local server: at most 4 in flight, 20 per second, a timeout per attempt, retries with backoff.
use std::process::ExitCode;
use std::time::Duration;

use ch07_putting_it_together::refire::{Limits, Refirer};
use ch07_putting_it_together::scan::Failed;
use futures::StreamExt;
use local_server::{Config, Fault, LocalServer};
use throttle::retry::Backoff;

// ANCHOR: limits
fn limits() -> Limits {
    Limits {
        concurrency: 4,
        rate: Some((20, Duration::from_secs(1))),
        timeout: Duration::from_millis(300),
        backoff: Backoff {
            base: Duration::from_millis(50),
            factor: 2,
            max_delay: Duration::from_millis(400),
            max_attempts: 3,
            max_elapsed: Duration::from_secs(10),
        },
        seed: 1,
    }
}
// ANCHOR_END: limits

// ANCHOR: requests
/// Requests as the scan would find them, one for each way a refire can end.
fn requests() -> Vec<Failed> {
    let failed = |line_no, method: &str, target: &str| Failed {
        line_no,
        method: method.to_owned(),
        target: target.to_owned(),
        status: 503,
    };
    vec![
        failed(3, "GET", "/items/3"),                   // answers now
        failed(14, "GET", "/items/13?src=feed"),        // 500, every time
        failed(21, "GET", "/items/17"),                 // fails once more
        failed(30, "GET", "/items/29?q=caf%C3%A9"),     // fails twice more
        failed(42, "GET", "/items/77"),                 // never answers
        failed(50, "GET", "/items/abc"),                // 400: not worth a retry
        failed(60, "POST", "/items/8"),                 // not safe to repeat
        failed(70, "GET", "/items/42?src=feed&page=2"), // 503, every time
    ]
}

fn server() -> Config {
    Config::default()
        .with_latency(Duration::from_millis(20))
        .with_fault(13, Fault::Status(500))
        .with_fault(17, Fault::FailTimes(1))
        .with_fault(29, Fault::FailTimes(2))
        .with_fault(77, Fault::Stall)
        .with_fault(42, Fault::Status(503))
}
// ANCHOR_END: requests

// ANCHOR: main
#[tokio::main]
async fn main() -> ExitCode {
    let server = match LocalServer::start(server()).await {
        Ok(server) => server,
        Err(e) => {
            eprintln!("error: cannot start the local server: {e}");
            return ExitCode::FAILURE;
        }
    };
    let limits = limits();
    let refirer = match Refirer::new(&server.url(""), &limits) {
        Ok(refirer) => refirer,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };

    // At most `concurrency` refires in flight; each finishes in its own time.
    let mut records: Vec<_> = futures::stream::iter(requests())
        .map(|failed| refirer.refire(failed))
        .buffer_unordered(limits.concurrency)
        .collect()
        .await;
    records.sort_by_key(|record| record.line_no); // finishing order varies: sort to print

    for record in &records {
        println!("{record}");
    }
    let stats = server.stats();
    println!(
        "the server saw {} requests, at most {} at once",
        stats.requests, stats.peak_in_flight
    );
    server.shutdown().await;
    ExitCode::SUCCESS
}
// ANCHOR_END: main
