//! Fires failed requests again against a real local server: at most 4 attempts in
//! flight, 20 per second, a timeout per attempt, retries with backoff.
use std::process::ExitCode;
use std::sync::atomic::AtomicU32;
use std::time::Duration;

use ch07_putting_it_together::refire::{Limits, Refirer};
use ch07_putting_it_together::scan::Failed;
use futures::future::join_all;
use local_server::{Config, Fault, LocalServer};
use reqwest::header::HeaderMap;
use throttle::retry::Backoff;
use tokio::sync::watch;

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
        log: "access.log".into(),
        line_no,
        method: method.to_owned(),
        target: target.to_owned(),
        status: 503,
        time: "23/Nov/2026:13:55:36 +0000".to_owned(),
        vhost: None,
    };
    vec![
        failed(3, "GET", "/items/3"),            // answers now
        failed(14, "GET", "/items/13?src=feed"), // 500, every time
        failed(21, "GET", "/items/17"),          // fails once more
        failed(30, "GET", "/items/29?q=caf%C3%A9"), // fails twice more
        failed(42, "GET", "/items/77"),          // never answers
        failed(50, "GET", "/items/abc"),         // 400: not worth a retry
        failed(60, "HEAD", "/items/8"),          // the status, no body
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
    // ANCHOR_END: main
    if std::env::args().len() > 1 {
        eprintln!("usage: 04_refire (it takes no arguments)");
        std::process::exit(2);
    }
    // ANCHOR: main
    let server = match LocalServer::start(server()).await {
        Ok(server) => server,
        Err(e) => {
            eprintln!("error: cannot start the local server: {e}");
            return ExitCode::FAILURE;
        }
    };
    let refirer = match Refirer::new(&server.url(""), &limits(), HeaderMap::new()) {
        Ok(refirer) => refirer,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };

    // Every request at once: the refirer's gate lets 4 attempts be in flight, 20 a
    // second.
    let (_keep, no_stop) = watch::channel(false);
    let requests = requests();
    let started: Vec<AtomicU32> =
        requests.iter().map(|_| AtomicU32::new(0)).collect();
    let refires = requests.iter().zip(&started);
    let records =
        join_all(refires.map(|(failed, n)| refirer.refire(failed, n, &no_stop)))
            .await;

    for record in records.into_iter().flatten() {
        println!("{record}"); // join_all keeps the order of the requests
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
