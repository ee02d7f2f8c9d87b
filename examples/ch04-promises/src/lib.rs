//! Chapter 4 of Concurrency, Hands On: promises — lazy, composable operations, and
//! a download → enrich → store pipeline.
//!
//! The listings are the programs in `src/bin/` and the exercises are in
//! `exercises/`. As in the earlier chapters, [`listings`] compiles the listing
//! files themselves as modules, so the tests and pictures run exactly the code the
//! book shows. The chapter's [`Promise`] is the one that listing 2
//! (`src/bin/02_promise.rs`) defines. Listings 3 and 5 carry a copy of it, so that
//! each file runs on its own in the browser (the Rust Playground does not have this
//! library); book-tests' `tests/listing_copies.rs` fails if a copy drifts from
//! listing 2.
#![forbid(unsafe_code)]

// The later listings and the exercises are binaries that `use
// ch04_promises::Promise`. Compiled here as modules, that path must name this very
// crate.
extern crate self as ch04_promises;

pub mod listings;
pub mod pictures;

pub use listings::promise::Promise;
