//! The chapter's listings and exercise solutions, compiled as modules of this
//! library.
//!
//! Each file is also a binary with its own `main`, which this library never calls;
//! hence the `dead_code` allowances. Items a test or benchmark needs are `pub` in
//! the listing file.

#[allow(dead_code)]
#[path = "bin/01_rayon.rs"]
pub mod rayon_basics;

#[allow(dead_code)]
#[path = "bin/02_speedup.rs"]
pub mod speedup;

#[allow(dead_code)]
#[path = "bin/03_off_the_runtime.rs"]
pub mod off_the_runtime;

#[allow(dead_code)]
#[path = "bin/04_batches_threads.rs"]
pub mod batches_threads;

#[allow(dead_code)]
#[cfg(feature = "processes")]
#[path = "bin/05_worker_processes.rs"]
pub mod worker_processes;

#[allow(dead_code)]
#[cfg_attr(feature = "my-solutions", path = "../exercises/ex1_histogram.rs")]
#[cfg_attr(
    not(feature = "my-solutions"),
    path = "../exercises/solutions/ex1_histogram.rs"
)]
pub mod ex1_histogram;

#[allow(dead_code)]
#[cfg_attr(feature = "my-solutions", path = "../exercises/ex2_cancel_cpu_job.rs")]
#[cfg_attr(
    not(feature = "my-solutions"),
    path = "../exercises/solutions/ex2_cancel_cpu_job.rs"
)]
pub mod ex2_cancel_cpu_job;
