//! The exercises' tests, one module per exercise. They test the book's solutions; with
//! `--features my-solutions` they test the reader's starter files instead:
//!
//! ```console
//! $ cargo test -p ch03-futures-and-tasks --features my-solutions --test exercises ex1
//! ```
//!
//! Async timing runs on tokio's paused clock: a 100 ms sleep takes exactly 100 ms of virtual
//! time, and the tests take no real time at all.
use std::time::Duration;

const MS: Duration = Duration::from_millis(1);

/// Exercise 1: `my_timeout`.
mod ex1 {
    use std::cell::Cell;
    use std::rc::Rc;
    use std::time::Duration;

    use ch03_futures_and_tasks::listings::ex1_timeout;
    use proptest::prelude::*;
    use timeline::on_paused_clock;
    use tokio::time::{Instant, sleep};

    use super::MS;

    /// Sets its flag when dropped: shows whether a future was dropped, finished or not.
    struct DropFlag(Rc<Cell<bool>>);

    impl Drop for DropFlag {
        fn drop(&mut self) {
            self.0.set(true);
        }
    }

    /// Work that takes `wait`, with a drop flag inside.
    async fn work(wait: Duration, dropped: Rc<Cell<bool>>) -> &'static str {
        let _flag = DropFlag(dropped);
        sleep(wait).await;
        "done"
    }

    #[tokio::test(start_paused = true)]
    async fn my_timeout_drops_the_work_at_the_deadline() {
        let dropped = Rc::new(Cell::new(false));
        let start = Instant::now();
        let result = ex1_timeout::my_timeout(200 * MS, work(500 * MS, Rc::clone(&dropped))).await;
        assert_eq!(result, Err(ex1_timeout::TimedOut));
        assert_eq!(start.elapsed(), 200 * MS);
        assert!(dropped.get(), "the work was dropped when the limit came");
    }

    /// On a tie the work wins, in `my_timeout` (its `select!` is `biased` with the work first)
    /// and in `tokio::time::timeout` (which polls the future before its deadline).
    #[tokio::test(start_paused = true)]
    async fn on_a_tie_the_work_wins() {
        let start = Instant::now();
        let ours = ex1_timeout::my_timeout(100 * MS, sleep(100 * MS)).await;
        assert_eq!((ours, start.elapsed()), (Ok(()), 100 * MS));

        let start = Instant::now();
        let tokios = tokio::time::timeout(100 * MS, sleep(100 * MS)).await;
        assert!(tokios.is_ok());
        assert_eq!(start.elapsed(), 100 * MS);
    }

    /// Runs `work` under a limit with `my_timeout` or tokio's `timeout`, on a fresh paused
    /// runtime. Returns whether it finished in time, and when the result came.
    fn under_limit(limit: Duration, wait: Duration, mine: bool) -> (bool, Duration) {
        on_paused_clock(async {
            let start = Instant::now();
            let dropped = Rc::new(Cell::new(false));
            let in_time = if mine {
                ex1_timeout::my_timeout(limit, work(wait, dropped))
                    .await
                    .is_ok()
            } else {
                tokio::time::timeout(limit, work(wait, dropped))
                    .await
                    .is_ok()
            };
            (in_time, start.elapsed())
        })
    }

    proptest! {
        /// `my_timeout` agrees with `tokio::time::timeout` on every (limit, work) pair: Ok at
        /// the work's time if it is no longer than the limit, else Err at exactly the limit.
        /// One case in three is a tie (limit == work), which the work wins.
        #[test]
        fn my_timeout_behaves_like_tokio_timeout(
            (limit, wait) in prop_oneof![
                2 => (0u64..300, 0u64..300),
                1 => (0u64..300).prop_map(|ms| (ms, ms)),
            ],
        ) {
            let (limit, wait) = (Duration::from_millis(limit), Duration::from_millis(wait));
            let expected = if wait <= limit { (true, wait) } else { (false, limit) };
            prop_assert_eq!(under_limit(limit, wait, true), expected, "my_timeout");
            prop_assert_eq!(under_limit(limit, wait, false), expected, "tokio::time::timeout");
        }
    }
}

/// Exercise 2: the worker pool.
mod ex2 {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    use ch03_futures_and_tasks::listings::ex2_worker_pool;
    use proptest::prelude::*;
    use timeline::on_paused_clock;
    use tokio::time::{Instant, sleep};

    use super::MS;

    /// What a pool run did: the results sorted by job, the most jobs ever in progress at once,
    /// and how long it took. Job `j` takes `durations[j]` ms and its result is `2j + 1`.
    fn run_pool(workers: usize, durations: Vec<u32>) -> (Vec<(u64, u64)>, usize, Duration) {
        let durations = Arc::new(durations);
        let jobs: Vec<u64> = (0..durations.len() as u64).collect();
        let in_flight = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let process = {
            let (in_flight, most) = (Arc::clone(&in_flight), Arc::clone(&most));
            move |job: u64| {
                let (in_flight, most) = (Arc::clone(&in_flight), Arc::clone(&most));
                let took = durations[job as usize] * MS;
                async move {
                    let now = in_flight.fetch_add(1, Ordering::SeqCst) + 1;
                    most.fetch_max(now, Ordering::SeqCst);
                    sleep(took).await;
                    in_flight.fetch_sub(1, Ordering::SeqCst);
                    2 * job + 1
                }
            }
        };
        let (mut results, elapsed) = on_paused_clock(async {
            let start = Instant::now();
            let results = ex2_worker_pool::worker_pool(workers, jobs, process).await;
            (results, start.elapsed())
        });
        results.sort();
        (results, most.load(Ordering::SeqCst), elapsed)
    }

    /// The time `workers` workers take to run jobs of these durations when each free worker
    /// takes the next job in the queue.
    fn schedule_length(workers: usize, durations: &[u32]) -> Duration {
        let mut free_at = vec![0u32; workers];
        for &took in durations {
            let first_free = free_at
                .iter_mut()
                .min()
                .expect("there is at least one worker");
            *first_free += took;
        }
        free_at.into_iter().max().unwrap_or(0) * MS
    }

    #[test]
    fn twelve_jobs_of_100_ms_on_3_workers_take_400_ms() {
        let (results, most, elapsed) = run_pool(3, vec![100; 12]);
        assert_eq!(results, (0..12).map(|j| (j, 2 * j + 1)).collect::<Vec<_>>());
        assert_eq!(most, 3);
        assert_eq!(elapsed, 400 * MS);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Every job is processed exactly once, never more than `workers` at a time (and
        /// `workers` at once while there is enough work), in exactly the time that a pool of
        /// `workers` needs when each worker takes the next job as soon as it is free.
        #[test]
        fn the_pool_runs_each_job_once_on_at_most_n_workers(
            workers in 1usize..6,
            durations in prop::collection::vec(1u32..50, 0..30),
        ) {
            let (results, most, elapsed) = run_pool(workers, durations.clone());
            let expected: Vec<(u64, u64)> =
                (0..durations.len() as u64).map(|j| (j, 2 * j + 1)).collect();
            prop_assert_eq!(results, expected, "each job once, with its own result");
            prop_assert!(most <= workers, "{} jobs in progress at once", most);
            prop_assert_eq!(most, workers.min(durations.len()), "every worker is used");
            prop_assert_eq!(elapsed, schedule_length(workers, &durations));
        }
    }
}
