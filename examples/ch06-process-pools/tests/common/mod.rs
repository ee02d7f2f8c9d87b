//! Helpers shared by the crate's test files.
#![allow(dead_code)] // each test file uses some of them

/// A rayon pool of exactly `threads` threads.
pub fn pool(threads: usize) -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("a small pool can be built")
}

/// A current-thread runtime with timers, on tokio's paused clock when `paused`.
pub fn current_thread(paused: bool) -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(paused)
        .build()
        .expect("a runtime can be built")
}
