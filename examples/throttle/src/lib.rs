//! Throttling that several chapters of *Concurrency, Hands On* share. Chapter 5
//! builds both pieces and explains them; Chapters 6 and 7 use them.
//!
//! - [`LeakyBucket`] (in [`limiter`]): at most `max_rate` operations start per
//!   `time_period`, like Python's `aiolimiter.AsyncLimiter`.
//! - [`retry::retry`] with [`retry::Backoff`]: exponential backoff with full
//!   jitter, capped in attempts and in total time; a [`retry::Verdict`] can ask
//!   for a longer wait, as a server's `Retry-After` does.
#![forbid(unsafe_code)]

/// The leaky bucket: at most `max_rate` operations start per `time_period`.
pub mod limiter;
/// Retry with exponential backoff and full jitter, capped in attempts and in total
/// time.
pub mod retry;

pub use limiter::{LeakyBucket, LimiterError};
