//! The exercises' tests, one module per exercise. They test the book's solutions; with
//! `--features my-solutions` they test the reader's starter files instead:
//!
//! ```console
//! $ cargo test -p ch01-concurrent-vs-parallel --features my-solutions --test exercises ex1
//! ```

/// Exercise 1: gather without spawning.
mod ex1 {
    use std::time::Duration;

    use ch01_concurrent_vs_parallel::listings::ex1_gather;

    const MS: Duration = Duration::from_millis(1);

    #[tokio::test(start_paused = true)]
    async fn exercise_1_join_all_waits_once_and_keeps_order() {
        let start = tokio::time::Instant::now();
        let replies = ex1_gather::gather(10, 50 * MS).await;
        assert_eq!(start.elapsed(), 50 * MS);
        assert_eq!(replies, (0..10).collect::<Vec<_>>());
    }
}

/// Exercise 2: split the work over scoped threads.
mod ex2 {
    use ch01_concurrent_vs_parallel::listings::ex2_scoped_threads;
    use proptest::prelude::*;

    #[test]
    fn the_prime_count_is_right() {
        // A known figure: there are 25 primes below 100 and 1229 below 10,000.
        assert_eq!(ex2_scoped_threads::count_primes(0..100), 25);
        assert_eq!(ex2_scoped_threads::count_primes(0..10_000), 1229);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        // Half the limits are tiny, so that many are smaller than the number of threads.
        #[test]
        fn exercise_2_counts_like_one_thread(
            limit in prop_oneof![0u64..20, 0u64..3_000],
            threads in 1u64..12,
        ) {
            prop_assert_eq!(
                ex2_scoped_threads::count_primes_parallel(limit, threads),
                ex2_scoped_threads::count_primes(0..limit)
            );
        }
    }
}
