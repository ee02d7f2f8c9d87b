//! A `TaskGroup` in tokio: structured by construction, then `JoinSet` with a
//! `CancellationToken`.
use std::fmt::Display;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::stream::{FuturesUnordered, StreamExt};
use tokio::task::JoinSet;
use tokio::time::{Instant, sleep};
use tokio_util::sync::CancellationToken;

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

// ANCHOR: borrow
/// Structured by construction: no spawn, so the futures may borrow `words`, a local
/// of the caller. They live inside `lengths`; when this function returns, none of
/// them is left.
pub async fn total_length(words: &[String]) -> usize {
    let mut lengths: FuturesUnordered<_> = words
        .iter()
        .map(|word| async move {
            sleep(Duration::from_millis(10 * word.len() as u64)).await;
            word.len()
        })
        .collect();
    let mut total = 0;
    while let Some(length) = lengths.next().await {
        total += length;
    }
    total
}
// ANCHOR_END: borrow

// ANCHOR: dropped
/// Drops a `JoinSet` with three tasks in it. Dropping only *asks* each task to
/// stop: this function returns first, and the tasks are dropped when the runtime
/// next gets to them.
pub async fn drop_the_set(log: &Log) {
    let mut set = JoinSet::new();
    for n in 1..=3 {
        set.spawn(job(n, None, log.clone()));
    }
    sleep(Duration::from_millis(150)).await;
    drop(set);
    log.note("the set is dropped; the function returns");
}
// ANCHOR_END: dropped

// ANCHOR: group
/// asyncio's `TaskGroup`: on the first error, tell the others to stop (the
/// token); wait for every task; hand back every error, not just the first.
pub async fn task_group(
    fails: Option<u32>,
    log: &Log,
) -> Result<Vec<u32>, Vec<String>> {
    let token = CancellationToken::new();
    let mut set = JoinSet::new();
    for n in 1..=3 {
        let (token, log) = (token.clone(), log.clone());
        set.spawn(async move {
            tokio::select! {
                result = job(n, fails, log.clone()) => result.map(Some),
                () = token.cancelled() => {
                    log.note(format!("job {n} saw the token and stopped"));
                    Ok(None) // stopped on request: not an error of its own
                }
            }
        });
    }
    let (mut values, mut errors) = (Vec::new(), Vec::new());
    while let Some(joined) = set.join_next().await {
        match joined {
            Ok(Ok(value)) => values.extend(value),
            Ok(Err(error)) => errors.push(error),
            Err(join_error) => {
                errors.push(format!("a task panicked: {join_error}"))
            }
        }
        if !errors.is_empty() {
            // each sibling drops its job where it is paused, and returns
            token.cancel();
        }
    }
    if errors.is_empty() { Ok(values) } else { Err(errors) }
}
// ANCHOR_END: group

// ANCHOR: main
#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    if std::env::args().len() > 1 {
        eprintln!("usage: 12_task_group (it takes no arguments)");
        std::process::exit(2);
    }
    // The clock is paused (virtual time), so the output is the same on every run.
    let words = vec![
        "structured".to_string(),
        "by".to_string(),
        "construction".to_string(),
    ];
    println!(
        "futures that borrow a local: total length {}",
        total_length(&words).await
    );

    println!("a JoinSet, dropped at 150 ms:");
    let log = Log::starting_now();
    drop_the_set(&log).await;
    sleep(Duration::from_millis(1)).await; // give the runtime a turn
    print_lines(&log);

    for fails in [None, Some(2)] {
        match fails {
            None => println!("a task group where no job fails:"),
            Some(n) => println!("a task group where job {n} fails:"),
        }
        let log = Log::starting_now();
        let result = task_group(fails, &log).await;
        log.note(format!("the group returned {result:?}"));
        print_lines(&log);
    }
}
// ANCHOR_END: main

fn print_lines(log: &Log) {
    for line in log.lines() {
        println!("  {line}");
    }
}
