//! Step 3: `sleep`, a future that sets one timer with the running loop.
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use ch02_generators_to_coroutines::event_loop::timers::with_timers;
use ch02_generators_to_coroutines::event_loop::trace;

/// Like `asyncio.sleep(seconds)`: Pending until the loop's clock reaches the
/// deadline.
#[track_caller]
pub fn sleep(duration: Duration) -> Sleep {
    trace::sleep_called(std::panic::Location::caller()); // (for the traces)
    Sleep { duration, deadline: None, registered: None }
}

// ANCHOR: sleep
/// The future `sleep(duration)` returns.
pub struct Sleep {
    duration: Duration,
    deadline: Option<Duration>, // set at the first poll
    registered: Option<Waker>,  // the waker our timer will wake
}

impl Future for Sleep {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let this = self.get_mut();
        with_timers(|timers| {
            let now = timers.clock.now();
            let deadline = *this.deadline.get_or_insert(now + this.duration);
            if now >= deadline {
                return Poll::Ready(());
            }
            // Register once: a timer is already set unless this is the first poll
            // or the future has moved to another task (a different waker).
            if !this.registered.as_ref().is_some_and(|w| w.will_wake(cx.waker())) {
                // asyncio: loop.call_later(...)
                timers.add(deadline, cx.waker().clone());
                this.registered = Some(cx.waker().clone());
            }
            Poll::Pending
        })
    }
}
// ANCHOR_END: sleep

/// The loop's time, like asyncio's `loop.time()`.
pub fn now() -> Duration {
    with_timers(|timers| timers.clock.now())
}

/// A blocking call inside a task, like `std::thread::sleep(duration)`: it keeps the
/// loop's thread for `duration`, so no other task runs meanwhile. On the virtual
/// clock the loop's time moves on by `duration` (a real `std::thread::sleep` would
/// not move it), so a recorded run shows the stall at exact times.
pub fn block_thread(duration: Duration) {
    with_timers(|timers| timers.clock.hold(duration));
}
