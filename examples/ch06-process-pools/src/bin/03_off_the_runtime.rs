//! A CPU loop inside a tokio task stalls every task beside it; spawn_blocking and
//! rayon do not.
use std::future::Future;
use std::hint::black_box;
use std::time::Duration;

use tokio::sync::oneshot;
use tokio::time::{Instant, MissedTickBehavior, interval, sleep};

/// How often the ticker should tick, and how long the CPU job runs.
pub const TICK: Duration = Duration::from_millis(10);
pub const JOB: Duration = Duration::from_millis(200);

// ANCHOR: busy
/// CPU work that lasts `how_long` of real time and never awaits: the thread that
/// runs it does nothing else until it returns.
pub fn busy(how_long: Duration) -> u64 {
    let start = std::time::Instant::now();
    let mut total = 0u64;
    while start.elapsed() < how_long {
        for i in 0..1_000u64 {
            total = total.wrapping_add(black_box(i) * i);
        }
    }
    total
}
// ANCHOR_END: busy

// ANCHOR: inline
/// WRONG for long CPU work: the job runs on the runtime's own thread, inside this
/// task. A task only lets others run at an `.await`, and `job` has none.
pub async fn inline<T>(job: impl FnOnce() -> T) -> T {
    job()
}
// ANCHOR_END: inline

// ANCHOR: spawn_blocking
/// Fix 1: tokio's blocking pool. The job runs on a thread of its own (tokio starts
/// up to 512 of them); this task waits for it at the `.await`, and the runtime
/// thread is free.
pub async fn on_blocking_pool<T: Send + 'static>(
    job: impl FnOnce() -> T + Send + 'static,
) -> T {
    tokio::task::spawn_blocking(job).await.expect("the job does not panic")
}
// ANCHOR_END: spawn_blocking

// ANCHOR: rayon
/// Fix 2: rayon's pool, one thread per core. `rayon::spawn` does not return a
/// handle to await, so a `oneshot` channel carries the result back to the async
/// side.
pub async fn on_rayon<T: Send + 'static>(
    job: impl FnOnce() -> T + Send + 'static,
) -> T {
    let (send, receive) = oneshot::channel();
    rayon::spawn(move || {
        // If the awaiting task was dropped meanwhile, nobody wants the result:
        // ignore it.
        let _ = send.send(job());
    });
    receive.await.expect("the rayon job sends its result")
}
// ANCHOR_END: rayon

/// What a ticker saw while a job ran beside it on the same runtime.
#[derive(Debug, Clone, Copy)]
pub struct Seen {
    /// Ticks that happened while the job ran (started after it began, before it
    /// ended).
    pub during: usize,
    /// The longest time between two ticks in the whole run.
    pub longest_gap: Duration,
}

// ANCHOR: ticker
/// Runs `job` next to a task that tries to tick every `TICK`, and reports the
/// ticks.
pub async fn beside_a_ticker<T>(job: impl Future<Output = T>) -> (T, Seen) {
    let (stop, mut stopped) = oneshot::channel::<()>();
    let ticker = tokio::spawn(async move {
        let mut every = interval(TICK);
        every.set_missed_tick_behavior(MissedTickBehavior::Delay);
        let mut ticks = Vec::new();
        loop {
            tokio::select! {
                _ = every.tick() => ticks.push(Instant::now()),
                _ = &mut stopped => return ticks,
            }
        }
    });
    sleep(3 * TICK).await; // let the ticker get going
    let began = Instant::now();
    let output = job.await;
    let ended = Instant::now();
    sleep(3 * TICK).await;
    let _ = stop.send(());
    let ticks = ticker.await.expect("the ticker does not panic");
    // ANCHOR_END: ticker
    let during = ticks.iter().filter(|&&t| t > began && t < ended).count();
    let longest_gap =
        ticks.windows(2).map(|w| w[1] - w[0]).max().unwrap_or_default();
    (output, Seen { during, longest_gap })
}

// ANCHOR: all_three
/// The same job three ways, each beside its own ticker on a one-thread runtime.
pub fn all_three() -> std::io::Result<Vec<(&'static str, Seen)>> {
    let runtime =
        tokio::runtime::Builder::new_current_thread().enable_time().build()?;
    // Each call returns (the job's output, what the ticker saw); keep what it saw.
    let (_, in_task) = runtime.block_on(beside_a_ticker(inline(|| busy(JOB))));
    let (_, blocking) =
        runtime.block_on(beside_a_ticker(on_blocking_pool(|| busy(JOB))));
    let (_, rayon) = runtime.block_on(beside_a_ticker(on_rayon(|| busy(JOB))));
    Ok(vec![
        ("inline in a task", in_task),
        ("spawn_blocking", blocking),
        ("rayon + oneshot", rayon),
    ])
}
// ANCHOR_END: all_three

fn main() -> std::io::Result<()> {
    if std::env::args().len() > 1 {
        eprintln!("usage: 03_off_the_runtime (it takes no arguments)");
        std::process::exit(2);
    }
    println!(
        "a {} ms CPU job beside a task that should tick every {} ms",
        JOB.as_millis(),
        TICK.as_millis()
    );
    for (way, seen) in all_three()? {
        report(way, seen);
    }
    Ok(())
}

fn report(way: &str, seen: Seen) {
    println!(
        "{way:<17} ticks while it ran: {:>2} of about {}, longest gap {:>3} ms",
        seen.during,
        JOB.as_millis() / TICK.as_millis(),
        seen.longest_gap.as_millis()
    );
}
