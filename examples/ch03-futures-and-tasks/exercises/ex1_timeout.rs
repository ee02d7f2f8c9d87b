//! Exercise 1 (starter): write `timeout` from `select!` and `sleep`.
use std::fmt;
use std::time::Duration;

use tokio::time::{Instant, sleep};

// ANCHOR: todo
/// The error `my_timeout` returns when the limit comes first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimedOut;

impl fmt::Display for TimedOut {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("timed out")
    }
}

impl std::error::Error for TimedOut {}

/// Runs `fut` for at most `limit`: its output if it finishes in time, else
/// `TimedOut`. If both are ready at the same moment, the output wins. Like
/// `tokio::time::timeout` (and asyncio's `wait_for`), the future is dropped, and so
/// cancelled, when the limit comes first.
pub async fn my_timeout<F: Future>(
    limit: Duration,
    fut: F,
) -> Result<F::Output, TimedOut> {
    let _ = (limit, fut); // remove this line when you start
    todo!("race `fut` against `sleep(limit)` with tokio::select!")
}
// ANCHOR_END: todo

/// A stand-in for an IO call that takes `wait`.
async fn fetch(wait: Duration) -> &'static str {
    sleep(wait).await;
    "reply"
}

// The clock is paused (start_paused), so the times printed are the same on every
// run.
#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    let limit = Duration::from_millis(200);
    for work in [Duration::from_millis(100), Duration::from_millis(500)] {
        let t0 = Instant::now();
        let result = my_timeout(limit, fetch(work)).await;
        println!(
            "{} ms of work, {} ms limit: {result:?} at {} ms",
            work.as_millis(),
            limit.as_millis(),
            t0.elapsed().as_millis()
        );
    }
}
