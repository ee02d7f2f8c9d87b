//! One job — fetch two items from a server, the second after the first — written
//! three ways.
use std::error::Error;
use std::sync::mpsc;

use futures::TryFutureExt;
use local_server::{Config, LocalServer};

/// Fetches one URL and returns its body, or the network or HTTP error.
pub async fn fetch(
    client: reqwest::Client,
    url: String,
) -> reqwest::Result<String> {
    client.get(url).send().await?.error_for_status()?.text().await
}

// ANCHOR: callbacks
/// 1. Callbacks: each step starts the next one from inside its own callback.
pub fn with_callbacks(
    client: reqwest::Client,
    first: String,
    second: String,
    done: impl FnOnce(reqwest::Result<(String, String)>) + Send + 'static,
) {
    fetch_then(client.clone(), first, move |result| match result {
        Err(error) => done(Err(error)), // every level must pass errors on by hand
        Ok(a) => fetch_then(client, second, move |result| match result {
            Err(error) => done(Err(error)),
            Ok(b) => done(Ok((a, b))),
        }),
    });
}

/// Starts a request and calls `then` with its result when it completes.
fn fetch_then(
    client: reqwest::Client,
    url: String,
    then: impl FnOnce(reqwest::Result<String>) + Send + 'static,
) {
    tokio::spawn(async move { then(fetch(client, url).await) });
}
// ANCHOR_END: callbacks

// ANCHOR: combinators
/// 2. Futures and combinators: the steps are chained into one value, run when
///    awaited.
pub async fn with_combinators(
    client: reqwest::Client,
    first: String,
    second: String,
) -> reqwest::Result<(String, String)> {
    fetch(client.clone(), first)
        .and_then(move |a| fetch(client, second).map_ok(move |b| (a, b)))
        .await
}
// ANCHOR_END: combinators

// ANCHOR: async_await
/// 3. async/await: the same chain, written as if it were plain sequential code.
pub async fn with_async_await(
    client: reqwest::Client,
    first: String,
    second: String,
) -> reqwest::Result<(String, String)> {
    let a = fetch(client.clone(), first).await?;
    let b = fetch(client, second).await?;
    Ok((a, b))
}
// ANCHOR_END: async_await

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    if std::env::args().len() > 1 {
        eprintln!("usage: 07_three_ways (it takes no arguments)");
        std::process::exit(2);
    }
    let server = LocalServer::start(Config::default()).await?;
    // the server is on this machine
    let client = reqwest::Client::builder().no_proxy().build()?;
    let (first, second) = (server.url("/items/1"), server.url("/items/2"));

    // The callback version cannot return its result: it hands it to `done`, here a
    // channel.
    let (sender, receiver) = mpsc::channel();
    with_callbacks(client.clone(), first.clone(), second.clone(), move |result| {
        let _ = sender.send(result);
    });
    let (a, b) = tokio::task::spawn_blocking(move || receiver.recv()).await???;
    println!("callbacks:   {a} then {b}");

    let (a, b) =
        with_combinators(client.clone(), first.clone(), second.clone()).await?;
    println!("combinators: {a} then {b}");

    let (a, b) = with_async_await(client, first, second).await?;
    println!("async/await: {a} then {b}");
    server.shutdown().await;
    Ok(())
}
