//! Cancellation: dropping a future, aborting a task, and a `select!` loop made
//! cancel safe.
use std::fmt::Display;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::mpsc;
use tokio::time::{Instant, interval_at, sleep};

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
struct DropGuard {
    finished: bool,
    log: Log,
}

impl Drop for DropGuard {
    fn drop(&mut self) {
        if !self.finished {
            self.log.note("drop guard: dropped before finishing");
        }
    }
}

// ANCHOR: steps
/// Three steps of 100 ms each (the sleeps stand in for IO), logging each one.
pub async fn three_steps(log: Log) {
    let mut guard = DropGuard { finished: false, log: log.clone() };
    for step in 1..=3 {
        log.note(format!("step {step} starts"));
        // each `.await` is a place it can stop
        sleep(Duration::from_millis(100)).await;
    }
    guard.finished = true;
    log.note("all three steps done");
}
// ANCHOR_END: steps

// ANCHOR: drop_and_abort
/// Polls `three_steps` for 150 ms, then drops it.
pub async fn drop_a_future(log: &Log) {
    let mut work = Box::pin(three_steps(log.clone()));
    tokio::select! {
        // `&mut`: select! only borrows it, dropping it is up to us
        _ = &mut work => {}
        _ = sleep(Duration::from_millis(150)) => {}
    }
    log.note("dropping the future");
    // it stops at the `.await` it was waiting in; no code after that runs
    drop(work);
}

/// Spawns `three_steps` as a task, then aborts it after 150 ms. Returns whether
/// awaiting the handle reported a cancelled task.
pub async fn abort_a_task(log: &Log) -> bool {
    let handle = tokio::spawn(three_steps(log.clone()));
    sleep(Duration::from_millis(150)).await;
    log.note("aborting the task");
    // The task gets no exception to catch (Python's CancelledError): it is simply
    // never polled again, and dropped the next time the runtime gets to it. Its
    // destructors run.
    handle.abort();
    match handle.await {
        Err(error) if error.is_cancelled() => {
            log.note("the handle says: JoinError, is_cancelled() is true");
            true
        }
        Err(_) => false, // the task panicked
        Ok(()) => {
            log.note("the handle says: the task finished");
            false
        }
    }
}
// ANCHOR_END: drop_and_abort

// ANCHOR: save
/// Takes the next message and then saves it, which takes `save` (a sleep standing
/// in for a write to disk). NOT cancel safe: dropped during the save, the message
/// is lost.
pub async fn receive_and_save(
    rx: &mut mpsc::Receiver<u32>,
    save: Duration,
) -> Option<u32> {
    let message = rx.recv().await?; // the message is out of the channel now...
    // ...and only in this future's local variable, until this ends
    sleep(save).await;
    Some(message)
}
// ANCHOR_END: save

// ANCHOR: broken
/// Receives every message in the channel while a heartbeat ticks every `tick`.
/// Broken: each time round, `select!` makes a new `receive_and_save` future, and
/// when the heartbeat wins it drops that future, with the message it had taken.
pub async fn broken_loop(
    mut rx: mpsc::Receiver<u32>,
    save: Duration,
    tick: Duration,
) -> Vec<u32> {
    let mut heartbeat = interval_at(Instant::now() + tick, tick);
    let mut saved = Vec::new();
    loop {
        tokio::select! {
            biased; // try the branches in order: heartbeat first
            _ = heartbeat.tick() => {}
            message = receive_and_save(&mut rx, save) => match message {
                Some(message) => saved.push(message),
                // every sender is gone and the channel is empty
                None => return saved,
            },
        }
    }
}
// ANCHOR_END: broken

// ANCHOR: fixed
/// Fixed: `select!` waits only on `recv`, which is cancel safe (if it is dropped,
/// no message was taken), and the save runs in the branch's body, which `select!`
/// never cancels. The price: no heartbeat during a save (a tick that falls due then
/// fires right after it). The other usual fix keeps one future alive across the
/// loop: pin it before the loop, give `select!` `&mut` it, and make a new one only
/// when it has completed.
pub async fn fixed_loop(
    mut rx: mpsc::Receiver<u32>,
    save: Duration,
    tick: Duration,
) -> Vec<u32> {
    let mut heartbeat = interval_at(Instant::now() + tick, tick);
    let mut saved = Vec::new();
    loop {
        tokio::select! {
            biased;
            _ = heartbeat.tick() => {}
            message = rx.recv() => match message {
                Some(message) => {
                    sleep(save).await; // the same save, now out of select!'s reach
                    saved.push(message);
                }
                None => return saved,
            },
        }
    }
}
// ANCHOR_END: fixed

/// A channel that already holds messages `0..count`, its sender dropped.
pub fn full_channel(count: u32) -> mpsc::Receiver<u32> {
    let (tx, rx) = mpsc::channel(count.max(1) as usize);
    for message in 0..count {
        tx.try_send(message).expect("the channel has room for all of them");
    }
    rx
}

// ANCHOR: main
#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    if std::env::args().len() > 1 {
        eprintln!("usage: 07_cancellation (it takes no arguments)");
        std::process::exit(2);
    }
    // The clock is paused (virtual time), so the output is the same on every run.
    println!("dropping a future:");
    let log = Log::starting_now();
    drop_a_future(&log).await;
    print_lines(&log);

    println!("aborting a task:");
    let log = Log::starting_now();
    abort_a_task(&log).await;
    print_lines(&log);

    // Ten messages wait in a channel; saving each takes 30 ms; the heartbeat ticks
    // every 100 ms.
    let (save, tick) = (Duration::from_millis(30), Duration::from_millis(100));
    for (name, saved) in [
        ("broken", broken_loop(full_channel(10), save, tick).await),
        ("fixed", fixed_loop(full_channel(10), save, tick).await),
    ] {
        let lost: Vec<u32> = (0..10).filter(|m| !saved.contains(m)).collect();
        println!(
            "{name} loop: saved {} of 10 messages, lost {lost:?}",
            saved.len()
        );
    }
}
// ANCHOR_END: main

fn print_lines(log: &Log) {
    for line in log.lines() {
        println!("  {line}");
    }
}
