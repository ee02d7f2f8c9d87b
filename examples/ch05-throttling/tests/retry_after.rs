//! Listing 11 against the real local server, which allows 3 requests a second and
//! answers `429` with `Retry-After: 1` beyond that. A client that waits as told is
//! never refused twice, so every item is in at its first or second attempt. Real
//! sockets need the real clock, so these tests count answers, not time.
use std::time::Duration;

use ch05_throttling::listings::retry_after::{
    Failure, REQUESTS, SERVER_LIMIT, classify, fetch_all, rate_limited_server,
    retry_after,
};
use reqwest::header::{HeaderMap, HeaderValue, RETRY_AFTER};
use throttle::retry::Verdict;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_refused_request_waits_as_told_and_gets_in_at_its_second_try() {
    let server = rate_limited_server().await.expect("a loopback server");
    let client = reqwest::Client::builder().no_proxy().build().expect("a client");

    let results = fetch_all(&client, &server).await;

    // Every item got in, at its first or second attempt: none was refused twice.
    assert_eq!(results.len(), REQUESTS as usize);
    assert!(results.iter().all(|r| matches!(r, Ok(1 | 2))), "{results:?}");
    // The server agrees: it accepted each item exactly once, and refused exactly
    // the attempts the client made again.
    for id in 0..REQUESTS {
        assert_eq!(server.requests_for(id), 1, "item {id}");
    }
    let again: u64 = results.iter().flatten().map(|&n| u64::from(n - 1)).sum();
    let stats = server.stats();
    assert_eq!(stats.rate_limited, again);
    assert_eq!(stats.requests, REQUESTS + again);
    // Six at once is twice the burst: some are refused, at most those beyond it.
    let (max, _) = SERVER_LIMIT;
    assert!((1..=REQUESTS - u64::from(max)).contains(&again), "{again} refused");
    server.shutdown().await;
}

#[test]
fn retry_after_reads_whole_seconds() {
    let headers = |value: &'static str| {
        HeaderMap::from_iter([(RETRY_AFTER, HeaderValue::from_static(value))])
    };
    assert_eq!(retry_after(&headers("1")), Some(Duration::from_secs(1)));
    assert_eq!(retry_after(&headers(" 120 ")), Some(Duration::from_secs(120)));
    assert_eq!(retry_after(&headers("soon")), None);
    assert_eq!(retry_after(&headers("-1")), None);
    assert_eq!(retry_after(&HeaderMap::new()), None);
}

#[test]
fn classify_waits_as_told_and_gives_up_on_what_will_fail_again() {
    let status = |code, retry_after| Failure::Status { code, retry_after };
    let second = Some(Duration::from_secs(1));
    assert_eq!(
        classify(&status(429, second)),
        Verdict::RetryAfter(Duration::from_secs(1))
    );
    assert_eq!(
        classify(&status(503, second)),
        Verdict::RetryAfter(Duration::from_secs(1))
    );
    for code in [429, 500, 502, 503, 504] {
        assert_eq!(classify(&status(code, None)), Verdict::Retry, "{code}");
    }
    for code in [400, 404, 501, 505] {
        assert_eq!(classify(&status(code, second)), Verdict::GiveUp, "{code}");
    }
    assert_eq!(classify(&Failure::Network("reset".into())), Verdict::Retry);
}
