//! Exercise 1 (starter): send ten requests at once without spawning, with `join_all`.
use std::time::Duration;

use tokio::time::{Instant, sleep};

/// A stand-in for a network request. The `sleep` is where real code would wait for
/// a reply.
async fn request(id: u32, delay: Duration) -> u32 {
    sleep(delay).await;
    id
}

// ANCHOR: todo
/// Sends `jobs` requests so that they all wait at the same time, and returns the
/// replies in the order the requests were made. Do not use `tokio::spawn`.
pub async fn gather(jobs: u32, delay: Duration) -> Vec<u32> {
    let _ = (jobs, delay, request); // remove this line when you start
    todo!(
        "make one future per request, then await them together with futures::future::join_all"
    )
}
// ANCHOR_END: todo

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let start = Instant::now();
    let replies = gather(10, Duration::from_millis(50)).await;
    println!("replies: {replies:?}");
    println!("took {} ms", start.elapsed().as_millis());
}
