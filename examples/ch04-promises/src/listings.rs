//! The chapter's listings and exercise solutions, compiled as modules of this
//! library.
//!
//! Each file is also a binary with its own `main`, which this library never calls;
//! hence the `dead_code` allowances. Items a test needs are `pub` in the listing
//! file.

#[allow(dead_code)]
#[path = "bin/01_functional.rs"]
pub mod functional;

#[allow(dead_code)]
#[path = "bin/02_promise.rs"]
pub mod promise;

#[allow(dead_code)]
#[path = "bin/03_define_now_run_later.rs"]
pub mod define_now_run_later;

#[allow(dead_code)]
#[path = "bin/04_lift.rs"]
pub mod lift;

#[allow(dead_code)]
#[path = "bin/05_fold_steps.rs"]
pub mod fold_steps;

#[allow(dead_code)]
#[cfg(feature = "http")]
#[path = "bin/06_download_enrich_store.rs"]
pub mod download_enrich_store;

#[allow(dead_code)]
#[path = "bin/07_join_lift.rs"]
pub mod join_lift;

#[allow(dead_code)]
#[cfg_attr(feature = "my-solutions", path = "../exercises/ex1_zip.rs")]
#[cfg_attr(
    not(feature = "my-solutions"),
    path = "../exercises/solutions/ex1_zip.rs"
)]
pub mod ex1_zip;

#[allow(dead_code)]
#[cfg_attr(feature = "my-solutions", path = "../exercises/ex2_retry.rs")]
#[cfg_attr(
    not(feature = "my-solutions"),
    path = "../exercises/solutions/ex2_retry.rs"
)]
pub mod ex2_retry;
