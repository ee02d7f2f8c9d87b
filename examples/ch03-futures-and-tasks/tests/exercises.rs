//! The exercises' tests, one module per exercise. They test the book's solutions; with
//! `--features my-solutions` they test the reader's starter files instead:
//!
//! ```console
//! $ cargo test -p ch03-futures-and-tasks --features my-solutions --test exercises ex1
//! ```
//!
//! Each test starts with `quiet()`: a failure is one line that says what is not done yet, or
//! "your answer" beside "expected" and the input that gave them.
//!
//! Async timing runs on tokio's paused clock: a 100 ms sleep takes exactly 100 ms of virtual
//! time, and the tests take no real time at all.
use std::time::Duration;

const MS: Duration = Duration::from_millis(1);

/// Exercise 1: `my_timeout`.
mod ex1 {
    use std::cell::Cell;
    use std::fmt;
    use std::rc::Rc;
    use std::time::Duration;

    use ch03_futures_and_tasks::listings::ex1_timeout::{self, TimedOut};
    use listing_check::answer;
    use listing_check::exercise::{config, quiet};
    use proptest::prelude::*;
    use timeline::on_paused_clock;
    use tokio::time::{Instant, sleep};

    use super::MS;

    /// Sets its flag when dropped: shows whether a future was dropped, finished or
    /// not.
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
        quiet();
        let dropped = Rc::new(Cell::new(false));
        let start = Instant::now();
        let result =
            ex1_timeout::my_timeout(200 * MS, work(500 * MS, Rc::clone(&dropped)))
                .await;
        answer!(
            result,
            Err(TimedOut),
            "result of my_timeout(200 ms, work of 500 ms)"
        );
        answer!(
            start.elapsed(),
            200 * MS,
            "time my_timeout(200 ms, work of 500 ms) took"
        );
        assert!(
            dropped.get(),
            "your my_timeout must drop the work when the limit comes: \
             my_timeout(200 ms, work of 500 ms) returned and the work was not dropped"
        );
    }

    /// On a tie the work wins, in `my_timeout` (its `select!` is `biased` with the
    /// work first) and in `tokio::time::timeout` (which polls the future before its
    /// deadline).
    #[tokio::test(start_paused = true)]
    async fn on_a_tie_the_work_wins() {
        quiet();
        let start = Instant::now();
        let ours = ex1_timeout::my_timeout(100 * MS, sleep(100 * MS)).await;
        answer!(
            (ours, start.elapsed()),
            (Ok(()), 100 * MS),
            "(result, time) of my_timeout(100 ms, sleep(100 ms)): on a tie the work wins"
        );

        let start = Instant::now();
        let tokios = tokio::time::timeout(100 * MS, sleep(100 * MS)).await;
        assert!(
            tokios.is_ok(),
            "tokio::time::timeout(100 ms, sleep(100 ms)) gave {tokios:?}: the work should win"
        );
        let took = start.elapsed();
        assert!(
            took == 100 * MS,
            "tokio::time::timeout(100 ms, sleep(100 ms)) took {took:?}, not 100 ms"
        );
    }

    /// Runs `work` under a limit with `my_timeout` or tokio's `timeout`, on a fresh
    /// paused runtime. Returns the result (`Ok("done")` if it finished in time) and
    /// when it came.
    fn under_limit(
        limit: Duration,
        wait: Duration,
        mine: bool,
    ) -> (Result<&'static str, TimedOut>, Duration) {
        on_paused_clock(async {
            let start = Instant::now();
            let dropped = Rc::new(Cell::new(false));
            let result = if mine {
                ex1_timeout::my_timeout(limit, work(wait, dropped)).await
            } else {
                tokio::time::timeout(limit, work(wait, dropped))
                    .await
                    .map_err(|_| TimedOut)
            };
            (result, start.elapsed())
        })
    }

    /// A limit and a length of work, which a failure report shows on one line.
    #[derive(Clone, Copy)]
    struct Case {
        limit: Duration,
        wait: Duration,
    }

    impl fmt::Debug for Case {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "a limit of {:?} on work of {:?}", self.limit, self.wait)
        }
    }

    /// `my_timeout` agrees with `tokio::time::timeout` on every (limit, work) pair:
    /// Ok at the work's time if it is no longer than the limit, else Err at exactly
    /// the limit. One case in three is a tie (limit == work), which the work wins.
    #[test]
    fn my_timeout_behaves_like_tokio_timeout() {
        quiet();
        let cases = prop_oneof![
            2 => (0u64..300, 0u64..300),
            1 => (0u64..300).prop_map(|ms| (ms, ms)),
        ]
        .prop_map(|(limit, wait)| Case {
            limit: Duration::from_millis(limit),
            wait: Duration::from_millis(wait),
        });
        proptest!(config(256), |(case in cases)| {
            let Case { limit, wait } = case;
            let expected = if wait <= limit { (Ok("done"), wait) } else { (Err(TimedOut), limit) };
            let yours = under_limit(limit, wait, true);
            prop_assert!(
                yours == expected,
                "your answer: {yours:?}, expected: {expected:?}, \
                 for (result, time) of my_timeout({limit:?}, work of {wait:?})"
            );
            let tokios = under_limit(limit, wait, false);
            prop_assert!(
                tokios == expected,
                "tokio::time::timeout gave {tokios:?}, expected: {expected:?}, \
                 for (result, time) of timeout({limit:?}, work of {wait:?})"
            );
        });
    }
}

/// Exercise 2: the worker pool.
mod ex2 {
    use std::collections::HashSet;
    use std::fmt;
    use std::panic::{AssertUnwindSafe, catch_unwind};
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::{Arc, Mutex};
    use std::time::Duration;

    use ch03_futures_and_tasks::listings::ex2_worker_pool;
    use listing_check::answer;
    use listing_check::exercise::{config, quiet};
    use proptest::prelude::*;
    use timeline::on_paused_clock;
    use tokio::task::Id;
    use tokio::time::{Instant, sleep};

    use super::MS;

    /// What a pool run did. Job `j` takes `durations[j]` ms and its result is `2j +
    /// 1`.
    struct Run {
        /// `(job, result)` as `worker_pool` returned them.
        returned: Vec<(u64, u64)>,
        /// The most jobs ever in progress at once.
        most: usize,
        /// How long the run took.
        elapsed: Duration,
        /// For each job that was processed: when it finished (from the start), and
        /// the tokio task it ran on (`None` outside any task).
        processed: Vec<Option<(Duration, Option<Id>)>>,
    }

    impl Run {
        /// The results sorted by job.
        fn sorted(&self) -> Vec<(u64, u64)> {
            let mut results = self.returned.clone();
            results.sort();
            results
        }
    }

    /// Runs `worker_pool` on a fresh paused runtime: `workers` workers, and job `j`
    /// takes `durations[j]` ms. A pool still waiting an hour (of paused time) later
    /// fails.
    fn run_pool(workers: usize, durations: Vec<u32>) -> Run {
        let hung = format!(
            "your worker_pool({workers} workers, {} jobs) was still waiting \
             an hour later: drop every Sender you hold, so that each loop sees its channel close",
            durations.len()
        );
        let durations = Arc::new(durations);
        let jobs: Vec<u64> = (0..durations.len() as u64).collect();
        let in_flight = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let processed = Arc::new(Mutex::new(vec![None; durations.len()]));
        let (returned, start, elapsed) = on_paused_clock(async {
            let start = Instant::now();
            let process = {
                let (in_flight, most) = (Arc::clone(&in_flight), Arc::clone(&most));
                let processed = Arc::clone(&processed);
                move |job: u64| {
                    let (in_flight, most) =
                        (Arc::clone(&in_flight), Arc::clone(&most));
                    let processed = Arc::clone(&processed);
                    let took = durations[job as usize] * MS;
                    async move {
                        let now = in_flight.fetch_add(1, Ordering::SeqCst) + 1;
                        most.fetch_max(now, Ordering::SeqCst);
                        sleep(took).await;
                        in_flight.fetch_sub(1, Ordering::SeqCst);
                        let done = (Instant::now(), tokio::task::try_id());
                        if let Some(slot) = processed
                            .lock()
                            .expect("no panic while the log is locked")
                            .get_mut(job as usize)
                        {
                            *slot = Some(done);
                        }
                        2 * job + 1
                    }
                }
            };
            let pool = ex2_worker_pool::worker_pool(workers, jobs, process);
            let returned = tokio::time::timeout(Duration::from_secs(3600), pool)
                .await
                .unwrap_or_else(|_| panic!("{hung}"));
            (returned, start, start.elapsed())
        });
        let processed = processed
            .lock()
            .expect("no panic while the log is locked")
            .iter()
            .map(|done| done.map(|(at, task)| (at - start, task)))
            .collect();
        Run { returned, most: most.load(Ordering::SeqCst), elapsed, processed }
    }

    /// The time `workers` workers take to run jobs of these durations when each
    /// free worker takes the next job in the queue.
    fn schedule_length(workers: usize, durations: &[u32]) -> Duration {
        let mut free_at = vec![0u32; workers];
        for &took in durations {
            let first_free =
                free_at.iter_mut().min().expect("there is at least one worker");
            *first_free += took;
        }
        free_at.into_iter().max().unwrap_or(0) * MS
    }

    /// A pool to try: `workers` workers, and job `j` takes `durations[j]` ms. A
    /// failure report shows it on one line.
    #[derive(Clone)]
    struct Pool {
        workers: usize,
        durations: Vec<u32>,
    }

    impl fmt::Debug for Pool {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            let (workers, durations) = (self.workers, &self.durations);
            let s = if workers == 1 { "" } else { "s" };
            write!(f, "{workers} worker{s}, jobs of {durations:?} ms")
        }
    }

    /// The pools the property tests try: 1 to 5 workers, up to 29 jobs of 1 to 49
    /// ms.
    fn pools() -> impl Strategy<Value = Pool> {
        (1usize..6, prop::collection::vec(1u32..50, 0..30))
            .prop_map(|(workers, durations)| Pool { workers, durations })
    }

    #[test]
    fn twelve_jobs_of_100_ms_on_3_workers_take_400_ms() {
        quiet();
        let run = run_pool(3, vec![100; 12]);
        answer!(
            run.sorted(),
            (0..12).map(|j| (j, 2 * j + 1)).collect::<Vec<_>>(),
            "(job, result) pairs, sorted, of 12 jobs of 100 ms on 3 workers"
        );
        answer!(
            run.most,
            3,
            "most jobs in progress at once, 12 jobs of 100 ms on 3 workers"
        );
        answer!(run.elapsed, 400 * MS, "time for 12 jobs of 100 ms on 3 workers");
    }

    /// Every job is processed exactly once, never more than `workers` at a time
    /// (and `workers` at once while there is enough work), in exactly the time that
    /// a pool of `workers` needs when each worker takes the next job as soon as it
    /// is free.
    #[test]
    fn the_pool_runs_each_job_once_on_at_most_n_workers() {
        quiet();
        proptest!(config(64), |(pool in pools())| {
            let (workers, durations) = (pool.workers, &pool.durations);
            let run = run_pool(workers, durations.clone());
            let (yours, most) = (run.sorted(), run.most);
            let expected: Vec<(u64, u64)> =
                (0..durations.len() as u64).map(|j| (j, 2 * j + 1)).collect();
            prop_assert!(
                yours == expected,
                "your answer: {yours:?}, expected: {expected:?}, for the (job, result) pairs, \
                 sorted, of {pool:?}: each job once, with its own result"
            );
            prop_assert!(
                most <= workers,
                "your pool had {most} jobs in progress at once, with {pool:?}: at most {workers}"
            );
            let every_worker = workers.min(durations.len());
            prop_assert!(
                most == every_worker,
                "your answer: {most}, expected: {every_worker}, for the most jobs in progress \
                 at once, with {pool:?}: every worker is used"
            );
            let (took, expected) = (run.elapsed, schedule_length(workers, durations));
            prop_assert!(
                took == expected,
                "your answer: {took:?}, expected: {expected:?}, \
                 for the time the pool takes, with {pool:?}"
            );
        });
    }

    /// The exercise's rule: `workers` tasks share one queue. Every job runs on a
    /// spawned task (not in `worker_pool`'s own future), and all of them on
    /// `workers` tasks (every one is used while there is enough work), not on a
    /// task per job.
    #[test]
    fn the_jobs_run_on_workers_tasks_that_share_the_queue() {
        quiet();
        proptest!(config(64), |(pool in pools())| {
            let (workers, durations) = (pool.workers, &pool.durations);
            let run = run_pool(workers, durations.clone());
            let tasks: Vec<Option<Id>> =
                run.processed.iter().flatten().map(|&(_, task)| task).collect();
            prop_assert!(
                tasks.iter().all(Option::is_some),
                "your pool ran jobs outside any task, with {pool:?}: \
                 spawn `workers` tasks that take the jobs from the queue"
            );
            let yours = tasks.iter().collect::<HashSet<_>>().len();
            let expected = workers.min(durations.len());
            prop_assert!(
                yours == expected,
                "your answer: {yours}, expected: {expected}, for the number of tasks that ran \
                 the jobs, with {pool:?}: `workers` tasks that share the job queue"
            );
        });
    }

    /// The starter's rule: the results come back in the order the jobs finished.
    #[test]
    fn the_results_come_back_in_the_order_the_jobs_finished() {
        quiet();
        proptest!(config(64), |(pool in pools())| {
            let (workers, durations) = (pool.workers, &pool.durations);
            let run = run_pool(workers, durations.clone());
            // When each returned job finished (a job never processed fails another
            // test).
            let finished: Vec<(u64, Duration)> = run
                .returned
                .iter()
                .filter_map(|&(job, _)| {
                    Some((job, run.processed.get(job as usize)?.as_ref()?.0))
                })
                .collect();
            let out_of_order = finished
                .windows(2)
                .find(|pair| pair[0].1 > pair[1].1)
                .map(|pair| {
                    let [(first, first_at), (then, then_at)] = [pair[0], pair[1]];
                    format!(
                        "job {first} (done at {first_at:?}) came before \
                         job {then} (done at {then_at:?})"
                    )
                });
            prop_assert!(
                out_of_order.is_none(),
                "your pool must return the results in the order the jobs finished: {}, \
                 with {pool:?}",
                out_of_order.unwrap_or_default()
            );
        });
    }

    /// The starter's rule: `worker_pool` panics if `workers` is 0 (with no worker,
    /// it would never finish). A pool that hangs instead fails here at once: the
    /// paused clock jumps to the one-hour limit.
    #[test]
    fn a_pool_of_no_workers_panics() {
        quiet();
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            on_paused_clock(async {
                let pool = ex2_worker_pool::worker_pool(
                    0,
                    vec![1, 2, 3],
                    |job| async move { job },
                );
                tokio::time::timeout(Duration::from_secs(3600), pool).await
            })
        }));
        match outcome {
            Ok(Ok(returned)) => panic!(
                "your worker_pool(0 workers, jobs [1, 2, 3]) must panic: a pool needs a worker; \
                 it returned {returned:?}"
            ),
            Ok(Err(_)) => panic!(
                "your worker_pool(0 workers, jobs [1, 2, 3]) must panic: a pool needs a worker; \
                 it was still waiting an hour later"
            ),
            Err(panic) => {
                let message = panic
                    .downcast_ref::<String>()
                    .map(String::as_str)
                    .or_else(|| panic.downcast_ref::<&str>().copied())
                    .unwrap_or_default();
                // A `todo!()` has already been reported ("not done yet"); fail with
                // it.
                if message.starts_with("not yet implemented") {
                    std::panic::resume_unwind(panic);
                }
            }
        }
    }
}
