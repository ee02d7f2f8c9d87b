//! An async generator (a `Stream`) and an async comprehension built from stream
//! combinators.
use std::time::Duration;

use futures::stream::{self, Stream, StreamExt};
use tokio::time::{Instant, sleep};

// ANCHOR: readings
/// An async generator: yields one reading every 10 ms. The `sleep` stands in for
/// waiting on a device or a socket; `unfold` keeps the state (the next reading
/// number) between values, like the local variables of a Python `async def` with
/// `yield`.
pub fn readings(count: u32) -> impl Stream<Item = u32> {
    stream::unfold(0, move |n| async move {
        if n == count {
            return None; // the generator returns: the stream ends
        }
        sleep(Duration::from_millis(10)).await; // wait for the next reading
        let reading = (n * 37 + 11) % 100; // a made-up but repeatable sensor value
        Some((reading, n + 1)) // yield `reading`, remember `n + 1`
    })
}
// ANCHOR_END: readings

// ANCHOR: comprehension
/// Like `[r * 10 async for r in readings(20) if r % 2 == 0][:5]`, as stream
/// combinators, except that this stops asking after the fifth: Python would read
/// all twenty first.
pub async fn first_even_readings_times_ten(count: u32) -> Vec<u32> {
    readings(count)
        .filter(|r| std::future::ready(r % 2 == 0))
        .map(|r| r * 10)
        .take(5) // stop asking after five: later readings are never produced
        .collect()
        .await
}
// ANCHOR_END: comprehension

#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    if std::env::args().len() > 1 {
        eprintln!("usage: 08_streams (it takes no arguments)");
        std::process::exit(2);
    }
    // The clock is paused (virtual time), so the times below are the same on every
    // run.
    let start = Instant::now();
    let mut stream = std::pin::pin!(readings(5));
    while let Some(reading) = stream.next().await {
        println!("{:>3} ms: reading {reading}", start.elapsed().as_millis());
    }

    let start = Instant::now();
    let values = first_even_readings_times_ten(20).await;
    println!("comprehension: {values:?} after {} ms", start.elapsed().as_millis());
}
