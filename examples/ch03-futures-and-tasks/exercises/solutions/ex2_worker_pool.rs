//! Exercise 2 (solution): a worker pool, N workers that take jobs from one shared `mpsc` queue.
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{Mutex, mpsc};
use tokio::time::{Instant, sleep};

// ANCHOR: solution
/// Runs `process` on every job, on `workers` tasks that take jobs from one shared
/// queue, so that at most `workers` jobs are in progress at once. Returns `(job,
/// result)` for every job, in the order they finished. Panics if `workers` is 0.
// ANCHOR: pool
pub async fn worker_pool<F, Fut>(
    workers: usize,
    jobs: Vec<u64>,
    process: F,
) -> Vec<(u64, u64)>
where
    F: Fn(u64) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = u64> + Send + 'static,
{
    assert!(workers > 0, "a pool needs at least one worker");
    let (job_sender, job_receiver) = mpsc::channel(workers);
    let (result_sender, mut result_receiver) = mpsc::channel(workers);
    // One receiver, shared: a worker locks it only while it takes the next job.
    let job_receiver = Arc::new(Mutex::new(job_receiver));
    let process = Arc::new(process);

    for _ in 0..workers {
        let process = Arc::clone(&process);
        spawn_worker(Arc::clone(&job_receiver), result_sender.clone(), process);
    }
    // only the workers' copies are left: the results end when they do
    drop(result_sender);

    // Feed the queue from a task of its own: it waits whenever the workers are
    // busy (backpressure) while we collect results here.
    tokio::spawn(async move {
        for job in jobs {
            if job_sender.send(job).await.is_err() {
                break;
            }
        }
    }); // the feeder's sender is dropped here: the queue closes once it is empty

    let mut results = Vec::new();
    while let Some(result) = result_receiver.recv().await {
        results.push(result);
    }
    results
}
// ANCHOR_END: pool

// ANCHOR: worker
/// One worker: takes the next job from the shared queue, processes it, sends the
/// result, until the queue is closed and empty.
fn spawn_worker<F, Fut>(
    jobs: Arc<Mutex<mpsc::Receiver<u64>>>,
    results: mpsc::Sender<(u64, u64)>,
    process: Arc<F>,
) where
    F: Fn(u64) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = u64> + Send + 'static,
{
    tokio::spawn(async move {
        loop {
            // The lock guard is a temporary of this statement: it is released as
            // soon as a job is taken. (In `while let Some(job) =
            // jobs.lock().await.recv().await` it would be held through the whole
            // body, and only one worker could work.)
            let next = jobs.lock().await.recv().await;
            let Some(job) = next else { break }; // queue closed and empty: done
            let result = process(job).await;
            if results.send((job, result)).await.is_err() {
                break; // nobody is collecting results any more
            }
        }
    });
}
// ANCHOR_END: worker
// ANCHOR_END: solution

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
