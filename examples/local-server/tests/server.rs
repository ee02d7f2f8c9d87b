//! End-to-end tests: a real server, a real HTTP client, real sockets and the
//! real clock. Nothing here asserts on elapsed time; concurrency is proven
//! with the server's own in-flight counters instead.

use std::io;
use std::time::Duration;

use local_server::{Config, Fault, LocalServer, Stats};
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
    let server = LocalServer::start(
        Config::default().with_latency(Duration::from_secs(3600)),
    )
    .await?;

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
        let response =
            client.get(server.url(&format!("/items/{id}"))).send().await?;
        assert_eq!(response.status(), StatusCode::OK);
        response.text().await?;
    }

    assert_eq!(
        server.stats(),
        Stats { requests: 10, in_flight: 0, peak_in_flight: 1, rate_limited: 0 }
    );
    server.shutdown().await;
    Ok(())
}

#[tokio::test]
async fn ten_concurrent_requests_all_overlap() -> TestResult {
    // 50 ms latency: all ten requests must reach the server within 50 ms of
    // the first for the peak to be 10, which loopback does with a wide margin.
    let server = LocalServer::start(
        Config::default().with_latency(Duration::from_millis(50)),
    )
    .await?;
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
        Stats { requests: 10, in_flight: 0, peak_in_flight: 10, rate_limited: 0 }
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
    client.get(server.url("/items/1")).send().await?.text().await?;

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

#[tokio::test]
async fn faults_fail_each_id_the_way_they_were_told() -> TestResult {
    let config = Config::default()
        .with_latency(Duration::from_millis(1))
        .with_fault(1, Fault::Status(500))
        .with_fault(2, Fault::FailTimes(2))
        .with_fault(3, Fault::Malformed);
    let server = LocalServer::start(config).await?;
    let client = client();
    let get = |id: u64| client.get(server.url(&format!("/items/{id}"))).send();

    for _ in 0..2 {
        let response = get(1).await?;
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    }
    // Fails exactly twice, then recovers.
    assert_eq!(get(2).await?.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(get(2).await?.status(), StatusCode::SERVICE_UNAVAILABLE);
    let recovered = get(2).await?;
    assert_eq!(recovered.status(), StatusCode::OK);
    assert_eq!(recovered.text().await?, r#"{"id":2,"name":"item 2"}"#);
    // 200 with a body that is not JSON.
    let malformed = get(3).await?;
    assert_eq!(malformed.status(), StatusCode::OK);
    let body = malformed.text().await?;
    assert!(body.starts_with(r#"{"id":3"#) && !body.ends_with('}'), "{body}");
    // Ids without a fault are untouched.
    assert_eq!(get(4).await?.status(), StatusCode::OK);

    assert_eq!([1, 2, 3, 4, 5].map(|id| server.requests_for(id)), [2, 3, 1, 1, 0]);
    server.shutdown().await;
    Ok(())
}

#[tokio::test]
async fn a_stalled_request_times_out_and_shutdown_still_returns() -> TestResult {
    let config = Config::default().with_fault(9, Fault::Stall);
    let server = LocalServer::start(config).await?;

    let result = client()
        .get(server.url("/items/9"))
        .timeout(Duration::from_millis(200))
        .send()
        .await;

    let error = result.expect_err("a stalled request never answers");
    assert!(error.is_timeout(), "{error}");
    // Another stalled request is still inside its handler when shutdown
    // starts; shutdown ends it instead of waiting for it forever.
    let stalled = tokio::spawn(client().get(server.url("/items/9")).send());
    while server.stats().requests < 2 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    tokio::time::timeout(Duration::from_secs(30), server.shutdown())
        .await
        .expect("shutdown ends stalled handlers");
    let answer = stalled.await??;
    assert_eq!(answer.status(), StatusCode::SERVICE_UNAVAILABLE);
    Ok(())
}

#[tokio::test]
async fn requests_beyond_the_rate_limit_get_429_with_retry_after() -> TestResult {
    // A burst of 5 is allowed; the next one comes back at once with 429. The
    // period is long, so no request of this test can be let through by time
    // passing, however slow the machine.
    let config = Config::default()
        .with_latency(Duration::ZERO)
        .with_rate_limit(5, Duration::from_secs(3600));
    let server = LocalServer::start(config).await?;
    let client = client();

    let mut statuses = Vec::new();
    for id in 0..7 {
        let response =
            client.get(server.url(&format!("/items/{id}"))).send().await?;
        statuses.push(response.status().as_u16());
        if response.status() == StatusCode::TOO_MANY_REQUESTS {
            let headers = response.headers();
            // The next request is accepted 3600 s / 5 = 720 s after the first.
            let secs: u64 =
                headers[reqwest::header::RETRY_AFTER].to_str()?.parse()?;
            let ms: u64 = headers["retry-after-ms"].to_str()?.parse()?;
            assert!((700..=720).contains(&secs), "Retry-After {secs}");
            assert!((700_000..=720_000).contains(&ms), "Retry-After-Ms {ms}");
        }
    }
    assert_eq!(statuses, [200, 200, 200, 200, 200, 429, 429]);
    let stats = server.stats();
    assert_eq!((stats.requests, stats.rate_limited), (7, 2));
    // Refused requests are not attempts.
    assert_eq!(server.requests_for(5), 0);
    server.shutdown().await;
    Ok(())
}

#[tokio::test]
async fn configs_that_cannot_work_are_refused_at_start() {
    for config in [
        Config::default().with_rate_limit(0, Duration::from_secs(1)),
        Config::default().with_rate_limit(10, Duration::ZERO),
        Config::default().with_fault(1, Fault::Status(1000)),
    ] {
        let error = LocalServer::start(config.clone())
            .await
            .expect_err(&format!("{config:?} should be refused"));
        assert_eq!(error.kind(), io::ErrorKind::InvalidInput, "{error}");
        assert!(error.to_string().starts_with("local-server: "), "{error}");
    }
}
