//! Errors from tasks: `Result<Result<T, E>, JoinError>`, and `try_join!` over
//! handles detaches.
use std::fmt::Display;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::task::{JoinError, JoinHandle};
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

/// Job `n` takes `n * 100` ms (the sleep stands in for IO); job 2 fails, job 4
/// panics.
pub async fn job(n: u32, log: Log) -> Result<u32, String> {
    sleep(Duration::from_millis(100 * u64::from(n))).await;
    match n {
        2 => {
            log.note("job 2 failed");
            Err("job 2 failed".to_string())
        }
        4 => panic!("job 4 has a bug"),
        _ => {
            log.note(format!("job {n} finished"));
            Ok(n * 10)
        }
    }
}

// ANCHOR: shape
/// What awaiting a task's handle can give: the task's own `Result`, wrapped in the
/// runtime's. The inner `Err` is an error the job reported (a Python exception);
/// the outer `JoinError` means the task panicked or was aborted: a bug, or your own
/// abort.
pub fn describe(joined: Result<Result<u32, String>, JoinError>) -> String {
    match joined {
        Ok(Ok(value)) => format!("Ok(Ok({value})): the job succeeded"),
        Ok(Err(error)) => format!("Ok(Err({error:?})): the job reported an error"),
        Err(e) if e.is_panic() => {
            "Err(JoinError): the task panicked, a bug".to_string()
        }
        Err(_) => "Err(JoinError): the task was aborted".to_string(),
    }
}
// ANCHOR_END: shape

// ANCHOR: detach
/// Turns a handle's `Result<Result<T, E>, JoinError>` into `Result<T, E>`, so that
/// a task's own `Err` ends `try_join!`. Over raw handles, only a panic or an abort
/// would.
async fn flatten(handle: JoinHandle<Result<u32, String>>) -> Result<u32, String> {
    handle.await.map_err(|e| format!("a task failed: {e}"))?
}

/// `try_join!` over three *spawned* jobs. It returns at job 2's error and drops the
/// three handles, but dropping a handle detaches its task: job 3 is not cancelled.
pub async fn try_join_spawned(log: &Log) -> Result<(u32, u32, u32), String> {
    let one = tokio::spawn(job(1, log.clone()));
    let two = tokio::spawn(job(2, log.clone()));
    let three = tokio::spawn(job(3, log.clone()));
    tokio::try_join!(flatten(one), flatten(two), flatten(three))
}
// ANCHOR_END: detach

// ANCHOR: main
#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    if std::env::args().len() > 1 {
        eprintln!("usage: 11_task_errors (it takes no arguments)");
        std::process::exit(2);
    }
    // The clock is paused (virtual time), so the output is the same on every run.
    // job 4's panic is reported below, not here
    std::panic::set_hook(Box::new(|_| {}));
    println!("awaiting four spawned jobs:");
    let log = Log::starting_now();
    let handles: Vec<_> =
        (1..=4).map(|n| tokio::spawn(job(n, log.clone()))).collect();
    for (n, handle) in (1..=4).zip(handles) {
        log.note(format!("job {n}: {}", describe(handle.await)));
    }
    print_lines(&log);

    println!("try_join! over spawned jobs:");
    let log = Log::starting_now();
    let result = try_join_spawned(&log).await;
    log.note(format!("try_join! returned {result:?}"));
    sleep(Duration::from_secs(1)).await;
    let finished = log.lines().iter().any(|line| line.ends_with("job 3 finished"));
    log.note(format!("one second later, job 3 has finished: {finished}"));
    print_lines(&log);
}
// ANCHOR_END: main

fn print_lines(log: &Log) {
    for line in log.lines() {
        println!("  {line}");
    }
}
