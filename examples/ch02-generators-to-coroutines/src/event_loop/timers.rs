//! Step 2: timers, kept in a heap by deadline, and the running loop's timers for
//! `sleep`.
use std::cell::RefCell;
use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;
use std::rc::Rc;
use std::task::Waker;
use std::time::Duration;

use ch02_generators_to_coroutines::event_loop::clock::Clock;
use ch02_generators_to_coroutines::event_loop::trace::{self, Cause};

// ANCHOR: timer
/// An alarm: at `deadline`, call `waker`. Timers with equal deadlines go off in the
/// order they were set (`seq`), so the loop is deterministic.
struct Timer {
    deadline: Duration,
    seq: u64,
    waker: Waker,
}

/// The loop's timekeeping: its clock and a heap of timers, earliest deadline on top
/// (asyncio's `loop._scheduled`, a `heapq` of `TimerHandle`s).
pub struct Timers {
    pub clock: Clock,
    heap: BinaryHeap<Reverse<Timer>>,
    next_seq: u64,
}
// ANCHOR_END: timer

// ANCHOR: timers
impl Timers {
    pub fn add(&mut self, deadline: Duration, waker: Waker) {
        // ANCHOR_END: timers
        trace::timer_set(self.clock.now(), deadline); // (for the traces)
        // ANCHOR: timers
        let seq = self.next_seq;
        self.next_seq += 1;
        self.heap.push(Reverse(Timer { deadline, seq, waker }));
    }

    /// The earliest deadline, if any timer is set.
    pub fn next_deadline(&self) -> Option<Duration> {
        self.heap.peek().map(|Reverse(timer)| timer.deadline)
    }

    /// Wakes every task whose timer has gone off by now, earliest first.
    pub fn wake_due(&mut self) {
        let now = self.clock.now();
        // ANCHOR_END: timers
        let _by = trace::waking(Cause::Timer, Some(now)); // (for the traces)
        // ANCHOR: timers
        while self.heap.peek().is_some_and(|Reverse(t)| t.deadline <= now) {
            if let Some(Reverse(timer)) = self.heap.pop() {
                timer.waker.wake(); // puts its task back on the ready queue
            }
        }
    }
}
// ANCHOR_END: timers

impl Timers {
    pub fn new(clock: Clock) -> Self {
        Timers { clock, heap: BinaryHeap::new(), next_seq: 0 }
    }

    /// How many timers were ever set (the tests check that `sleep` sets only one).
    pub fn set_so_far(&self) -> u64 {
        self.next_seq
    }
}

// ANCHOR: running
thread_local! {
    /// The timers of the loop running on this thread, so that `sleep` can find them
    /// (asyncio's `get_running_loop()`).
    pub static RUNNING: RefCell<Option<Rc<RefCell<Timers>>>> =
        const { RefCell::new(None) };
}

pub fn with_timers<R>(f: impl FnOnce(&mut Timers) -> R) -> R {
    RUNNING.with_borrow(|running| {
        let timers = running
            .as_ref()
            .expect("only a task of a running EventLoop can use timers");
        f(&mut timers.borrow_mut())
    })
}
// ANCHOR_END: running

// Timers are ordered by deadline, then by the order they were set; the waker plays
// no part.
impl Ord for Timer {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.deadline, self.seq).cmp(&(other.deadline, other.seq))
    }
}
impl PartialOrd for Timer {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl PartialEq for Timer {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Timer {}
