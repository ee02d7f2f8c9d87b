//! Claims about errors among many, cancellation and structured concurrency
//! (listings 06 to 08). Every test runs on tokio's paused clock, so each time is
//! virtual and asserted exactly. What a job did is read from its listing's log,
//! whose drop guards note every job that was dropped before it finished; a test
//! reads the log right after the call returns, without yielding, so "before it
//! returns" means exactly that.
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll, Wake, Waker};
use std::time::Duration;

use ch03_futures_and_tasks::listings::{cancellation, errors, structured};
use proptest::prelude::*;
use timeline::on_paused_clock;
use tokio::time::{Instant, sleep};

const MS: Duration = Duration::from_millis(1);

/// The log's lines without the padding that right-aligns their times.
fn trimmed(lines: Vec<String>) -> Vec<String> {
    lines.into_iter().map(|l| l.trim_start().to_string()).collect()
}

// ---- Listing 06: errors among many ----

#[tokio::test(start_paused = true)]
async fn join_all_lets_every_job_finish_and_returns_every_result() {
    let log = errors::Log::starting_now();
    let start = Instant::now();
    let results = errors::collect_every_result(&log).await;
    assert_eq!(results, vec![Ok(10), Err("job 2 failed".to_string()), Ok(30)]);
    assert_eq!(start.elapsed(), 300 * MS, "it waits for the slowest job");
    assert_eq!(
        trimmed(log.lines()),
        [
            "100 ms: job 1 finished",
            "200 ms: job 2 failed",
            "300 ms: job 3 finished"
        ]
    );
}

#[tokio::test(start_paused = true)]
async fn try_join_all_returns_the_first_error_and_drops_the_unfinished_jobs() {
    let log = errors::Log::starting_now();
    let start = Instant::now();
    let result = errors::stop_at_first_error(&log).await;
    assert_eq!(result, Err("job 2 failed".to_string()));
    assert_eq!(start.elapsed(), 200 * MS, "it returns when job 2 fails");
    let expected = [
        "100 ms: job 1 finished",
        "200 ms: job 2 failed",
        "200 ms: job 3 dropped before finishing",
    ];
    assert_eq!(
        trimmed(log.lines()),
        expected,
        "job 3's guard ran before the return"
    );

    // Unlike a task left behind by Python's `gather`, job 3 never runs again.
    sleep(Duration::from_secs(1)).await;
    assert_eq!(trimmed(log.lines()), expected, "nothing happened later");
}

#[tokio::test(start_paused = true)]
async fn try_join_macro_also_drops_the_unfinished_jobs() {
    let log = errors::Log::starting_now();
    let result = errors::stop_at_first_error_macro(&log).await;
    assert_eq!(result, Err("job 2 failed".to_string()));
    sleep(Duration::from_secs(1)).await;
    assert_eq!(
        trimmed(log.lines()),
        [
            "100 ms: job 1 finished",
            "200 ms: job 2 failed",
            "200 ms: job 3 dropped before finishing",
        ]
    );
}

// ---- Listing 07: cancellation ----

#[tokio::test(start_paused = true)]
async fn a_dropped_future_stops_at_its_await_and_its_drop_guard_runs() {
    let log = cancellation::Log::starting_now();
    cancellation::drop_a_future(&log).await;
    let expected = [
        "0 ms: step 1 starts",
        "100 ms: step 2 starts",
        "150 ms: dropping the future",
        "150 ms: drop guard: dropped before finishing",
    ];
    assert_eq!(trimmed(log.lines()), expected);
    sleep(Duration::from_secs(1)).await;
    assert_eq!(trimmed(log.lines()), expected, "step 3 never starts");
}

#[tokio::test(start_paused = true)]
async fn an_aborted_task_runs_its_destructors_and_its_handle_says_cancelled() {
    let log = cancellation::Log::starting_now();
    let cancelled = cancellation::abort_a_task(&log).await;
    assert!(cancelled, "awaiting the handle gives a JoinError with is_cancelled()");
    let expected = [
        "0 ms: step 1 starts",
        "100 ms: step 2 starts",
        "150 ms: aborting the task",
        "150 ms: drop guard: dropped before finishing",
        "150 ms: the handle says: JoinError, is_cancelled() is true",
    ];
    assert_eq!(trimmed(log.lines()), expected);
    sleep(Duration::from_secs(1)).await;
    assert_eq!(trimmed(log.lines()), expected, "step 3 never starts");
}

/// The case the book prints: 10 waiting messages, 30 ms to save each, a heartbeat
/// every 100 ms. The heartbeats at 100 and 200 ms fall in the saves of messages 3
/// and 7.
#[tokio::test(start_paused = true)]
async fn the_broken_loop_loses_the_messages_it_was_saving_when_the_heartbeat_won() {
    let (save, tick) = (30 * MS, 100 * MS);
    let start = Instant::now();
    let saved =
        cancellation::broken_loop(cancellation::full_channel(10), save, tick).await;
    assert_eq!(saved, [0, 1, 2, 4, 5, 6, 8, 9]);
    assert_eq!(
        start.elapsed(),
        260 * MS,
        "it saved 8 messages, after losing 2 (20 ms each)"
    );
}

#[tokio::test(start_paused = true)]
async fn the_fixed_loop_saves_every_message() {
    let (save, tick) = (30 * MS, 100 * MS);
    let start = Instant::now();
    let saved =
        cancellation::fixed_loop(cancellation::full_channel(10), save, tick).await;
    assert_eq!(saved, (0..10).collect::<Vec<_>>());
    assert_eq!(
        start.elapsed(),
        300 * MS,
        "ten saves of 30 ms, one after the other"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// Whenever a heartbeat falls within the saving (which takes `count * save` if
    /// nothing is lost), the broken loop loses a message; what it does save is in
    /// order, once each.
    #[test]
    fn the_broken_loop_loses_a_message_whenever_a_heartbeat_falls_in_the_work(
        (count, save_ms, tick_ms) in (1u32..40, 1u32..50)
            .prop_flat_map(|(count, save)| (Just(count), Just(save), 1..=count * save))
    ) {
        let saved = on_paused_clock(cancellation::broken_loop(
            cancellation::full_channel(count),
            save_ms * MS,
            tick_ms * MS,
        ));
        prop_assert!(saved.len() < count as usize, "saved all {count}: {saved:?}");
        prop_assert!(saved.windows(2).all(|pair| pair[0] < pair[1]), "{saved:?}");
        prop_assert!(saved.iter().all(|&message| message < count));
    }

    /// The fixed loop saves all `count` messages, in order, whatever the timing.
    #[test]
    fn the_fixed_loop_saves_every_one_of_n_messages(
        count in 0u32..40,
        save_ms in 1u32..50,
        tick_ms in 1u32..200,
    ) {
        let saved = on_paused_clock(cancellation::fixed_loop(
            cancellation::full_channel(count),
            save_ms * MS,
            tick_ms * MS,
        ));
        prop_assert_eq!(saved, (0..count).collect::<Vec<_>>());
    }
}

// ---- Listing 08: structured concurrency ----

#[tokio::test(start_paused = true)]
async fn the_nursery_waits_for_every_task() {
    let log = structured::Log::starting_now();
    let start = Instant::now();
    let result = structured::nursery(None, &log).await;
    assert_eq!(result, Ok(vec![10, 20, 30]));
    assert_eq!(start.elapsed(), 300 * MS);
    assert_eq!(
        trimmed(log.lines()),
        [
            "100 ms: job 1 finished",
            "200 ms: job 2 finished",
            "300 ms: job 3 finished"
        ]
    );
}

#[tokio::test(start_paused = true)]
async fn the_nursery_cancels_the_others_on_the_first_error_before_it_returns() {
    let log = structured::Log::starting_now();
    let start = Instant::now();
    let result = structured::nursery(Some(2), &log).await;
    assert_eq!(result, Err("job 2 failed".to_string()));
    assert_eq!(start.elapsed(), 200 * MS);
    let expected = [
        "100 ms: job 1 finished",
        "200 ms: job 2 failed",
        "200 ms: job 3 dropped before finishing",
    ];
    // Read at once, without yielding to the runtime: nothing outlived the call.
    assert_eq!(trimmed(log.lines()), expected);
    sleep(Duration::from_secs(1)).await;
    assert_eq!(trimmed(log.lines()), expected, "job 3 never finishes");
}

#[tokio::test(start_paused = true)]
async fn the_nursery_cancels_the_rest_whichever_job_fails_first() {
    let log = structured::Log::starting_now();
    let result = structured::nursery(Some(1), &log).await;
    assert_eq!(result, Err("job 1 failed".to_string()));
    assert_eq!(
        trimmed(log.lines()),
        [
            "100 ms: job 1 failed",
            "100 ms: job 2 dropped before finishing",
            "100 ms: job 3 dropped before finishing",
        ]
    );
}

#[tokio::test(start_paused = true)]
async fn a_spawned_save_finishes_although_its_caller_was_cancelled() {
    let log = structured::Log::starting_now();
    structured::cancel_the_caller(true, &log).await;
    assert_eq!(
        trimmed(log.lines()),
        [
            "100 ms: the caller was cancelled by its timeout",
            "300 ms: the save finished"
        ]
    );
}

#[tokio::test(start_paused = true)]
async fn an_awaited_save_is_cancelled_with_its_caller() {
    let log = structured::Log::starting_now();
    structured::cancel_the_caller(false, &log).await;
    assert_eq!(
        trimmed(log.lines()),
        [
            "100 ms: the save dropped before finishing",
            "100 ms: the caller was cancelled by its timeout",
        ]
    );
}

// ---- first-completed.md: a dropped `Sleep` takes its timer with it ----

/// Polls `inner`, counting every time its task is woken.
struct CountWakes<F> {
    inner: Pin<Box<F>>,
    wakes: Arc<AtomicUsize>,
}

struct Counting {
    waker: Waker,
    wakes: Arc<AtomicUsize>,
}

impl Wake for Counting {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }
    fn wake_by_ref(self: &Arc<Self>) {
        self.wakes.fetch_add(1, Ordering::SeqCst);
        self.waker.wake_by_ref();
    }
}

impl<F: Future> Future for CountWakes<F> {
    type Output = F::Output;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let counting = Arc::new(Counting {
            waker: cx.waker().clone(),
            wakes: Arc::clone(&self.wakes),
        });
        let waker = Waker::from(counting);
        self.inner.as_mut().poll(&mut Context::from_waker(&waker))
    }
}

/// How many times a task is woken while it races a 100 ms sleep against a 300 ms
/// one and then sleeps 500 ms more; `keep` keeps the losing sleep alive meanwhile.
async fn wakes_of_a_race(keep: bool) -> usize {
    let wakes = Arc::default();
    let race = async move {
        let mut losing = Box::pin(sleep(300 * MS));
        tokio::select! {
            biased;
            () = sleep(100 * MS) => {}
            () = &mut losing => {}
        }
        if !keep {
            drop(losing);
        }
        sleep(500 * MS).await;
    };
    CountWakes { inner: Box::pin(race), wakes: Arc::clone(&wakes) }.await;
    wakes.load(Ordering::SeqCst)
}

/// The page says tokio's `Sleep` takes its timer out when it is dropped: dropped,
/// the losing sleep never wakes the task (woken at 100 ms and at 600 ms only);
/// kept alive, it does (at 300 ms too), which shows the count would tell.
#[tokio::test(start_paused = true)]
async fn a_dropped_tokio_sleep_never_wakes_its_task() {
    assert_eq!(wakes_of_a_race(false).await, 2);
    assert_eq!(wakes_of_a_race(true).await, 3);
}
