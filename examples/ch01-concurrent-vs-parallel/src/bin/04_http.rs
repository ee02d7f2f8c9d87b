//! Ten real HTTP requests to a server on 127.0.0.1: first one after another, then
//! all at once.
use std::error::Error;
use std::time::{Duration, Instant};

use futures::future::try_join_all;
use local_server::{Config, LocalServer};

// ANCHOR: core
/// Fetches one URL and returns its body; any network or HTTP error is passed up.
async fn fetch(client: &reqwest::Client, url: &str) -> reqwest::Result<String> {
    client.get(url).send().await?.error_for_status()?.text().await
}

/// Awaits each response before sending the next request.
pub async fn sequential(
    client: &reqwest::Client,
    urls: &[String],
) -> reqwest::Result<Vec<String>> {
    let mut bodies = Vec::new();
    for url in urls {
        bodies.push(fetch(client, url).await?);
    }
    Ok(bodies)
}

/// Sends every request at once and waits for all the responses (Python's `gather`).
pub async fn concurrent(
    client: &reqwest::Client,
    urls: &[String],
) -> reqwest::Result<Vec<String>> {
    try_join_all(urls.iter().map(|url| fetch(client, url))).await
}
// ANCHOR_END: core

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    if std::env::args().len() > 1 {
        eprintln!("usage: 04_http (it takes no arguments)");
        std::process::exit(2);
    }
    // The server answers each request after 50 ms, like a remote API would.
    let latency = Duration::from_millis(50);
    let server =
        LocalServer::start(Config::default().with_latency(latency)).await?;
    // the server is on this machine
    let client = reqwest::Client::builder().no_proxy().build()?;
    let urls: Vec<String> =
        (0..10).map(|id| server.url(&format!("/items/{id}"))).collect();
    println!(
        "server on {}, answering after {} ms",
        server.addr().ip(),
        latency.as_millis()
    );

    let start = Instant::now();
    let bodies = sequential(&client, &urls).await?;
    let peak = server.stats().peak_in_flight;
    println!(
        "sequential: {} responses in {} ms, at most {peak} in flight",
        bodies.len(),
        start.elapsed().as_millis()
    );

    let start = Instant::now();
    let bodies = concurrent(&client, &urls).await?;
    let peak = server.stats().peak_in_flight;
    println!(
        "concurrent: {} responses in {} ms, at most {peak} in flight",
        bodies.len(),
        start.elapsed().as_millis()
    );
    if let Some(body) = bodies.first() {
        println!("first body: {body}");
    }

    server.shutdown().await;
    Ok(())
}
