//! Chapter 5 of *Concurrency, Hands On*: throttling — limits on how many, and how
//! fast.
//!
//! The chapter builds a leaky bucket and retry with backoff; they live in the
//! `throttle` helper crate (`examples/throttle`), because Chapters 6 and 7 use them
//! too.
//!
//! The listings are the programs in `src/bin/` and the exercises are in
//! `exercises/`.
#![forbid(unsafe_code)]

// The listings say `use ch05_throttling::…` as a reader's program would; this lets
// the same files compile as modules of the library too (see `listings`).
extern crate self as ch05_throttling;

pub mod listings;
pub mod pictures;
