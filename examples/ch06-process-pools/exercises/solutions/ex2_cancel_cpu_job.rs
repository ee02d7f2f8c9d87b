//! Exercise 2 (solution): a deadline for a CPU job on rayon, and a job that stops when told.
use std::panic::{self, AssertUnwindSafe};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use tokio::sync::oneshot;

// ANCHOR: solution
/// Runs `job` on rayon's pool and waits for it at most `limit`. In time:
/// `Some(result)`. Too late: sets the flag the job was given, so that it stops, and
/// returns `None`.
pub async fn with_deadline<T: Send + 'static>(
    limit: Duration,
    job: impl FnOnce(&AtomicBool) -> T + Send + 'static,
) -> Option<T> {
    let stop = Arc::new(AtomicBool::new(false));
    // Sets the flag when this future ends in any way: on time, too late, or dropped
    // unfinished (a losing `select!` branch, a cancelled task).
    let _stop_on_drop = StopOnDrop(Arc::clone(&stop));
    let (send, receive) = oneshot::channel();
    rayon::spawn(move || {
        // A panic that escapes a `rayon::spawn` job aborts the whole process: catch
        // it here.
        let outcome = panic::catch_unwind(AssertUnwindSafe(|| job(&stop)));
        let _ = send.send(outcome);
    });
    match tokio::time::timeout(limit, receive).await {
        Ok(Ok(Ok(result))) => Some(result),
        // The job panicked: raise it again here, as rayon::join and rayon::scope
        // do.
        Ok(Ok(Err(payload))) => panic::resume_unwind(payload),
        // Too late. A thread cannot be stopped from outside: the guard asks, the
        // job checks.
        Ok(Err(_)) | Err(_) => None,
    }
}

/// Sets the stop flag when dropped.
struct StopOnDrop(Arc<AtomicBool>);

impl Drop for StopOnDrop {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}
// ANCHOR_END: solution

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
