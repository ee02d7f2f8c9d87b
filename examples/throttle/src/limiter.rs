// The leaky bucket: at most `max_rate` operations start in any `time_period`, like
// Python's aiolimiter.AsyncLimiter. Only std and tokio, so it can be copied into
// any program.
use std::fmt;
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use tokio::time::{Instant, sleep_until};

// ANCHOR: leaky_bucket
/// A rate limiter with the behaviour of Python's `aiolimiter.AsyncLimiter(max_rate,
/// time_period)`: a bucket that holds `max_rate` operations and drains continuously
/// at `max_rate / time_period`. An operation may start when it fits in the bucket.
///
/// The guarantee: in any window of length `w`, at most `max_rate + max_rate × w /
/// time_period` operations start. A burst of `max_rate` may start at once; in the
/// long run the rate is `max_rate / time_period`.
///
/// Share it as `&LeakyBucket` or `Arc<LeakyBucket>`: it is `Send + Sync`.
pub struct LeakyBucket {
    max_rate: u32,
    time_period: Duration,
    /// A plain std mutex, held only to book a start time, never across an `.await`:
    /// a waiter that sleeps (or whose thread is busy) holds nothing anyone else
    /// needs.
    state: Mutex<Level>,
}

/// How full the bucket is, in exact integer units: one operation adds `time_period`
/// in nanoseconds, and each nanosecond drains `max_rate` units. The bucket holds
/// `max_rate × time_period` units, which is `max_rate` operations; anything above
/// that is booked for later.
struct Level {
    units: u128,
    /// When `units` was last brought up to date (`None` before the first
    /// operation).
    checked: Option<Instant>,
}

// ANCHOR_END: leaky_bucket

// ANCHOR: book
impl LeakyBucket {
    /// Waits until one more operation may start.
    ///
    /// The first poll books a start time under a short lock: the next free slot,
    /// after every booking made before it, so operations start first come, first
    /// served. Then it sleeps until that time, holding no lock. If the future is
    /// dropped before its time (a timeout, a cancelled task), the booking stays:
    /// the slot goes unused, and later operations wait as if it had been taken. The
    /// limit can only be undershot, never exceeded.
    pub async fn acquire(&self) {
        if let Some(start) = self.book() {
            sleep_until(start).await;
        }
    }

    /// Counts one operation that arrives now; returns when it may start, or `None`
    /// for now.
    fn book(&self) -> Option<Instant> {
        let period = self.time_period.as_nanos(); // units one operation adds
        let rate = u128::from(self.max_rate); // units drained per nanosecond
        let capacity = rate * period;
        let mut level = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        // read under the lock, so `checked` never goes back
        let now = Instant::now();
        if let Some(checked) = level.checked {
            let drained = now.saturating_duration_since(checked).as_nanos() * rate;
            level.units = level.units.saturating_sub(drained);
        }
        level.checked = Some(now);
        level.units += period; // booked: it counts from now on, started or not
        // Over capacity means booked into the future: start once the excess has
        // drained.
        let excess = level.units.saturating_sub(capacity);
        if excess == 0 {
            return None; // it fits now: start at once
        }
        let wait = u64::try_from(excess.div_ceil(rate)).unwrap_or(u64::MAX);
        Some(now + Duration::from_nanos(wait))
    }
}
// ANCHOR_END: book

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
            LimiterError::ZeroPeriod => {
                write!(f, "time_period must be longer than zero")
            }
        }
    }
}

impl std::error::Error for LimiterError {}

impl LeakyBucket {
    /// A limiter for `max_rate` operations per `time_period`.
    ///
    /// # Panics
    ///
    /// If `max_rate` is 0 or `time_period` is zero; [`LeakyBucket::try_new`]
    /// returns an error instead.
    pub fn new(max_rate: u32, time_period: Duration) -> Self {
        match Self::try_new(max_rate, time_period) {
            Ok(limiter) => limiter,
            Err(error) => {
                panic!("LeakyBucket::new({max_rate}, {time_period:?}): {error}")
            }
        }
    }

    /// A limiter for `max_rate` operations per `time_period`, or why there can be
    /// none.
    pub fn try_new(
        max_rate: u32,
        time_period: Duration,
    ) -> Result<Self, LimiterError> {
        if max_rate == 0 {
            return Err(LimiterError::ZeroRate);
        }
        if time_period.is_zero() {
            return Err(LimiterError::ZeroPeriod);
        }
        Ok(LeakyBucket {
            max_rate,
            time_period,
            state: Mutex::new(Level { units: 0, checked: None }),
        })
    }

    /// How many operations may start at once, and per `time_period` in the long
    /// run.
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
