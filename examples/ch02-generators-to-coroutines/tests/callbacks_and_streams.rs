//! Listings 07 (callbacks, combinators, async/await) and 08 (streams): their claims.
use std::sync::mpsc;
use std::time::Duration;

use ch02_generators_to_coroutines::listings::{streams, three_ways};
use futures::StreamExt;
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
        sender
            .send(result)
            .expect("the test still waits for the result");
    });
    tokio::task::spawn_blocking(move || receiver.recv_timeout(Duration::from_secs(30)))
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
    let cb = callbacks(client.clone(), a.clone(), b.clone())
        .await
        .unwrap();
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

/// An error in either step reaches the caller in all three styles, and stops the chain.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_three_ways_all_report_an_error() {
    let (server, client) = server_and_client().await;
    let bad = server.url("/items/not-a-number");
    let good = server.url("/items/2");
    let errors = [
        callbacks(client.clone(), bad.clone(), good.clone())
            .await
            .unwrap_err(),
        three_ways::with_combinators(client.clone(), bad.clone(), good.clone())
            .await
            .unwrap_err(),
        three_ways::with_async_await(client, bad, good)
            .await
            .unwrap_err(),
    ];
    for error in errors {
        assert_eq!(error.status(), Some(reqwest::StatusCode::BAD_REQUEST));
    }
    // Only the failing first request was made each time: the second step never started.
    assert_eq!(server.stats().requests, 3);
    server.shutdown().await;
}

/// The stream yields one reading every 10 ms of (virtual) time, then ends.
#[tokio::test(start_paused = true)]
async fn readings_arrive_every_10_ms_and_end() {
    let start = tokio::time::Instant::now();
    let mut times = Vec::new();
    let mut stream = std::pin::pin!(streams::readings(5));
    while let Some(_reading) = stream.next().await {
        times.push(start.elapsed());
    }
    assert_eq!(times, (1..=5).map(|i| 10 * MS * i).collect::<Vec<_>>());
}

/// The comprehension matches the plain iterator version, and `take(5)` stops the generator:
/// it finishes at 100 ms, when the tenth reading (the fifth even one) arrives.
#[tokio::test(start_paused = true)]
async fn the_comprehension_is_lazy_and_matches_a_plain_iterator() {
    let all: Vec<u32> = streams::readings(20).collect().await;
    let expected: Vec<u32> = all
        .iter()
        .filter(|r| *r % 2 == 0)
        .map(|r| r * 10)
        .take(5)
        .collect();

    let start = tokio::time::Instant::now();
    let values = streams::first_even_readings_times_ten(20).await;
    assert_eq!(values, expected);
    let tenth = all
        .iter()
        .enumerate()
        .filter(|(_, r)| *r % 2 == 0)
        .nth(4)
        .unwrap()
        .0
        + 1;
    assert_eq!(
        start.elapsed(),
        10 * MS * tenth as u32,
        "no reading after the fifth even one"
    );
}
