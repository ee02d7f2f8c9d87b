//! The claims of the chapter's first five listings, asserted exactly (exercise 1's
//! are in `exercises.rs`).
//!
//! Async timing runs on tokio's paused clock: a 100 ms sleep takes exactly 100 ms
//! of virtual time, and the tests take no real time at all. Property tests build a
//! paused current-thread runtime for each generated case.
use std::collections::HashSet;
use std::thread;
use std::time::Duration;

use ch03_futures_and_tasks::listings::{
    first_completed, gather, lazy, runtimes, spawn,
};
use proptest::prelude::*;
use timeline::on_paused_clock;
use tokio::time::{Instant, sleep};

const MS: Duration = Duration::from_millis(1);

// ---- 01_lazy ----

#[test]
fn a_future_that_is_never_awaited_runs_nothing() {
    // Not even a runtime is needed to create (and drop) a future.
    assert_eq!(lazy::create_then_drop(), 0);
}

#[tokio::test(start_paused = true)]
async fn awaiting_a_future_runs_it_once() {
    assert_eq!(lazy::create_then_await().await, 1);
}

#[tokio::test(start_paused = true)]
async fn a_spawned_task_runs_without_being_awaited() {
    // On one thread it has not run right after the spawn; after one yield it has,
    // though its handle was dropped and never awaited.
    assert_eq!(lazy::spawn_then_yield().await, (0, 1));
}

// ---- 02_runtimes ----

#[test]
fn main_by_hand_runs_async_code_from_a_plain_function() {
    assert_eq!(runtimes::main_by_hand(), 3);
}

#[test]
fn a_current_thread_runtime_runs_every_task_on_the_calling_thread() {
    let threads = runtimes::threads_used(&runtimes::current_thread(), 8);
    assert_eq!(threads, HashSet::from([thread::current().id()]));
}

#[test]
fn a_multi_thread_runtime_runs_tasks_on_its_workers_only() {
    let threads = runtimes::threads_used(&runtimes::multi_thread(2), 8);
    assert!(
        (1..=2).contains(&threads.len()),
        "two workers, so one or two threads, not {}",
        threads.len()
    );
    assert!(
        !threads.contains(&thread::current().id()),
        "block_on's thread runs no spawned task on a multi-thread runtime"
    );
}

// ---- 03_spawn ----

#[tokio::test(start_paused = true)]
async fn is_finished_turns_true_exactly_when_the_task_ends() {
    let looks = [Duration::ZERO, 50 * MS, 99 * MS, 101 * MS, 150 * MS];
    let (seen, value, at) = spawn::watch(100 * MS, &looks).await;
    assert_eq!(seen, [false, false, false, true, true]);
    assert_eq!(value, 42);
    assert_eq!(at, 150 * MS, "awaiting a finished task gives its result at once");
}

#[tokio::test(start_paused = true)]
async fn awaiting_a_running_task_waits_until_it_ends() {
    let (seen, value, at) =
        spawn::watch(100 * MS, &[Duration::ZERO, 50 * MS]).await;
    assert_eq!(seen, [false, false]);
    assert_eq!((value, at), (42, 100 * MS));
}

#[tokio::test(start_paused = true)]
async fn a_panic_in_a_task_becomes_a_join_error_and_the_rest_goes_on() {
    let start = Instant::now();
    let (bad, good) = spawn::one_panics().await;
    let error = bad.expect_err("dividing by zero panics");
    assert!(error.is_panic());
    assert!(!error.is_cancelled());
    assert_eq!(
        spawn::panic_message(error).as_deref(),
        Some("attempt to divide by zero")
    );
    assert_eq!(good.expect("the other task is unharmed"), 25);
    assert_eq!(start.elapsed(), 20 * MS);
}

// ---- 04_gather ----

/// (id, start, end) of each span, and whether one thread ran them all.
fn times(spans: &[gather::Span]) -> (Vec<(u32, Duration, Duration)>, bool) {
    let threads: HashSet<&String> = spans.iter().map(|s| &s.1).collect();
    let times = spans.iter().map(|s| (s.0, s.2, s.3)).collect();
    (times, threads.len() == 1)
}

#[tokio::test(start_paused = true)]
async fn awaiting_one_after_another_takes_the_sum() {
    let one_after_another = vec![
        (1, Duration::ZERO, 100 * MS),
        (2, 100 * MS, 300 * MS),
        (3, 300 * MS, 600 * MS),
    ];
    let start = Instant::now();
    let spans = gather::sequential(gather::WAITS).await;
    assert_eq!(start.elapsed(), 600 * MS);
    assert_eq!(times(&spans), (one_after_another.clone(), true));

    // Creating the futures first changes nothing: each starts at its own `.await`.
    let start = Instant::now();
    let spans = gather::create_then_await_each(&gather::WAITS).await;
    assert_eq!(start.elapsed(), 600 * MS);
    assert_eq!(times(&spans), (one_after_another, true));
}

#[tokio::test(start_paused = true)]
async fn join_join_all_and_spawned_tasks_take_the_longest() {
    let all_at_once = vec![
        (1, Duration::ZERO, 100 * MS),
        (2, Duration::ZERO, 200 * MS),
        (3, Duration::ZERO, 300 * MS),
    ];
    let start = Instant::now();
    let spans = gather::joined(gather::WAITS).await;
    assert_eq!(start.elapsed(), 300 * MS, "join!");
    assert_eq!(times(&spans), (all_at_once.clone(), true), "join!");

    let start = Instant::now();
    let spans = gather::gathered(&gather::WAITS).await;
    assert_eq!(start.elapsed(), 300 * MS, "join_all");
    assert_eq!(times(&spans), (all_at_once.clone(), true), "join_all");

    let start = Instant::now();
    let spans = gather::spawn_then_await_each(&gather::WAITS).await;
    assert_eq!(start.elapsed(), 300 * MS, "spawn, then await each");
    assert_eq!(times(&spans), (all_at_once, true), "spawn, then await each");
}

/// Runs `run` on a fresh paused runtime; returns its spans and how long it took.
fn timed<F: Future<Output = Vec<gather::Span>>>(
    run: F,
) -> (Vec<gather::Span>, Duration) {
    on_paused_clock(async {
        let start = Instant::now();
        let spans = run.await;
        (spans, start.elapsed())
    })
}

proptest! {
    /// For any three waits: one after another takes the sum, joined takes the
    /// longest, and every job lasts exactly its wait.
    #[test]
    fn sequential_takes_the_sum_joined_the_longest(
        ms in prop::array::uniform3(0u64..1000),
    ) {
        let waits = ms.map(Duration::from_millis);
        let sum: Duration = waits.iter().sum();
        let max = waits.iter().copied().max().unwrap_or_default();
        let runs = [
            ("sequential", timed(gather::sequential(waits)), sum),
            ("create, then await each", timed(gather::create_then_await_each(&waits)), sum),
            ("join!", timed(gather::joined(waits)), max),
            ("join_all", timed(gather::gathered(&waits)), max),
            ("spawn, then await each", timed(gather::spawn_then_await_each(&waits)), max),
        ];
        for (name, (spans, took), expected) in runs {
            prop_assert_eq!(took, expected, "{}", name);
            prop_assert_eq!(spans.iter().map(|s| s.0).collect::<Vec<_>>(), vec![1, 2, 3]);
            for (span, wait) in spans.iter().zip(waits) {
                prop_assert_eq!(span.3 - span.2, wait, "{}: job {} lasts its wait", name, span.0);
            }
        }
    }
}

// ---- 05_first_completed ----

#[tokio::test(start_paused = true)]
async fn select_returns_the_first_at_its_time_and_drops_the_loser() {
    let log = first_completed::Log::default();
    assert_eq!(first_completed::race(&log).await, ("fast", 100 * MS));
    let expected =
        ["fast: finished at 100 ms", "slow: dropped unfinished at 100 ms"];
    assert_eq!(*log.borrow(), expected);
    // The loser is gone for good: nothing more happens when its 300 ms would be up.
    sleep(1000 * MS).await;
    assert_eq!(*log.borrow(), expected);
}

#[tokio::test(start_paused = true)]
async fn timeout_fires_at_exactly_its_deadline_and_drops_the_work() {
    let log = first_completed::Log::default();
    let (result, at) = first_completed::with_limit(200 * MS, 500 * MS, &log).await;
    assert!(result.is_err(), "500 ms of work with a 200 ms limit: {result:?}");
    assert_eq!(at, 200 * MS);
    assert_eq!(*log.borrow(), ["work: dropped unfinished at 200 ms"]);
}

#[tokio::test(start_paused = true)]
async fn timeout_passes_a_faster_result_through() {
    let log = first_completed::Log::default();
    let (result, at) = first_completed::with_limit(200 * MS, 100 * MS, &log).await;
    assert_eq!(result.ok(), Some("work"));
    assert_eq!(at, 100 * MS);
    assert_eq!(*log.borrow(), ["work: finished at 100 ms"]);
}

proptest! {
    /// FuturesUnordered yields each job as it finishes, at exactly its wait: sorted
    /// by wait, not by submission. Waits are drawn from a small range so that ties
    /// are common; tied jobs come out in submission order.
    #[test]
    fn futures_unordered_yields_in_completion_order(
        ms in prop::collection::vec(0u64..20, 0..12),
    ) {
        let waits: Vec<Duration> = ms.into_iter().map(Duration::from_millis).collect();
        let done = on_paused_clock(first_completed::as_completed(&waits));
        let mut expected: Vec<(u32, Duration)> = (1..).zip(waits.iter().copied()).collect();
        expected.sort_by_key(|&(id, wait)| (wait, id));
        prop_assert_eq!(done, expected);
    }
}

/// The runtimes page says: leave out `enable_all()` and the first `sleep` panics,
/// because the runtime has no timer driver.
#[test]
#[should_panic(expected = "timers are disabled")]
fn a_runtime_built_without_enable_all_panics_at_the_first_sleep() {
    let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
    runtime.block_on(async { sleep(MS).await });
}
