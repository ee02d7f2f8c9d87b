//! Chapter 5 of *Concurrency, Hands On*: throttling — limits on how many, and how fast.
//!
//! - [`LeakyBucket`] (in [`limiter`]): at most `max_rate` operations start per `time_period`,
//!   like Python's `aiolimiter.AsyncLimiter`.
//! - [`retry::retry`] with [`retry::Backoff`]: exponential backoff with full jitter, capped in
//!   attempts and in total time.
//!
//! The listings are the programs in `src/bin/` and the exercises are in `exercises/`.
#![forbid(unsafe_code)]

// The listings say `use ch05_throttling::…` as a reader's program would; this lets the same
// files compile as modules of the library too (see `listings`).
extern crate self as ch05_throttling;

/// The leaky bucket: at most `max_rate` operations start per `time_period`.
pub mod limiter;
pub mod listings;
pub mod pictures;
/// Retry with exponential backoff and full jitter, capped in attempts and in total time.
pub mod retry;

pub use limiter::{LeakyBucket, LimiterError};
