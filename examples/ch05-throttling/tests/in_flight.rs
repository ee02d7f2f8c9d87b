//! The three ways to cap jobs in flight (a `Semaphore`, `buffer_unordered`, the
//! hand-made pool) never exceed the cap, lose no job, run the jobs on the schedule
//! a simple model predicts, and the ordered pool returns results in input order.
//! Checked on tokio's paused clock over generated job durations and caps.
use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::time::Duration;

use ch05_throttling::listings::in_flight::{
    Gauge, JOBS_MS, LIMIT, Run, map_ordered, map_unordered, unlimited,
    with_buffer_unordered, with_pool_ordered, with_pool_unordered, with_semaphore,
};
use proptest::prelude::*;
use timeline::on_paused_clock;
use tokio::time::sleep;

#[derive(Debug, Clone, Copy)]
enum Way {
    Semaphore,
    BufferUnordered,
    PoolUnordered,
    PoolOrdered,
}

const WAYS: [Way; 4] =
    [Way::Semaphore, Way::BufferUnordered, Way::PoolUnordered, Way::PoolOrdered];

/// Runs `jobs` one way with at most `n` in flight; returns the runs and the gauge's
/// high-water mark.
fn run(way: Way, jobs: &[u64], n: usize) -> (Vec<Run>, usize) {
    on_paused_clock(async {
        let gauge = Gauge::new();
        let runs = match way {
            Way::Semaphore => with_semaphore(jobs, n, &gauge).await,
            Way::BufferUnordered => with_buffer_unordered(jobs, n, &gauge).await,
            Way::PoolUnordered => with_pool_unordered(jobs, n, &gauge).await,
            Way::PoolOrdered => with_pool_ordered(jobs, n, &gauge).await,
        };
        (runs, gauge.most())
    })
}

/// The model: `n` workers take the jobs in input order, each job going to the
/// worker that is free first. Returns each job's `(start, end)`, in input order.
fn model(jobs: &[u64], n: usize) -> Vec<(Duration, Duration)> {
    let mut free: BinaryHeap<Reverse<u64>> = (0..n).map(|_| Reverse(0)).collect();
    jobs.iter()
        .map(|&ms| {
            let Reverse(start) = free.pop().expect("there are n workers");
            free.push(Reverse(start + ms));
            (Duration::from_millis(start), Duration::from_millis(start + ms))
        })
        .collect()
}

/// The most runs that overlap at any instant (a run holds `[start, end)`), counted
/// from the runs themselves rather than from the gauge.
fn most_overlapping(runs: &[Run]) -> usize {
    runs.iter()
        .map(|&(_, at, _)| {
            runs.iter().filter(|&&(_, s, e)| s <= at && at < e).count()
        })
        .max()
        .unwrap_or(0)
}

/// The chapter's own jobs: the numbers the listing prints.
#[test]
fn the_listings_jobs() {
    let (runs, most) = on_paused_clock(async {
        let gauge = Gauge::new();
        (unlimited(&JOBS_MS, &gauge).await, gauge.most())
    });
    assert_eq!(most, JOBS_MS.len());
    assert_eq!(runs.iter().map(|r| r.2).max(), Some(Duration::from_millis(400)));
    for way in WAYS {
        let (runs, most) = run(way, &JOBS_MS, LIMIT);
        assert_eq!(most, LIMIT, "{way:?}");
        assert_eq!(
            runs.iter().map(|r| r.2).max(),
            Some(Duration::from_millis(800))
        );
        let order: Vec<usize> = runs.iter().map(|r| r.0).collect();
        let want = match way {
            Way::Semaphore | Way::PoolOrdered => vec![0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
            Way::BufferUnordered | Way::PoolUnordered => {
                vec![1, 2, 3, 0, 5, 6, 4, 7, 8, 9]
            }
        };
        assert_eq!(order, want, "{way:?}");
    }
}

#[test]
#[should_panic(expected = "no job could ever start")]
fn a_cap_of_zero_is_refused() {
    let _ = run(Way::PoolUnordered, &[10], 0);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn never_more_than_n_in_flight_and_no_job_lost(
        jobs in prop::collection::vec(1u64..500, 0..40),
        n in 1usize..8,
    ) {
        let expected = model(&jobs, n);
        for way in WAYS {
            let (runs, most) = run(way, &jobs, n);
            // The cap holds, and it is reached whenever there are enough jobs.
            prop_assert_eq!(most, n.min(jobs.len()), "{:?}: gauge", way);
            prop_assert!(most_overlapping(&runs) <= n, "{:?}: overlapping runs", way);
            // Every job ran exactly once.
            let mut ids: Vec<usize> = runs.iter().map(|r| r.0).collect();
            ids.sort();
            prop_assert_eq!(ids, (0..jobs.len()).collect::<Vec<_>>(), "{:?}: ids", way);
            // Each job ran as long as it should, when the model says.
            for &(id, start, end) in &runs {
                prop_assert_eq!((start, end), expected[id], "{:?}: job {}", way, id);
            }
            // Input order where promised; completion order (by end time) otherwise.
            let ends: Vec<Duration> = runs.iter().map(|r| r.2).collect();
            match way {
                Way::Semaphore | Way::PoolOrdered => {
                    let order: Vec<usize> = runs.iter().map(|r| r.0).collect();
                    prop_assert_eq!(order, (0..jobs.len()).collect::<Vec<_>>());
                }
                Way::BufferUnordered | Way::PoolUnordered => {
                    prop_assert!(ends.is_sorted(), "{:?}: not in completion order", way);
                }
            }
        }
    }

    /// The pool's two maps work on any values: the ordered one gives input order
    /// back, the unordered one the same values in the order they finished.
    #[test]
    fn ordered_map_keeps_input_order(
        waits in prop::collection::vec(0u64..300, 0..30),
        n in 1usize..6,
    ) {
        let work = |ms: u64| async move {
            sleep(Duration::from_millis(ms)).await;
            ms
        };
        let ordered = on_paused_clock(map_ordered(waits.clone(), n, work));
        prop_assert_eq!(&ordered, &waits);
        let mut unordered = on_paused_clock(map_unordered(waits.clone(), n, work));
        unordered.sort();
        let mut sorted = waits.clone();
        sorted.sort();
        prop_assert_eq!(unordered, sorted);
    }
}

/// A job cut off by a timeout (or any drop) is counted out: the gauge counts with a
/// drop guard, so it never reports a job in flight that is gone.
#[test]
fn a_cancelled_job_is_counted_out() {
    use ch05_throttling::listings::in_flight::job;
    on_paused_clock(async {
        let gauge = Gauge::new();
        let cut =
            tokio::time::timeout(Duration::from_millis(50), job(0, 100, &gauge))
                .await;
        assert!(cut.is_err(), "the 100 ms job is cut off at 50 ms");
        let after = gauge.changes().last().map(|&(_, count)| count);
        assert_eq!(after, Some(0), "the cancelled job still counts as in flight");
    });
}
