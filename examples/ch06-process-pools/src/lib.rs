//! Chapter 6 of *Concurrency, Hands On*: process pools — CPU-bound work on threads
//! that really run in parallel, and on real worker processes.
//!
//! The listings are the programs in `src/bin/` (run one with `cargo run -p
//! ch06-process-pools --bin 01_rayon`) and the exercises are in `exercises/`. Each
//! listing is self-contained, so the book can offer a Run button for those that
//! only need std, tokio, futures and rayon. The worker-process pool ([`pool`],
//! listing 05) is built with `--features processes`.
//!
//! This library does not hold a second copy of any of them: [`listings`] compiles
//! the listing files themselves as modules, so the tests and the benchmarks
//! (`bookgen bench`, through `scripts/bench`) run exactly the code the book shows.
#![forbid(unsafe_code)]

// Lets the pool's modules name each other `ch06_process_pools::pool::…` from
// inside.
extern crate self as ch06_process_pools;

pub mod listings;
#[cfg(feature = "processes")]
pub mod pool;
