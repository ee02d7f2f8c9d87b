//! Chapter 7 of *Concurrency, Hands On*: putting it together.
//!
//! A command-line tool that reads web server logs, finds the requests that failed
//! with a server error, fires them again with limits, timeouts and retries, and
//! appends a retry log that a second run can continue.
//!
//! - [`formats`]: one line of a log, in common, combined or vhost_combined format.
//! - [`generate`]: sample logs of any size, with a seeded mix of statuses.
//! - [`select`]: which lines to fire again (statuses, times, methods).
//! - [`scan`]: streams a log line by line and picks out the chosen lines.
//! - [`input`]: opens files, gzip files and standard input, and detects their
//!   format.
//! - [`rewrite`]: adds `retry=true` to a URL's query string.
//! - [`record`]: one line of the retry log, and reading a retry log back.
//! - [`refire`]: fires one request again, each attempt within the limits.
//! - [`tool`]: the whole pipeline: reader → bounded channel → request tasks →
//!   writer.
//! - [`args`]: what every command line of the chapter shares.
//! - [`cli`]: the tool's command line.
//!
//! [`record`], [`refire`], [`tool`] and [`cli`] talk HTTP: they, and the listings
//! that use them (`04_refire`, `05_retry_tool`), are built with `--features http`.
//!
//! The listings are the programs in `src/bin/`.
#![forbid(unsafe_code)]

// The modules say `use ch07_putting_it_together::…` as a reader's program would, so
// the book can include a module file on its own and it still compiles.
extern crate self as ch07_putting_it_together;

/// What every command line of the chapter shares.
pub mod args;
/// The retry tool's command line.
#[cfg(feature = "http")]
pub mod cli;
/// One line of a request log, in the formats web servers write.
pub mod formats;
/// Sample logs of any size, with a seeded mix of statuses.
pub mod generate;
/// Opens the logs (files, gzip, standard input) and finds their format.
pub mod input;
/// One line of the retry log, and reading one back.
#[cfg(feature = "http")]
pub mod record;
/// Fires one failed request again: a slot, the rate, a timeout per attempt,
/// retries.
#[cfg(feature = "http")]
pub mod refire;
/// Adds `retry=true` to a URL's query string, by hand.
pub mod rewrite;
/// Streams a log line by line and picks out the chosen lines.
pub mod scan;
/// Which lines to fire again.
pub mod select;
/// The whole tool: reader → bounded channel → request tasks → writer.
#[cfg(feature = "http")]
pub mod tool;
