//! Exercise 2 (starter): a deadline for a CPU job on rayon, and a job that stops when told.
#![allow(unused_imports)] // the plan below uses them all
use std::panic::{self, AssertUnwindSafe};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use tokio::sync::oneshot;

// ANCHOR: todo
/// Runs `job` on rayon's pool and waits for it at most `limit`. In time:
/// `Some(result)`. Too late: sets the flag the job was given, so that it stops, and
/// returns `None`.
pub async fn with_deadline<T: Send + 'static>(
    limit: Duration,
    job: impl FnOnce(&AtomicBool) -> T + Send + 'static,
) -> Option<T> {
    // A plan:
    // 1. an `Arc<AtomicBool>` stop flag, and a `oneshot` channel for the result;
    // 2. a drop guard: a small struct holding the flag whose `Drop` sets it, so the
    //    job is told to stop however this future ends, even when the caller drops
    //    it unfinished;
    // 3. `rayon::spawn` a closure that runs `job(&flag)` inside
    //    `panic::catch_unwind` (a panic that escapes a rayon job aborts the
    //    process) and sends the outcome;
    // 4. `tokio::time::timeout(limit, receiver)`: on time, return the result (or
    //    carry a panic on with `panic::resume_unwind`); too late, return `None`.
    let _ = (limit, job); // remove this line when you start
    todo!("run the job on rayon with a deadline")
}
// ANCHOR_END: todo

/// A CPU job that checks the flag: counts primes from 2 up to `below`, and gives up
/// (with `None`) as soon as it sees the flag set.
pub fn count_primes(below: u64, stop: &AtomicBool) -> Option<u64> {
    let mut count = 0;
    for n in 2..below {
        if n % 1024 == 0 && stop.load(Ordering::Relaxed) {
            return None;
        }
        if (2..).take_while(|d| d * d <= n).all(|d| n % d != 0) {
            count += 1;
        }
    }
    Some(count)
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let small =
        with_deadline(Duration::from_secs(5), |stop| count_primes(1_000, stop))
            .await;
    println!("primes below 1000, 5 s allowed: {small:?}");

    // A job that would take hours; it tells us through `ended` when it has really
    // stopped.
    let (ended, has_ended) = std::sync::mpsc::channel();
    let huge = with_deadline(Duration::from_millis(100), move |stop| {
        let result = count_primes(u64::MAX, stop);
        let _ = ended.send(());
        result
    })
    .await;
    println!("primes below 2^64, 100 ms allowed: {huge:?}");
    let stopped = has_ended.recv_timeout(Duration::from_secs(10)).is_ok();
    println!("the job saw the flag and stopped: {stopped}");
}
