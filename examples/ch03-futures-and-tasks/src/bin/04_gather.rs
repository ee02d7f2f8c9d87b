//! The sequential-await mistake, and `join!` / `join_all` (asyncio's `gather`) that
//! wait for all at once.
use std::time::Duration;

use futures::future::join_all;
use tokio::time::{Instant, sleep};

/// One finished job: its id, the thread it ran on, and when it started and ended.
pub type Span = (u32, String, Duration, Duration);

/// How long jobs 1, 2 and 3 wait.
pub const WAITS: [Duration; 3] = [
    Duration::from_millis(100),
    Duration::from_millis(200),
    Duration::from_millis(300),
];

// ANCHOR: job
/// A stand-in for an IO call: the sleep is where real code would wait for a reply.
/// Reports when it started and ended, counted from `t0`.
async fn job(id: u32, wait: Duration, t0: Instant) -> Span {
    // read at the first poll: that is when a future starts
    let began = t0.elapsed();
    sleep(wait).await;
    let thread = format!("{:?}", std::thread::current().id());
    (id, thread, began, t0.elapsed())
}
// ANCHOR_END: job

// ANCHOR: sequential
/// The mistake: each `.await` finishes one job before the next one is even created.
pub async fn sequential(waits: [Duration; 3]) -> Vec<Span> {
    let t0 = Instant::now();
    let a = job(1, waits[0], t0).await; // nothing else happens while this waits
    let b = job(2, waits[1], t0).await;
    let c = job(3, waits[2], t0).await;
    vec![a, b, c]
}
// ANCHOR_END: sequential

// ANCHOR: join
/// `join!` polls all three futures in turn until every one is done, then gives back
/// their results in the order written.
pub async fn joined(waits: [Duration; 3]) -> Vec<Span> {
    let t0 = Instant::now();
    let (a, b, c) = tokio::join!(
        job(1, waits[0], t0),
        job(2, waits[1], t0),
        job(3, waits[2], t0),
    );
    vec![a, b, c]
}

/// `join_all` does the same for any number of futures, like
/// `asyncio.gather(*jobs)`.
pub async fn gathered(waits: &[Duration]) -> Vec<Span> {
    let t0 = Instant::now();
    let jobs = waits.iter().zip(1..).map(|(&wait, id)| job(id, wait, t0));
    // results in the order of `jobs`, not the order they finished
    join_all(jobs).await
}
// ANCHOR_END: join

// ANCHOR: loops
/// Fine: every task is running from its spawn, so the loop just collects results.
pub async fn spawn_then_await_each(waits: &[Duration]) -> Vec<Span> {
    let t0 = Instant::now();
    let handles: Vec<_> = (waits.iter().zip(1..))
        .map(|(&wait, id)| tokio::spawn(job(id, wait, t0)))
        .collect();
    let mut spans = Vec::new();
    for handle in handles {
        // all running already
        spans.push(handle.await.expect("a job does not panic"));
    }
    spans
}

/// The mistake again, in disguise: creating futures starts none of them.
pub async fn create_then_await_each(waits: &[Duration]) -> Vec<Span> {
    let t0 = Instant::now();
    let futures: Vec<_> =
        (waits.iter().zip(1..)).map(|(&wait, id)| job(id, wait, t0)).collect();
    let mut spans = Vec::new();
    for future in futures {
        // each job starts only here, after the one before ended
        spans.push(future.await);
    }
    spans
}
// ANCHOR_END: loops

// ANCHOR: main
// The clock is paused (start_paused), so the times printed are the same on every
// run.
#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    if std::env::args().len() > 1 {
        eprintln!("usage: 04_gather (it takes no arguments)");
        std::process::exit(2);
    }
    println!("{:<24}{:<11}{:<11}{:<11}done at", "", "job 1", "job 2", "job 3");
    row("one after another", sequential(WAITS)).await;
    row("join!", joined(WAITS)).await;
    row("join_all", gathered(&WAITS)).await;
    row("spawn, then await each", spawn_then_await_each(&WAITS)).await;
    row("create, then await each", create_then_await_each(&WAITS)).await;
}
// ANCHOR_END: main

/// Runs one way of doing the three jobs and prints when each ran, in milliseconds.
async fn row(name: &str, run: impl Future<Output = Vec<Span>>) {
    let t0 = Instant::now();
    let spans = run.await;
    let mut line = format!("{name:<24}");
    for (_, _, began, ended) in spans {
        let ran = format!("{}-{}", began.as_millis(), ended.as_millis());
        line += &format!("{ran:<11}");
    }
    println!("{line}{} ms", t0.elapsed().as_millis());
}
