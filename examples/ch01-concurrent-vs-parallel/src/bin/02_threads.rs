//! Ten simulated requests, each on its own OS thread: all ten wait at the same
//! time.
use std::collections::HashSet;
use std::process::ExitCode;
use std::thread;
use std::time::{Duration, Instant};

/// One finished job: its id, the thread it ran on, and when it started and ended.
pub type Span = (u32, String, Duration, Duration);

/// A blocking stand-in for a network request: the thread sleeps as it would waiting
/// for a reply.
fn request(id: u32, delay: Duration) -> u32 {
    thread::sleep(delay);
    id
}

// ANCHOR: run
/// Starts one thread per request, then waits for every thread to finish.
pub fn run(jobs: u32, delay: Duration) -> std::io::Result<Vec<Span>> {
    let start = Instant::now();
    let mut handles = Vec::new();
    for id in 0..jobs {
        handles.push(thread::Builder::new().spawn(move || {
            let began = start.elapsed();
            request(id, delay);
            let thread = format!("{:?}", thread::current().id());
            (id, thread, began, start.elapsed())
        })?);
    }
    Ok(handles
        .into_iter()
        .map(|handle| handle.join().expect("a request thread does not panic"))
        .collect())
}
// ANCHOR_END: run

fn main() -> ExitCode {
    if std::env::args().skip(1).any(|a| a == "-h" || a == "--help") {
        println!(
            "usage: 02_threads [JOBS] [DELAY_MS]\n\nSends JOBS simulated requests (default 10), each waiting DELAY_MS\nmilliseconds (default 50), one thread each. Both are whole numbers from 1 to 10000."
        );
        return ExitCode::SUCCESS;
    }
    let (jobs, delay) = match args() {
        Ok(args) => args,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    let start = Instant::now();
    let spans = match run(jobs, delay) {
        Ok(spans) => spans,
        Err(error) => {
            eprintln!("error: could not start a thread: {error}");
            return ExitCode::FAILURE;
        }
    };
    let threads: HashSet<&String> = spans.iter().map(|span| &span.1).collect();
    let last = spans.iter().map(|span| span.2).max().unwrap_or_default();
    println!(
        "{jobs} requests of {} ms each, on {} threads",
        delay.as_millis(),
        threads.len()
    );
    println!("the last one started after {} ms", last.as_millis());
    println!("all done in {} ms", start.elapsed().as_millis());
    ExitCode::SUCCESS
}

/// Reads the optional arguments `[JOBS] [DELAY_MS]`, rejecting anything else.
fn args() -> Result<(u32, Duration), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let number = |i: usize, name: &str, default: u32| match args.get(i) {
        None => Ok(default),
        Some(text) => text.parse().ok().filter(|n| (1..=10_000).contains(n)).ok_or(
            format!("{name} must be a whole number from 1 to 10000, not {text:?}"),
        ),
    };
    if args.len() > 2 {
        return Err("usage: 02_threads [JOBS] [DELAY_MS]".into());
    }
    Ok((
        number(0, "JOBS", 10)?,
        Duration::from_millis(number(1, "DELAY_MS", 50)?.into()),
    ))
}
