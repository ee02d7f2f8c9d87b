//! Chapter 2 of *Concurrency, Hands On*: from generators to coroutines.
//!
//! The listings are the programs in `src/bin/` and the exercises are in
//! `exercises/`. As in Chapter 1, [`listings`] compiles the listing files
//! themselves as modules, so the tests run exactly the code the book shows.
#![forbid(unsafe_code)]

// Lets the event loop's step files name each other
// `ch02_generators_to_coroutines::…`.
extern crate self as ch02_generators_to_coroutines;

pub mod echo;
pub mod event_loop;
pub mod game;

pub mod listings;
pub mod pictures;
pub mod stepped;
/// The step-through traces (`--features traces`: serde, for the JSON).
#[cfg(feature = "traces")]
pub mod traces;
