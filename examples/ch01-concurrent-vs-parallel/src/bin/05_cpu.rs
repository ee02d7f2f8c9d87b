//! CPU-bound work four ways: one after another, as async tasks, on threads, and
//! with rayon.
use std::collections::HashSet;
use std::thread;
use std::time::{Duration, Instant};

use rayon::prelude::*;

/// One finished job: its id, the thread it ran on, and when it started and ended.
pub type Span = (u32, String, Duration, Duration);
/// One job's result: the primes it counted, and when and where it ran.
pub type Done = (u64, Span);

/// How many jobs, and how many numbers each job checks for primality.
pub const JOBS: u32 = 8;
pub const NUMBERS_PER_JOB: u64 = 5_000;

// ANCHOR: work
/// Real CPU work the optimiser cannot skip: counts the primes in one slice of
/// numbers by trial division. Every job gets a slice of the same size, far from
/// zero, so all jobs cost about the same.
pub fn job(id: u32) -> u64 {
    let first = 1_000_000_000 + u64::from(id) * NUMBERS_PER_JOB;
    (first..first + NUMBERS_PER_JOB).filter(|&n| is_prime(n)).count() as u64
}

fn is_prime(n: u64) -> bool {
    let mut divisor = 2;
    while divisor * divisor <= n {
        if n.is_multiple_of(divisor) {
            return false;
        }
        divisor += 1;
    }
    n >= 2
}
// ANCHOR_END: work

/// Runs `job(id)` and records when it ran and on which thread.
fn timed(start: Instant, id: u32) -> Done {
    let began = start.elapsed();
    let primes = job(id);
    let thread = format!("{:?}", thread::current().id());
    (primes, (id, thread, began, start.elapsed()))
}

// ANCHOR: sequential
pub fn sequential(start: Instant) -> Vec<Done> {
    (0..JOBS).map(|id| timed(start, id)).collect()
}
// ANCHOR_END: sequential

// ANCHOR: tasks
/// Tasks on a one-thread runtime: a task that never awaits never lets another one
/// run.
pub fn async_one_thread(start: Instant) -> Vec<Done> {
    let runtime =
        tokio::runtime::Builder::new_current_thread().build().expect("a runtime");
    runtime.block_on(async {
        let tasks: Vec<_> = (0..JOBS)
            .map(|id| tokio::spawn(async move { timed(start, id) }))
            .collect();
        let mut results = Vec::new();
        for task in tasks {
            results.push(task.await.expect("a job does not panic"));
        }
        results
    })
}
// ANCHOR_END: tasks

// ANCHOR: threads
/// One OS thread per job: the operating system runs them on every core at once.
pub fn threads(start: Instant) -> Vec<Done> {
    thread::scope(|scope| {
        let handles: Vec<_> =
            (0..JOBS).map(|id| scope.spawn(move || timed(start, id))).collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a job does not panic"))
            .collect()
    })
}
// ANCHOR_END: threads

// ANCHOR: rayon
/// rayon spreads the jobs over a pool with one thread per logical CPU.
pub fn rayon(start: Instant) -> Vec<Done> {
    (0..JOBS).into_par_iter().map(|id| timed(start, id)).collect()
}
// ANCHOR_END: rayon

fn main() {
    if std::env::args().len() > 1 {
        eprintln!("usage: 05_cpu (it takes no arguments)");
        std::process::exit(2);
    }
    println!(
        "{JOBS} jobs, each counting the primes among {NUMBERS_PER_JOB} numbers"
    );
    report("one after another", sequential);
    report("async tasks, 1 thread", async_one_thread);
    report("one thread per job", threads);
    report("rayon par_iter", rayon);
}

/// Runs the jobs one way, then prints the primes found, the threads used and the
/// time taken.
fn report(name: &str, way: fn(Instant) -> Vec<Done>) {
    let start = Instant::now();
    let results = way(start);
    let elapsed = start.elapsed();
    let primes: u64 = results.iter().map(|(primes, _)| primes).sum();
    let threads: HashSet<&String> =
        results.iter().map(|(_, span)| &span.1).collect();
    println!(
        "{name:<22} {primes} primes, {:>2} thread(s), {:>4} ms",
        threads.len(),
        elapsed.as_millis()
    );
}
