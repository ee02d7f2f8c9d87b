//! The chapter's listings and exercise solutions, compiled as modules of this
//! library.
//!
//! Each file is also a binary with its own `main`, which this library never calls;
//! hence the `dead_code` allowances. Items a test needs are `pub` in the listing
//! file.

#[allow(dead_code)]
#[path = "bin/01_burst_model.rs"]
pub mod burst_model;

#[allow(dead_code)]
#[cfg(feature = "http")]
#[path = "bin/02_fire_at_once.rs"]
pub mod fire_at_once;

#[allow(dead_code)]
#[path = "bin/03_in_flight.rs"]
pub mod in_flight;

#[allow(dead_code)]
#[path = "bin/04_rate.rs"]
pub mod rate;

#[allow(dead_code)]
#[cfg(feature = "http")]
#[path = "bin/05_throttled_pipeline.rs"]
pub mod throttled_pipeline;

#[allow(dead_code)]
#[path = "bin/06_backpressure.rs"]
pub mod backpressure;

#[allow(dead_code)]
#[path = "bin/07_retry.rs"]
pub mod retry;

#[allow(dead_code)]
#[path = "bin/08_spawned_tasks.rs"]
pub mod spawned_tasks;

#[allow(dead_code)]
#[path = "bin/09_buffer_unordered_trap.rs"]
pub mod buffer_unordered_trap;

#[allow(dead_code)]
#[path = "bin/10_shedding.rs"]
pub mod shedding;

#[allow(dead_code)]
#[cfg(feature = "http")]
#[path = "bin/11_retry_after.rs"]
pub mod retry_after;

#[allow(dead_code)]
#[path = "bin/12_retry_budget.rs"]
pub mod retry_budget;

#[allow(dead_code)]
#[path = "bin/13_circuit_breaker.rs"]
pub mod circuit_breaker;

#[allow(dead_code)]
#[cfg_attr(feature = "my-solutions", path = "../exercises/ex1_token_bucket.rs")]
#[cfg_attr(
    not(feature = "my-solutions"),
    path = "../exercises/solutions/ex1_token_bucket.rs"
)]
pub mod ex1_token_bucket;

#[allow(dead_code)]
#[cfg_attr(feature = "my-solutions", path = "../exercises/ex2_shared_limiter.rs")]
#[cfg_attr(
    not(feature = "my-solutions"),
    path = "../exercises/solutions/ex2_shared_limiter.rs"
)]
pub mod ex2_shared_limiter;

#[allow(dead_code)]
#[path = "bin/14_sliding_window.rs"]
pub mod sliding_window;
