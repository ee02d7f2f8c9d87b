// Retry with exponential backoff and full jitter, capped in attempts and in total
// time; a failure may ask for a longer wait (the server's `Retry-After`).
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
    /// No backoff wait is longer than this; a `Retry-After` may ask for more, up to
    /// `max_elapsed`.
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

// ANCHOR: verdict
/// What to do after a failed attempt. The classifier you pass to [`retry`] may
/// return one, or a plain `bool`: `true` means [`Verdict::Retry`], `false`
/// [`Verdict::GiveUp`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Not worth another try (a 404, say): stop now.
    GiveUp,
    /// Try again after the backoff's wait.
    Retry,
    /// Try again, but wait at least this long: the server said so (`Retry-After`).
    RetryAfter(Duration),
}

impl From<bool> for Verdict {
    fn from(retryable: bool) -> Verdict {
        if retryable { Verdict::Retry } else { Verdict::GiveUp }
    }
}
// ANCHOR_END: verdict

// ANCHOR: retry
/// Calls `attempt(1)`, `attempt(2)`, … until one succeeds, `classify` says give
/// up, or the policy says stop. Between attempts it sleeps for [`Backoff::delay`],
/// or longer if `classify` asks for more. The `rng` decides the jitter.
pub async fn retry<T, E, Fut, V>(
    policy: &Backoff,
    rng: &mut impl Rng,
    classify: impl Fn(&E) -> V,
    mut attempt: impl FnMut(u32) -> Fut,
) -> Result<T, RetryError<E>>
where
    Fut: Future<Output = Result<T, E>>,
    V: Into<Verdict>,
{
    let start = Instant::now();
    let mut attempts = 0;
    loop {
        attempts += 1;
        let error = match attempt(attempts).await {
            Ok(value) => return Ok(value),
            Err(error) => error,
        };
        let at_least = match classify(&error).into() {
            Verdict::GiveUp => {
                return Err(RetryError::Permanent { error, attempts });
            }
            Verdict::Retry => Duration::ZERO,
            Verdict::RetryAfter(wait) => wait,
        };
        if attempts >= policy.max_attempts {
            return Err(RetryError::OutOfAttempts { error, attempts });
        }
        let wait = policy.delay(attempts, rng).max(at_least);
        let elapsed = start.elapsed();
        // checked: a huge Retry-After gives up here instead of overflowing
        if elapsed.checked_add(wait).is_none_or(|end| end > policy.max_elapsed) {
            return Err(RetryError::OutOfTime { error, attempts, elapsed });
        }
        sleep(wait).await;
    }
}
// ANCHOR_END: retry
