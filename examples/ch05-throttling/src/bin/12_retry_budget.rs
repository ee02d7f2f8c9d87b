//! A retry budget: retries are allowed only while they stay under a tenth of the
//! requests, so an outage cannot multiply the load on the server.
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use futures::future::join_all;
use tokio::time::sleep;

// ANCHOR: budget
/// Allows a retry only while the retries stay under `percent` % of the requests
/// made so far, plus `floor` retries for a client that has made few requests.
pub struct RetryBudget {
    percent: u64,
    floor: u64,
    counts: Mutex<Counts>,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub requests: u64,
    pub retries: u64,
}

impl RetryBudget {
    pub fn new(percent: u64, floor: u64) -> RetryBudget {
        RetryBudget { percent, floor, counts: Mutex::new(Counts::default()) }
    }

    /// A first attempt: always allowed, and it adds to the budget.
    pub fn request(&self) {
        self.lock().requests += 1;
    }

    /// May a failed request try again? If it may, the retry is counted.
    pub fn try_retry(&self) -> bool {
        let mut counts = self.lock();
        let allowed = counts.requests * self.percent / 100 + self.floor;
        let may = counts.retries < allowed;
        counts.retries += u64::from(may);
        may
    }
    // ANCHOR_END: budget

    fn lock(&self) -> std::sync::MutexGuard<'_, Counts> {
        self.counts.lock().expect("no thread panics while holding the counts")
    }

    /// The requests and retries counted so far.
    pub fn counts(&self) -> Counts {
        *self.lock()
    }
    // ANCHOR: budget
}
// ANCHOR_END: budget

/// A simulated server, not a real one: each attempt takes 20 ms and fails if the
/// server is down, or if it is the `fail_every`-th attempt the server has seen.
pub struct Server {
    pub down: bool,
    pub fail_every: u64,
    pub attempts: AtomicU64,
}

impl Server {
    pub fn new(down: bool, fail_every: u64) -> Server {
        Server { down, fail_every, attempts: AtomicU64::new(0) }
    }

    async fn attempt(&self) -> bool {
        let n = self.attempts.fetch_add(1, Ordering::SeqCst) + 1;
        sleep(Duration::from_millis(20)).await;
        !self.down && !n.is_multiple_of(self.fail_every)
    }
}

/// Requests in all, one every 10 ms, each tried at most this many times.
pub const REQUESTS: u64 = 100;
pub const MAX_ATTEMPTS: u32 = 4;

// ANCHOR: send
/// One request: up to `MAX_ATTEMPTS` attempts, 100 ms apart, and with a budget a
/// retry only when the budget allows it.
pub async fn send(server: &Server, budget: Option<&RetryBudget>) -> bool {
    if let Some(budget) = budget {
        budget.request();
    }
    for attempt in 1..=MAX_ATTEMPTS {
        if server.attempt().await {
            return true;
        }
        // the last attempt asks the budget for nothing: no retry follows it
        if attempt == MAX_ATTEMPTS || !budget.is_none_or(|b| b.try_retry()) {
            return false;
        }
        sleep(Duration::from_millis(100)).await;
    }
    false
}
// ANCHOR_END: send

/// What the server saw: how many attempts, and how many requests succeeded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Load {
    pub attempts: u64,
    pub succeeded: usize,
}

/// Sends [`REQUESTS`] requests, one every 10 ms, all in flight together.
pub async fn run(server: &Server, budget: Option<&RetryBudget>) -> Load {
    let requests = (0..REQUESTS).map(|i| async move {
        sleep(Duration::from_millis(10 * i)).await;
        send(server, budget).await
    });
    let succeeded = join_all(requests).await.into_iter().filter(|&ok| ok).count();
    Load { attempts: server.attempts.load(Ordering::SeqCst), succeeded }
}

// ANCHOR: main
// The clock is paused (start_paused), so the figures are the same on every run.
#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    // ANCHOR_END: main
    if std::env::args().len() > 1 {
        eprintln!("usage: 12_retry_budget (it takes no arguments)");
        std::process::exit(2);
    }
    // ANCHOR: main
    println!("{REQUESTS} requests, each tried up to {MAX_ATTEMPTS} times");
    for (name, down) in [("server down", true), ("1 attempt in 20 fails", false)] {
        println!("{name}:");
        for with_budget in [false, true] {
            let server = Server::new(down, 20);
            let budget = RetryBudget::new(10, 3); // 10 % of requests, plus 3
            let load = run(&server, with_budget.then_some(&budget)).await;
            println!(
                "  {:<16} {} attempts, {} succeeded",
                if with_budget { "budget 10 % + 3:" } else { "no budget:" },
                load.attempts,
                load.succeeded
            );
        }
    }
}
// ANCHOR_END: main
