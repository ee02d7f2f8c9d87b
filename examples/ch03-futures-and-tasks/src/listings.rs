//! The chapter's listings and exercise solutions, compiled as modules of this
//! library.
//!
//! Each file is also a binary with its own `main`, which this library never calls;
//! hence the `dead_code` allowances. Items a test needs are `pub` in the listing
//! file.

#[allow(dead_code)]
#[path = "bin/01_lazy.rs"]
pub mod lazy;

#[allow(dead_code)]
#[path = "bin/02_runtimes.rs"]
pub mod runtimes;

#[allow(dead_code)]
#[path = "bin/03_spawn.rs"]
pub mod spawn;

#[allow(dead_code)]
#[path = "bin/04_gather.rs"]
pub mod gather;

#[allow(dead_code)]
#[path = "bin/05_first_completed.rs"]
pub mod first_completed;

#[allow(dead_code)]
#[path = "bin/06_errors.rs"]
pub mod errors;

#[allow(dead_code)]
#[path = "bin/07_cancellation.rs"]
pub mod cancellation;

#[allow(dead_code)]
#[path = "bin/08_structured.rs"]
pub mod structured;

#[allow(dead_code)]
#[path = "bin/09_channels.rs"]
pub mod channels;

#[allow(dead_code)]
#[path = "bin/10_sync_async.rs"]
pub mod sync_async;

#[allow(dead_code)]
#[path = "bin/11_task_errors.rs"]
pub mod task_errors;

#[allow(dead_code)]
#[path = "bin/12_task_group.rs"]
pub mod task_group;

#[allow(dead_code)]
#[path = "bin/13_shutdown.rs"]
pub mod shutdown;

#[allow(dead_code)]
#[path = "bin/14_send_static.rs"]
pub mod send_static;

#[allow(dead_code)]
#[path = "bin/15_shared_state.rs"]
pub mod shared_state;

#[allow(dead_code)]
#[path = "bin/16_one_shape.rs"]
pub mod one_shape;

#[allow(dead_code)]
#[cfg_attr(feature = "my-solutions", path = "../exercises/ex1_timeout.rs")]
#[cfg_attr(
    not(feature = "my-solutions"),
    path = "../exercises/solutions/ex1_timeout.rs"
)]
pub mod ex1_timeout;

#[allow(dead_code)]
#[cfg_attr(feature = "my-solutions", path = "../exercises/ex2_worker_pool.rs")]
#[cfg_attr(
    not(feature = "my-solutions"),
    path = "../exercises/solutions/ex2_worker_pool.rs"
)]
pub mod ex2_worker_pool;
