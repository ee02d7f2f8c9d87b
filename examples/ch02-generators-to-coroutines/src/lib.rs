//! Chapter 2 of *Concurrency, Hands On*: from generators to coroutines.
//!
//! The listings are the programs in `src/bin/` and the exercises are in `exercises/`. As in
//! Chapter 1, [`listings`] compiles the listing files themselves as modules, so the tests run
//! exactly the code the book shows.
#![forbid(unsafe_code)]

pub mod listings;
