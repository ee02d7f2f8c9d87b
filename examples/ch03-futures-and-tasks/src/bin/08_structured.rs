//! Structured concurrency: a `JoinSet` shut down on the first error, and what
//! "shield" means.
use std::fmt::Display;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::task::JoinSet;
use tokio::time::{Instant, sleep, timeout};

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
        lines.push(format!("{ms:>3} ms: {what}"));
    }

    pub fn lines(&self) -> Vec<String> {
        self.lines.lock().expect("no one panics holding the log").clone()
    }
}

/// Notes in the log when it is dropped before `finished` is set: its work was
/// cancelled.
pub struct DropGuard {
    what: String,
    finished: bool,
    log: Log,
}

impl Drop for DropGuard {
    fn drop(&mut self) {
        if !self.finished {
            self.log.note(format!("{} dropped before finishing", self.what));
        }
    }
}

/// Job `n` takes `n * 100` ms (the sleep stands in for IO); job number `fails`
/// fails.
pub async fn job(n: u32, fails: Option<u32>, log: Log) -> Result<u32, String> {
    let mut guard =
        DropGuard { what: format!("job {n}"), finished: false, log: log.clone() };
    sleep(Duration::from_millis(100 * u64::from(n))).await;
    guard.finished = true;
    if Some(n) == fails {
        log.note(format!("job {n} failed"));
        return Err(format!("job {n} failed"));
    }
    log.note(format!("job {n} finished"));
    Ok(n * 10)
}

// ANCHOR: nursery
/// Runs jobs 1 to 3 as tasks in a `JoinSet` and waits for them. On the first error
/// it aborts the others and waits until each has stopped, so that none is left
/// running when it returns. (Half of a nursery: it keeps only the first error.)
pub async fn nursery(fails: Option<u32>, log: &Log) -> Result<Vec<u32>, String> {
    let mut set = JoinSet::new();
    for n in 1..=3 {
        set.spawn(job(n, fails, log.clone()));
    }
    let mut results = Vec::new();
    while let Some(joined) = set.join_next().await {
        match joined.expect("no job panics") {
            Ok(value) => results.push(value),
            Err(error) => {
                // Abort every task still in the set, and wait until each one has
                // stopped. (Dropping the set aborts them too, but does not wait:
                // their destructors would run later, after this function has
                // returned.)
                set.shutdown().await;
                return Err(error);
            }
        }
    }
    Ok(results) // the set is empty: every task has finished
}
// ANCHOR_END: nursery

// ANCHOR: shield
/// A save that takes 300 ms (the sleep stands in for a write that must not be cut
/// short).
pub async fn save(log: Log) {
    let mut guard = DropGuard {
        what: "the save".to_string(),
        finished: false,
        log: log.clone(),
    };
    sleep(Duration::from_millis(300)).await;
    guard.finished = true;
    log.note("the save finished");
}

/// A caller waits for the save, but is itself cancelled by a 100 ms timeout.
/// Shielded, the save runs as a task of its own; the caller only holds its
/// `JoinHandle`, and dropping a `JoinHandle` detaches the task, it does not cancel
/// it (Python: `asyncio.shield`). Then this carries on for 400 ms more, long enough
/// to see whether the save finishes.
pub async fn cancel_the_caller(shielded: bool, log: &Log) {
    let caller = async {
        if shielded {
            let _ = tokio::spawn(save(log.clone())).await;
        } else {
            // the save is part of the caller: cancelled with it
            save(log.clone()).await;
        }
        log.note("the caller saw the save finish");
    };
    if timeout(Duration::from_millis(100), caller).await.is_err() {
        log.note("the caller was cancelled by its timeout");
    }
    sleep(Duration::from_millis(400)).await;
}
// ANCHOR_END: shield

// ANCHOR: main
#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    if std::env::args().len() > 1 {
        eprintln!("usage: 08_structured (it takes no arguments)");
        std::process::exit(2);
    }
    // The clock is paused (virtual time), so the output is the same on every run.
    for fails in [None, Some(2)] {
        match fails {
            None => println!("a JoinSet where no job fails:"),
            Some(n) => println!("a JoinSet where job {n} fails:"),
        }
        let log = Log::starting_now();
        let result = nursery(fails, &log).await;
        log.note(format!("shut down on error, it returned {result:?}"));
        print_lines(&log);
    }
    for shielded in [false, true] {
        let how = if shielded { "spawned (shielded)" } else { "awaited directly" };
        println!("the caller is cancelled; the save was {how}:");
        let log = Log::starting_now();
        cancel_the_caller(shielded, &log).await;
        print_lines(&log);
    }
}
// ANCHOR_END: main

fn print_lines(log: &Log) {
    for line in log.lines() {
        println!("  {line}");
    }
}
