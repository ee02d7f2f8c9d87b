//! Chapter 7 of *Concurrency, Hands On*: putting it together.
//!
//! A small command-line tool that reads a request log, finds the requests that failed with
//! a 5xx status, fires them again with limits, timeouts and retries, and writes a retry log.
//!
//! - [`clf`]: one line of the log (Common Log Format), parsed and written.
//! - [`generate`]: sample logs of any size, with a seeded mix of statuses.
//! - [`scan`]: streams a log line by line and picks out the 5xx lines.
//! - [`rewrite`]: adds `retry=true` to a URL's query string.
//! - [`refire`]: fires one request again, within the limits, with retries.
//! - [`tool`]: the whole pipeline: reader → bounded channel → workers → retry log.
//!
//! The listings are the programs in `src/bin/`.
#![forbid(unsafe_code)]

// The modules say `use ch07_putting_it_together::…` as a reader's program would, so the book
// can include a module file on its own and it still compiles.
extern crate self as ch07_putting_it_together;

/// One line of the log, in Common Log Format.
pub mod clf;
/// Sample logs of any size, with a seeded mix of statuses.
pub mod generate;
/// Fires one failed request again: rate limit, per-request timeout, retries with backoff.
pub mod refire;
/// Adds `retry=true` to a URL's query string, by hand.
pub mod rewrite;
/// Streams a log line by line and picks out the 5xx lines.
pub mod scan;
/// The whole tool: reader → bounded channel → limited workers → retry log.
pub mod tool;
