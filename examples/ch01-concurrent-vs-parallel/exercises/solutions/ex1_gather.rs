//! Exercise 1 (solution): ten requests at once, without spawning, with `join_all`.
use std::time::Duration;

use futures::future::join_all;
use tokio::time::{Instant, sleep};

/// A stand-in for a network request. The `sleep` is where real code would wait for
/// a reply.
async fn request(id: u32, delay: Duration) -> u32 {
    sleep(delay).await;
    id
}

// ANCHOR: solution
/// Sends `jobs` requests so that they all wait at the same time, and returns the
/// replies in the order the requests were made. Do not use `tokio::spawn`.
pub async fn gather(jobs: u32, delay: Duration) -> Vec<u32> {
    // Creating a future starts nothing; join_all polls them all, so they wait
    // together.
    let requests = (0..jobs).map(|id| request(id, delay));
    join_all(requests).await
}
// ANCHOR_END: solution

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let start = Instant::now();
    let replies = gather(10, Duration::from_millis(50)).await;
    println!("replies: {replies:?}");
    println!("took {} ms", start.elapsed().as_millis());
}
