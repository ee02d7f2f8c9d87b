//! Claims about one-shot values, events, queues and backpressure (listing 09), and
//! sync code meeting async code (listing 10); exercise 2's worker pool is in
//! `exercises.rs`. Times are virtual (tokio's paused clock) and asserted exactly;
//! listing 10 runs on real time, so its tests check only the order of events and
//! what was returned, never a duration.
use std::panic::{self, AssertUnwindSafe};
use std::time::Duration;

use ch03_futures_and_tasks::listings::{channels, sync_async};
use proptest::prelude::*;
use timeline::on_paused_clock;
use tokio::time::Instant;

const MS: Duration = Duration::from_millis(1);

/// The log's lines without the padding that right-aligns their times.
fn trimmed(lines: Vec<String>) -> Vec<String> {
    lines.into_iter().map(|l| l.trim_start().to_string()).collect()
}

// ---- Listing 09: oneshot, watch and Notify ----

#[tokio::test(start_paused = true)]
async fn a_oneshot_delivers_the_value_another_task_sends() {
    let start = Instant::now();
    assert_eq!(channels::promise(true).await, Ok(42));
    assert_eq!(start.elapsed(), 100 * MS);
}

#[tokio::test(start_paused = true)]
async fn a_oneshot_whose_sender_is_dropped_gives_an_error_instead_of_hanging() {
    let start = Instant::now();
    assert!(channels::promise(false).await.is_err());
    assert_eq!(
        start.elapsed(),
        100 * MS,
        "the error comes when the sender is dropped"
    );
}

#[tokio::test(start_paused = true)]
async fn a_late_waiter_on_watch_sees_the_event_at_once() {
    let log = channels::Log::starting_now();
    assert!(channels::watch_event(&log).await);
    assert_eq!(
        trimmed(log.lines()),
        [
            "100 ms: watch: set",
            "100 ms: watch: the early waiter woke",
            "200 ms: watch: the late waiter saw the event: true",
        ]
    );
}

#[tokio::test(start_paused = true)]
async fn a_late_waiter_on_notify_waiters_misses_the_earlier_notification() {
    let log = channels::Log::starting_now();
    assert!(!channels::notify_event(&log).await);
    assert_eq!(
        trimmed(log.lines()),
        [
            "100 ms: Notify: notify_waiters()",
            "100 ms: Notify: the early waiter woke",
            "300 ms: Notify: the late waiter saw the event: false",
        ]
    );
}

// ---- Listing 09: queues ----

#[tokio::test(start_paused = true)]
async fn the_queue_delivers_in_arrival_order_and_closes_after_the_last_producer() {
    let start = Instant::now();
    let received = channels::queue(3, 3).await;
    // Producer p sends every 10 + 15p ms: at 10, 20, 30; 25, 50, 75; 40, 80, 120
    // ms.
    assert_eq!(
        received,
        [(0, 0), (0, 1), (1, 0), (0, 2), (2, 0), (1, 1), (1, 2), (2, 1), (2, 2)]
    );
    assert_eq!(start.elapsed(), 120 * MS);
}

#[tokio::test(start_paused = true)]
async fn a_bounded_channel_makes_the_fast_producer_wait_for_the_consumer() {
    let report = channels::backpressure(2, 6, 100 * MS).await;
    assert_eq!(report.sent_at, [0, 0, 0, 100, 200, 300].map(|ms| ms * MS));
    assert_eq!(report.max_queued, 2);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Whatever the number of producers and items, the consumer gets every item
    /// exactly once, each producer's items in the order it sent them, and the loop
    /// ends when the last producer finishes.
    #[test]
    fn the_consumer_receives_every_item_exactly_once(
        producers in 0usize..8,
        items in 0usize..20,
    ) {
        let (received, elapsed) = on_paused_clock(async {
            let start = Instant::now();
            let received = channels::queue(producers, items).await;
            (received, start.elapsed())
        });
        let mut sorted = received.clone();
        sorted.sort();
        let expected: Vec<(usize, usize)> = (0..producers)
            .flat_map(|p| (0..items).map(move |i| (p, i)))
            .collect();
        prop_assert_eq!(sorted, expected, "each item exactly once");
        for p in 0..producers {
            let order: Vec<usize> =
                received.iter().filter(|(q, _)| *q == p).map(|(_, i)| *i).collect();
            prop_assert_eq!(order, (0..items).collect::<Vec<_>>(), "producer {}'s order", p);
        }
        let last = if producers == 0 || items == 0 {
            Duration::ZERO
        } else {
            (10 + 15 * (producers as u32 - 1)) * MS * items as u32
        };
        prop_assert_eq!(elapsed, last);
    }

    /// A bounded channel never holds more than its capacity; the producer runs
    /// ahead by exactly `capacity` items and then sends one item each time the
    /// consumer takes one.
    #[test]
    fn a_bounded_channel_never_holds_more_than_its_capacity(
        capacity in 1usize..8,
        items in 0usize..30,
        work_ms in 1u32..50,
    ) {
        let work = work_ms * MS;
        let report = on_paused_clock(channels::backpressure(capacity, items, work));
        prop_assert!(report.max_queued <= capacity);
        prop_assert_eq!(report.max_queued, items.min(capacity), "the producer fills it at once");
        let expected: Vec<Duration> = (0..items)
            .map(|k| work * k.saturating_sub(capacity) as u32)
            .collect();
        prop_assert_eq!(report.sent_at, expected);
    }
}

// ---- Listing 10: sync and async together (real time; only order and values) ----

#[test]
fn a_blocking_call_in_spawn_blocking_leaves_the_runtime_free_to_tick() {
    let printed =
        sync_async::runtime().block_on(sync_async::blocking_beside_a_ticker(3));
    assert_eq!(
        printed,
        [
            "ticker: tick 1",
            "ticker: tick 2",
            "ticker: tick 3",
            "the blocking call returned after 3 ticks",
        ]
    );
}

#[test]
fn sync_code_on_a_blocking_thread_can_call_async_code_through_a_handle() {
    let runtime = sync_async::runtime();
    let value = runtime.block_on(async {
        let handle = tokio::runtime::Handle::current();
        tokio::task::spawn_blocking(move || sync_async::sync_lookup(&handle, 4))
            .await
    });
    assert_eq!(value.expect("sync_lookup does not panic"), 400);
}

#[test]
fn blocking_on_the_runtime_from_its_own_async_code_panics() {
    let runtime = sync_async::runtime();
    let outcome = runtime.block_on(async {
        let handle = tokio::runtime::Handle::current();
        panic::catch_unwind(AssertUnwindSafe(|| {
            sync_async::sync_lookup(&handle, 5)
        }))
    });
    assert!(
        outcome.is_err(),
        "tokio refuses to block a thread that runs its tasks"
    );
}
