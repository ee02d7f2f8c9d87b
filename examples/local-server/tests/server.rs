//! End-to-end tests: a real server, a real HTTP client, real sockets and the
//! real clock. Nothing here asserts on elapsed time; concurrency is proven
//! with the server's own in-flight counters instead.

use std::io;
use std::time::Duration;

use local_server::{Config, LocalServer, Stats};
use reqwest::StatusCode;

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// A client that never goes through a proxy, even if the environment names
/// one (`HTTP_PROXY`): these requests are for 127.0.0.1.
fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("a client without TLS or proxies has nothing to fail on")
}

#[tokio::test]
async fn get_item_answers_json() -> TestResult {
    let server = LocalServer::start(Config::default()).await?;

    let response = client().get(server.url("/items/7")).send().await?;

    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()[reqwest::header::CONTENT_TYPE],
        "application/json"
    );
    assert_eq!(response.text().await?, r#"{"id":7,"name":"item 7"}"#);
    server.shutdown().await;
    Ok(())
}

#[tokio::test]
async fn health_answers_ok_and_is_not_counted() -> TestResult {
    let server = LocalServer::start(Config::default()).await?;

    let response = client().get(server.url("/health")).send().await?;

    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.text().await?, "ok");
    assert_eq!(server.stats().requests, 0);
    server.shutdown().await;
    Ok(())
}

#[tokio::test]
async fn bad_id_and_bad_delay_are_400() -> TestResult {
    let server = LocalServer::start(Config::default()).await?;
    let client = client();

    for path in ["/items/seven", "/items/-1", "/items/7?delay_ms=soon"] {
        let response = client.get(server.url(path)).send().await?;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{path}");
        let text = response.text().await?;
        assert!(!text.is_empty() && !text.contains('\n'), "{path}: {text:?}");
    }
    // Refused requests still reached the handler, so they are counted.
    assert_eq!(server.stats().requests, 3);
    server.shutdown().await;
    Ok(())
}

#[tokio::test]
async fn delay_ms_overrides_latency() -> TestResult {
    // A latency long enough that the test would hang if the override were
    // ignored; with `delay_ms=0` the request answers at once.
    let server =
        LocalServer::start(Config::default().with_latency(Duration::from_secs(3600))).await?;

    let response = client()
        .get(server.url("/items/3?delay_ms=0"))
        .timeout(Duration::from_secs(30))
        .send()
        .await?;

    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.text().await?, r#"{"id":3,"name":"item 3"}"#);
    server.shutdown().await;
    Ok(())
}

#[tokio::test]
async fn ten_sequential_requests_never_overlap() -> TestResult {
    let server = LocalServer::start(Config::default()).await?;
    let client = client();

    for id in 0..10 {
        let response = client
            .get(server.url(&format!("/items/{id}")))
            .send()
            .await?;
        assert_eq!(response.status(), StatusCode::OK);
        response.text().await?;
    }

    assert_eq!(
        server.stats(),
        Stats {
            requests: 10,
            in_flight: 0,
            peak_in_flight: 1
        }
    );
    server.shutdown().await;
    Ok(())
}

#[tokio::test]
async fn ten_concurrent_requests_all_overlap() -> TestResult {
    // 50 ms latency: all ten requests must reach the server within 50 ms of
    // the first for the peak to be 10, which loopback does with a wide margin.
    let server =
        LocalServer::start(Config::default().with_latency(Duration::from_millis(50))).await?;
    let client = client();

    let mut requests = tokio::task::JoinSet::new();
    for id in 0..10 {
        let request = client.get(server.url(&format!("/items/{id}")));
        requests.spawn(async move {
            let response = request.send().await?;
            assert_eq!(response.status(), StatusCode::OK);
            response.text().await
        });
    }
    while let Some(result) = requests.join_next().await {
        result??;
    }

    assert_eq!(
        server.stats(),
        Stats {
            requests: 10,
            in_flight: 0,
            peak_in_flight: 10
        }
    );
    server.shutdown().await;
    Ok(())
}

#[tokio::test]
async fn shutdown_refuses_new_connections() -> TestResult {
    let server = LocalServer::start(Config::default()).await?;
    let addr = server.addr();
    // A keep-alive connection left idle in the client's pool must not keep
    // the shutdown waiting.
    let client = client();
    client
        .get(server.url("/items/1"))
        .send()
        .await?
        .text()
        .await?;

    server.shutdown().await;

    let error = tokio::net::TcpStream::connect(addr)
        .await
        .expect_err("the listener should be closed after shutdown");
    assert_eq!(error.kind(), io::ErrorKind::ConnectionRefused);
    Ok(())
}

#[tokio::test]
async fn shutdown_lets_in_flight_requests_finish() -> TestResult {
    let server = LocalServer::start(Config::default()).await?;
    let request = client().get(server.url("/items/5?delay_ms=200")).send();
    let request = tokio::spawn(request);
    // Wait (without timing anything) until the request is inside the handler.
    while server.stats().in_flight == 0 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }

    server.shutdown().await;

    let response = request.await??;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.text().await?, r#"{"id":5,"name":"item 5"}"#);
    Ok(())
}

#[tokio::test]
async fn dropping_the_server_stops_it() -> TestResult {
    let server = LocalServer::start(Config::default()).await?;
    let addr = server.addr();

    drop(server);

    // Drop cannot wait, so the server stops the next time its task runs.
    // Retry a bounded number of times rather than assert on any timing.
    for _ in 0..500 {
        match tokio::net::TcpStream::connect(addr).await {
            Err(e) if e.kind() == io::ErrorKind::ConnectionRefused => return Ok(()),
            _ => tokio::time::sleep(Duration::from_millis(10)).await,
        }
    }
    panic!("{addr} still accepts connections after the server was dropped");
}

#[tokio::test]
async fn two_servers_get_different_ports() -> TestResult {
    let first = LocalServer::start(Config::default()).await?;
    let second = LocalServer::start(Config::default()).await?;

    assert_ne!(first.addr().port(), 0);
    assert_ne!(first.addr(), second.addr());
    for server in [&first, &second] {
        let response = client().get(server.url("/health")).send().await?;
        assert_eq!(response.text().await?, "ok");
    }
    first.shutdown().await;
    second.shutdown().await;
    Ok(())
}
