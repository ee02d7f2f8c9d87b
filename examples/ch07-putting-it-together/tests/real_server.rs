//! The tool's pipeline against the real local server, told to fail, stall or
//! rate-limit. Real sockets need the real clock, so these tests count requests and
//! records; where they wait, they wait for a count, with a generous deadline.
use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, BufReader, Write};
use std::ops::ControlFlow;
use std::sync::atomic::Ordering;
use std::time::Duration;

use ch07_putting_it_together::formats::Format;
use ch07_putting_it_together::generate::{SampleLog, SplitMix};
use ch07_putting_it_together::input;
use ch07_putting_it_together::record::{Outcome, Record, Recorded};
use ch07_putting_it_together::rewrite::with_retry;
use ch07_putting_it_together::scan::{Failed, scan};
use ch07_putting_it_together::select::Selection;
use ch07_putting_it_together::tool::{
    CHANNEL_CAPACITY, Job, REQUESTS_PER_SLOT, Stop,
};
use local_server::{Config, Fault, LocalServer};
use tokio::sync::watch;
use tokio::time::Instant;

mod common;
use common::Endless;
use common::pipeline::{ATTEMPTS, Shared, job, limits, refire};

const TIMEOUT: Duration = Duration::from_millis(400);

async fn start(config: Config) -> LocalServer {
    LocalServer::start(config)
        .await
        .expect("binding 127.0.0.1:0 works on a test machine")
}

/// Waits (on the real clock) until `ready` holds, for 30 s at most.
async fn until(what: &str, mut ready: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !ready() {
        assert!(Instant::now() < deadline, "waited 30 s for {what}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// Every chosen line of a log, as an independent scan finds it.
fn chosen_lines(log: &[u8], format: Format) -> BTreeMap<u64, Failed> {
    let mut all = BTreeMap::new();
    scan(&"access.log".into(), log, format, &Selection::default(), |f| {
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

fn no_stop() -> (watch::Sender<Stop>, watch::Receiver<Stop>) {
    watch::channel(Stop::Run)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_chosen_line_gets_exactly_one_record_whatever_the_server_does() {
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
            ..SampleLog::default()
        };
        sample.write_to(&mut log).expect("memory");
        let expected = chosen_lines(&log, Format::Combined);

        let out = Shared::default();
        let (_keep, stop) = no_stop();
        let job = job(log, Format::Combined, Recorded::default(), true);
        let summary =
            refire(job, &server, &limits(16, None, TIMEOUT), out.clone(), stop)
                .await;
        let records = out.records();

        // Nothing lost, nothing twice: one record per chosen line, by line number.
        let numbers: BTreeSet<u64> = records.iter().map(|r| r.line_no).collect();
        assert_eq!(numbers.len(), records.len(), "a line recorded twice");
        assert_eq!(numbers, expected.keys().copied().collect(), "seed {seed}");
        assert_eq!(summary.written, records.len() as u64);
        assert_eq!(summary.totals().chosen, expected.len() as u64);
        assert_eq!(summary.totals().malformed, 1500 / 97);
        assert_eq!(summary.stopped, None);
        // Each record: the rewritten target, and the ending its fault calls for.
        let mut attempts_per_id: BTreeMap<u64, u64> = BTreeMap::new();
        let mut sent = BTreeSet::new();
        for record in &records {
            let line = &expected[&record.line_no];
            assert_eq!(record.url, with_retry(&line.target));
            let id = item_id(&line.target);
            if !["GET", "HEAD"].contains(&line.method.as_str()) {
                assert_eq!(
                    (&record.outcome, record.attempts),
                    (&Outcome::SkippedMethod, 0)
                );
                continue;
            }
            if record.outcome == Outcome::Duplicate {
                assert_eq!(record.attempts, 0);
                continue;
            }
            assert!(
                sent.insert((line.method.clone(), line.target.clone())),
                "sent twice: {record}"
            );
            *attempts_per_id.entry(id).or_default() += u64::from(record.attempts);
            let (outcome, attempts) = (&record.outcome, record.attempts);
            match faults.get(&id) {
                None | Some(Fault::Malformed) => {
                    assert_eq!(
                        (outcome, attempts),
                        (&Outcome::Status(200), 1),
                        "{record}"
                    );
                }
                Some(Fault::Status(code)) => {
                    assert_eq!(
                        (outcome, attempts),
                        (&Outcome::Status(*code), ATTEMPTS)
                    );
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
        // Every duplicate's request was sent by an earlier line.
        for record in records.iter().filter(|r| r.outcome == Outcome::Duplicate) {
            let line = &expected[&record.line_no];
            assert!(
                sent.contains(&(line.method.clone(), line.target.clone())),
                "{record}"
            );
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

fn common_job(lines: u64) -> Job {
    job(five_xx_log(lines), Format::Common, Recorded::default(), true)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn never_more_attempts_in_flight_than_the_concurrency_limit() {
    let server =
        start(Config::default().with_latency(Duration::from_millis(30))).await;
    let out = Shared::default();
    let (_keep, stop) = no_stop();
    let summary = refire(
        common_job(60),
        &server,
        &limits(4, None, TIMEOUT),
        out.clone(),
        stop,
    )
    .await;
    assert_eq!(out.records().len(), 60);
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
    let ours = limits(16, Some((10, Duration::from_secs(1))), TIMEOUT);
    let out = Shared::default();
    let (_keep, stop) = no_stop();
    let summary = refire(common_job(25), &server, &ours, out.clone(), stop).await;
    assert_eq!(summary.succeeded, 25);
    assert_eq!(server.stats().rate_limited, 0);
    assert!(out.records().iter().all(|r| r.attempts == 1));
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
    let out = Shared::default();
    let (_keep, stop) = no_stop();
    let summary = refire(
        common_job(30),
        &server,
        &limits(30, None, TIMEOUT),
        out.clone(),
        stop,
    )
    .await;
    let records = out.records();
    let numbers: BTreeSet<u64> = records.iter().map(|r| r.line_no).collect();
    assert_eq!(numbers, (1..=30).collect());
    assert!(
        server.stats().rate_limited > 0,
        "30 at once should exceed 10 per second"
    );
    // Each record's attempts are what it cost: every 429 was counted against some
    // record.
    let attempts: u64 = records.iter().map(|r| u64::from(r.attempts)).sum();
    assert_eq!(attempts, server.stats().requests);
    assert_eq!(summary.attempts, attempts);
    assert!(records.iter().any(|r| r.attempts > 1));
    assert!(
        records.iter().all(|r| matches!(r.outcome, Outcome::Status(200 | 429)))
    );
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stalled_server_holds_the_reader_back_and_abort_records_what_was_sent() {
    let server = start(Config::default().with_fault(1, Fault::Stall)).await;
    let line =
        b"10.0.0.1 - - [23/Nov/2026:13:55:36 +0000] \"GET /items/1 HTTP/1.1\" 503 12\n".to_vec();
    let line_len = line.len() as u64;
    let log = Endless::new(&line, 1_000_000);
    let served = log.served();
    let reader = Box::new(BufReader::new(log));
    let job = Job {
        inputs: vec![
            input::from_reader("endless.log", reader, Some(Format::Common))
                .expect("a log"),
        ],
        selection: Selection::default(),
        dedupe: false, // the same line a million times: each one a request
        recorded: Recorded::default(),
        json: false,
    };
    let out = Shared::default();
    let (stopping, stop) = no_stop();
    let limits = limits(2, None, Duration::from_secs(60));
    let run = tokio::spawn({
        let out = out.clone();
        async move {
            let server = server;
            let summary = refire(job, &server, &limits, out, stop).await;
            (summary, server)
        }
    });
    // Wait for both slots to hold a stalled request, and the reader to fill the
    // channel.
    tokio::time::sleep(Duration::from_millis(300)).await;
    stopping.send_replace(Stop::Abort);
    let (summary, server) = run.await.expect("the run does not panic");

    assert_eq!(summary.stopped, Some(Stop::Abort));
    // The two requests that were sent are recorded, as interrupted; none that was
    // not.
    let records = out.records();
    assert_eq!(records.len(), 2, "{records:?}");
    assert!(
        records
            .iter()
            .all(|r| r.outcome == Outcome::Interrupted && r.attempts == 1)
    );
    assert_eq!(server.stats().requests, 2);
    // The requests under way (8: 2 slots × 4), the channel full, one line waiting
    // to be handed on: the reader stopped there, a few kilobytes into a 75 MB log
    // (plus the buffers: format detection's 20 lines and one BufReader's 8 KiB).
    let window = 2 * REQUESTS_PER_SLOT as u64;
    let lines = CHANNEL_CAPACITY as u64 + window + 1 + 20;
    let read = served.load(Ordering::SeqCst);
    assert!(read <= lines * line_len + 8 * 1024, "read {read} bytes");
    assert!(summary.totals().lines <= lines, "{:?}", summary.totals());
    // The abandoned requests' connections were closed: the server sees them go.
    until("the server to drop the abandoned requests", || {
        server.stats().in_flight == 0
    })
    .await;
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn drain_lets_the_requests_sent_finish_each_with_its_record() {
    let server =
        start(Config::default().with_latency(Duration::from_millis(300))).await;
    let out = Shared::default();
    let (stopping, stop) = no_stop();
    let limits = limits(4, None, Duration::from_secs(10));
    let run = tokio::spawn({
        let out = out.clone();
        async move {
            let server = server;
            let summary =
                refire(common_job(200), &server, &limits, out, stop).await;
            (summary, server)
        }
    });
    // Stop while requests are in flight: the first records are written, more are
    // under way.
    until("the first records", || !out.text().is_empty()).await;
    stopping.send_replace(Stop::Drain);
    let (summary, server) = run.await.expect("the run does not panic");

    assert_eq!(summary.stopped, Some(Stop::Drain));
    let records = out.records();
    assert!(records.len() < 200, "it stopped early");
    // Every request the server saw finished, with a final record; none was
    // abandoned.
    assert!(
        records.iter().all(|r| r.outcome == Outcome::Status(200)),
        "{records:?}"
    );
    let attempts: u64 = records.iter().map(|r| u64::from(r.attempts)).sum();
    assert_eq!(server.stats().requests, attempts);
    assert_eq!(server.stats().in_flight, 0);
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn abort_then_resume_sends_each_request_no_more_than_its_records_say() {
    let faults = Config::default()
        .with_latency(Duration::from_millis(200))
        .with_fault(3, Fault::FailTimes(1))
        .with_fault(7, Fault::Status(500));
    let server = start(faults).await;
    let mut log = five_xx_log(40);
    log.extend(five_xx_log(5)); // lines 41 to 45 repeat lines 1 to 5
    let out = Shared::default();
    let limits = limits(4, None, Duration::from_secs(10));

    // First run: abort once 4 requests are in flight at the server.
    let (stopping, stop) = no_stop();
    let first = job(log.clone(), Format::Common, Recorded::default(), true);
    let run = refire(first, &server, &limits, out.clone(), stop);
    let abort = async {
        until("4 requests in flight", || server.stats().in_flight == 4).await;
        stopping.send_replace(Stop::Abort);
    };
    let (summary, ()) = tokio::join!(run, abort);
    assert_eq!(summary.stopped, Some(Stop::Abort));
    // The requests in flight when the abort came are recorded as interrupted (one
    // or two may have got their answer just in time: then they have their final
    // record).
    let first_records = out.records();
    let interrupted: Vec<_> = first_records
        .iter()
        .filter(|r| r.outcome == Outcome::Interrupted)
        .collect();
    assert!((1..=4).contains(&interrupted.len()), "{}", out.text());
    assert!(interrupted.iter().all(|r| r.attempts >= 1), "{}", out.text());
    let done_before =
        first_records.iter().filter(|r| r.outcome.is_final()).count() as u64;

    // Second run: --resume, to the end.
    let (_keep, stop) = no_stop();
    let second = job(log.clone(), Format::Common, out.recorded(), true);
    let summary = refire(second, &server, &limits, out.clone(), stop).await;
    assert_eq!(summary.stopped, None);
    assert_eq!(
        summary.resumed, done_before,
        "lines already done are not read again"
    );

    // Every chosen line has exactly one final record, over both runs.
    let records = out.records();
    let mut finals: BTreeMap<u64, &Record> = BTreeMap::new();
    for record in records.iter().filter(|r| r.outcome.is_final()) {
        assert!(
            finals.insert(record.line_no, record).is_none(),
            "two final records: {record}"
        );
    }
    assert_eq!(
        finals.keys().copied().collect::<Vec<_>>(),
        (1..=45).collect::<Vec<_>>()
    );
    // The server saw each item no more often than its records (interrupted ones
    // included) say, and at least as often as the final ones say.
    let mut recorded_max: BTreeMap<u64, u64> = BTreeMap::new();
    let mut recorded_min: BTreeMap<u64, u64> = BTreeMap::new();
    for record in &records {
        let id = item_id(&record.url);
        *recorded_max.entry(id).or_default() += u64::from(record.attempts);
        if record.outcome.is_final() {
            *recorded_min.entry(id).or_default() += u64::from(record.attempts);
        }
    }
    for id in 0..40 {
        let seen = server.requests_for(id);
        let (low, high) =
            (recorded_min.get(&id).copied().unwrap_or(0), recorded_max[&id]);
        assert!(
            (low..=high).contains(&seen),
            "id {id}: seen {seen}, records say {low}..={high}"
        );
    }
    // Lines 41 to 45 repeat earlier lines: recorded as duplicates, never sent.
    for line in 41..=45 {
        assert_eq!(finals[&line].outcome, Outcome::Duplicate);
    }
    server.shutdown().await;
}

/// A disk that stalls: the first write blocks this thread for `stall`.
struct SlowDisk {
    stall: Duration,
    stalled: bool,
    out: Shared,
}

impl Write for SlowDisk {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if !std::mem::replace(&mut self.stalled, true) {
            std::thread::sleep(self.stall);
        }
        self.out.write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_writer_that_blocks_does_not_stop_the_requests_in_flight() {
    // Each request takes 50 ms at the server, and may take 1 s in all. The disk
    // stalls for 3 s on the first record. If the requests waited for the writer,
    // their time would run out and they would need a second attempt; they do not.
    let server =
        start(Config::default().with_latency(Duration::from_millis(50))).await;
    let out = Shared::default();
    let disk = SlowDisk {
        stall: Duration::from_secs(3),
        stalled: false,
        out: out.clone(),
    };
    let (_keep, stop) = no_stop();
    let limits = limits(8, None, Duration::from_secs(1));
    let summary = refire(common_job(8), &server, &limits, disk, stop).await;
    let records = out.records();
    assert_eq!(records.len(), 8);
    assert!(
        records
            .iter()
            .all(|r| r.outcome == Outcome::Status(200) && r.attempts == 1),
        "{records:?}"
    );
    assert_eq!((summary.succeeded, server.stats().requests), (8, 8));
    server.shutdown().await;
}
