//! Define now, run later: ten promises are built and nothing runs until they are
//! awaited together.
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use ch04_promises::Promise;
use futures::future::join_all;
use tokio::time::{Instant, sleep};

/// One job's run: its id, and when it started and ended, counted from `t0`.
pub type Run = (u32, Duration, Duration);

/// How long each job waits (a stand-in for an IO call).
pub const WAIT: Duration = Duration::from_millis(100);

// ANCHOR: job
/// Describes one job. `started` counts the jobs that have really begun.
pub fn job(id: u32, t0: Instant, started: Arc<AtomicUsize>) -> Promise<Run> {
    Promise::insert(id)
        .map(move |id| {
            started.fetch_add(1, Ordering::SeqCst); // the job's first real action
            (id, t0.elapsed())
        })
        .then(|(id, began)| {
            Promise::new(async move {
                sleep(WAIT).await;
                (id, began)
            })
        })
        .map(move |(id, began)| (id, began, t0.elapsed()))
}
// ANCHOR_END: job

// ANCHOR: define_then_run
/// What happened: how many jobs had started before and after the `.await`, each
/// job's run, and how long the whole took.
pub struct Report {
    pub started_before_await: usize,
    pub started_after_await: usize,
    pub runs: Vec<Run>,
    pub total: Duration,
}

/// Builds `n` jobs at time 0, lets `idle` pass, then runs them all together.
pub async fn define_then_run(n: u32, idle: Duration) -> Report {
    let t0 = Instant::now();
    let started = Arc::new(AtomicUsize::new(0));
    let promises: Vec<Promise<Run>> =
        (1..=n).map(|id| job(id, t0, Arc::clone(&started))).collect();
    sleep(idle).await; // time passes; the promises are only values in a Vec
    let started_before_await = started.load(Ordering::SeqCst);
    let runs = join_all(promises).await; // now they run, all at once
    Report {
        started_before_await,
        started_after_await: started.load(Ordering::SeqCst),
        runs,
        total: t0.elapsed(),
    }
}
// ANCHOR_END: define_then_run

// ANCHOR: main
// The clock is paused (start_paused), so the times printed are the same on every
// run.
#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    // ANCHOR_END: main
    if std::env::args().len() > 1 {
        eprintln!("usage: 03_define_now_run_later (it takes no arguments)");
        std::process::exit(2);
    }
    // ANCHOR: main
    let report = define_then_run(10, Duration::from_millis(50)).await;
    println!("defined 10 promises at 0 ms; awaited them at 50 ms");
    println!("jobs started before the await: {}", report.started_before_await);
    println!("jobs started after the await:  {}", report.started_after_await);
    for (id, began, ended) in &report.runs {
        println!(
            "  job {id:>2} ran {:>3} -> {} ms",
            began.as_millis(),
            ended.as_millis()
        );
    }
    println!("all done at {} ms", report.total.as_millis());
}
// ANCHOR_END: main
