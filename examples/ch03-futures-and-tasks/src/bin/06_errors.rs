//! Errors among many: `join_all` waits for every result; `try_join_all` stops at
//! the first error.
use std::fmt::Display;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::future::{join_all, try_join_all};
use tokio::time::{Instant, sleep};

/// A shared record of what happened and when, in milliseconds since the log was
/// started.
#[derive(Clone)]
pub struct Log {
    start: Instant,
    lines: Arc<Mutex<Vec<String>>>,
}

impl Log {
    pub fn starting_now() -> Log {
        let lines = Arc::new(Mutex::new(Vec::new()));
        Log { start: Instant::now(), lines }
    }

    pub fn note(&self, what: impl Display) {
        let ms = self.start.elapsed().as_millis();
        let mut lines = self.lines.lock().expect("no one panics holding the log");
        lines.push(format!("{ms:>4} ms: {what}"));
    }

    pub fn lines(&self) -> Vec<String> {
        self.lines.lock().expect("no one panics holding the log").clone()
    }
}

// ANCHOR: guard
/// Notes in the log when it is dropped while its job is unfinished: the job was
/// cancelled.
pub struct DropGuard {
    job: u32,
    finished: bool,
    log: Log,
}

impl Drop for DropGuard {
    fn drop(&mut self) {
        if !self.finished {
            self.log.note(format!("job {} dropped before finishing", self.job));
        }
    }
}
// ANCHOR_END: guard

// ANCHOR: job
/// Job `n` takes `n * 100` ms (the sleep stands in for IO), then succeeds; job 2
/// fails.
pub async fn job(n: u32, log: Log) -> Result<u32, String> {
    let mut guard = DropGuard { job: n, finished: false, log: log.clone() };
    sleep(Duration::from_millis(100 * u64::from(n))).await;
    guard.finished = true; // past the last `.await`: nothing can stop this job now
    if n == 2 {
        log.note("job 2 failed");
        return Err("job 2 failed".to_string());
    }
    log.note(format!("job {n} finished"));
    Ok(n * 10)
}
// ANCHOR_END: job

// ANCHOR: all
/// Runs jobs 1 to 3 together and waits for every one of them: all three results
/// come back, the errors among them (Python: `gather(...,
/// return_exceptions=True)`).
pub async fn collect_every_result(log: &Log) -> Vec<Result<u32, String>> {
    join_all((1..=3).map(|n| job(n, log.clone()))).await
}

/// Runs them together but stops at the first error. The jobs still running are
/// futures owned by `try_join_all`; when it returns, it drops them, and a dropped
/// future is cancelled. (Python's `gather` raises the first exception but leaves
/// the other tasks running; `asyncio.TaskGroup` cancels them, as this does.)
pub async fn stop_at_first_error(log: &Log) -> Result<Vec<u32>, String> {
    try_join_all((1..=3).map(|n| job(n, log.clone()))).await
}

/// The same with `try_join!`, for a fixed number of futures (which may differ in
/// type).
pub async fn stop_at_first_error_macro(
    log: &Log,
) -> Result<(u32, u32, u32), String> {
    tokio::try_join!(job(1, log.clone()), job(2, log.clone()), job(3, log.clone()))
}
// ANCHOR_END: all

// ANCHOR: main
#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    if std::env::args().len() > 1 {
        eprintln!("usage: 06_errors (it takes no arguments)");
        std::process::exit(2);
    }
    // The clock is paused (virtual time), so the output is the same on every run.
    println!("join_all: every job runs to the end");
    let log = Log::starting_now();
    let results = collect_every_result(&log).await;
    log.note(format!("join_all returned {results:?}"));
    print_lines(&log);

    println!("try_join_all: the first error wins, the others are dropped");
    let log = Log::starting_now();
    let result = stop_at_first_error(&log).await;
    log.note(format!("try_join_all returned {result:?}"));
    // Python's `gather` (without return_exceptions) raises here too, but leaves job
    // 3 running in the background: it would still print "job 3 finished" at 300 ms.
    sleep(Duration::from_secs(1)).await;
    let finished = log.lines().iter().any(|line| line.ends_with("job 3 finished"));
    log.note(format!("one second later, job 3 has finished: {finished}"));
    print_lines(&log);

    println!("try_join!: the same, for a fixed set of futures");
    let log = Log::starting_now();
    let result = stop_at_first_error_macro(&log).await;
    log.note(format!("try_join! returned {result:?}"));
    print_lines(&log);
}
// ANCHOR_END: main

fn print_lines(log: &Log) {
    for line in log.lines() {
        println!("  {line}");
    }
}
