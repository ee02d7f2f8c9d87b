//! The chapter's listings and exercise solutions, compiled as modules of this
//! library.
//!
//! Each file is also a binary with its own `main`, which this library never calls;
//! hence the `dead_code` allowances. Items a test or picture needs are `pub` in the
//! listing file.

#[allow(dead_code)]
#[path = "bin/01_sequential.rs"]
pub mod sequential;

#[allow(dead_code)]
#[path = "bin/02_threads.rs"]
pub mod threads;

#[allow(dead_code)]
#[path = "bin/03_async_tasks.rs"]
pub mod async_tasks;

#[allow(dead_code)]
#[cfg(feature = "http")]
#[path = "bin/04_http.rs"]
pub mod http;

#[allow(dead_code)]
#[path = "bin/05_cpu.rs"]
pub mod cpu;

#[allow(dead_code)]
#[path = "bin/06_blocking.rs"]
pub mod blocking;

#[allow(dead_code)]
#[path = "bin/07_scale.rs"]
pub mod scale;

#[allow(dead_code)]
#[cfg_attr(feature = "my-solutions", path = "../exercises/ex1_gather.rs")]
#[cfg_attr(
    not(feature = "my-solutions"),
    path = "../exercises/solutions/ex1_gather.rs"
)]
pub mod ex1_gather;

#[allow(dead_code)]
#[cfg_attr(feature = "my-solutions", path = "../exercises/ex2_scoped_threads.rs")]
#[cfg_attr(
    not(feature = "my-solutions"),
    path = "../exercises/solutions/ex2_scoped_threads.rs"
)]
pub mod ex2_scoped_threads;
