//! One awaitable shape for async IO, blocking calls and CPU work.
use std::time::Duration;

use tokio::sync::oneshot;
use tokio::task::JoinError;

// ANCHOR: shape
/// Async IO: already a future; spawn it to run it beside others.
pub async fn io_work(n: u64) -> u64 {
    tokio::time::sleep(Duration::from_millis(10)).await; // stands in for a request
    n + 1
}

/// A blocking call (a sync driver, `std::fs`): on tokio's blocking-thread pool.
pub async fn blocking_work(n: u64) -> Result<u64, JoinError> {
    tokio::task::spawn_blocking(move || {
        // stands in for a blocking call
        std::thread::sleep(Duration::from_millis(10));
        n * 2
    })
    .await
}

/// CPU work: on rayon's pool, one thread per core; a oneshot brings the answer
/// back.
pub async fn cpu_work(n: u64) -> Result<u64, oneshot::error::RecvError> {
    let (send, receive) = oneshot::channel();
    rayon::spawn(move || {
        let sum = (1..=n).map(|i| i * i).sum();
        // the receiver may have given up; nothing to do then
        let _ = send.send(sum);
    });
    receive.await
}
// ANCHOR_END: shape

// ANCHOR: main
#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    if std::env::args().len() > 1 {
        eprintln!("usage: 16_one_shape (it takes no arguments)");
        std::process::exit(2);
    }
    // Three kinds of work, one way to wait for them: all three run at the same
    // time.
    let (io, blocking, cpu) =
        tokio::join!(io_work(1), blocking_work(2), cpu_work(3));
    println!("io: {io}, blocking: {}, cpu: {}", blocking?, cpu?);
    Ok(())
}
// ANCHOR_END: main
