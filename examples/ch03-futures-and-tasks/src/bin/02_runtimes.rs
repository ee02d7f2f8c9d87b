//! Runtimes by hand: `#[tokio::main]` unpacked, current-thread versus multi-thread,
//! and `block_on`.
use std::collections::HashSet;
use std::thread::{self, ThreadId};
use std::time::Duration;

use tokio::runtime::{Builder, Runtime};

// ANCHOR: sugar
/// Some async code to run: a reply after a short wait (the sleep stands in for IO).
pub async fn add_slowly(a: u32, b: u32) -> u32 {
    tokio::time::sleep(Duration::from_millis(10)).await;
    a + b
}

/// What `#[tokio::main] async fn main() { ... }` becomes, give or take: build a
/// runtime, then block this thread on one future until it is done (Python:
/// `asyncio.run(main())`).
pub fn main_by_hand() -> u32 {
    let runtime = Builder::new_multi_thread()
        .enable_all() // the timer and IO drivers: without them, `sleep` panics
        .build()
        .expect("a runtime can be built here: nothing else holds its threads");
    // the body of your async main
    runtime.block_on(async { add_slowly(1, 2).await })
}
// ANCHOR_END: sugar

// ANCHOR: flavors
/// `#[tokio::main(flavor = "current_thread")]`: every task runs on the thread that
/// called `block_on`, one at a time (asyncio's model).
pub fn current_thread() -> Runtime {
    Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime can be built here")
}

/// The default flavor: a pool of worker threads that share the tasks between them.
pub fn multi_thread(workers: usize) -> Runtime {
    Builder::new_multi_thread()
        .worker_threads(workers)
        .enable_all()
        .build()
        .expect("a runtime can be built here")
}
// ANCHOR_END: flavors

// ANCHOR: threads
/// Spawns `tasks` tasks on `runtime`. Each notes the thread it runs on, steps
/// aside, and notes it again. Returns every thread that ran a piece of some task.
pub fn threads_used(runtime: &Runtime, tasks: usize) -> HashSet<ThreadId> {
    runtime.block_on(async {
        let handles: Vec<_> = (0..tasks)
            .map(|_| {
                tokio::spawn(async {
                    let first = thread::current().id();
                    // it may resume on another worker
                    tokio::task::yield_now().await;
                    [first, thread::current().id()]
                })
            })
            .collect();
        let mut threads = HashSet::new();
        for handle in handles {
            threads.extend(handle.await.expect("these tasks do not panic"));
        }
        threads
    })
}
// ANCHOR_END: threads

// ANCHOR: main
// A plain `fn main`: no attribute. Async code runs only inside `block_on`.
fn main() {
    if std::env::args().len() > 1 {
        eprintln!("usage: 02_runtimes (it takes no arguments)");
        std::process::exit(2);
    }
    println!("#[tokio::main] by hand: 1 + 2 = {}", main_by_hand());
    let me = thread::current().id();

    let threads = threads_used(&current_thread(), 8);
    println!("current-thread runtime, 8 tasks:");
    println!(
        "  all on the thread that called block_on: {}",
        threads == HashSet::from([me])
    );

    let threads = threads_used(&multi_thread(2), 8);
    println!("multi-thread runtime with 2 workers, 8 tasks:");
    println!("  on at most 2 threads: {}", threads.len() <= 2);
    println!(
        "  none on the thread that called block_on: {}",
        !threads.contains(&me)
    );
}
// ANCHOR_END: main
