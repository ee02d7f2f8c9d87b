//! Listing 6's event loop, built in steps, one file each: the clock, the timers,
//! `sleep`, the tasks with the loop that polls them, and the reactor that waits
//! for sockets. `src/bin/06_event_loop.rs` runs it; `src/bin/10_echo_async.rs`
//! serves sockets with it. `trace` and `choose` are not steps: one records what the
//! loop did, for the book's step-through traces; the other lets the book's scheduler
//! game choose which ready task goes next.
//!
//! Each file names the others by their full path, so the book can compile each one
//! on its own. Items one step needs from another are `pub` for that reason.
pub mod choose;
pub mod clock;
pub mod reactor;
pub mod sleep;
pub mod tasks;
pub mod timers;
pub mod trace;

pub use clock::Clock;
pub use reactor::Async;
pub use sleep::{Sleep, block_thread, now, sleep};
pub use tasks::{EventLoop, Report, TaskId, spawn};
