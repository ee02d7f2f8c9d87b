//! At most N in flight: a `Semaphore`, `buffer_unordered(n)`, and a small pool over
//! `FuturesUnordered`.
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use futures::stream::{self, FuturesUnordered, StreamExt};
use tokio::sync::Semaphore;
use tokio::time::{Instant, sleep};

/// How long each job takes, in milliseconds.
pub const JOBS_MS: [u64; 10] = [300, 100, 200, 100, 400, 100, 200, 300, 100, 200];
/// The most jobs allowed in flight at once.
pub const LIMIT: usize = 3;

/// Counts the jobs in flight, keeps the most ever seen (the high-water mark), and
/// records every change with its time, for the plot.
pub struct Gauge {
    t0: Instant,
    now: AtomicUsize,
    most: AtomicUsize,
    changes: Mutex<Vec<(Duration, usize)>>,
}

impl Gauge {
    pub fn new() -> Self {
        Gauge {
            t0: Instant::now(),
            now: AtomicUsize::new(0),
            most: AtomicUsize::new(0),
            changes: Mutex::new(vec![(Duration::ZERO, 0)]),
        }
    }

    fn leave(&self) {
        let now = self.now.fetch_sub(1, Ordering::SeqCst) - 1;
        self.record(now);
    }

    fn record(&self, now: usize) {
        let mut changes = self.changes.lock().expect("no thread panics holding it");
        changes.push((self.t0.elapsed(), now));
    }

    /// The most jobs that were ever in flight at once.
    pub fn most(&self) -> usize {
        self.most.load(Ordering::SeqCst)
    }

    /// The count of jobs in flight after each change, with when it changed.
    pub fn changes(&self) -> Vec<(Duration, usize)> {
        self.changes.lock().expect("no thread panics holding it").clone()
    }

    // ANCHOR: gauge
    /// Counts one job in, and out again when the returned guard is dropped: when
    /// the job ends, and also when it is cancelled half-way (a timeout, an aborted
    /// task).
    fn enter(&self) -> InFlight<'_> {
        let now = self.now.fetch_add(1, Ordering::SeqCst) + 1;
        self.most.fetch_max(now, Ordering::SeqCst);
        self.record(now);
        InFlight(self)
    }
}

/// One job in flight; dropping it counts the job out.
pub struct InFlight<'a>(&'a Gauge);

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.leave();
    }
}
// ANCHOR_END: gauge

impl Default for Gauge {
    fn default() -> Self {
        Self::new()
    }
}

/// One finished job: its id, and when it started and ended (counted from the
/// gauge's start).
pub type Run = (usize, Duration, Duration);

// ANCHOR: job
/// A stand-in for an IO call (an HTTP request, a query): the sleep is where real
/// code would wait for the reply. The gauge counts it while it runs.
pub async fn job(id: usize, ms: u64, gauge: &Gauge) -> Run {
    let _in_flight = gauge.enter(); // counted out when dropped, even if cancelled
    let start = gauge.t0.elapsed();
    sleep(Duration::from_millis(ms)).await;
    (id, start, gauge.t0.elapsed())
}
// ANCHOR_END: job

// ANCHOR: unlimited
/// No limit: every job starts at once.
pub async fn unlimited(jobs: &[u64], gauge: &Gauge) -> Vec<Run> {
    let all = jobs.iter().enumerate().map(|(id, &ms)| job(id, ms, gauge));
    futures::future::join_all(all).await
}
// ANCHOR_END: unlimited

// ANCHOR: semaphore
/// A semaphore with `n` permits: every job is created at once, but each one waits
/// for a permit before it starts, and gives it back when it ends (when `_permit` is
/// dropped).
pub async fn with_semaphore(jobs: &[u64], n: usize, gauge: &Gauge) -> Vec<Run> {
    assert!(n > 0, "with no permits no job could ever start");
    let semaphore = Semaphore::new(n);
    let all = jobs.iter().enumerate().map(|(id, &ms)| {
        let semaphore = &semaphore;
        async move {
            let _permit = semaphore.acquire().await.expect("never closed");
            job(id, ms, gauge).await
        }
    });
    futures::future::join_all(all).await // results in input order
}
// ANCHOR_END: semaphore

// ANCHOR: buffer_unordered
/// A stream of jobs, polled at most `n` at a time; results come out as they finish.
pub async fn with_buffer_unordered(
    jobs: &[u64],
    n: usize,
    gauge: &Gauge,
) -> Vec<Run> {
    assert!(n > 0, "with room for none no job could ever start");
    stream::iter(jobs.iter().enumerate())
        .map(|(id, &ms)| job(id, ms, gauge)) // makes futures; nothing runs yet
        .buffer_unordered(n)
        .collect()
        .await
}
// ANCHOR_END: buffer_unordered

// ANCHOR: pool
/// Runs `f` on every input, at most `n` at a time; results in the order they
/// finish.
///
/// Start `n`, then each time one finishes, start the next: the set never holds more
/// than `n`.
pub async fn map_unordered<T, R, Fut>(
    inputs: impl IntoIterator<Item = T>,
    n: usize,
    mut f: impl FnMut(T) -> Fut,
) -> Vec<R>
where
    Fut: Future<Output = R>,
{
    assert!(n > 0, "with room for none no job could ever start");
    let mut inputs = inputs.into_iter();
    let mut running = FuturesUnordered::new();
    for input in inputs.by_ref().take(n) {
        running.push(f(input));
    }
    let mut results = Vec::new();
    while let Some(result) = running.next().await {
        results.push(result);
        if let Some(input) = inputs.next() {
            running.push(f(input)); // one out, one in
        }
    }
    results
}

// ANCHOR_END: pool

// ANCHOR: pool_ordered
/// The same pool, with results in input order: tag each input with its position,
/// then sort.
pub async fn map_ordered<T, R, Fut>(
    inputs: impl IntoIterator<Item = T>,
    n: usize,
    mut f: impl FnMut(T) -> Fut,
) -> Vec<R>
where
    Fut: Future<Output = R>,
{
    let tagged = inputs.into_iter().enumerate().map(|(i, input)| {
        let future = f(input);
        async move { (i, future.await) }
    });
    let mut results = map_unordered(tagged, n, |future| future).await;
    results.sort_by_key(|&(i, _)| i);
    results.into_iter().map(|(_, result)| result).collect()
}
// ANCHOR_END: pool_ordered

/// The pool, in completion order, on the chapter's jobs.
pub async fn with_pool_unordered(
    jobs: &[u64],
    n: usize,
    gauge: &Gauge,
) -> Vec<Run> {
    map_unordered(jobs.iter().enumerate(), n, |(id, &ms)| job(id, ms, gauge)).await
}

/// The pool, in input order, on the chapter's jobs.
pub async fn with_pool_ordered(jobs: &[u64], n: usize, gauge: &Gauge) -> Vec<Run> {
    map_ordered(jobs.iter().enumerate(), n, |(id, &ms)| job(id, ms, gauge)).await
}

// ANCHOR: main
// The clock is paused (start_paused), so the times printed are the same on every
// run.
#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    // ANCHOR_END: main
    if std::env::args().len() > 1 {
        eprintln!("usage: 03_in_flight (it takes no arguments)");
        std::process::exit(2);
    }
    // ANCHOR: main
    println!("{} jobs of {JOBS_MS:?} ms, at most {LIMIT} in flight", JOBS_MS.len());
    println!(
        "{:<22}{:<16}{:<9}order of the results",
        "", "most in flight", "done at"
    );
    let gauge = Gauge::new();
    show("no limit", unlimited(&JOBS_MS, &gauge).await, &gauge);
    let gauge = Gauge::new();
    show("Semaphore", with_semaphore(&JOBS_MS, LIMIT, &gauge).await, &gauge);
    let gauge = Gauge::new();
    let runs = with_buffer_unordered(&JOBS_MS, LIMIT, &gauge).await;
    show("buffer_unordered", runs, &gauge);
    let gauge = Gauge::new();
    show(
        "pool, map_unordered",
        with_pool_unordered(&JOBS_MS, LIMIT, &gauge).await,
        &gauge,
    );
    let gauge = Gauge::new();
    show(
        "pool, map_ordered",
        with_pool_ordered(&JOBS_MS, LIMIT, &gauge).await,
        &gauge,
    );
}
// ANCHOR_END: main

/// Prints one way's high-water mark, when its last job ended, and the order of its
/// results (job ids, as the results came back).
fn show(name: &str, runs: Vec<Run>, gauge: &Gauge) {
    let done = runs.iter().map(|&(_, _, end)| end).max().unwrap_or_default();
    let order: Vec<String> = runs.iter().map(|(id, _, _)| id.to_string()).collect();
    let done = format!("{} ms", done.as_millis());
    println!("{name:<22}{:<16}{done:<9}{}", gauge.most(), order.join(" "));
}
