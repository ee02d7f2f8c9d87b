//! The chapter's listings and exercise solutions, compiled as modules of this
//! library.
//!
//! Each file is also a binary with its own `main`, which this library never calls;
//! hence the `dead_code` allowances. Items a test needs are `pub` in the listing
//! file.

#[allow(dead_code)]
#[path = "bin/01_iterators.rs"]
pub mod iterators;

#[allow(dead_code)]
#[path = "bin/02_coroutine.rs"]
pub mod coroutine;

#[allow(dead_code)]
#[path = "bin/04_future_by_hand.rs"]
pub mod future_by_hand;

#[allow(dead_code)]
#[path = "bin/05_block_on.rs"]
pub mod block_on;

#[allow(dead_code)]
#[path = "bin/06_event_loop.rs"]
pub mod event_loop;

#[allow(dead_code)]
#[cfg(feature = "http")]
#[path = "bin/07_three_ways.rs"]
pub mod three_ways;

#[allow(dead_code)]
#[path = "bin/08_streams.rs"]
pub mod streams;

#[allow(dead_code)]
#[path = "bin/09_echo_readiness.rs"]
pub mod echo_readiness;

#[allow(dead_code)]
#[path = "bin/10_echo_async.rs"]
pub mod echo_async;

#[allow(dead_code)]
#[path = "bin/11_echo_tokio.rs"]
pub mod echo_tokio;

#[allow(dead_code)]
#[path = "bin/12_schedules.rs"]
pub mod schedules;

#[allow(dead_code)]
#[cfg_attr(feature = "my-solutions", path = "../exercises/ex1_fibonacci.rs")]
#[cfg_attr(
    not(feature = "my-solutions"),
    path = "../exercises/solutions/ex1_fibonacci.rs"
)]
pub mod ex1_fibonacci;

#[allow(dead_code)]
#[cfg_attr(feature = "my-solutions", path = "../exercises/ex2_yield_now.rs")]
#[cfg_attr(
    not(feature = "my-solutions"),
    path = "../exercises/solutions/ex2_yield_now.rs"
)]
pub mod ex2_yield_now;
