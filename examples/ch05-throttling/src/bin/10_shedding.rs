//! When the producer cannot wait: `try_send` into a bounded channel, and drop (shed)
//! what does not fit; several consumers share one receiver.
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::mpsc::error::TrySendError;
use tokio::sync::{Mutex, mpsc};
use tokio::task::JoinSet;
use tokio::time::{Instant, interval, sleep};

/// How many items arrive, how often, how many the channel holds, and how long a
/// consumer takes over each.
pub const ITEMS: usize = 100;
pub const EVERY: Duration = Duration::from_millis(10);
pub const CAPACITY: usize = 4;
pub const WORK: Duration = Duration::from_millis(50);

/// What happened to the items: how many were handled and how many shed, and when
/// the producer made its last one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outcome {
    pub handled: usize,
    pub shed: usize,
    pub producer_done: Duration,
}

// ANCHOR: producer
/// Makes an item every `every`, as requests arriving from outside would, and
/// never waits for room: an item that does not fit is dropped and counted.
pub async fn produce(
    items: usize,
    every: Duration,
    tx: mpsc::Sender<usize>,
) -> usize {
    let mut ticks = interval(every);
    let mut shed = 0;
    for item in 0..items {
        ticks.tick().await; // the next item arrives
        match tx.try_send(item) {
            Ok(()) => {}
            Err(TrySendError::Full(_item)) => shed += 1, // no room: drop it
            Err(TrySendError::Closed(_item)) => break,   // no consumer left
        }
    }
    shed
}
// ANCHOR_END: producer

// ANCHOR: consumers
/// `consumers` workers share the one receiver: each locks it only to take an item,
/// and lets go before the slow part.
pub async fn shed_load(items: usize, every: Duration, consumers: usize) -> Outcome {
    let t0 = Instant::now();
    let (tx, rx) = mpsc::channel(CAPACITY);
    let rx = Arc::new(Mutex::new(rx));
    let mut workers = JoinSet::new();
    for _ in 0..consumers {
        let rx = Arc::clone(&rx);
        workers.spawn(async move {
            let mut handled = 0;
            loop {
                let item = rx.lock().await.recv().await; // the lock ends here
                let Some(_item) = item else { return handled };
                sleep(WORK).await; // the slow part
                handled += 1;
            }
        });
    }
    let shed = produce(items, every, tx).await; // `tx` is dropped at its end
    let producer_done = t0.elapsed();
    let handled = workers.join_all().await.into_iter().sum();
    Outcome { handled, shed, producer_done }
}
// ANCHOR_END: consumers

// ANCHOR: main
// The clock is paused (start_paused), so the figures printed are the same on every
// run.
#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    // ANCHOR_END: main
    if std::env::args().len() > 1 {
        eprintln!("usage: 10_shedding (it takes no arguments)");
        std::process::exit(2);
    }
    // ANCHOR: main
    print!("{ITEMS} items, one every {} ms, ", EVERY.as_millis());
    println!("into channel({CAPACITY}); {} ms of work on each", WORK.as_millis());
    println!("{:<11}{:<9}{:<6}producer done at", "consumers", "handled", "shed");
    for consumers in [1, 3, 5] {
        let outcome = shed_load(ITEMS, EVERY, consumers).await;
        let done = format!("{} ms", outcome.producer_done.as_millis());
        println!("{consumers:<11}{:<9}{:<6}{done}", outcome.handled, outcome.shed);
    }
}
// ANCHOR_END: main
