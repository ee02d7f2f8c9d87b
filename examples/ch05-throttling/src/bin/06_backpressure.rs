//! Backpressure: a bounded channel holds a fast producer back to the pace of a slow
//! consumer.
use std::cell::RefCell;
use std::time::Duration;

use tokio::sync::mpsc;
use tokio::time::{Instant, sleep};

/// How many items the producer makes, how long the consumer takes over each, and
/// how many items the bounded channel holds.
pub const ITEMS: usize = 20;
pub const WORK: Duration = Duration::from_millis(100);
pub const CAPACITY: usize = 4;

// ANCHOR: queue
/// Counts items sent and not yet received (the queue length), keeps its most (the
/// high-water mark) and every change with its time. A `RefCell` is enough: both
/// ends run on one task.
pub struct QueueLength {
    t0: Instant,
    changes: RefCell<Vec<(Duration, usize)>>,
}

impl QueueLength {
    pub fn new() -> Self {
        let changes = RefCell::new(vec![(Duration::ZERO, 0)]);
        QueueLength { t0: Instant::now(), changes }
    }

    fn change(&self, by: isize) {
        let mut changes = self.changes.borrow_mut();
        let now = changes.last().map_or(0, |&(_, n)| n);
        changes.push((self.t0.elapsed(), now.saturating_add_signed(by)));
    }

    /// The most items that were ever waiting in the channel.
    pub fn most(&self) -> usize {
        self.changes.borrow().iter().map(|&(_, n)| n).max().unwrap_or(0)
    }

    /// The queue length after each change, with when it changed.
    pub fn changes(&self) -> Vec<(Duration, usize)> {
        self.changes.borrow().clone()
    }
}
// ANCHOR_END: queue

impl Default for QueueLength {
    fn default() -> Self {
        Self::new()
    }
}

/// When the producer sent its last item and when the consumer finished its last
/// one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Finish {
    pub producer: Duration,
    pub consumer: Duration,
}

// ANCHOR: bounded
/// A producer that makes items instantly and a consumer that takes `work` over
/// each, joined by a channel that holds `capacity` items. `send` waits while the
/// channel is full: that wait is the backpressure.
pub async fn bounded(
    items: usize,
    capacity: usize,
    work: Duration,
    queue: &QueueLength,
) -> Finish {
    let t0 = Instant::now();
    let (tx, mut rx) = mpsc::channel(capacity);
    let producer = async move {
        for item in 0..items {
            // waits while the channel is full
            tx.send(item).await.expect("the consumer outlives the producer");
            queue.change(1);
        }
        // `tx` is dropped here, which tells the consumer nothing more is coming
        t0.elapsed()
    };
    let consumer = async {
        while let Some(_item) = rx.recv().await {
            queue.change(-1);
            sleep(work).await; // the slow part: a write to a database, a request
        }
        t0.elapsed()
    };
    let (producer, consumer) = tokio::join!(producer, consumer);
    Finish { producer, consumer }
}
// ANCHOR_END: bounded

// ANCHOR: unbounded
/// The same with an unbounded channel: `send` never waits, so nothing holds the
/// producer back and every item it makes piles up in the queue.
pub async fn unbounded(
    items: usize,
    work: Duration,
    queue: &QueueLength,
) -> Finish {
    let t0 = Instant::now();
    let (tx, mut rx) = mpsc::unbounded_channel();
    let producer = async move {
        for item in 0..items {
            // never waits
            tx.send(item).expect("the consumer outlives the producer");
            queue.change(1);
        }
        t0.elapsed()
    };
    let consumer = async {
        while let Some(_item) = rx.recv().await {
            queue.change(-1);
            sleep(work).await;
        }
        t0.elapsed()
    };
    let (producer, consumer) = tokio::join!(producer, consumer);
    Finish { producer, consumer }
}
// ANCHOR_END: unbounded

// ANCHOR: main
// The clock is paused (start_paused), so the times printed are the same on every
// run.
#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    // ANCHOR_END: main
    if std::env::args().len() > 1 {
        eprintln!("usage: 06_backpressure (it takes no arguments)");
        std::process::exit(2);
    }
    // ANCHOR: main
    println!("items made at once, used at {} ms each", WORK.as_millis());
    println!(
        "{:<13}{:<8}{:<14}{:<18}consumer done at",
        "channel", "items", "most queued", "producer done at"
    );
    for items in [ITEMS, 50 * ITEMS] {
        let queue = QueueLength::new();
        let finish = bounded(items, CAPACITY, WORK, &queue).await;
        show(&format!("bounded({CAPACITY})"), items, finish, &queue);
        let queue = QueueLength::new();
        let finish = unbounded(items, WORK, &queue).await;
        show("unbounded", items, finish, &queue);
    }
}
// ANCHOR_END: main

/// One row: the channel, how many items, the queue's high-water mark, and when each
/// side ended.
fn show(name: &str, items: usize, finish: Finish, queue: &QueueLength) {
    let most = format!("{} items", queue.most());
    let producer = format!("{} ms", finish.producer.as_millis());
    let consumer = format!("{} ms", finish.consumer.as_millis());
    println!("{name:<13}{items:<8}{most:<14}{producer:<18}{consumer}");
}
