//! Spawning tasks: `JoinHandle`, `is_finished`, awaiting a result, and a panic as a
//! `JoinError`.
use std::any::Any;
use std::time::Duration;

use tokio::task::JoinError;
use tokio::time::{Instant, sleep, sleep_until};

const MS: Duration = Duration::from_millis(1);

/// A stand-in for an IO-bound job: waits `wait` (as if for a reply), then returns
/// `value`.
async fn fetch(value: u32, wait: Duration) -> u32 {
    sleep(wait).await;
    value
}

// ANCHOR: watch
/// Spawns a job that takes `job` and looks at its handle's `is_finished()` at each
/// time in `looks` (counted from the spawn). Then awaits the handle. Returns what
/// each look saw, the task's result, and when the result came.
pub async fn watch(
    job: Duration,
    looks: &[Duration],
) -> (Vec<bool>, u32, Duration) {
    let start = Instant::now();
    let handle = tokio::spawn(fetch(42, job)); // starts now, runs on its own
    let mut seen = Vec::new();
    for &look in looks {
        sleep_until(start + look).await;
        println!(
            "  {:>3} ms: is_finished() = {}",
            look.as_millis(),
            handle.is_finished()
        );
        seen.push(handle.is_finished());
    }
    // Waits for the task if it is still running; at once if it is done.
    let value = handle.await.expect("fetch does not panic");
    let at = start.elapsed();
    println!("  {:>3} ms: handle.await gave {value}", at.as_millis());
    (seen, value, at)
}
// ANCHOR_END: watch

// ANCHOR: panic
/// Splits `total` between `people`: a task that panics when `people` is 0.
async fn share(total: u32, people: u32, wait: Duration) -> u32 {
    sleep(wait).await;
    total / people // dividing by zero panics
}

/// Spawns a task that panics at 10 ms and one that finishes at 20 ms; awaits both.
pub async fn one_panics() -> (Result<u32, JoinError>, Result<u32, JoinError>) {
    let bad = tokio::spawn(share(100, 0, 10 * MS));
    let good = tokio::spawn(share(100, 4, 20 * MS));
    (bad.await, good.await) // the panic ended its own task, not this one
}

/// The message a task panicked with, if it panicked (`panic!` makes a `&str` or a
/// `String`).
pub fn panic_message(error: JoinError) -> Option<String> {
    // What the panic carried; `Err` if the task did not panic but was cancelled.
    let payload: Box<dyn Any + Send> = error.try_into_panic().ok()?;
    match payload.downcast::<String>() {
        Ok(text) => Some(*text),
        Err(payload) => {
            payload.downcast::<&str>().ok().map(|text| text.to_string())
        }
    }
}
// ANCHOR_END: panic

// ANCHOR: main
// The clock is paused (start_paused), so the times printed are the same on every
// run.
#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    if std::env::args().len() > 1 {
        eprintln!("usage: 03_spawn (it takes no arguments)");
        std::process::exit(2);
    }
    // A panic's default message goes to stderr; here the JoinError reports it
    // instead.
    std::panic::set_hook(Box::new(|_| {}));

    println!("a task that takes 100 ms:");
    watch(100 * MS, &[Duration::ZERO, 50 * MS, 150 * MS]).await;

    println!("two tasks, one of which panics:");
    let start = Instant::now();
    let (bad, good) = one_panics().await;
    match bad {
        Ok(value) => println!("  the first task: Ok({value})"),
        Err(error) => {
            println!(
                "  the first task: Err(JoinError), is_panic() = {}",
                error.is_panic()
            );
            println!("  its panic message: {:?}", panic_message(error));
        }
    }
    println!("  the second task: {good:?}");
    println!("  main goes on at {} ms", start.elapsed().as_millis());
}
// ANCHOR_END: main
