//! Batches to worker threads, each running its own tokio runtime, under one shared
//! rate limit.
use std::hint::black_box;
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use futures::future::join_all;
use rayon::prelude::*;
use throttle::LeakyBucket;
use tokio::time::sleep;

// ANCHOR: item
/// One item's CPU work: the sum of the squares below it.
pub fn work(item: u64) -> u128 {
    (0..item).map(|i| u128::from(black_box(i)).pow(2)).sum()
}

/// One item: a rate-limited call (a sleep of `io` stands in for it), then CPU work.
pub async fn handle(item: u64, limiter: &LeakyBucket, io: Duration) -> u128 {
    limiter.acquire().await; // wait for our turn under the shared limit
    if !io.is_zero() {
        // the call itself (tokio's timer counts whole milliseconds)
        sleep(io).await;
    }
    work(item)
}
// ANCHOR_END: item

// ANCHOR: batch
/// One batch: all its items at once on this thread's runtime. The limiter spaces
/// out the calls; the results come back in the batch's order.
pub async fn process_batch(
    batch: &[u64],
    limiter: &LeakyBucket,
    io: Duration,
) -> Vec<u128> {
    join_all(batch.iter().map(|&item| handle(item, limiter, io))).await
}
// ANCHOR_END: batch

/// Splits `items` into batches of `batch_size` and processes them on `workers`
/// threads. Each thread builds a one-thread tokio runtime and takes batches one at
/// a time from a shared counter until none are left. Returns one result per item,
/// in the input's order.
pub fn run_pool(
    items: &[u64],
    workers: usize,
    batch_size: usize,
    limiter: &LeakyBucket,
    io: Duration,
) -> Result<Vec<u128>, String> {
    if workers == 0 || batch_size == 0 {
        return Err("workers and batch size must both be at least 1".to_owned());
    }
    // ANCHOR: pool
    let batches: Vec<&[u64]> = items.chunks(batch_size).collect();
    // the index of the next batch nobody has taken yet
    let next = AtomicUsize::new(0);
    let worker = || -> std::io::Result<Vec<(usize, Vec<u128>)>> {
        let runtime =
            tokio::runtime::Builder::new_current_thread().enable_time().build()?;
        let mut done = Vec::new();
        loop {
            let index = next.fetch_add(1, Ordering::Relaxed);
            let Some(batch) = batches.get(index) else {
                return Ok(done); // no batches left
            };
            done.push((index, runtime.block_on(process_batch(batch, limiter, io))));
        }
    };
    let finished = std::thread::scope(|scope| {
        let mut threads = Vec::new();
        for _ in 0..workers {
            threads.push(std::thread::Builder::new().spawn_scoped(scope, worker)?);
        }
        let mut finished = Vec::new();
        for thread in threads {
            finished.extend(thread.join().expect("a worker does not panic")?);
        }
        Ok::<_, std::io::Error>(finished)
    })
    .map_err(|e| format!("cannot start a worker: {e}"))?;
    // ANCHOR_END: pool
    // Put the batches back in order: the workers finished them in any order.
    let mut by_batch = vec![Vec::new(); batches.len()];
    for (index, results) in finished {
        by_batch[index] = results;
    }
    Ok(by_batch.concat())
}

// ANCHOR: cpu_only
/// When the items wait for nothing, no runtime is needed: rayon's `par_chunks`
/// hands the same batches to its threads. One result per item, in the input's
/// order.
pub fn cpu_only(items: &[u64], batch_size: usize) -> Vec<u128> {
    items
        .par_chunks(batch_size)
        .flat_map_iter(|batch| batch.iter().map(|&item| work(item)))
        .collect()
}
// ANCHOR_END: cpu_only

/// A limiter so generous that it never makes anyone wait (for runs without a
/// limit).
pub fn no_limit() -> LeakyBucket {
    LeakyBucket::new(u32::MAX, Duration::from_nanos(1))
}

/// The least time `count` calls can take under `limiter`: all but the first
/// `max_rate` must wait for the bucket to drain, one every `time_period /
/// max_rate`; then the last call itself takes `io`.
pub fn least_time(count: usize, limiter: &LeakyBucket, io: Duration) -> Duration {
    let rate = limiter.max_rate() as usize;
    let waiting = count.saturating_sub(rate) as u32;
    limiter.time_period() * waiting / limiter.max_rate() + io
}

const WORKERS: usize = 3;
const BATCH_SIZE: usize = 4;
const IO: Duration = Duration::from_millis(20);

fn main() -> ExitCode {
    if std::env::args().len() > 1 {
        eprintln!("usage: 04_batches_threads (it takes no arguments)");
        std::process::exit(2);
    }
    let items: Vec<u64> = (1..=24).collect();
    // ANCHOR: main
    // One limiter for every worker: 10 calls per 100 ms in all, however many
    // threads.
    let limiter = LeakyBucket::new(10, Duration::from_millis(100));
    let start = std::time::Instant::now();
    let results = match run_pool(&items, WORKERS, BATCH_SIZE, &limiter, IO) {
        Ok(results) => results,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::FAILURE;
        }
    };
    let took = start.elapsed();
    // ANCHOR_END: main
    let one_by_one: Vec<u128> = items.iter().map(|&item| work(item)).collect();
    let least = least_time(items.len(), &limiter, IO);
    println!(
        "{} items in batches of {BATCH_SIZE}, on {WORKERS} threads with a runtime each",
        items.len()
    );
    println!(
        "one limit shared by all: at most {} calls per {} ms",
        limiter.max_rate(),
        limiter.time_period().as_millis()
    );
    println!(
        "results: {}, the same as one by one: {}",
        results.len(),
        results == one_by_one
    );
    let kept = if took >= least { "kept" } else { "broken" };
    println!(
        "took {} ms; the limit allows no less than {} ms: {kept}",
        took.as_millis(),
        least.as_millis()
    );
    ExitCode::SUCCESS
}
