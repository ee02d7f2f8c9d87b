//! Exercise 1 (solution): a token bucket that allows bursts of `burst` and refills one token per `refill_every`.
use std::time::Duration;

use futures::future::join_all;
use tokio::sync::Mutex;
use tokio::time::{Instant, sleep, sleep_until};

// ANCHOR: solution
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
struct Tokens {
    units: u128,
    updated: Option<Instant>,
}

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

    // ANCHOR: acquire
    /// Waits for a token and takes it.
    pub async fn acquire(&self) {
        let token = self.refill_every.as_nanos();
        let full = u128::from(self.burst) * token;
        let mut tokens = self.state.lock().await; // waiters queue here, in order
        loop {
            let now = Instant::now();
            if let Some(updated) = tokens.updated {
                let gained = now.duration_since(updated).as_nanos();
                tokens.units = (tokens.units + gained).min(full);
            }
            tokens.updated = Some(now);
            if tokens.units >= token {
                tokens.units -= token;
                return;
            }
            // nanoseconds until the next whole token
            let short = token - tokens.units;
            let wait =
                Duration::from_nanos(u64::try_from(short).unwrap_or(u64::MAX));
            sleep_until(now + wait).await;
        }
    }
    // ANCHOR_END: acquire
}
// ANCHOR_END: solution

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
