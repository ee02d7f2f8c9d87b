//! One-shot values, events and queues: `oneshot`, `watch`, `Notify`, `mpsc` and
//! backpressure.
use std::fmt::Display;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{Notify, mpsc, oneshot, watch};
use tokio::time::{Instant, sleep, timeout};

const MS: Duration = Duration::from_millis(1);

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

// ANCHOR: promise
/// A value that another task provides after 100 ms, if `keep_promise` (asyncio:
/// create a `Future`, and elsewhere call its `set_result(42)`). If that task drops
/// the sender without sending, the receiver gets an error instead of waiting
/// forever.
pub async fn promise(keep_promise: bool) -> Result<u32, oneshot::error::RecvError> {
    let (sender, receiver) = oneshot::channel();
    tokio::spawn(async move {
        // the sleep stands in for the work that finds the value
        sleep(100 * MS).await;
        if keep_promise {
            let _ = sender.send(42); // `send` takes the sender by value: once only
        } // otherwise the sender is dropped here
    });
    receiver.await
}
// ANCHOR_END: promise

// ANCHOR: events
/// An event with `watch` (asyncio's `Event`): set at 100 ms; one waiter waits from
/// the start, another only from 200 ms. Returns whether the late waiter saw the
/// event.
pub async fn watch_event(log: &Log) -> bool {
    let (set, is_set) = watch::channel(false);
    let mut early = is_set.clone();
    let early_log = log.clone();
    tokio::spawn(async move {
        if early.wait_for(|&set| set).await.is_ok() {
            early_log.note("watch: the early waiter woke");
        }
    });
    sleep(100 * MS).await;
    log.note("watch: set");
    set.send_replace(true); // the channel keeps the value: the event stays set
    // (`send_replace` is `send` that also works while no receiver exists.)
    sleep(100 * MS).await;
    let mut late = is_set.clone();
    let saw_it = timeout(100 * MS, late.wait_for(|&set| set)).await.is_ok();
    log.note(format!("watch: the late waiter saw the event: {saw_it}"));
    saw_it
}
// ANCHOR_END: events

// ANCHOR: notify
/// The same with `Notify`: `notify_waiters` wakes the tasks waiting at that moment
/// and remembers nothing, so the late waiter waits in vain (here, until a 100 ms
/// timeout). (`notify_one` would keep one permit for the next waiter: a wake-up,
/// not a state.)
pub async fn notify_event(log: &Log) -> bool {
    let notify = Arc::new(Notify::new());
    let early = Arc::clone(&notify);
    let early_log = log.clone();
    tokio::spawn(async move {
        early.notified().await;
        early_log.note("Notify: the early waiter woke");
    });
    sleep(100 * MS).await;
    log.note("Notify: notify_waiters()");
    notify.notify_waiters();
    sleep(100 * MS).await;
    let saw_it = timeout(100 * MS, notify.notified()).await.is_ok();
    log.note(format!("Notify: the late waiter saw the event: {saw_it}"));
    saw_it
}
// ANCHOR_END: notify

// ANCHOR: queue
/// `producers` tasks send `items_per_producer` items `(producer, item)` each into
/// one queue (asyncio's `Queue`); producer `p` takes `10 + 15 * p` ms per item (a
/// sleep standing in for IO). One consumer receives until every sender is gone.
pub async fn queue(
    producers: usize,
    items_per_producer: usize,
) -> Vec<(usize, usize)> {
    // Bounded, as tokio advises; the capacity is the next part's subject.
    // (asyncio's `Queue()` is unbounded; `mpsc::unbounded_channel` is the same.)
    let (sender, mut receiver) = mpsc::channel(16);
    for producer in 0..producers {
        let sender = sender.clone(); // one sender per producer
        tokio::spawn(async move {
            for item in 0..items_per_producer {
                sleep((10 + 15 * producer as u32) * MS).await;
                sender.send((producer, item)).await.expect("the consumer is alive");
            }
        }); // the task ends: its sender is dropped
    }
    drop(sender); // ours too: otherwise `recv` would wait for it forever
    let mut received = Vec::new();
    while let Some(item) = receiver.recv().await {
        received.push(item);
    }
    received // `recv` gave `None`: no sender is left and the queue is empty
}
// ANCHOR_END: queue

// ANCHOR: backpressure
/// What a bounded channel did: the time each `send` returned, and the most items it
/// held.
pub struct Backpressure {
    pub sent_at: Vec<Duration>,
    pub max_queued: usize,
}

/// A fast producer sends `items` items into a channel with room for `capacity`
/// (asyncio: `Queue(maxsize=capacity)`); the consumer takes `work` over each one (a
/// sleep standing in for slow processing). When the channel is full, `send().await`
/// waits.
pub async fn backpressure(
    capacity: usize,
    items: usize,
    work: Duration,
) -> Backpressure {
    let (sender, mut receiver) = mpsc::channel(capacity);
    let start = Instant::now();
    let producer = tokio::spawn(async move {
        let (mut sent_at, mut max_queued) = (Vec::new(), 0);
        for item in 0..items {
            sender.send(item).await.expect("the consumer is alive");
            sent_at.push(start.elapsed());
            // items in the channel
            let queued = sender.max_capacity() - sender.capacity();
            max_queued = max_queued.max(queued);
        }
        Backpressure { sent_at, max_queued }
    });
    while let Some(_item) = receiver.recv().await {
        sleep(work).await;
    }
    producer.await.expect("the producer does not panic")
}
// ANCHOR_END: backpressure

// ANCHOR: main
#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    if std::env::args().len() > 1 {
        eprintln!("usage: 09_channels (it takes no arguments)");
        std::process::exit(2);
    }
    // The clock is paused (virtual time), so the output is the same on every run.
    for keep_promise in [true, false] {
        let start = Instant::now();
        let outcome = match promise(keep_promise).await {
            Ok(value) => format!("got {value}"),
            Err(error) => format!("error: {error}"),
        };
        let ms = start.elapsed().as_millis();
        println!("promise kept: {keep_promise:<5} -> {outcome} at {ms} ms");
    }

    let log = Log::starting_now();
    watch_event(&log).await;
    print_lines(&log);
    let log = Log::starting_now();
    notify_event(&log).await;
    print_lines(&log);

    let start = Instant::now();
    let received = queue(3, 3).await;
    let ms = start.elapsed().as_millis();
    println!("queue: received {received:?}");
    println!(
        "queue: closed at {ms} ms, after the last producer dropped its sender"
    );

    let report = backpressure(2, 6, 100 * MS).await;
    let times: Vec<u128> = report.sent_at.iter().map(|t| t.as_millis()).collect();
    println!("bounded(2): the sends returned at {times:?} ms");
    println!("bounded(2): it never held more than {} items", report.max_queued);
}
// ANCHOR_END: main

fn print_lines(log: &Log) {
    for line in log.lines() {
        println!("{line}");
    }
}
