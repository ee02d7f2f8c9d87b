//! Step 1: the loop's clock, real or virtual.
use std::thread;
use std::time::{Duration, Instant};

// ANCHOR: clock
/// Where the loop gets its time. Times are durations since the clock started.
pub enum Clock {
    /// Wall-clock time: waiting for a deadline really sleeps the thread.
    Real(Instant),
    /// Virtual time: waiting jumps straight to the deadline (tokio's paused clock).
    Virtual(Duration),
}

impl Clock {
    pub fn real() -> Self {
        Clock::Real(Instant::now())
    }

    pub fn virtual_time() -> Self {
        Clock::Virtual(Duration::ZERO)
    }

    pub fn now(&self) -> Duration {
        match self {
            Clock::Real(start) => start.elapsed(),
            Clock::Virtual(now) => *now,
        }
    }

    pub fn wait_until(&mut self, deadline: Duration) {
        match self {
            Clock::Real(start) => {
                thread::sleep(deadline.saturating_sub(start.elapsed()))
            }
            Clock::Virtual(now) => *now = (*now).max(deadline),
        }
    }
}
// ANCHOR_END: clock

impl Clock {
    /// How long the thread should block to wait for `deadline`: none at all on a
    /// virtual clock, which jumps instead (see `wait_for_events`).
    pub fn time_until(&self, deadline: Duration) -> Duration {
        match self {
            Clock::Real(start) => deadline.saturating_sub(start.elapsed()),
            Clock::Virtual(_) => Duration::ZERO,
        }
    }

    /// Holds the thread for `duration`, as a blocking call does: on the real clock
    /// it sleeps the thread; on the virtual clock the time moves on by `duration`
    /// (see `sleep::block_thread`).
    pub fn hold(&mut self, duration: Duration) {
        match self {
            Clock::Real(_) => thread::sleep(duration),
            Clock::Virtual(now) => *now += duration,
        }
    }
}
