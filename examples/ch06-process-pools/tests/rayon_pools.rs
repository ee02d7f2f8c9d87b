//! Claims of the rayon and speedup pages: every parallel way gives the sequential
//! answer, on any pool size and batch size, and a pool of N threads never runs more
//! than N jobs at once. (Exercise 1's word count is checked the same way in
//! `exercises.rs`.)
use std::sync::atomic::{AtomicUsize, Ordering};

use ch06_process_pools::listings::{rayon_basics as r, speedup};
use proptest::prelude::*;
use rayon::prelude::*;

mod common;
use common::pool;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn every_parallel_way_gives_the_sequential_sum(n in 0u64..60_000, threads in 1usize..9) {
        let expected = r::sequential(n);
        pool(threads).install(|| {
            prop_assert_eq!(r::par_sum(n), expected);
            prop_assert_eq!(r::par_map_reduce(n), expected);
            prop_assert_eq!(r::join_sum(0..n), expected);
            prop_assert_eq!(speedup::job(n), expected);
            Ok(())
        })?;
    }

    #[test]
    fn batches_give_one_sum_per_batch_in_order(
        numbers in prop::collection::vec(0u64..1_000_000, 0..500),
        batch_size in 1usize..40,
        threads in 1usize..9,
    ) {
        let sums = pool(threads).install(|| r::batch_sums(&numbers, batch_size));
        let expected: Vec<u128> = numbers
            .chunks(batch_size)
            .map(|batch| batch.iter().map(|&n| u128::from(n) * u128::from(n)).sum())
            .collect();
        prop_assert_eq!(sums, expected);
    }

    #[test]
    fn scope_fills_both_halves(numbers in prop::collection::vec(0u64..1_000_000, 0..200)) {
        let expected: Vec<u128> = numbers.iter().map(|&n| r::square(n)).collect();
        prop_assert_eq!(r::squares_in_place(&numbers), expected);
    }
}

#[test]
fn a_pool_of_n_threads_reports_n() {
    for threads in 1..=4 {
        let (seen, sum) =
            r::on_pool(threads, 1_000).expect("a small pool can be built");
        assert_eq!(seen, threads);
        assert_eq!(sum, r::sequential(1_000));
    }
}

/// Runs 200 jobs on a pool of `threads` and returns the most that ever ran at once.
fn high_water_mark(threads: usize) -> usize {
    let (running, most) = (AtomicUsize::new(0), AtomicUsize::new(0));
    pool(threads).install(|| {
        (0..200u64).into_par_iter().for_each(|i| {
            let now = running.fetch_add(1, Ordering::SeqCst) + 1;
            most.fetch_max(now, Ordering::SeqCst);
            // some real work, so jobs overlap
            std::hint::black_box(r::sequential(2_000 + i));
            running.fetch_sub(1, Ordering::SeqCst);
        });
    });
    most.load(Ordering::SeqCst)
}

#[test]
fn a_pool_of_n_threads_never_runs_more_than_n_jobs_at_once() {
    for threads in 1..=6 {
        let most = high_water_mark(threads);
        assert!(
            (1..=threads).contains(&most),
            "a pool of {threads} ran {most} jobs at once"
        );
    }
}

#[test]
fn amdahl_is_ideal_without_a_serial_part_and_capped_by_it() {
    assert!((speedup::amdahl(0.0, 4) - 4.0).abs() < 1e-12);
    assert!((speedup::amdahl(1.0, 4) - 1.0).abs() < 1e-12);
    // With a tenth serial, no number of threads gets past 10×.
    assert!((speedup::amdahl(0.1, 2) - 2.0 / 1.1).abs() < 1e-12);
    assert!(speedup::amdahl(0.1, 1_000_000) < 10.0);
}

#[test]
fn measure_returns_one_row_per_pool_size_all_with_the_same_sum() {
    let found = speedup::measure(20_000, 3, 1).expect("small pools can be built");
    let sizes: Vec<usize> = found.rows.iter().map(|row| row.threads).collect();
    assert_eq!(sizes, [1, 2, 3]);
    assert!(found.rows.iter().all(|row| row.sum == r::sequential(20_000)));
    assert!((0.0..=1.0).contains(&found.serial_fraction));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// rayon's `reduce` keeps the order of the pieces: appending strings, which is
    /// associative but not commutative, gives the sequential text on any pool.
    #[test]
    fn reduce_keeps_the_order_of_appended_strings(
        words in prop::collection::vec("[a-z]{0,3}", 0..200),
        threads in 1usize..9,
    ) {
        let words: Vec<&str> = words.iter().map(String::as_str).collect();
        let joined = pool(threads).install(|| r::joined(&words));
        prop_assert_eq!(joined, words.concat());
    }

    /// A starting value that is not an identity for the operation gives a wrong
    /// answer: `|| 1` with `+` adds at least one extra 1, however the work was
    /// split.
    #[test]
    fn a_starting_value_that_is_not_an_identity_gives_a_wrong_sum(
        numbers in prop::collection::vec(0u64..1000, 0..2000),
        threads in 1usize..9,
    ) {
        let right: u64 = numbers.iter().sum();
        let wrong = pool(threads).install(|| r::sum_with_a_wrong_identity(&numbers));
        prop_assert!(wrong > right);
    }
}
