//! Exercise 1 (starter): a token bucket that allows bursts of `burst` and refills one token per `refill_every`.
use std::time::Duration;

use futures::future::join_all;
use tokio::sync::Mutex;
use tokio::time::{Instant, sleep}; // and `sleep_until`, probably

// ANCHOR: todo
// ANCHOR: types
/// A token bucket: it holds up to `burst` tokens and starts full; it gains one
/// token every `refill_every`; an operation takes one token to start, waiting for
/// one if there are none.
pub struct TokenBucket {
    burst: u32,
    refill_every: Duration,
    state: Mutex<Tokens>,
}

/// Tokens in exact integer units: one token is `refill_every` in nanoseconds, and
/// one unit comes back per nanosecond, so no rounding creeps in.
#[allow(dead_code)] // read by `acquire`, once you write it
struct Tokens {
    units: u128,
    updated: Option<Instant>,
}
// ANCHOR_END: types

// ANCHOR: acquire
impl TokenBucket {
    /// # Panics
    ///
    /// If `burst` is 0 or `refill_every` is zero.
    pub fn new(burst: u32, refill_every: Duration) -> Self {
        assert!(burst > 0, "a bucket of 0 tokens would never let anything start");
        assert!(
            !refill_every.is_zero(),
            "a zero refill time would be no limit at all"
        );
        let full = u128::from(burst) * refill_every.as_nanos();
        let state = Mutex::new(Tokens { units: full, updated: None });
        TokenBucket { burst, refill_every, state }
    }

    /// Waits for a token and takes it.
    pub async fn acquire(&self) {
        // remove this line when you start
        let _ = (self.burst, self.refill_every, &self.state);
        todo!(
            "add the tokens gained since `updated`; take one if there is one, else sleep"
        )
    }
}
// ANCHOR_END: acquire
// ANCHOR_END: todo

/// Eight jobs arrive at once, three more at 10 s; returns when each one started.
pub async fn demo(bucket: &TokenBucket) -> Vec<Duration> {
    let t0 = Instant::now();
    let arrivals = [0, 0, 0, 0, 0, 0, 0, 0, 10, 10, 10].map(Duration::from_secs);
    let jobs = arrivals.into_iter().map(|arrival| async move {
        sleep(arrival).await;
        bucket.acquire().await;
        t0.elapsed()
    });
    join_all(jobs).await
}

// The clock is paused (start_paused), so the times printed are the same on every
// run.
#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    let bucket = TokenBucket::new(3, Duration::from_secs(1));
    println!("bursts of 3, one token a second; 8 jobs at 0 s, 3 more at 10 s");
    let starts: Vec<String> =
        demo(&bucket).await.iter().map(|t| format!("{} s", t.as_secs())).collect();
    println!("starts: {}", starts.join(", "));
}
