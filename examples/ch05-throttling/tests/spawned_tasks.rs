//! Taking the permit before `tokio::spawn` bounds the number of tasks that exist,
//! not only the number running; taking it inside the task does not. Both run the
//! jobs `limit` at a time. Exact, on tokio's paused clock.
use std::time::Duration;

use ch05_throttling::listings::spawned_tasks::{
    JOB_TIME, JOBS, LIMIT, MostAlive, acquire_before, acquire_inside,
};
use proptest::prelude::*;
use timeline::on_paused_clock;
use tokio::task::JoinSet;
use tokio::time::Instant;

/// `ceil(jobs / limit)` rounds of one job time each.
fn rounds(jobs: usize, limit: usize) -> Duration {
    JOB_TIME * jobs.div_ceil(limit) as u32
}

/// The listing's numbers: 1,000 jobs, a limit of 10. Before the spawn, at no time
/// do more than 10 spawned tasks exist; inside the task, all 1,000 exist at once.
/// Both end at ceil(1000 / 10) × 100 ms = 10 s, with every job's result.
#[tokio::test(start_paused = true)]
async fn the_listings_numbers() {
    let most = MostAlive::default();
    let t0 = Instant::now();
    let mut results = acquire_before(JOBS, LIMIT, &most).await;
    assert_eq!(t0.elapsed(), Duration::from_secs(10));
    assert_eq!(t0.elapsed(), rounds(JOBS, LIMIT));
    assert_eq!(most.get(), LIMIT, "permit before the spawn: tasks alive at once");
    results.sort();
    assert_eq!(results, (0..JOBS).collect::<Vec<_>>());

    let most = MostAlive::default();
    let t0 = Instant::now();
    let mut results = acquire_inside(JOBS, LIMIT, &most).await;
    assert_eq!(t0.elapsed(), Duration::from_secs(10));
    assert_eq!(most.get(), JOBS, "permit inside the task: tasks alive at once");
    results.sort();
    assert_eq!(results, (0..JOBS).collect::<Vec<_>>());
}

/// Once the runs are over, no task is left alive: the finished ones were collected.
#[tokio::test(start_paused = true)]
async fn no_task_outlives_the_run() {
    let metrics = tokio::runtime::Handle::current().metrics();
    acquire_before(JOBS, LIMIT, &MostAlive::default()).await;
    assert_eq!(metrics.num_alive_tasks(), 0);
    acquire_inside(JOBS, LIMIT, &MostAlive::default()).await;
    assert_eq!(metrics.num_alive_tasks(), 0);
}

/// A task that has ended is no longer counted alive, although its `JoinSet` still
/// holds its output until it is joined: the count does not show the set's memory.
#[tokio::test(start_paused = true)]
async fn a_finished_task_leaves_the_count_but_not_the_set() {
    let metrics = tokio::runtime::Handle::current().metrics();
    let mut tasks = JoinSet::new();
    tasks.spawn(async { 7 });
    assert_eq!(metrics.num_alive_tasks(), 1);
    tokio::task::yield_now().await; // the task runs and ends
    assert_eq!(metrics.num_alive_tasks(), 0);
    assert_eq!(tasks.len(), 1, "its output waits in the set");
    let output = tasks.try_join_next().map(|done| done.expect("no panic"));
    assert_eq!(output, Some(7));
    assert!(tasks.is_empty());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// For any sizes: before the spawn, the most tasks alive is the limit (or the
    /// number of jobs, if fewer); inside, it is every job. Both take
    /// `ceil(jobs / limit)` job times and return every job once.
    #[test]
    fn only_the_permit_before_the_spawn_bounds_the_tasks(
        jobs in 0usize..300,
        limit in 1usize..20,
    ) {
        let (before, inside) = on_paused_clock(async {
            let run = async |inside: bool| {
                let most = MostAlive::default();
                let t0 = Instant::now();
                let mut results = if inside {
                    acquire_inside(jobs, limit, &most).await
                } else {
                    acquire_before(jobs, limit, &most).await
                };
                results.sort();
                (most.get(), t0.elapsed(), results)
            };
            (run(false).await, run(true).await)
        });
        let all: Vec<usize> = (0..jobs).collect();
        prop_assert_eq!(before, (limit.min(jobs), rounds(jobs, limit), all.clone()));
        prop_assert_eq!(inside, (jobs, rounds(jobs, limit), all));
    }
}
