//! Claims of the batches page: batches on worker threads give the sequential
//! results, in order, for any number of workers and any batch size; one batch keeps
//! to the limit.
use std::time::Duration;

use ch06_process_pools::listings::batches_threads as b;
use proptest::prelude::*;
use throttle::LeakyBucket;
use tokio::time::Instant;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn the_pool_gives_the_sequential_results_in_order(
        items in prop::collection::vec(0u64..2_000, 0..120),
        workers in 1usize..6,
        batch_size in 1usize..30,
    ) {
        let results = b::run_pool(&items, workers, batch_size, &b::no_limit(), Duration::ZERO)
            .expect("a few threads can be started");
        let expected: Vec<u128> = items.iter().map(|&item| b::work(item)).collect();
        prop_assert_eq!(results, expected);
    }
}

#[test]
fn zero_workers_or_zero_batch_size_is_an_error_not_a_panic() {
    let limit = b::no_limit();
    assert!(b::run_pool(&[1, 2], 0, 1, &limit, Duration::ZERO).is_err());
    assert!(b::run_pool(&[1, 2], 1, 0, &limit, Duration::ZERO).is_err());
}

#[tokio::test(start_paused = true)]
async fn a_batch_runs_its_items_at_once_within_the_limit() {
    // Ten items, 5 calls per 100 ms, 20 ms per call: five start at once, then one
    // every 20 ms as the bucket drains; the last starts at 100 ms and ends at 120
    // ms. One after another the calls alone would take 200 ms.
    let limiter = LeakyBucket::new(5, Duration::from_millis(100));
    let items: Vec<u64> = (1..=10).collect();
    let start = Instant::now();
    let results =
        b::process_batch(&items, &limiter, Duration::from_millis(20)).await;
    assert_eq!(start.elapsed(), Duration::from_millis(120));
    assert_eq!(results, items.iter().map(|&i| b::work(i)).collect::<Vec<_>>());
    assert_eq!(
        b::least_time(10, &limiter, Duration::from_millis(20)),
        Duration::from_millis(120)
    );
}

#[test]
fn the_shared_limit_holds_across_worker_threads() {
    // A lower bound on real time: however fast the machine, the limit cannot be
    // beaten.
    let limiter = LeakyBucket::new(4, Duration::from_millis(40));
    let items: Vec<u64> = (1..=16).collect();
    let start = std::time::Instant::now();
    let results = b::run_pool(&items, 4, 2, &limiter, Duration::ZERO)
        .expect("a few threads can be started");
    assert!(start.elapsed() >= b::least_time(16, &limiter, Duration::ZERO));
    assert_eq!(results.len(), 16);
}
