//! A graceful shutdown: stop taking work, let the work in flight finish, give up at
//! a deadline.
use std::fmt::Display;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::mpsc;
use tokio::time::{Instant, sleep, timeout};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

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

/// Request `n` takes `n * 100` ms to handle (the sleep stands in for IO).
pub async fn handle(n: u64, log: Log) {
    sleep(Duration::from_millis(100 * n)).await;
    log.note(format!("request {n} done"));
}

// ANCHOR: serve
/// Takes requests until `shutdown` is cancelled, then drains: it waits for the
/// requests in flight, but for no longer than `grace`. Returns how many were still
/// running then.
pub async fn serve(
    mut requests: mpsc::Receiver<u64>,
    shutdown: CancellationToken,
    grace: Duration,
    log: &Log,
) -> usize {
    let tracker = TaskTracker::new();
    loop {
        tokio::select! {
            biased; // shutdown first, when a request is ready at the same moment
            () = shutdown.cancelled() => break, // 1. stop taking work
            request = requests.recv() => match request {
                Some(n) => {
                    log.note(format!("request {n} taken"));
                    tracker.spawn(handle(n, log.clone()));
                }
                None => break, // every sender is gone
            },
        }
    }
    tracker.close(); // no more tasks will be added: `wait` may now finish
    log.note(format!("shutting down, {} requests in flight", tracker.len()));
    match timeout(grace, tracker.wait()).await {
        Ok(()) => 0,             // 2. everything in flight finished
        Err(_) => tracker.len(), // 3. the deadline passed first
    }
}
// ANCHOR_END: serve

// ANCHOR: main
#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    if std::env::args().len() > 1 {
        eprintln!("usage: 13_shutdown (it takes no arguments)");
        std::process::exit(2);
    }
    // The clock is paused (virtual time), so the output is the same on every run.
    let log = Log::starting_now();
    let (send, requests) = mpsc::channel(8);
    tokio::spawn(async move {
        for n in 1..=10 {
            if send.send(n).await.is_err() {
                break; // the server has stopped taking requests
            }
            sleep(Duration::from_millis(100)).await;
        }
    });
    let shutdown = CancellationToken::new();
    let signal = shutdown.clone();
    tokio::spawn(async move {
        sleep(Duration::from_millis(350)).await; // stands in for Ctrl-C
        signal.cancel();
    });
    let left = serve(requests, shutdown, Duration::from_millis(250), &log).await;
    log.note(format!("stopped; still running at the deadline: {left}"));
    for line in log.lines() {
        println!("{line}");
    }
}
// ANCHOR_END: main
