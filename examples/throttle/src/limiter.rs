// The leaky bucket: at most `max_rate` operations start in any `time_period`, like Python's
// aiolimiter.AsyncLimiter. Only std and tokio, so it can be copied into any program.
use std::fmt;
use std::time::Duration;

use tokio::sync::Mutex;
use tokio::time::{Instant, sleep_until};

// ANCHOR: leaky_bucket
/// A rate limiter with the behaviour of Python's `aiolimiter.AsyncLimiter(max_rate,
/// time_period)`: a bucket that holds `max_rate` operations and drains continuously at
/// `max_rate / time_period`. An operation may start when it fits in the bucket.
///
/// The guarantee: in any window of length `w`, at most `max_rate + max_rate × w / time_period`
/// operations start. A burst of `max_rate` may start at once; in the long run the rate is
/// `max_rate / time_period`.
///
/// Share it as `&LeakyBucket` or `Arc<LeakyBucket>`: it is `Send + Sync`.
pub struct LeakyBucket {
    max_rate: u32,
    time_period: Duration,
    /// An async mutex: the first waiter holds it while it sleeps, the others queue behind it
    /// in order (tokio's `Mutex` is fair), so operations start first come, first served.
    state: Mutex<Level>,
}

/// How full the bucket is, in exact integer units: one operation adds `time_period` in
/// nanoseconds, and each nanosecond drains `max_rate` units. The bucket holds
/// `max_rate × time_period` units, which is `max_rate` operations.
struct Level {
    units: u128,
    /// When `units` was last brought up to date (`None` before the first operation).
    checked: Option<Instant>,
}

impl LeakyBucket {
    /// Waits until one more operation may start, then counts it.
    ///
    /// Cancel-safe: if the returned future is dropped while it waits, nothing is counted.
    pub async fn acquire(&self) {
        let period = self.time_period.as_nanos(); // units one operation adds
        let rate = u128::from(self.max_rate); // units drained per nanosecond
        let capacity = rate * period;
        let mut level = self.state.lock().await; // wait for our turn
        loop {
            let now = Instant::now();
            if let Some(checked) = level.checked {
                let drained = now.duration_since(checked).as_nanos() * rate;
                level.units = level.units.saturating_sub(drained);
            }
            level.checked = Some(now);
            if level.units + period <= capacity {
                level.units += period; // it fits: count it, and go
                return;
            }
            // Sleep, holding the lock, until enough has drained; then check again.
            let excess = level.units + period - capacity;
            let wait = excess.div_ceil(rate);
            let wait = Duration::from_nanos(u64::try_from(wait).unwrap_or(u64::MAX));
            sleep_until(now + wait).await;
        }
    }
}
// ANCHOR_END: leaky_bucket

/// Why a [`LeakyBucket`] could not be made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LimiterError {
    /// `max_rate` was 0: no operation could ever start.
    ZeroRate,
    /// `time_period` was zero: the rate would be infinite.
    ZeroPeriod,
}

impl fmt::Display for LimiterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LimiterError::ZeroRate => write!(f, "max_rate must be at least 1"),
            LimiterError::ZeroPeriod => write!(f, "time_period must be longer than zero"),
        }
    }
}

impl std::error::Error for LimiterError {}

impl LeakyBucket {
    /// A limiter for `max_rate` operations per `time_period`.
    ///
    /// # Panics
    ///
    /// If `max_rate` is 0 or `time_period` is zero; [`LeakyBucket::try_new`] returns an error
    /// instead.
    pub fn new(max_rate: u32, time_period: Duration) -> Self {
        match Self::try_new(max_rate, time_period) {
            Ok(limiter) => limiter,
            Err(error) => panic!("LeakyBucket::new({max_rate}, {time_period:?}): {error}"),
        }
    }

    /// A limiter for `max_rate` operations per `time_period`, or why there can be none.
    pub fn try_new(max_rate: u32, time_period: Duration) -> Result<Self, LimiterError> {
        if max_rate == 0 {
            return Err(LimiterError::ZeroRate);
        }
        if time_period.is_zero() {
            return Err(LimiterError::ZeroPeriod);
        }
        Ok(LeakyBucket {
            max_rate,
            time_period,
            state: Mutex::new(Level {
                units: 0,
                checked: None,
            }),
        })
    }

    /// How many operations may start at once, and per `time_period` in the long run.
    pub fn max_rate(&self) -> u32 {
        self.max_rate
    }

    /// The period over which `max_rate` operations may start.
    pub fn time_period(&self) -> Duration {
        self.time_period
    }
}

impl fmt::Debug for LeakyBucket {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LeakyBucket")
            .field("max_rate", &self.max_rate)
            .field("time_period", &self.time_period)
            .finish_non_exhaustive()
    }
}
