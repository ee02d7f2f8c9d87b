//! The tool's pipeline against the real local server, told to fail, stall or rate-limit.
//! Real sockets need the real clock, so these tests count requests and lines, never time.
use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, BufReader};
use std::ops::ControlFlow;
use std::sync::atomic::Ordering;
use std::time::Duration;

use ch07_putting_it_together::generate::{SampleLog, SplitMix};
use ch07_putting_it_together::refire::{Limits, Outcome, Record, Refirer};
use ch07_putting_it_together::rewrite::with_retry;
use ch07_putting_it_together::scan::{Failed, scan};
use ch07_putting_it_together::tool::{CHANNEL_CAPACITY, Summary, run};
use indicatif::ProgressBar;
use local_server::{Config, Fault, LocalServer};
use throttle::retry::Backoff;

mod common;
use common::Endless;

const TIMEOUT: Duration = Duration::from_millis(400);
const ATTEMPTS: u32 = 3;

fn limits(concurrency: usize, rate: Option<(u32, Duration)>) -> Limits {
    Limits {
        concurrency,
        rate,
        timeout: TIMEOUT,
        backoff: Backoff {
            base: Duration::from_millis(10),
            factor: 2,
            max_delay: Duration::from_millis(100),
            max_attempts: ATTEMPTS,
            max_elapsed: Duration::from_secs(60),
        },
        seed: 1,
    }
}

async fn start(config: Config) -> LocalServer {
    LocalServer::start(config)
        .await
        .expect("binding 127.0.0.1:0 works on a test machine")
}

/// Runs the whole pipeline over `log`; returns the summary and the retry log's lines.
async fn refire_all(
    log: Vec<u8>,
    server: &LocalServer,
    limits: &Limits,
    stop: impl Future<Output = ()>,
) -> (Summary, Vec<Record>) {
    let refirer = Refirer::new(&server.url(""), limits).expect("a loopback client");
    let mut out = Vec::new();
    let summary = run(
        io::Cursor::new(log),
        &mut out,
        &refirer,
        limits.concurrency,
        &ProgressBar::hidden(),
        stop,
    )
    .await
    .expect("writing to memory works");
    let text = String::from_utf8(out).expect("the retry log is UTF-8");
    assert!(
        text.is_empty() || text.ends_with('\n'),
        "a partial last line"
    );
    let records = text
        .lines()
        .map(|line| Record::parse(line).unwrap_or_else(|| panic!("not a record: {line:?}")))
        .collect();
    (summary, records)
}

/// Every 5xx line of a log, as an independent scan finds it.
fn failed_lines(log: &[u8]) -> BTreeMap<u64, Failed> {
    let mut all = BTreeMap::new();
    scan(log, |f| {
        all.insert(f.line_no, f);
        ControlFlow::Continue(())
    })
    .expect("memory");
    all
}

fn item_id(target: &str) -> u64 {
    let rest = target.strip_prefix("/items/").expect("a sample target");
    let end = rest.find(['?', '#']).unwrap_or(rest.len());
    rest[..end].parse().expect("a numeric id")
}

fn seeded_faults(seed: u64) -> BTreeMap<u64, Fault> {
    let mut rng = SplitMix::new(seed);
    (0..100)
        .filter_map(|id| {
            let fault = match rng.below(100) {
                0..4 => Fault::Status(500),
                4..7 => Fault::Status(503),
                7..9 => Fault::Stall,
                9..13 => Fault::FailTimes(1),
                13..15 => Fault::Malformed,
                _ => return None,
            };
            Some((id, fault))
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_5xx_line_gets_exactly_one_record_whatever_the_server_does() {
    for seed in [1, 2] {
        let faults = seeded_faults(seed);
        let config = faults.iter().fold(
            Config::default().with_latency(Duration::from_millis(5)),
            |c, (&id, &f)| c.with_fault(id, f),
        );
        let server = start(config).await;
        let mut log = Vec::new();
        let sample = SampleLog {
            lines: 1500,
            seed,
            malformed_every: Some(97),
            ids: 100,
        };
        sample.write_to(&mut log).expect("memory");
        let expected = failed_lines(&log);

        let (summary, records) =
            refire_all(log, &server, &limits(16, None), std::future::pending()).await;

        // Nothing lost, nothing twice: one record per 5xx line, by line number.
        let numbers: BTreeSet<u64> = records.iter().map(|r| r.line_no).collect();
        assert_eq!(numbers.len(), records.len(), "a line refired twice");
        assert_eq!(numbers, expected.keys().copied().collect(), "seed {seed}");
        assert_eq!(summary.written, records.len() as u64);
        assert_eq!(summary.scan.failed, expected.len() as u64);
        assert_eq!(summary.scan.malformed, 1500 / 97);
        assert!(!summary.interrupted);
        // Each record: the rewritten target, and the ending its fault calls for.
        let mut attempts_per_id: BTreeMap<u64, u64> = BTreeMap::new();
        for record in &records {
            let line = &expected[&record.line_no];
            assert_eq!(record.url, with_retry(&line.target));
            let id = item_id(&line.target);
            if line.method != "GET" {
                assert_eq!(record.outcome, Outcome::Skipped(line.method.clone()));
                assert_eq!(record.attempts, 0);
                continue;
            }
            *attempts_per_id.entry(id).or_default() += u64::from(record.attempts);
            let (outcome, attempts) = (&record.outcome, record.attempts);
            match faults.get(&id) {
                None | Some(Fault::Malformed) => {
                    assert_eq!((outcome, attempts), (&Outcome::Status(200), 1), "{record}");
                }
                Some(Fault::Status(code)) => {
                    assert_eq!((outcome, attempts), (&Outcome::Status(*code), ATTEMPTS));
                }
                Some(Fault::Stall) => {
                    assert_eq!(
                        (outcome, attempts),
                        (&Outcome::Timeout, ATTEMPTS),
                        "{record}"
                    );
                }
                Some(Fault::FailTimes(_)) => {
                    assert_eq!(outcome, &Outcome::Status(200), "{record}");
                    assert!((1..=2).contains(&attempts), "{record}");
                }
                Some(other) => panic!("the test does not inject {other:?}"),
            }
        }
        // The server saw exactly the attempts the records report, id by id.
        for id in 0..100 {
            let reported = attempts_per_id.get(&id).copied().unwrap_or(0);
            assert_eq!(server.requests_for(id), reported, "id {id}");
        }
        server.shutdown().await;
    }
}

fn five_xx_log(lines: u64) -> Vec<u8> {
    (0..lines)
        .flat_map(|n| {
            format!(
                "10.0.0.1 - - [23/Nov/2026:13:55:36 +0000] \"GET /items/{n}?src=feed HTTP/1.1\" 502 12\n"
            )
            .into_bytes()
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn never_more_than_the_concurrency_limit_in_flight() {
    let server = start(Config::default().with_latency(Duration::from_millis(30))).await;
    let (summary, records) = refire_all(
        five_xx_log(60),
        &server,
        &limits(4, None),
        std::future::pending(),
    )
    .await;
    assert_eq!(records.len(), 60);
    assert_eq!(summary.succeeded, 60);
    let stats = server.stats();
    assert_eq!(stats.requests, 60);
    assert!(stats.peak_in_flight <= 4, "{stats:?}");
    assert!(
        stats.peak_in_flight >= 2,
        "the limit should still allow several: {stats:?}"
    );
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rate_below_the_servers_gets_no_429() {
    // The server allows 20 per second; the tool asks for 10 per second.
    let server = start(
        Config::default()
            .with_latency(Duration::from_millis(5))
            .with_rate_limit(20, Duration::from_secs(1)),
    )
    .await;
    let ours = limits(16, Some((10, Duration::from_secs(1))));
    let (summary, records) =
        refire_all(five_xx_log(25), &server, &ours, std::future::pending()).await;
    assert_eq!(records.len(), 25);
    assert_eq!(summary.succeeded, 25);
    assert_eq!(server.stats().rate_limited, 0);
    assert!(records.iter().all(|r| r.attempts == 1));
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_rate_limit_429s_are_retried_and_still_one_record_each() {
    let server = start(
        Config::default()
            .with_latency(Duration::from_millis(5))
            .with_rate_limit(10, Duration::from_secs(1)),
    )
    .await;
    let (summary, records) = refire_all(
        five_xx_log(30),
        &server,
        &limits(30, None),
        std::future::pending(),
    )
    .await;
    let numbers: BTreeSet<u64> = records.iter().map(|r| r.line_no).collect();
    assert_eq!(numbers, (1..=30).collect());
    assert!(
        server.stats().rate_limited > 0,
        "30 at once should exceed 10 per second"
    );
    // Each record's attempts are what it cost: every 429 was counted against some record.
    let attempts: u64 = records.iter().map(|r| u64::from(r.attempts)).sum();
    assert_eq!(attempts, server.stats().requests);
    assert_eq!(summary.attempts, attempts);
    assert!(records.iter().any(|r| r.attempts > 1));
    assert!(
        records
            .iter()
            .all(|r| matches!(r.outcome, Outcome::Status(200 | 429)))
    );
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stalled_server_holds_the_reader_back_and_a_stop_ends_the_run() {
    let server = start(Config::default().with_fault(1, Fault::Stall)).await;
    let line =
        b"10.0.0.1 - - [23/Nov/2026:13:55:36 +0000] \"GET /items/1 HTTP/1.1\" 503 12\n".to_vec();
    let line_len = line.len() as u64;
    let log = Endless::new(&line, 1_000_000);
    let served = log.served();
    let log = BufReader::new(log);
    let limits = Limits {
        timeout: Duration::from_secs(30),
        ..limits(2, None)
    };
    let refirer = Refirer::new(&server.url(""), &limits).expect("a loopback client");
    let mut out = Vec::new();
    let summary = run(
        log,
        &mut out,
        &refirer,
        2,
        &ProgressBar::hidden(),
        tokio::time::sleep(Duration::from_millis(500)),
    )
    .await
    .expect("memory");

    assert!(summary.interrupted);
    assert_eq!(summary.written, 0, "every request was stalled");
    assert!(out.is_empty());
    // Two requests in flight, the channel full, one line waiting to be sent: the reader
    // stopped there, a few kilobytes into a 75 MB log (plus one BufReader buffer).
    let bound = (CHANNEL_CAPACITY as u64 + 2 + 2) * line_len + 8 * 1024;
    let read = served.load(Ordering::SeqCst);
    assert!(read <= bound, "read {read} bytes, more than {bound}");
    assert!(
        summary.scan.lines <= CHANNEL_CAPACITY as u64 + 4,
        "{:?}",
        summary.scan
    );
    // The stalled requests were dropped when the run stopped: the server sees each
    // connection close and drops its handler. Poll for that with a generous deadline
    // rather than guess how long it takes on a busy machine.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while server.stats().in_flight > 0 && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(server.stats().in_flight, 0, "{:?}", server.stats());
    server.shutdown().await;
}
