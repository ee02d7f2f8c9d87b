//! Claims of the off-the-runtime page, checked by counting, not by the clock: a CPU
//! loop inline in a task lets no other task on that thread run; spawn_blocking and
//! rayon do. (Exercise 2's deadline for a CPU job is checked in `exercises.rs`.)
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use ch06_process_pools::listings::off_the_runtime as o;

mod common;
use common::current_thread;

#[test]
fn no_tick_happens_while_a_loop_runs_inline() {
    // Exact on any machine: a task that never awaits keeps the one thread to
    // itself.
    let (_, seen) =
        current_thread(false).block_on(o::beside_a_ticker(o::inline(|| {
            o::busy(Duration::from_millis(60))
        })));
    assert_eq!(seen.during, 0);
    assert!(seen.longest_gap >= Duration::from_millis(60));
}

/// A job that waits until the ticker task has ticked `n` times (or a minute has
/// passed, so that a broken version fails instead of hanging) and returns the ticks
/// it saw. It can only see them if the runtime thread keeps running the ticker
/// while the job runs.
fn waits_for_ticks(
    ticks: Arc<AtomicUsize>,
    n: usize,
) -> impl FnOnce() -> usize + Send {
    move || {
        let give_up = std::time::Instant::now() + Duration::from_secs(60);
        while ticks.load(Ordering::SeqCst) < n
            && std::time::Instant::now() < give_up
        {
            std::thread::sleep(Duration::from_millis(1));
        }
        ticks.load(Ordering::SeqCst)
    }
}

/// Runs `offload(job)` next to a ticker; the job waits for five ticks. (Real time:
/// tokio does not advance a paused clock while a `spawn_blocking` job is running.)
async fn ticks_seen_by_the_job<F, Fut>(offload: F) -> usize
where
    F: FnOnce(Box<dyn FnOnce() -> usize + Send>) -> Fut,
    Fut: Future<Output = usize>,
{
    let ticks = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&ticks);
    let ticker = tokio::spawn(async move {
        let mut every = tokio::time::interval(o::TICK);
        loop {
            every.tick().await;
            counter.fetch_add(1, Ordering::SeqCst);
        }
    });
    let seen = offload(Box::new(waits_for_ticks(ticks, 5))).await;
    ticker.abort();
    seen
}

#[test]
fn the_ticker_keeps_ticking_while_spawn_blocking_runs_the_job() {
    let seen =
        current_thread(false).block_on(ticks_seen_by_the_job(o::on_blocking_pool));
    assert!(seen >= 5);
}

#[test]
fn the_ticker_keeps_ticking_while_rayon_runs_the_job() {
    let seen = current_thread(false).block_on(ticks_seen_by_the_job(o::on_rayon));
    assert!(seen >= 5);
}

#[test]
fn inline_the_same_job_sees_no_tick() {
    // Inline, `waits_for_ticks` would wait out its whole minute, so this job only
    // spins for 50 ms and reports how many ticks happened meanwhile: none.
    let ticks = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&ticks);
    let seen = current_thread(false).block_on(async move {
        let ticker = tokio::spawn(async move {
            let mut every = tokio::time::interval(o::TICK);
            loop {
                every.tick().await;
                counter.fetch_add(1, Ordering::SeqCst);
            }
        });
        tokio::task::yield_now().await; // the ticker ticks once, at once
        let before = ticks.load(Ordering::SeqCst);
        let after = o::inline(|| {
            o::busy(Duration::from_millis(50));
            ticks.load(Ordering::SeqCst)
        })
        .await;
        ticker.abort();
        after - before
    });
    assert_eq!(seen, 0);
}

#[test]
fn the_offloaded_job_returns_its_value() {
    let runtime = current_thread(false);
    assert_eq!(runtime.block_on(o::on_blocking_pool(|| 6 * 7)), 42);
    assert_eq!(runtime.block_on(o::on_rayon(|| 6 * 7)), 42);
    assert_eq!(runtime.block_on(o::inline(|| 6 * 7)), 42);
}
