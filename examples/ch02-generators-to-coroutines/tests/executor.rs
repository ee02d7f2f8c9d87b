//! Claims about futures, wakers, `block_on` and the event loop (listings 04 to 06;
//! exercise 2 is in `exercises.rs`). Everything here is deterministic: event-loop
//! times are virtual and asserted exactly; poll counts are asserted, never
//! wall-clock durations. A test that would hang if a waker were never called runs
//! the blocking part on its own thread with a time limit, so a broken waker makes
//! it fail instead.
use std::cell::RefCell;
use std::collections::HashSet;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::sync::Arc;
use std::sync::mpsc::{self, Sender};
use std::task::{Context, Poll, Wake, Waker};
use std::thread;
use std::time::Duration;

use ch02_generators_to_coroutines::listings::block_on::{
    block_on, block_on_counting, in_thread,
};
use ch02_generators_to_coroutines::listings::event_loop::{
    Clock, EventLoop, Report, Sleep, TaskId, demo, many_sleepers, nap, now, sleep,
};
use ch02_generators_to_coroutines::listings::future_by_hand::{
    Delay, TwoNaps, two_naps,
};
use proptest::prelude::*;

const MS: Duration = Duration::from_millis(1);
/// Far longer than any wait here; reaching it means a waker was never called.
const LIMIT: Duration = Duration::from_secs(10);

/// Runs `f` on its own thread and returns its result, or fails the test after
/// `LIMIT`.
fn within_limit<T: Send + 'static>(
    what: &str,
    f: impl FnOnce() -> T + Send + 'static,
) -> T {
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(LIMIT).unwrap_or_else(|_| {
        panic!("{what} did not finish within {LIMIT:?}: was a waker lost?")
    })
}

/// A waker that reports each wake on a channel, so a test can wait for it (with a
/// limit).
struct Notify(Sender<()>);

impl Wake for Notify {
    fn wake(self: Arc<Self>) {
        let _ = self.0.send(());
    }
}

fn notify_waker() -> (Waker, mpsc::Receiver<()>) {
    let (tx, rx) = mpsc::channel();
    (Waker::from(Arc::new(Notify(tx))), rx)
}

// ---- Listing 04: a future by hand ----

#[test]
fn delay_is_polled_twice_and_ready_only_after_its_waker_is_called() {
    let (waker, wakes) = notify_waker();
    let mut cx = Context::from_waker(&waker);
    let mut delay = Delay::new(10 * MS);
    let mut delay = Pin::new(&mut delay);

    assert_eq!(
        delay.as_mut().poll(&mut cx),
        Poll::Pending,
        "the first poll only starts the timer"
    );
    wakes
        .recv_timeout(LIMIT)
        .expect("the timer thread calls the waker it was given");
    assert_eq!(
        delay.as_mut().poll(&mut cx),
        Poll::Ready(2),
        "after the wake, the second poll is Ready (and it reports 2 polls)"
    );
    assert!(wakes.try_recv().is_err(), "one timer, one wake");
}

#[test]
fn delay_wakes_the_waker_of_its_latest_poll() {
    let (old_waker, old_wakes) = notify_waker();
    let (new_waker, new_wakes) = notify_waker();
    let mut delay = Delay::new(300 * MS);
    let mut delay = Pin::new(&mut delay);

    assert!(delay.as_mut().poll(&mut Context::from_waker(&old_waker)).is_pending());
    // Polled again by a different task (or executor) before the deadline: only the
    // new waker may be called. (If this machine stalled for 300 ms, the delay is
    // simply Ready.)
    if delay.as_mut().poll(&mut Context::from_waker(&new_waker)).is_pending() {
        new_wakes.recv_timeout(LIMIT).expect("the latest waker is called");
        assert!(old_wakes.try_recv().is_err(), "the replaced waker is not called");
        assert_eq!(
            delay.as_mut().poll(&mut Context::from_waker(&new_waker)),
            Poll::Ready(3)
        );
    }
}

#[test]
fn the_hand_written_state_machine_steps_like_the_async_fn() {
    let (waker, wakes) = notify_waker();
    let mut cx = Context::from_waker(&waker);
    let mut state = TwoNaps::Start;

    assert!(Pin::new(&mut state).poll(&mut cx).is_pending());
    assert!(matches!(state, TwoNaps::First(_)), "paused at the first .await");
    wakes.recv_timeout(LIMIT).expect("the first delay wakes the task");

    assert!(Pin::new(&mut state).poll(&mut cx).is_pending());
    assert!(
        matches!(state, TwoNaps::Second { first: 2, .. }),
        "paused at the second .await, keeping the first result"
    );
    wakes.recv_timeout(LIMIT).expect("the second delay wakes the task");

    assert_eq!(Pin::new(&mut state).poll(&mut cx), Poll::Ready((2, 2)));
    assert!(matches!(state, TwoNaps::Done));

    let by_compiler = within_limit("two_naps()", || block_on_counting(two_naps()));
    let by_hand = within_limit("TwoNaps", || block_on_counting(TwoNaps::Start));
    assert_eq!(
        by_compiler,
        ((2, 2), 3),
        "3 polls: start, after wake 1, after wake 2"
    );
    assert_eq!(by_hand, by_compiler);
}

// ---- Listing 05: block_on ----

#[test]
fn block_on_finishes_a_future_woken_from_another_thread() {
    let (answer, polls) = within_limit("block_on(in_thread(..))", || {
        block_on_counting(in_thread(|| (1..=1000u64).sum::<u64>()))
    });
    assert_eq!(answer, 500_500);
    // One poll to start, one after the wake; `park` may (rarely) return early once.
    assert!((2..=3).contains(&polls), "polled {polls} times");
}

#[test]
fn block_on_sleeps_instead_of_spinning() {
    // A busy loop would poll a 50 ms delay thousands of times.
    let (delay_polls, polls) =
        within_limit("block_on(Delay)", || block_on_counting(Delay::new(50 * MS)));
    assert!(polls <= 3, "polled {polls} times");
    assert_eq!(delay_polls, polls, "the future saw every poll block_on made");
}

#[test]
fn block_on_polls_a_ready_future_once() {
    assert_eq!(block_on_counting(async { 6 * 7 }), (42, 1));
    assert_eq!(block_on(std::future::ready("done")), "done");
}

/// Pending once, after waking its task straight away (before `block_on` parks).
struct WakeSelfOnce(bool);

impl Future for WakeSelfOnce {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.0 {
            return Poll::Ready(());
        }
        self.0 = true;
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

#[test]
fn a_wake_before_block_on_parks_is_not_lost() {
    let ((), polls) = within_limit("block_on(WakeSelfOnce)", || {
        block_on_counting(WakeSelfOnce(false))
    });
    assert_eq!(polls, 2);
}

// ---- Listing 06: the event loop ----

fn finish_order(report: &Report) -> Vec<TaskId> {
    report.finished.iter().map(|&(id, _)| id).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    /// Whatever the sleeps, tasks finish in order of deadline (ties: in spawn
    /// order), each at exactly its own deadline on the virtual clock.
    #[test]
    fn tasks_finish_in_deadline_order(sleeps in prop::collection::vec(0u32..=100, 1..40)) {
        let mut event_loop = EventLoop::new(Clock::virtual_time());
        for &ms in &sleeps {
            event_loop.spawn(sleep(ms * MS));
        }
        let report = event_loop.run();

        let mut expected: Vec<(TaskId, Duration)> =
            sleeps.iter().enumerate().map(|(id, &ms)| (id, ms * MS)).collect();
        expected.sort_by_key(|&(id, at)| (at, id));
        prop_assert_eq!(report.finished, expected);
        prop_assert!(report.failed.is_empty() && report.stuck.is_empty());
    }
}

#[test]
fn ten_thousand_sleepers_finish_at_100_ms_of_virtual_time() {
    let report = many_sleepers(Clock::virtual_time(), 10_000);
    assert_eq!(report.finished.len(), 10_000);
    for &(id, at) in &report.finished {
        assert_eq!(at, nap(id), "task {id} wakes exactly at its deadline");
    }
    let last = report.finished.iter().map(|&(_, at)| at).max();
    assert_eq!(
        last,
        Some(100 * MS),
        "together they take as long as the longest sleep"
    );
}

#[test]
fn every_task_runs_on_the_thread_that_called_run() {
    let threads = Rc::new(RefCell::new(HashSet::new()));
    let mut event_loop = EventLoop::new(Clock::virtual_time());
    for i in 0..10_000u32 {
        // An Rc is not Send: a task of this loop may hold one, because it never
        // moves.
        let threads = Rc::clone(&threads);
        event_loop.spawn(async move {
            threads.borrow_mut().insert(thread::current().id());
            sleep((i % 100 + 1) * MS).await;
            threads.borrow_mut().insert(thread::current().id());
            assert_eq!(now(), (i % 100 + 1) * MS);
        });
    }
    let report = event_loop.run();
    assert_eq!(report.finished.len(), 10_000);
    assert!(report.failed.is_empty(), "{:?}", report.failed.first());
    assert_eq!(*threads.borrow(), HashSet::from([thread::current().id()]));
}

#[test]
fn the_real_clock_never_wakes_a_task_early_and_keeps_deadline_order() {
    // Real time: the only wall-clock claim is a lower bound, which holds on any
    // machine.
    let report = many_sleepers(Clock::real(), 300);
    assert_eq!(report.finished.len(), 300);
    for &(id, at) in &report.finished {
        assert!(
            at >= nap(id),
            "task {id} finished at {at:?}, before {:?}",
            nap(id)
        );
    }
    let mut by_deadline: Vec<TaskId> = (0..300).collect();
    by_deadline.sort_by_key(|&id| (nap(id), id));
    assert_eq!(finish_order(&report), by_deadline);
}

#[test]
fn a_panicking_task_is_reported_and_the_others_finish() {
    let report = demo();
    assert_eq!(report.finished, vec![(1, 10 * MS), (2, 20 * MS), (0, 30 * MS)]);
    assert_eq!(report.failed, vec![(3, 15 * MS, "out of coffee".to_string())]);
    assert!(report.stuck.is_empty());
}

#[test]
fn a_task_that_nobody_wakes_is_reported_stuck() {
    let mut event_loop = EventLoop::new(Clock::virtual_time());
    event_loop.spawn(sleep(5 * MS));
    event_loop.spawn(std::future::pending());
    let report = event_loop.run();
    assert_eq!(report.finished, vec![(0, 5 * MS)]);
    assert_eq!(report.stuck, vec![1]);
}

/// Polls the `Sleep` inside it `extra` more times before it is due (waking its own
/// task each time, as a `select!` loop or a `yield_now` would), then waits for it
/// normally.
struct PollOften {
    sleep: Pin<Box<Sleep>>,
    extra: u32,
}

impl Future for PollOften {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let ready = self.sleep.as_mut().poll(cx);
        if ready.is_pending() && self.extra > 0 {
            self.extra -= 1;
            cx.waker().wake_by_ref(); // come back at once, long before the deadline
        }
        ready
    }
}

#[test]
fn sleep_sets_its_timer_once_however_often_it_is_polled() {
    let mut event_loop = EventLoop::new(Clock::virtual_time());
    event_loop.spawn(PollOften { sleep: Box::pin(sleep(10 * MS)), extra: 5 });
    let report = event_loop.run();
    assert_eq!(report.finished, vec![(0, 10 * MS)]);
    assert_eq!(
        event_loop.timers_set(),
        1,
        "a Sleep polled 6 times before it is due sets one timer, not one per poll"
    );
}

#[test]
fn a_sleep_moved_to_another_task_sets_a_timer_for_that_task() {
    // The first task polls the sleep once (setting a timer with its waker), then
    // hands it to a second task, which must be woken at the deadline: that needs a
    // second timer.
    let moved: Rc<RefCell<Option<Pin<Box<Sleep>>>>> = Rc::new(RefCell::new(None));
    let mut event_loop = EventLoop::new(Clock::virtual_time());
    let handoff = Rc::clone(&moved);
    event_loop.spawn(std::future::poll_fn(move |cx| {
        let mut sleep = Box::pin(sleep(10 * MS));
        assert!(sleep.as_mut().poll(cx).is_pending());
        *handoff.borrow_mut() = Some(sleep);
        Poll::Ready(())
    }));
    event_loop.spawn(async move {
        yield_once().await; // let the first task run first
        let sleep = moved.borrow_mut().take().expect("the first task left it");
        sleep.await;
    });
    let report = event_loop.run();
    assert_eq!(report.finished, vec![(0, Duration::ZERO), (1, 10 * MS)]);
    assert_eq!(event_loop.timers_set(), 2);
}

/// Pending once, waking its own task: lets the other ready tasks go first.
async fn yield_once() {
    let mut yielded = false;
    std::future::poll_fn(|cx| {
        if yielded {
            Poll::Ready(())
        } else {
            yielded = true;
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    })
    .await
}
