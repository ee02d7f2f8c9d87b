//! Listing 04's claims, against a real server on 127.0.0.1 (built with `--features
//! http`, which a workspace build turns on).
use std::time::Duration;

use ch01_concurrent_vs_parallel::listings::http;
use local_server::{Config, LocalServer};

const MS: Duration = Duration::from_millis(1);

/// Real server, real sockets, real clock: the claim is checked on the server's
/// side, as the number of requests it was handling at once, which does not depend
/// on the machine's speed as long as every request arrives within the (long)
/// latency.
#[tokio::test]
async fn http_sequential_has_one_request_in_flight_concurrent_has_all() {
    let server =
        LocalServer::start(Config::default().with_latency(300 * MS)).await.unwrap();
    let client = reqwest::Client::builder().no_proxy().build().unwrap();
    let urls: Vec<String> =
        (0..10).map(|id| server.url(&format!("/items/{id}"))).collect();

    let bodies = http::sequential(&client, &urls).await.unwrap();
    assert_eq!(bodies.len(), 10);
    assert_eq!(server.stats().peak_in_flight, 1);

    let bodies = http::concurrent(&client, &urls).await.unwrap();
    assert_eq!(server.stats().peak_in_flight, 10);
    for (id, body) in bodies.iter().enumerate() {
        assert!(
            body.contains(&format!("\"id\":{id}")),
            "responses come back in request order"
        );
    }
    server.shutdown().await;
}

#[tokio::test]
async fn concurrent_fetch_stops_at_the_first_error() {
    let server =
        LocalServer::start(Config::default().with_latency(10 * MS)).await.unwrap();
    let client = reqwest::Client::builder().no_proxy().build().unwrap();
    let urls = vec![server.url("/items/1"), server.url("/items/not-a-number")];
    let error = http::concurrent(&client, &urls).await.unwrap_err();
    assert_eq!(error.status(), Some(reqwest::StatusCode::BAD_REQUEST));
    server.shutdown().await;
}
