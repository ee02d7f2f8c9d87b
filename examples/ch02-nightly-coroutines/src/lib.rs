//! Chapter 2 of *Concurrency, Hands On*, on nightly Rust: listings 01 and 02 again,
//! with the language's own coroutines (`#[coroutine]` closures) and generators
//! (`gen` blocks).
//!
//! The listing is `src/bin/03_nightly_coroutines.rs`; this library compiles it as a
//! module so that the tests can compare it with the stable listings it includes.
//!
//! # A `gen` block cannot borrow from itself across a `yield` (E0626)
//!
//! An iterator's `next` takes `&mut self`, so the iterator may be moved between two
//! calls. A `gen` block that kept a reference into one of its own locals across a
//! `yield` would be a value pointing into itself, and moving it would leave that
//! reference dangling. The compiler rejects it:
//!
#![doc = concat!(
    "```compile_fail,E0626\n#![feature(gen_blocks)]\n",
    include_str!("../compile_fail/e0626_self_borrow.rs"),
    "```\n"
)]
//!
//! Owning the data instead compiles: `for n in numbers` moves the vector into the loop, and
//! nothing points into the block's own state.
//!
//! ```
//! #![feature(gen_blocks)]
//! fn evens() -> impl Iterator<Item = u32> {
//!     gen {
//!         let numbers = vec![1, 2, 3, 4];
//!         for n in numbers {
//!             if n % 2 == 0 {
//!                 yield n;
//!             }
//!         }
//!     }
//! }
//! assert_eq!(evens().collect::<Vec<_>>(), [2, 4]);
//! ```
//!
//! (An `async` block *may* borrow from itself across an `.await`: a future is polled through
//! `Pin<&mut Self>`, a promise that it will not move again. That is what `Pin` is for.)
#![feature(coroutines, coroutine_trait, gen_blocks)]
#![forbid(unsafe_code)]

// The listing's `main` is dead code here, and its `#![feature]` line only counts in
// its own crate root (this library declares the same features above).
#[allow(dead_code, unused_attributes)]
#[path = "bin/03_nightly_coroutines.rs"]
pub mod listing;
