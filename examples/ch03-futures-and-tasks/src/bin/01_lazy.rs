//! A future does nothing until it is awaited; a spawned task starts without being
//! awaited.
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

// ANCHOR: lazy
/// The work: it says that it runs, and counts how many times it has run.
pub async fn job(runs: Arc<AtomicU32>) {
    println!("  the job runs");
    runs.fetch_add(1, Ordering::SeqCst);
}

/// Creates a future and drops it without awaiting it. Returns how often the job
/// ran. Like calling a Python `async def` without `await`: you get a coroutine
/// object that has not started. No runtime is needed: creating a future is plain
/// synchronous code.
pub fn create_then_drop() -> u32 {
    let runs = Arc::new(AtomicU32::new(0));
    let future = job(Arc::clone(&runs)); // builds the future; no line of `job` runs
    drop(future); // never polled, so it never ran, and now it never will
    runs.load(Ordering::SeqCst)
}

/// Creates a future, then awaits it: the `.await` is what runs the job.
pub async fn create_then_await() -> u32 {
    let runs = Arc::new(AtomicU32::new(0));
    let future = job(Arc::clone(&runs));
    println!("  created: ran {} times", runs.load(Ordering::SeqCst));
    future.await; // polls it until it is done
    runs.load(Ordering::SeqCst)
}
// ANCHOR_END: lazy

// ANCHOR: spawn
/// Spawns the job and drops its `JoinHandle` without awaiting it. Returns how often
/// the job had run right after the spawn, and after this task let the runtime run
/// others. Like `asyncio.create_task` (or a JavaScript promise): the work starts on
/// its own.
pub async fn spawn_then_yield() -> (u32, u32) {
    let runs = Arc::new(AtomicU32::new(0));
    // the runtime now owns the task
    let handle = tokio::spawn(job(Arc::clone(&runs)));
    // dropping a JoinHandle leaves the task running; it does not stop it
    drop(handle);
    let right_after = runs.load(Ordering::SeqCst);
    println!("  spawned: ran {right_after} times (main still has the only thread)");
    tokio::task::yield_now().await; // step aside: the runtime runs the ready tasks
    let after_yield = runs.load(Ordering::SeqCst);
    println!("  main yielded once: ran {after_yield} time");
    (right_after, after_yield)
}
// ANCHOR_END: spawn

// ANCHOR: main
// One thread: a spawned task can run only while main is waiting at an `.await`.
#[tokio::main(flavor = "current_thread")]
async fn main() {
    if std::env::args().len() > 1 {
        eprintln!("usage: 01_lazy (it takes no arguments)");
        std::process::exit(2);
    }
    println!("create a future, then drop it:");
    println!("  ran {} times", create_then_drop());

    println!("create a future, then await it:");
    println!("  ran {} time", create_then_await().await);

    println!("spawn a task, then drop its handle:");
    spawn_then_yield().await;
}
// ANCHOR_END: main
