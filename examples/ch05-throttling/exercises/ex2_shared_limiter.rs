//! Exercise 2 (starter): make three producers share one `Arc<LeakyBucket>`, so together they keep its rate.
use std::sync::Arc;
use std::time::Duration;

use throttle::LeakyBucket;
use tokio::task::JoinSet;
use tokio::time::Instant;

// ANCHOR: todo
/// Spawns `producers` tasks that each start `each` operations, every one through
/// the *same* bucket. Returns `(producer, start time)` for every operation, sorted
/// by time.
pub async fn share(
    bucket: Arc<LeakyBucket>,
    producers: usize,
    each: usize,
) -> Vec<(usize, Duration)> {
    let _ = (bucket, producers, each); // remove this line when you start
    let _ = (Instant::now(), JoinSet::<()>::new()); // (the tools you will need)
    todo!(
        "spawn one task per producer, each with its own Arc clone of the same bucket"
    )
}
// ANCHOR_END: todo

// The clock is paused (start_paused), so the times printed are the same on every
// run.
#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    let bucket = Arc::new(LeakyBucket::new(4, Duration::from_secs(2)));
    println!("3 producers, 4 operations each, one bucket of 4 per 2 s");
    let starts = share(bucket, 3, 4).await;
    let mut times: Vec<Duration> = starts.iter().map(|&(_, t)| t).collect();
    times.dedup();
    for time in times {
        let who: Vec<String> = starts
            .iter()
            .filter(|&&(_, t)| t == time)
            .map(|(producer, _)| format!("producer {producer}"))
            .collect();
        println!("{:>5} ms: {}", time.as_millis(), who.join(", "));
    }
}
