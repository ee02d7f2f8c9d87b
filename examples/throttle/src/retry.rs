// Retry with exponential backoff and full jitter, capped in attempts and in total
// time.
use std::fmt;
use std::time::Duration;

use rand::{Rng, RngExt};
use tokio::time::{Instant, sleep};

// ANCHOR: backoff
/// When to try again after a failure, and when to stop.
///
/// After failure `n` (1 for the first), the wait is drawn uniformly from `0 ..=
/// min(max_delay, base × factor^(n-1))`, in whole milliseconds ("full jitter":
/// clients that failed together do not all come back together).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    /// The ceiling of the first wait.
    pub base: Duration,
    /// How much the ceiling grows after each failure.
    pub factor: u32,
    /// No wait is longer than this.
    pub max_delay: Duration,
    /// Attempts in all, the first one included.
    pub max_attempts: u32,
    /// Give up rather than start a wait that would end later than this after the
    /// first attempt.
    pub max_elapsed: Duration,
}

impl Backoff {
    /// The longest wait after failure `n` (1 for the first): `min(max_delay, base ×
    /// factor^(n-1))`.
    pub fn ceiling(&self, failures: u32) -> Duration {
        let growth = self.factor.checked_pow(failures.saturating_sub(1));
        let ceiling = growth.and_then(|growth| self.base.checked_mul(growth));
        ceiling.map_or(self.max_delay, |ceiling| ceiling.min(self.max_delay))
    }

    /// The wait after failure `n`: a whole number of milliseconds in `0 ..=
    /// ceiling(n)`.
    pub fn delay(&self, failures: u32, rng: &mut impl Rng) -> Duration {
        let ceiling =
            u64::try_from(self.ceiling(failures).as_millis()).unwrap_or(u64::MAX);
        Duration::from_millis(rng.random_range(0..=ceiling))
    }
}
// ANCHOR_END: backoff

/// Why [`retry`] gave up; each case carries the last error and how many attempts
/// were made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RetryError<E> {
    /// The error is not one to retry (a 404, say): trying again would fail again.
    Permanent { error: E, attempts: u32 },
    /// Every attempt allowed by `max_attempts` failed.
    OutOfAttempts { error: E, attempts: u32 },
    /// The next wait would have ended after `max_elapsed`.
    OutOfTime { error: E, attempts: u32, elapsed: Duration },
}

impl<E> RetryError<E> {
    /// The last error the operation returned.
    pub fn last_error(&self) -> &E {
        match self {
            RetryError::Permanent { error, .. }
            | RetryError::OutOfAttempts { error, .. }
            | RetryError::OutOfTime { error, .. } => error,
        }
    }

    /// How many attempts were made.
    pub fn attempts(&self) -> u32 {
        match self {
            RetryError::Permanent { attempts, .. }
            | RetryError::OutOfAttempts { attempts, .. }
            | RetryError::OutOfTime { attempts, .. } => *attempts,
        }
    }
}

impl<E: fmt::Display> fmt::Display for RetryError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RetryError::Permanent { error, attempts } => {
                write!(f, "not retried after attempt {attempts}: {error}")
            }
            RetryError::OutOfAttempts { error, attempts } => {
                write!(f, "gave up after {attempts} attempts: {error}")
            }
            RetryError::OutOfTime { error, attempts, elapsed } => write!(
                f,
                "gave up after {attempts} attempts in {} ms, out of time: {error}",
                elapsed.as_millis()
            ),
        }
    }
}

impl<E: fmt::Debug + fmt::Display> std::error::Error for RetryError<E> {}

// ANCHOR: retry
/// Calls `attempt(1)`, `attempt(2)`, … until one succeeds, an error is not
/// `retryable`, or the policy says stop; between attempts it sleeps for
/// [`Backoff::delay`]. The `rng` decides the jitter: pass a seeded one to get the
/// same waits on every run.
pub async fn retry<T, E, Fut>(
    policy: &Backoff,
    rng: &mut impl Rng,
    retryable: impl Fn(&E) -> bool,
    mut attempt: impl FnMut(u32) -> Fut,
) -> Result<T, RetryError<E>>
where
    Fut: Future<Output = Result<T, E>>,
{
    let start = Instant::now();
    let mut attempts = 0;
    loop {
        attempts += 1;
        let error = match attempt(attempts).await {
            Ok(value) => return Ok(value),
            Err(error) => error,
        };
        if !retryable(&error) {
            return Err(RetryError::Permanent { error, attempts });
        }
        if attempts >= policy.max_attempts {
            return Err(RetryError::OutOfAttempts { error, attempts });
        }
        let wait = policy.delay(attempts, rng);
        let elapsed = start.elapsed();
        if elapsed + wait > policy.max_elapsed {
            return Err(RetryError::OutOfTime { error, attempts, elapsed });
        }
        sleep(wait).await;
    }
}
// ANCHOR_END: retry
