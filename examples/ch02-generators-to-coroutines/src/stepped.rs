//! Small programs for the step-throughs on other chapters' pages, run on this
//! chapter's event loop so that the loop itself records what it did (see
//! `traces`). Each one is the shape of a listing of that chapter: Chapter 1's
//! blocking call inside a task, Chapter 3's `select!` race; and the two small
//! programs of the scheduler game (`writers`, `handoff`). They print with
//! `trace::say`, which is `println!`, captured by a recording when one is on.
use std::cell::{Cell, RefCell};
use std::future::poll_fn;
use std::rc::Rc;
use std::task::{Poll, Waker};
use std::time::Duration;

use tokio::select;

use ch02_generators_to_coroutines::event_loop::trace::say;
use ch02_generators_to_coroutines::event_loop::{
    Clock, EventLoop, Report, block_thread, now, sleep,
};

const MS: Duration = Duration::from_millis(1);

// ANCHOR: blocked
/// A heartbeat due at 10 ms, and two requests that block the thread for 50 ms
/// each, like Chapter 1's `std::thread::sleep`, on one loop.
pub fn blocked() -> Report {
    let mut event_loop = EventLoop::new(Clock::virtual_time());
    event_loop.spawn(async {
        sleep(10 * MS).await;
        say(format!("heartbeat (due at 10 ms) at {} ms", now().as_millis()));
    });
    for id in 1..=2 {
        event_loop.spawn(async move {
            block_thread(50 * MS); // keeps the thread, as std::thread::sleep does
            say(format!("request {id} done at {} ms", now().as_millis()));
        });
    }
    event_loop.run()
}
// ANCHOR_END: blocked

// ANCHOR: job
/// Says so when a job is dropped before it finished: that is how a cancelled
/// future ends.
struct Guard {
    name: &'static str,
    finished: bool,
}

impl Drop for Guard {
    fn drop(&mut self) {
        if !self.finished {
            say(format!(
                "{}: dropped unfinished at {} ms",
                self.name,
                now().as_millis()
            ));
        }
    }
}

/// A job of `steps` steps of `step` each, saying when each step is done.
async fn job(name: &'static str, step: Duration, steps: u32) -> &'static str {
    let mut guard = Guard { name, finished: false };
    for i in 1..=steps {
        sleep(step).await;
        say(format!("{name}: step {i} of {steps} at {} ms", now().as_millis()));
    }
    guard.finished = true;
    name
}
// ANCHOR_END: job

// ANCHOR: race
/// Chapter 3's race, in one task: two steps of 100 ms against three of 80 ms.
pub fn race() -> Report {
    let mut event_loop = EventLoop::new(Clock::virtual_time());
    event_loop.spawn(async {
        let winner = select! {
            biased; // poll in the order written, so every run is the same
            name = job("fast", 100 * MS, 2) => name,
            name = job("slow", 80 * MS, 3) => name,
        }; // the loser is dropped here, in the middle of its step 3
        say(format!("{winner} won at {} ms", now().as_millis()));
    });
    event_loop.run()
}
// ANCHOR_END: race

// ANCHOR: writers
/// Two tasks add one to a shared counter. `a` reads it, waits 1 ms, then writes
/// what it read plus one; `b` waits 1 ms, then reads and writes at once. Both wake
/// at 1 ms: which of them the loop polls first decides what they write.
pub fn writers() -> Report {
    let counter = Rc::new(Cell::new(0u32));
    let mut event_loop = EventLoop::new(Clock::virtual_time());
    let c = Rc::clone(&counter);
    event_loop.spawn(async move {
        let seen = c.get();
        sleep(MS).await; // anything awaited between the read and the write
        c.set(seen + 1);
        say(format!("a wrote {}", seen + 1));
    });
    event_loop.spawn(async move {
        sleep(MS).await;
        counter.set(counter.get() + 1);
        say(format!("b wrote {}", counter.get()));
    });
    event_loop.run()
}
// ANCHOR_END: writers

// ANCHOR: signal
/// A one-time signal between two tasks of one loop: `wait` is Pending until
/// someone calls `set`, which wakes the waiting task.
#[derive(Default)]
pub struct Signal {
    is_set: Cell<bool>,
    waiter: RefCell<Option<Waker>>,
}

impl Signal {
    pub fn set(&self) {
        self.is_set.set(true);
        if let Some(waker) = self.waiter.take() {
            // ANCHOR_END: signal
            if FORGET_WAKE.get() {
                return; // the game's toggle: as if the next line were not there
            }
            // ANCHOR: signal
            waker.wake();
        }
    }

    pub async fn wait(&self) {
        poll_fn(|cx| {
            if self.is_set.get() {
                return Poll::Ready(());
            }
            *self.waiter.borrow_mut() = Some(cx.waker().clone());
            Poll::Pending
        })
        .await;
    }
}
// ANCHOR_END: signal

// ANCHOR: handoff
/// One task waits for the signal, the other sets it.
pub fn handoff() -> Report {
    let signal = Rc::new(Signal::default());
    let mut event_loop = EventLoop::new(Clock::virtual_time());
    let s = Rc::clone(&signal);
    event_loop.spawn(async move {
        s.wait().await;
        say("waiter: got the signal");
    });
    event_loop.spawn(async move {
        signal.set();
        say("setter: signal set");
    });
    event_loop.run()
}
// ANCHOR_END: handoff

thread_local! {
    /// The scheduler game's toggle: `Signal::set` forgets to wake the waiter.
    pub static FORGET_WAKE: Cell<bool> = const { Cell::new(false) };
}
