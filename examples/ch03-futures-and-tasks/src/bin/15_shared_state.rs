//! Shared state: a std `Mutex` for short updates, a tokio `Mutex` when the lock is
//! held across `.await`.
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::time::sleep;

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
    let counts = count_words(vec!["a rose is", "a rose", "is a rose"]).await;
    let mut counts: Vec<_> = counts.into_iter().collect();
    counts.sort();
    println!("word counts: {counts:?}");
    for line in write_records(3).await {
        println!("{line}");
    }
}
// ANCHOR_END: main
