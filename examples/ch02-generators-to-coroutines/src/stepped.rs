//! Small programs for the step-throughs on other chapters' pages, run on this
//! chapter's event loop so that the loop itself records what it did (see
//! `traces`). Each one is the shape of a listing of that chapter: Chapter 1's
//! blocking call inside a task, Chapter 3's `select!` race. They print with
//! `trace::say`, which is `println!` that the recording also sees.
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
