//! Why async exists: 100,000 waiting tasks cost far less than 10,000 waiting
//! threads.
use std::process::ExitCode;
use std::sync::{Arc, Barrier};
use std::thread;
use std::time::{Duration, Instant};

/// What it cost to have `count` things waiting at once.
pub struct Cost {
    pub count: usize,
    pub spawn_each: Duration,
    pub memory_each: f64,
}

/// Resident memory of this process in bytes (0 where the OS does not tell).
fn resident_bytes() -> f64 {
    memory_stats::memory_stats().map_or(0.0, |stats| stats.physical_mem as f64)
}

// ANCHOR: tasks
/// Spawns `count` tasks that all wait for one signal, measures, then releases them.
pub fn tasks(count: usize) -> Cost {
    let runtime =
        tokio::runtime::Builder::new_current_thread().build().expect("a runtime");
    runtime.block_on(async {
        let ready = Arc::new(tokio::sync::Barrier::new(count + 1));
        let (go, signal) = tokio::sync::watch::channel(false);
        let before = resident_bytes();
        let start = Instant::now();
        let mut set = tokio::task::JoinSet::new();
        for _ in 0..count {
            let (ready, mut signal) = (ready.clone(), signal.clone());
            set.spawn(async move {
                ready.wait().await;
                let _ = signal.wait_for(|go| *go).await;
            });
        }
        let spawn_each = start.elapsed() / count as u32;
        ready.wait().await; // every task has started and is now waiting
        let memory_each = (resident_bytes() - before) / count as f64;
        go.send_replace(true);
        set.join_all().await;
        Cost { count, spawn_each, memory_each }
    })
}
// ANCHOR_END: tasks

// ANCHOR: threads
/// Starts `count` threads that all wait for one signal, measures, then releases
/// them.
pub fn threads(count: usize) -> std::io::Result<Cost> {
    let (ready, go) =
        (Arc::new(Barrier::new(count + 1)), Arc::new(Barrier::new(count + 1)));
    let before = resident_bytes();
    let start = Instant::now();
    let mut handles = Vec::new();
    for _ in 0..count {
        let (ready, go) = (ready.clone(), go.clone());
        handles.push(thread::Builder::new().spawn(move || {
            ready.wait();
            go.wait();
        })?);
    }
    let spawn_each = start.elapsed() / count as u32;
    ready.wait(); // every thread has started and is now waiting
    let memory_each = (resident_bytes() - before) / count as f64;
    go.wait();
    for handle in handles {
        handle.join().expect("a waiting thread does not panic");
    }
    Ok(Cost { count, spawn_each, memory_each })
}
// ANCHOR_END: threads

fn main() -> ExitCode {
    if std::env::args().skip(1).any(|a| a == "-h" || a == "--help") {
        println!(
            "usage: 07_scale [TASKS] [THREADS]\n\nStarts TASKS waiting tokio tasks (default 100000, at most 1000000), then\nTHREADS waiting OS threads (default 10000, at most 10000), and prints the\nmemory each kind used."
        );
        return ExitCode::SUCCESS;
    }
    let (task_count, thread_count) = match args() {
        Ok(args) => args,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    let tasks = tasks(task_count);
    let threads = match threads(thread_count) {
        Ok(cost) => cost,
        Err(error) => {
            eprintln!("error: could not start {thread_count} threads: {error}");
            eprintln!("(try fewer: 07_scale {task_count} 1000)");
            return ExitCode::FAILURE;
        }
    };
    println!("{:<26}{:>14}{:>14}", "all waiting at once", "tasks", "threads");
    println!("{:<26}{:>14}{:>14}", "how many", tasks.count, threads.count);
    println!(
        "{:<26}{:>11.2} µs{:>11.2} µs",
        "time to start, each",
        micros(tasks.spawn_each),
        micros(threads.spawn_each)
    );
    println!(
        "{:<26}{:>11.1} KiB{:>10.1} KiB",
        "memory, each",
        tasks.memory_each / 1024.0,
        threads.memory_each / 1024.0
    );
    ExitCode::SUCCESS
}

fn micros(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

/// Reads the optional arguments `[TASKS] [THREADS]`, rejecting anything else.
fn args() -> Result<(usize, usize), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let number = |i: usize, name: &str, default: usize, max: usize| match args
        .get(i)
    {
        None => Ok(default),
        Some(text) => text.parse().ok().filter(|n| (1..=max).contains(n)).ok_or(
            format!("{name} must be a whole number from 1 to {max}, not {text:?}"),
        ),
    };
    if args.len() > 2 {
        return Err("usage: 07_scale [TASKS] [THREADS]".into());
    }
    Ok((
        number(0, "TASKS", 100_000, 1_000_000)?,
        number(1, "THREADS", 10_000, 10_000)?,
    ))
}
