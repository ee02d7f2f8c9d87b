//! Spawned tasks under a limit: take the permit before `tokio::spawn`, and no more
//! than N tasks ever exist.
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tokio::runtime::Handle;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;
use tokio::time::{Instant, sleep};

/// How many jobs, how many may run at once, and how long each one takes.
pub const JOBS: usize = 1000;
pub const LIMIT: usize = 10;
pub const JOB_TIME: Duration = Duration::from_millis(100);

// ANCHOR: alive
/// The most spawned tasks that were alive at once. The runtime's count of live
/// tasks goes up when a task is spawned and down when one ends, so reading it after
/// each spawn finds its peak. (Exact on this current_thread runtime; on a
/// multi-thread runtime it is a metric, not a strongly consistent count.)
#[derive(Default)]
pub struct MostAlive(AtomicUsize);

impl MostAlive {
    fn note(&self) {
        let alive = Handle::current().metrics().num_alive_tasks();
        self.0.fetch_max(alive, Ordering::SeqCst);
    }
}
// ANCHOR_END: alive

impl MostAlive {
    /// The most tasks alive at once.
    pub fn get(&self) -> usize {
        self.0.load(Ordering::SeqCst)
    }
}

/// A stand-in for an IO call that takes `JOB_TIME`.
async fn job(id: usize) -> usize {
    sleep(JOB_TIME).await;
    id
}

// ANCHOR: inside
/// The permit is taken inside the task: all `jobs` tasks are spawned at once, and
/// all but `limit` of them sit waiting for a permit.
pub async fn acquire_inside(
    jobs: usize,
    limit: usize,
    most: &MostAlive,
) -> Vec<usize> {
    let semaphore = Arc::new(Semaphore::new(limit));
    let mut tasks = JoinSet::new();
    for id in 0..jobs {
        let semaphore = Arc::clone(&semaphore);
        tasks.spawn(async move {
            let _permit = semaphore.acquire().await.expect("never closed");
            job(id).await
        });
        most.note();
    }
    tasks.join_all().await
}
// ANCHOR_END: inside

// ANCHOR: before
/// The permit is taken before the spawn and moved into the task: the loop waits
/// while `limit` tasks run, so no more than `limit` tasks exist.
pub async fn acquire_before(
    jobs: usize,
    limit: usize,
    most: &MostAlive,
) -> Vec<usize> {
    let semaphore = Arc::new(Semaphore::new(limit));
    let mut tasks = JoinSet::new();
    let mut results = Vec::with_capacity(jobs);
    for id in 0..jobs {
        // waits here while `limit` tasks hold a permit
        let permit =
            Arc::clone(&semaphore).acquire_owned().await.expect("never closed");
        tasks.spawn(async move {
            let _permit = permit; // given back when the task ends
            job(id).await
        });
        most.note();
        // reap the finished tasks: the set keeps each one's output until it is
        // joined, so without this it would grow by one output per job
        while let Some(done) = tasks.try_join_next() {
            results.push(done.expect("a job panicked"));
        }
    }
    results.extend(tasks.join_all().await);
    results
}
// ANCHOR_END: before

// ANCHOR: main
// The clock is paused (start_paused), so the times printed are the same on every
// run.
#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    // ANCHOR_END: main
    if std::env::args().len() > 1 {
        eprintln!("usage: 08_spawned_tasks (it takes no arguments)");
        std::process::exit(2);
    }
    // ANCHOR: main
    println!(
        "{JOBS} jobs of {} ms, at most {LIMIT} at a time",
        JOB_TIME.as_millis()
    );
    println!(
        "{:<22}{:<18}{:<11}results",
        "permit taken", "most tasks alive", "done at"
    );
    let (most, t0) = (MostAlive::default(), Instant::now());
    let results = acquire_inside(JOBS, LIMIT, &most).await;
    show("inside the task", &most, t0, &results);
    let (most, t0) = (MostAlive::default(), Instant::now());
    let results = acquire_before(JOBS, LIMIT, &most).await;
    show("before the spawn", &most, t0, &results);
}
// ANCHOR_END: main

/// One row: the most tasks alive at once, when the last job ended, and how many
/// results came back.
fn show(name: &str, most: &MostAlive, t0: Instant, results: &[usize]) {
    let done = format!("{} ms", t0.elapsed().as_millis());
    println!("{name:<22}{:<18}{done:<11}{}", most.get(), results.len());
}
