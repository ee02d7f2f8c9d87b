//! Honouring `Retry-After`: six requests at once to a server that allows three a
//! second; each refused request waits as long as the server asks, and gets in.
use std::process::ExitCode;
use std::time::Duration;

use local_server::{Config, LocalServer};
use rand::{SeedableRng, rngs::StdRng};
use reqwest::header::{HeaderMap, RETRY_AFTER};
use throttle::retry::{Backoff, RetryError, Verdict, retry};
use tokio::task::JoinSet;

// ANCHOR: server
/// The server's limit: 3 requests a second, in bursts of up to 3.
pub const SERVER_LIMIT: (u32, Duration) = (3, Duration::from_secs(1));
/// How many requests the listing sends at once: twice the burst.
pub const REQUESTS: u64 = 6;

/// A local API that answers `429 Too Many Requests`, with `Retry-After`, beyond
/// [`SERVER_LIMIT`].
pub async fn rate_limited_server() -> std::io::Result<LocalServer> {
    let (max, per) = SERVER_LIMIT;
    LocalServer::start(Config::default().with_rate_limit(max, per)).await
}
// ANCHOR_END: server

/// Waits of at most 100, 200, 400 ms, unless the server asks for more; 4
/// attempts; 10 s in all.
pub const POLICY: Backoff = Backoff {
    base: Duration::from_millis(100),
    factor: 2,
    max_delay: Duration::from_secs(2),
    max_attempts: 4,
    max_elapsed: Duration::from_secs(10),
};

// ANCHOR: classify
/// Why one attempt failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// An answer that is not a success, and the wait its `Retry-After` asked for.
    Status { code: u16, retry_after: Option<Duration> },
    /// No answer at all (the connection failed, say).
    Network(String),
}

/// Retry 429 and the 5xx that may pass, no sooner than the server asked.
pub fn classify(failure: &Failure) -> Verdict {
    match *failure {
        Failure::Status { code: 429 | 500 | 502 | 503 | 504, retry_after } => {
            retry_after.map_or(Verdict::Retry, Verdict::RetryAfter)
        }
        Failure::Status { .. } => Verdict::GiveUp,
        // Every send error is retried, even one after the request went out: fine
        // for a GET, which may safely run twice.
        Failure::Network(_) => Verdict::Retry,
    }
}
// ANCHOR_END: classify

// ANCHOR: get
/// One attempt: a GET. An answer that is not a success becomes a [`Failure`].
pub async fn get(client: &reqwest::Client, url: &str) -> Result<(), Failure> {
    let response = client.get(url).send().await;
    let response = response.map_err(|e| Failure::Network(e.to_string()))?;
    if response.status().is_success() {
        return Ok(());
    }
    let code = response.status().as_u16();
    Err(Failure::Status { code, retry_after: retry_after(response.headers()) })
}

/// `Retry-After: 2` asks for 2 seconds. The header may also hold a date: this
/// returns `None` for one, so the loop waits its own backoff. (Chapter 7's tool
/// reads both forms.)
pub fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let seconds = headers.get(RETRY_AFTER)?.to_str().ok()?.trim().parse().ok()?;
    Some(Duration::from_secs(seconds))
}
// ANCHOR_END: get

// ANCHOR: fetch_all
/// Fetches items 0 to [`REQUESTS`] − 1 at once, one task each. For each item, in
/// order: how many attempts it took, or why it gave up.
pub async fn fetch_all(
    client: &reqwest::Client,
    server: &LocalServer,
) -> Vec<Result<u32, RetryError<Failure>>> {
    let mut tasks = JoinSet::new();
    for id in 0..REQUESTS {
        let (client, url) = (client.clone(), server.url(&format!("/items/{id}")));
        tasks.spawn(async move {
            // The task's own random source, seeded from the thread's: a `ThreadRng`
            // is not `Send`, so it cannot be held across `.await` in a task.
            let mut rng = StdRng::from_rng(&mut rand::rng());
            let mut attempts = 0;
            let result = retry(&POLICY, &mut rng, classify, |n| {
                attempts = n;
                get(&client, &url)
            })
            .await;
            (id, result.map(|()| attempts))
        });
    }
    let mut results = tasks.join_all().await;
    results.sort_by_key(|&(id, _)| id);
    results.into_iter().map(|(_, result)| result).collect()
}
// ANCHOR_END: fetch_all

// ANCHOR: main
async fn run_main() -> Result<(), String> {
    let server = rate_limited_server()
        .await
        .map_err(|e| format!("cannot start the local server: {e}"))?;
    // the server is on this machine
    let client = reqwest::Client::builder().no_proxy().build();
    let client = client.map_err(|e| format!("cannot build a client: {e}"))?;
    let (max, _) = SERVER_LIMIT;
    println!("{REQUESTS} requests at once, to a server that allows {max} a second");

    let results = fetch_all(&client, &server).await;

    let count =
        |attempts: u32| results.iter().filter(|r| **r == Ok(attempts)).count();
    println!("accepted at the first attempt: {}", count(1));
    println!("accepted at the second attempt: {}", count(2));
    let later = results.len() - count(1) - count(2);
    println!("accepted later, or not at all: {later}");
    let stats = server.stats();
    println!(
        "the server refused {} of {} requests",
        stats.rate_limited, stats.requests
    );
    server.shutdown().await;
    Ok(())
}
// ANCHOR_END: main

#[tokio::main]
async fn main() -> ExitCode {
    if std::env::args().len() > 1 {
        eprintln!("usage: 11_retry_after (it takes no arguments)");
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
