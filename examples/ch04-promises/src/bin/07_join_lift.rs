//! The everyday way to lift: wait for all the inputs together with `tokio::join!`,
//! then call the plain function. It needs no `lift` for any number of arguments.
use std::time::Duration;

use tokio::time::{Instant, sleep};

/// The plain function of the chapter's first listing, copied so that this file
/// needs only std and tokio (and so runs on the Rust Playground).
pub fn average(a: i32, b: i32, c: i32) -> f64 {
    f64::from(a + b + c) / 3.0
}

// ANCHOR: main
/// The sensor reading of listing 4, as a plain async function:
/// `value` arrives after `ms`.
pub async fn reading(value: i32, ms: u64) -> i32 {
    sleep(Duration::from_millis(ms)).await;
    value
}

// The clock is paused (start_paused), so the time printed is the same on every
// run.
#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    // ANCHOR_END: main
    if std::env::args().len() > 1 {
        eprintln!("usage: 07_join_lift (it takes no arguments)");
        std::process::exit(2);
    }
    // ANCHOR: main
    let t0 = Instant::now();
    // Wait for all three together, then make a plain call: no lift needed.
    let (a, b, c) = tokio::join!(reading(1, 100), reading(2, 300), reading(4, 200));
    let value = average(a, b, c);
    println!(
        "joined: average(1, 2, 4) = {value:.3} at {} ms",
        t0.elapsed().as_millis()
    );
}
// ANCHOR_END: main
