//! Listing 6's event loop, built in steps, one file each: the clock, the timers,
//! `sleep`, and the tasks with the loop that polls them. `src/bin/06_event_loop.rs`
//! runs it.
//!
//! Each file names the others by their full path, so the book can compile each one
//! on its own. Items one step needs from another are `pub` for that reason.
pub mod clock;
pub mod sleep;
pub mod tasks;
pub mod timers;

pub use clock::Clock;
pub use sleep::{Sleep, now, sleep};
pub use tasks::{EventLoop, Report, TaskId};
