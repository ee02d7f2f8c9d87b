//! Chapter 3 of *Concurrency, Hands On*: futures and tasks.
//!
//! The listings are the programs in `src/bin/` and the exercises are in
//! `exercises/`. As in the earlier chapters, [`listings`] compiles the listing
//! files themselves as modules, so the tests and pictures run exactly the code the
//! book shows.
#![forbid(unsafe_code)]

pub mod listings;
pub mod outcomes;
pub mod pictures;
