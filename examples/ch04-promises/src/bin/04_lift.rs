//! Lifting a plain function over promises: a function of three numbers becomes a
//! function of three promises.
use std::time::Duration;

use ch04_promises::Promise;
use ch04_promises::listings::functional::average;
use futures::future::join3;
use tokio::time::{Instant, sleep};

// ANCHOR: lift
/// Lifts `f` from numbers to promises of numbers. Like a Python decorator, it takes
/// a function and gives back a new one; the new one waits for all three inputs
/// together (`join3`), then calls `f` once.
pub fn lift3(
    f: fn(i32, i32, i32) -> f64,
) -> impl Fn(Promise<i32>, Promise<i32>, Promise<i32>) -> Promise<f64> {
    move |a, b, c| Promise::new(join3(a, b, c)).map(move |(a, b, c)| f(a, b, c))
}
// ANCHOR_END: lift

// ANCHOR: reading
/// A stand-in for reading a sensor over the network: `value` arrives after `ms`.
pub fn reading(value: i32, ms: u64) -> Promise<i32> {
    Promise::new(async move {
        sleep(Duration::from_millis(ms)).await;
        value
    })
}

/// Without lifting: await each input in turn, then call the plain function.
pub async fn one_by_one(a: Promise<i32>, b: Promise<i32>, c: Promise<i32>) -> f64 {
    average(a.await, b.await, c.await) // b starts only after a is done, and so on
}
// ANCHOR_END: reading

// ANCHOR: main
// The clock is paused (start_paused), so the times printed are the same on every
// run.
#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    // ANCHOR_END: main
    if std::env::args().len() > 1 {
        eprintln!("usage: 04_lift (it takes no arguments)");
        std::process::exit(2);
    }
    // ANCHOR: main
    println!("plain:      average(1, 2, 4) = {:.3}", average(1, 2, 4));

    let average_later = lift3(average); // a new function; nothing to wait for yet
    let t0 = Instant::now();
    let promised = average_later(reading(1, 100), reading(2, 300), reading(4, 200));
    let value = promised.await;
    println!("lifted:     {value:.3} at {} ms", t0.elapsed().as_millis());

    let t0 = Instant::now();
    let value = one_by_one(reading(1, 100), reading(2, 300), reading(4, 200)).await;
    println!("one by one: {value:.3} at {} ms", t0.elapsed().as_millis());
}
// ANCHOR_END: main
