//! Exercise 2 (starter): a worker pool, N workers that take jobs from one shared `mpsc` queue.
use std::future::Future;
use std::time::Duration;

use tokio::time::{Instant, sleep};

// ANCHOR: todo
/// Runs `process` on every job, on `workers` tasks that take jobs from one shared
/// queue, so that at most `workers` jobs are in progress at once. Returns `(job,
/// result)` for every job, in the order they finished. Panics if `workers` is 0.
pub async fn worker_pool<F, Fut>(
    workers: usize,
    jobs: Vec<u64>,
    process: F,
) -> Vec<(u64, u64)>
where
    F: Fn(u64) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = u64> + Send + 'static,
{
    // A plan, with the tools it needs:
    // 1. a queue of jobs, `tokio::sync::mpsc::channel`, and a channel for the
    //    results;
    // 2. one `Receiver` for all the workers: share it as
    //    `Arc<tokio::sync::Mutex<_>>`, and `process` as an `Arc` too;
    // 3. spawn `workers` tasks that each loop: lock the receiver, take a job,
    //    *release the lock*, process the job, send `(job, result)` back;
    // 4. send every job into the queue (from a task of its own if the queue is
    //    small), and drop every sender you hold so that each loop sees its channel
    //    close;
    // 5. collect the results until that channel closes.
    let _ = (workers, jobs, process); // remove this line when you start
    todo!("run every job once, on at most `workers` tasks at a time")
}
// ANCHOR_END: todo

#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    // The clock is paused (virtual time), so the time printed is the same on every
    // run.
    let start = Instant::now();
    let jobs: Vec<u64> = (1..=12).collect();
    let mut results = worker_pool(3, jobs, |job| async move {
        sleep(Duration::from_millis(100)).await; // stands in for 100 ms of IO
        job * job
    })
    .await;
    let ms = start.elapsed().as_millis();
    println!("12 jobs of 100 ms on 3 workers took {ms} ms");
    results.sort();
    println!("results: {results:?}");
}
