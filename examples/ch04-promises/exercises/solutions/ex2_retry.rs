//! Exercise 2 (solution): `retry` a failing promise, building a fresh one for each try.
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use ch04_promises::Promise;
use tokio::time::{Instant, sleep};

// ANCHOR: solution
/// Tries the promise that `make` builds; on an error, builds a fresh one and tries
/// again, at most `attempts` tries in all (at least one). Gives the first success
/// or the last error. Awaiting a promise uses it up, which is why retry needs a
/// recipe, not a promise.
pub fn retry<T, E, M>(attempts: u32, mut make: M) -> Promise<Result<T, E>>
where
    T: Send + 'static,
    E: Send + 'static,
    M: FnMut() -> Promise<Result<T, E>> + Send + 'static,
{
    // Start from a ready value, so that even `make` is first called when this is
    // awaited.
    Promise::insert(()).then(move |()| {
        make().catch(move |error| {
            if attempts <= 1 {
                Promise::insert(Err(error)) // out of tries: give the last error
            } else {
                retry(attempts - 1, make) // one try fewer, same recipe
            }
        })
    })
}
// ANCHOR_END: solution

/// A stand-in for a flaky service: each try takes 100 ms and the first `failures`
/// fail.
fn flaky(tries: Arc<AtomicU32>, failures: u32) -> Promise<Result<String, String>> {
    Promise::new(async move {
        sleep(Duration::from_millis(100)).await;
        let attempt = tries.fetch_add(1, Ordering::SeqCst) + 1;
        if attempt <= failures {
            Err(format!("try {attempt} failed"))
        } else {
            Ok(format!("try {attempt} worked"))
        }
    })
}

// The clock is paused (start_paused), so the times printed are the same on every
// run.
#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    for attempts in [3, 2] {
        let tries = Arc::new(AtomicU32::new(0));
        let counter = Arc::clone(&tries);
        let promised = retry(attempts, move || flaky(Arc::clone(&counter), 2));
        let t0 = Instant::now();
        let result = promised.await;
        println!(
            "retry({attempts}) of a service that fails twice: {result:?} after {} tries, at {} ms",
            tries.load(Ordering::SeqCst),
            t0.elapsed().as_millis()
        );
    }
}
