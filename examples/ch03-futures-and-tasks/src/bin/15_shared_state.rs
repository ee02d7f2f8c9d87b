//! Shared state: two threads that read, then write, can lose an update; a
//! std `Mutex` for short updates, a tokio `Mutex` when the lock is held
//! across `.await`.
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::time::sleep;

// The threads and the atomic counter of `two_threads`: std's. The chapter's
// loom test (tests/outcomes.rs) compiles this file as a test, with loom's in
// their place, and runs `two_threads` under every schedule of its threads.
#[cfg(test)]
use loom::{
    sync::atomic::{AtomicU64, Ordering::SeqCst},
    thread,
};
#[cfg(not(test))]
use std::{
    sync::atomic::{AtomicU64, Ordering::SeqCst},
    thread,
};

// ANCHOR: lost_update
/// Starts two threads that each run `add_one` once on one counter, which
/// starts at 0, and returns the counter's final value.
pub fn two_threads(add_one: fn(&AtomicU64)) -> u64 {
    let counter = Arc::new(AtomicU64::new(0));
    let handles: Vec<_> = (0..2)
        .map(|_| {
            let counter = Arc::clone(&counter);
            thread::spawn(move || add_one(&counter))
        })
        .collect();
    for handle in handles {
        handle.join().expect("add_one does not panic");
    }
    counter.load(SeqCst)
}

/// Adds one in two steps: read the value, then write back the value plus one.
pub fn read_then_write(counter: &AtomicU64) {
    let seen = counter.load(SeqCst);
    counter.store(seen + 1, SeqCst);
}

/// The same two steps, with a pause between them: `yield_now` offers this
/// core to another thread, as the OS may do at any moment anyway.
pub fn read_yield_write(counter: &AtomicU64) {
    let seen = counter.load(SeqCst);
    thread::yield_now();
    counter.store(seen + 1, SeqCst);
}

/// Adds one in one indivisible step: no other thread can come in between.
pub fn fetch_add(counter: &AtomicU64) {
    counter.fetch_add(1, SeqCst);
}
// ANCHOR_END: lost_update

// ANCHOR: std_mutex
/// Many tasks count words in one map. Each update is short and never awaits while
/// it holds the lock, so a std `Mutex` is right, and the fastest choice.
pub async fn count_words(texts: Vec<&'static str>) -> HashMap<String, u32> {
    let counts = Arc::new(Mutex::new(HashMap::new()));
    let mut tasks = Vec::new();
    for text in texts {
        let counts = Arc::clone(&counts);
        tasks.push(tokio::spawn(async move {
            sleep(Duration::from_millis(10)).await; // fetching the text, say
            let mut counts = counts.lock().expect("no one panics holding the lock");
            for word in text.split_whitespace() {
                *counts.entry(word.to_string()).or_insert(0) += 1;
            }
            // the guard is dropped at the end of the task, with no `.await` after it
        }));
    }
    for task in tasks {
        task.await.expect("these tasks do not panic");
    }
    let counts = counts.lock().expect("no one panics holding the lock");
    counts.clone()
}
// ANCHOR_END: std_mutex

// ANCHOR: tokio_mutex
/// Tasks write a two-line record to one shared log, awaiting between the lines (a
/// slow write). The lock must be held across that `.await` so that no other record
/// lands between them: that needs `tokio::sync::Mutex` (Python: `async with
/// lock:`).
pub async fn write_records(writers: u32) -> Vec<String> {
    let log = Arc::new(tokio::sync::Mutex::new(Vec::new()));
    let mut tasks = Vec::new();
    for id in 1..=writers {
        let log = Arc::clone(&log);
        tasks.push(tokio::spawn(async move {
            let mut log = log.lock().await; // waits without blocking the thread
            log.push(format!("record {id}: begin"));
            // held across `.await`: fine here
            sleep(Duration::from_millis(10)).await;
            log.push(format!("record {id}: end"));
        }));
    }
    for task in tasks {
        task.await.expect("these tasks do not panic");
    }
    let log = log.lock().await;
    log.clone()
}
// ANCHOR_END: tokio_mutex

// ANCHOR: main
#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    if std::env::args().len() > 1 {
        eprintln!("usage: 15_shared_state (it takes no arguments)");
        std::process::exit(2);
    }
    println!("two threads, fetch_add: {}", two_threads(fetch_add));
    let counts = count_words(vec!["a rose is", "a rose", "is a rose"]).await;
    let mut counts: Vec<_> = counts.into_iter().collect();
    counts.sort();
    println!("word counts: {counts:?}");
    for line in write_records(3).await {
        println!("{line}");
    }
}
// ANCHOR_END: main
