//! The chapter's claims, asserted exactly. Async timing runs on tokio's paused
//! clock, where a 50 ms sleep takes exactly 50 ms of virtual time and the test
//! takes no real time at all.
use std::collections::HashSet;
use std::time::{Duration, Instant};

use ch01_concurrent_vs_parallel::listings::{
    async_tasks, blocking, cpu, scale, sequential, threads,
};

const MS: Duration = Duration::from_millis(1);

type Span = (u32, String, Duration, Duration);

fn thread_count(spans: &[Span]) -> usize {
    spans.iter().map(|s| &s.1).collect::<HashSet<_>>().len()
}

/// Sorted by start, each span starts no earlier than the one before it ended.
fn one_at_a_time(spans: &[Span]) -> bool {
    let mut sorted = spans.to_vec();
    sorted.sort_by_key(|s| s.2);
    sorted.windows(2).all(|w| w[1].2 >= w[0].3)
}

#[tokio::test(start_paused = true)]
async fn sequential_requests_take_the_sum_of_their_waits() {
    let spans = sequential::run(10, 50 * MS).await;
    assert_eq!(spans.len(), 10);
    for (i, span) in spans.iter().enumerate() {
        assert_eq!(
            span.2,
            50 * MS * i as u32,
            "request {i} starts when the one before ends"
        );
        assert_eq!(span.3, 50 * MS * (i as u32 + 1));
    }
    assert_eq!(spans[9].3, 500 * MS);
}

#[tokio::test(start_paused = true)]
async fn async_tasks_wait_together_on_one_thread() {
    let start = tokio::time::Instant::now();
    let spans = async_tasks::run(10, 50 * MS).await;
    assert_eq!(start.elapsed(), 50 * MS, "ten 50 ms waits as tasks take 50 ms");
    assert!(spans.iter().all(|s| s.2 == Duration::ZERO && s.3 == 50 * MS));
    assert_eq!(thread_count(&spans), 1, "a current-thread runtime uses one thread");
    assert_eq!(
        spans.iter().map(|s| s.0).collect::<Vec<_>>(),
        (0..10).collect::<Vec<_>>()
    );
}

#[test]
fn threads_give_each_request_its_own_thread() {
    let spans = threads::run(10, 50 * MS).unwrap();
    assert_eq!(spans.len(), 10);
    assert_eq!(thread_count(&spans), 10);
}

#[test]
fn cpu_work_on_one_async_thread_runs_one_job_at_a_time() {
    let results = cpu::async_one_thread(Instant::now());
    let spans: Vec<Span> = results.into_iter().map(|(_, s)| s).collect();
    assert_eq!(thread_count(&spans), 1);
    assert!(
        one_at_a_time(&spans),
        "a task that never awaits never lets another run"
    );
}

#[test]
fn every_cpu_strategy_computes_the_same_counts() {
    let counts = |results: Vec<(u64, Span)>| {
        let mut v: Vec<(u32, u64)> =
            results.into_iter().map(|(p, s)| (s.0, p)).collect();
        v.sort_unstable();
        v
    };
    let expected = counts(cpu::sequential(Instant::now()));
    assert_eq!(expected.len(), cpu::JOBS as usize);
    assert_eq!(counts(cpu::async_one_thread(Instant::now())), expected);
    assert_eq!(counts(cpu::threads(Instant::now())), expected);
    assert_eq!(counts(cpu::rayon(Instant::now())), expected);
}

/// A blocking sleep does not move the paused clock, so this claim is checked by
/// order.
#[tokio::test]
async fn a_blocking_call_makes_tasks_run_one_at_a_time() {
    let spans = blocking::run(blocking::blocked_request).await;
    assert_eq!(thread_count(&spans), 1);
    assert!(one_at_a_time(&spans));
    assert!(!blocking::overlapped(&spans));
}

/// The most tasks whose spans overlap at any one moment.
fn max_overlap(spans: &[Span]) -> usize {
    spans
        .iter()
        .map(|at| spans.iter().filter(|s| s.2 <= at.2 && at.2 < s.3).count())
        .max()
        .unwrap_or(0)
}

/// On a multi-thread runtime, a blocking call holds one worker: never more tasks
/// run at once than there are workers, however many are waiting.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_two_workers_blocking_tasks_run_at_most_two_at_a_time() {
    let spans = blocking::run(blocking::blocked_request).await;
    assert_eq!(spans.len(), 10);
    assert!(max_overlap(&spans) <= 2, "overlap was {}", max_overlap(&spans));
}

#[tokio::test(start_paused = true)]
async fn fix_1_async_sleep_overlaps_and_takes_one_wait() {
    let start = tokio::time::Instant::now();
    let spans = blocking::run(blocking::async_request).await;
    assert_eq!(start.elapsed(), 50 * MS);
    assert!(blocking::overlapped(&spans));
}

#[tokio::test]
async fn fix_2_spawn_blocking_overlaps() {
    let spans = blocking::run(blocking::offloaded_request).await;
    assert!(blocking::overlapped(&spans));
    assert!(!one_at_a_time(&spans));
}

#[test]
fn the_scale_listing_really_has_them_all_waiting() {
    assert_eq!(scale::tasks(1_000).count, 1_000);
    assert_eq!(scale::threads(100).unwrap().count, 100);
}
