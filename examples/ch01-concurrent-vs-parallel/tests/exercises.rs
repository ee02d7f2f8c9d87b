//! The exercises' tests, one module per exercise. They test the book's solutions; with
//! `--features my-solutions` they test the reader's starter files instead:
//!
//! ```console
//! $ cargo test -p ch01-concurrent-vs-parallel --features my-solutions --test exercises ex1
//! ```
//!
//! Each test starts with `quiet()`: a failure is one line that says what is not done yet, or
//! "your answer" beside "expected" and the input that gave them.

/// Exercise 1: gather without spawning.
mod ex1 {
    use std::time::Duration;

    use ch01_concurrent_vs_parallel::listings::ex1_gather;
    use listing_check::answer;
    use listing_check::exercise::quiet;
    use tokio::runtime::Handle;
    use tokio::time::{Instant, sleep};

    const MS: Duration = Duration::from_millis(1);

    #[tokio::test(start_paused = true)]
    async fn exercise_1_join_all_waits_once_and_keeps_order() {
        quiet();
        let start = Instant::now();
        let replies = ex1_gather::gather(10, 50 * MS).await;
        answer!(start.elapsed(), 50 * MS, "time for gather(10, 50 ms)");
        answer!(
            replies,
            (0..10).collect::<Vec<_>>(),
            "replies of gather(10, 50 ms)"
        );
    }

    /// The exercise's rule: no `tokio::spawn`. Halfway through the wait, a `gather`
    /// that spawned would have tasks alive on the runtime; one that joins futures
    /// has none.
    #[tokio::test(start_paused = true)]
    async fn exercise_1_spawns_no_task() {
        quiet();
        let (_, alive) = tokio::join!(ex1_gather::gather(10, 50 * MS), async {
            sleep(25 * MS).await;
            Handle::current().metrics().num_alive_tasks()
        });
        answer!(
            alive,
            0,
            "tasks alive halfway through gather(10, 50 ms): use no tokio::spawn"
        );
    }
}

/// Exercise 2: split the work over scoped threads.
mod ex2 {
    use ch01_concurrent_vs_parallel::listings::ex2_scoped_threads;
    use listing_check::answer;
    use listing_check::exercise::{config, quiet};
    use proptest::prelude::*;

    #[test]
    fn the_prime_count_is_right() {
        quiet();
        // A known figure: there are 25 primes below 100 and 1229 below 10,000.
        answer!(ex2_scoped_threads::count_primes(0..100), 25, "primes below 100");
        answer!(
            ex2_scoped_threads::count_primes(0..10_000),
            1229,
            "primes below 10,000"
        );
    }

    #[test]
    fn exercise_2_counts_like_one_thread() {
        quiet();
        // Half the limits are tiny, so that many are smaller than the number of
        // threads.
        let limits = prop_oneof![0u64..20, 0u64..3_000];
        proptest!(config(64), |(limit in limits, threads in 1u64..12)| {
            let yours = ex2_scoped_threads::count_primes_parallel(limit, threads);
            let expected = ex2_scoped_threads::count_primes(0..limit);
            prop_assert!(
                yours == expected,
                "your answer: {yours}, expected: {expected}, for limit {limit} on {threads} threads"
            );
        });
    }
}
