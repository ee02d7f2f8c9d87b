//! Exercise 2 (solution): three producers share one `Arc<LeakyBucket>`, so together they keep its rate.
use std::sync::Arc;
use std::time::Duration;

use throttle::LeakyBucket;
use tokio::task::JoinSet;
use tokio::time::Instant;

// ANCHOR: solution
/// Spawns `producers` tasks that each start `each` operations, every one through
/// the *same* bucket. Returns `(producer, start time)` for every operation, sorted
/// by time.
pub async fn share(
    bucket: Arc<LeakyBucket>,
    producers: usize,
    each: usize,
) -> Vec<(usize, Duration)> {
    let t0 = Instant::now();
    let mut tasks = JoinSet::new();
    for producer in 0..producers {
        let bucket = Arc::clone(&bucket); // one bucket, many owners
        tasks.spawn(async move {
            let mut starts = Vec::new();
            for _ in 0..each {
                bucket.acquire().await;
                starts.push((producer, t0.elapsed()));
            }
            starts
        });
    }
    let mut all = Vec::new();
    while let Some(starts) = tasks.join_next().await {
        all.extend(starts.expect("a producer does not panic"));
    }
    all.sort_by_key(|&(producer, start)| (start, producer));
    all
}
// ANCHOR_END: solution

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
