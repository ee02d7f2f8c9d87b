// ANCHOR: program
//! Ten simulated requests awaited one after another: each waits for the one before
//! it.
use std::process::ExitCode;
use std::time::Duration;

use tokio::time::{Instant, sleep};

/// One finished job: its id, the thread it ran on, and when it started and ended.
pub type Span = (u32, String, Duration, Duration);

/// A stand-in for a network request. The `sleep` is where real code would wait for
/// a reply.
async fn request(id: u32, delay: Duration) -> u32 {
    sleep(delay).await;
    id
}

// ANCHOR: run
/// Sends `jobs` requests, awaiting each reply before sending the next.
pub async fn run(jobs: u32, delay: Duration) -> Vec<Span> {
    let start = Instant::now();
    let mut spans = Vec::new();
    for id in 0..jobs {
        let began = start.elapsed();
        request(id, delay).await; // nothing else happens while we wait here
        let thread = format!("{:?}", std::thread::current().id());
        spans.push((id, thread, began, start.elapsed()));
    }
    spans
}
// ANCHOR_END: run

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    if std::env::args().skip(1).any(|a| a == "-h" || a == "--help") {
        println!(
            "usage: 01_sequential [JOBS] [DELAY_MS]\n\nSends JOBS simulated requests (default 10), each waiting DELAY_MS\nmilliseconds (default 50), one after another. Both are whole numbers from 1 to 10000."
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
    let spans = run(jobs, delay).await;
    let last = spans.last().map_or(Duration::ZERO, |span| span.2);
    println!("{jobs} requests of {} ms each, one after another", delay.as_millis());
    println!("the last one started after {} ms", last.as_millis());
    println!("all done in {} ms", start.elapsed().as_millis());
    ExitCode::SUCCESS
}

// ANCHOR_END: program

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
        return Err("usage: 01_sequential [JOBS] [DELAY_MS]".into());
    }
    Ok((
        number(0, "JOBS", 10)?,
        Duration::from_millis(number(1, "DELAY_MS", 50)?.into()),
    ))
}
