//! Listing 07 (callbacks, combinators, async/await) against a real server on
//! 127.0.0.1: the three ways give the same answers and the same errors (built with
//! `--features http`, which a workspace build turns on).
use std::sync::mpsc;
use std::time::Duration;

use ch02_generators_to_coroutines::listings::three_ways;
use local_server::{Config, LocalServer};

const MS: Duration = Duration::from_millis(1);

async fn server_and_client() -> (LocalServer, reqwest::Client) {
    let server = LocalServer::start(Config::default().with_latency(5 * MS))
        .await
        .expect("a local server starts");
    let client = reqwest::Client::builder().no_proxy().build();
    (server, client.expect("a client builds"))
}

async fn callbacks(
    client: reqwest::Client,
    first: String,
    second: String,
) -> reqwest::Result<(String, String)> {
    let (sender, receiver) = mpsc::channel();
    three_ways::with_callbacks(client, first, second, move |result| {
        sender.send(result).expect("the test still waits for the result");
    });
    tokio::task::spawn_blocking(move || {
        receiver.recv_timeout(Duration::from_secs(30))
    })
    .await
    .expect("waiting does not panic")
    .expect("the callback is called exactly once")
}

/// Real server, real time: the three styles fetch the same two bodies, in order.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_three_ways_give_the_same_answer() {
    let (server, client) = server_and_client().await;
    let (a, b) = (server.url("/items/1"), server.url("/items/2"));
    let expected = (
        r#"{"id":1,"name":"item 1"}"#.to_owned(),
        r#"{"id":2,"name":"item 2"}"#.to_owned(),
    );
    let cb = callbacks(client.clone(), a.clone(), b.clone()).await.unwrap();
    let comb = three_ways::with_combinators(client.clone(), a.clone(), b.clone())
        .await
        .unwrap();
    let aa = three_ways::with_async_await(client, a, b).await.unwrap();
    assert_eq!(cb, expected);
    assert_eq!(comb, expected);
    assert_eq!(aa, expected);
    // The second request waits for the first: never two in flight at once.
    assert_eq!(server.stats().peak_in_flight, 1);
    assert_eq!(server.stats().requests, 6);
    server.shutdown().await;
}

/// An error in either step reaches the caller in all three styles, and stops the
/// chain.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_three_ways_all_report_an_error() {
    let (server, client) = server_and_client().await;
    let bad = server.url("/items/not-a-number");
    let good = server.url("/items/2");
    let errors = [
        callbacks(client.clone(), bad.clone(), good.clone()).await.unwrap_err(),
        three_ways::with_combinators(client.clone(), bad.clone(), good.clone())
            .await
            .unwrap_err(),
        three_ways::with_async_await(client, bad, good).await.unwrap_err(),
    ];
    for error in errors {
        assert_eq!(error.status(), Some(reqwest::StatusCode::BAD_REQUEST));
    }
    // Only the failing first request was made each time: the second step never
    // started.
    assert_eq!(server.stats().requests, 3);
    server.shutdown().await;
}
