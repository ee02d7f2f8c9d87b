//! Chapter 1 of *Concurrency, Hands On*: concurrent or parallel?
//!
//! The listings are the programs in `src/bin/` (run one with `cargo run -p
//! ch01-concurrent-vs-parallel --bin 01_sequential`) and the exercises are in
//! `exercises/`. Each listing is self-contained, so the book can offer a Run button
//! for it.
//!
//! This library does not hold a second copy of any of them: [`listings`] compiles
//! the listing files themselves as modules, so the tests (`tests/claims.rs`), the
//! pictures ([`pictures`]) and the benchmarks ([`bench`]) run exactly the code the
//! book shows.
#![forbid(unsafe_code)]

pub mod bench;
pub mod listings;
pub mod pictures;
