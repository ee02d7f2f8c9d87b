//! At most R starts per period: the leaky bucket, governor's GCRA, and
//! `tokio::time::interval`, compared.
use std::num::NonZeroU32;
use std::time::Duration;

use futures::future::join_all;
use governor::{Quota, RateLimiter, clock::Clock};
use throttle::LeakyBucket;
use tokio::sync::Mutex;
use tokio::time::{Instant, MissedTickBehavior, interval, sleep};

/// The chapter's example: 50 jobs, at most 10 per 10 seconds.
pub const JOBS: usize = 50;
pub const MAX_RATE: u32 = 10;
pub const PERIOD: Duration = Duration::from_secs(10);

// ANCHOR: leaky
/// Every job is created at once; each one waits on the shared bucket before it
/// starts. Returns when each job started, in job order.
pub async fn leaky_bucket(
    jobs: usize,
    max_rate: u32,
    period: Duration,
) -> Vec<Duration> {
    let t0 = Instant::now();
    let bucket = LeakyBucket::new(max_rate, period);
    let all = (0..jobs).map(|_| async {
        bucket.acquire().await; // the guard: wait for room in the bucket
        t0.elapsed() // here the real operation would start
    });
    join_all(all).await
}
// ANCHOR_END: leaky

// ANCHOR: production
/// "`max_rate` per `period`" in governor's terms: one cell every `period /
/// max_rate`, and bursts of up to `max_rate` cells.
pub fn quota(max_rate: NonZeroU32, period: Duration) -> Quota {
    Quota::with_period(period / max_rate.get())
        .expect("period / max_rate is longer than zero")
        .allow_burst(max_rate)
}

/// Runs every job, each one once the limiter lets it start: governor on the real
/// clock, as a production program uses it.
pub async fn run_limited<F: Future>(quota: Quota, jobs: Vec<F>) -> Vec<F::Output> {
    let limiter = RateLimiter::direct(quota);
    let limiter = &limiter; // one limiter, shared by every job
    let all = jobs.into_iter().map(|job| async move {
        limiter.until_ready().await; // wait for a cell
        job.await // then start the request
    });
    join_all(all).await
}
// ANCHOR_END: production

// ANCHOR: governor
// TEST HARNESS, not for production: it makes governor read tokio's paused clock,
// so that this listing prints exact times. A real program uses `run_limited`.

/// governor's clock, read from tokio's: it stands still while tokio's is paused.
#[derive(Clone)]
struct TokioClock {
    start: Instant,
}

impl Clock for TokioClock {
    type Instant = Duration; // governor accepts a Duration as its instant type
    fn now(&self) -> Duration {
        self.start.elapsed()
    }
}

/// The same jobs with governor, on tokio's paused clock. `check()` answers "yes"
/// or "not until t"; we sleep on tokio's timer until t.
pub async fn governor(
    jobs: usize,
    max_rate: u32,
    period: Duration,
) -> Vec<Duration> {
    let clock = TokioClock { start: Instant::now() };
    let max_rate = NonZeroU32::new(max_rate).expect("max_rate is at least 1");
    let limiter =
        RateLimiter::direct_with_clock(quota(max_rate, period), clock.clone());
    // waiters take turns in order, as with the leaky bucket
    let turn = Mutex::new(());
    let all = (0..jobs).map(|_| async {
        let _turn = turn.lock().await;
        while let Err(not_until) = limiter.check() {
            sleep(not_until.wait_time_from(clock.now())).await;
        }
        clock.now()
    });
    join_all(all).await
}
// ANCHOR_END: governor

// ANCHOR: interval
/// One loop starts a job at each tick of an interval of `period / max_rate`: no
/// burst at all.
pub async fn ticks(jobs: usize, max_rate: u32, period: Duration) -> Vec<Duration> {
    let t0 = Instant::now();
    let mut ticks = interval(period / max_rate); // the first tick is at once
    let mut starts = Vec::new();
    for _ in 0..jobs {
        ticks.tick().await;
        starts.push(t0.elapsed()); // a real loop would spawn the job here
    }
    starts
}
// ANCHOR_END: interval

// ANCHOR: missed
/// When the loop falls behind (here it stalls 3.5 s after its third tick), what the
/// next ticks do depends on the interval's `MissedTickBehavior`. Returns 8 tick
/// times.
pub async fn after_a_stall(behavior: MissedTickBehavior) -> Vec<Duration> {
    let t0 = Instant::now();
    let mut ticks = interval(Duration::from_secs(1));
    ticks.set_missed_tick_behavior(behavior);
    let mut times = Vec::new();
    for n in 0..8 {
        ticks.tick().await;
        times.push(t0.elapsed());
        if n == 2 {
            // busy elsewhere: ticks 3 to 5 are missed
            sleep(Duration::from_millis(3500)).await;
        }
    }
    times
}
// ANCHOR_END: missed

// ANCHOR: main
// The clock is paused (start_paused), so every time printed is exact and the same
// on every run.
#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    // ANCHOR_END: main
    if std::env::args().len() > 1 {
        eprintln!("usage: 04_rate (it takes no arguments)");
        std::process::exit(2);
    }
    // ANCHOR: main
    let leaky = leaky_bucket(JOBS, MAX_RATE, PERIOD).await;
    let gcra = governor(JOBS, MAX_RATE, PERIOD).await;
    let ticked = ticks(JOBS, MAX_RATE, PERIOD).await;
    let all = [("leaky bucket", leaky), ("governor", gcra), ("interval", ticked)];
    print_schedules(&all);
    print_comparison(&all);
    println!("\ninterval ticks when the loop stalls 3.5 s after its third tick:");
    for (name, behavior) in [
        ("Burst (default)", MissedTickBehavior::Burst),
        ("Delay", MissedTickBehavior::Delay),
        ("Skip", MissedTickBehavior::Skip),
    ] {
        let times: Vec<String> =
            after_a_stall(behavior).await.iter().map(secs).collect();
        println!("  {name:<16}{}", times.join(" "));
    }
}
// ANCHOR_END: main

/// Prints each way's start times, ten jobs to a row.
fn print_schedules(all: &[(&str, Vec<Duration>)]) {
    println!(
        "{JOBS} jobs, at most {MAX_RATE} per {} s; start of each job, in seconds:",
        PERIOD.as_secs()
    );
    for (name, starts) in all {
        println!("{name}");
        for (row, chunk) in starts.chunks(10).enumerate() {
            let secs: Vec<String> =
                chunk.iter().map(|t| format!("{:>3}", t.as_secs())).collect();
            let (first, last) = (row * 10, row * 10 + chunk.len() - 1);
            println!("  jobs {first:>2}-{last:>2}: {}", secs.join(""));
        }
    }
}

/// Prints one row per way: the burst at the start, the steady state, and the last
/// start.
fn print_comparison(all: &[(&str, Vec<Duration>)]) {
    println!();
    println!(
        "{:<14}{:<16}{:<16}{:<20}last job starts at",
        "", "start at 0 s", "then one every", "most in any 10 s"
    );
    for (name, starts) in all {
        compare(name, starts, PERIOD);
    }
}

/// One row of the comparison: the burst at the start, the steady gap, the most
/// starts in any window of one period (from `t` up to, not including, `t +
/// period`), and the last start.
fn compare(name: &str, starts: &[Duration], period: Duration) {
    let burst = starts.iter().filter(|t| t.is_zero()).count();
    let steady = match starts {
        [.., before, last] => *last - *before,
        _ => Duration::ZERO,
    };
    let most = most_in_window(starts, period);
    let last = starts.last().copied().unwrap_or_default();
    let burst = format!("{burst} job{}", if burst == 1 { "" } else { "s" });
    let (steady, most) = (secs(&steady), format!("{most} jobs"));
    println!("{name:<14}{burst:<16}{steady:<16}{most:<20}{}", secs(&last));
}

// ANCHOR: window_count
/// The most starts in any window `[t, t + period)`: a window with the most can
/// always be moved to begin at a start time, so those are the only windows to try.
pub fn most_in_window(starts: &[Duration], period: Duration) -> usize {
    let in_window = |&from: &Duration| {
        starts.iter().filter(|&&t| from <= t && t < from + period).count()
    };
    starts.iter().map(in_window).max().unwrap_or(0)
}

/// A time in seconds, with a decimal only where it needs one: `2 s`, `5.5 s`.
fn secs(t: &Duration) -> String {
    let ms = t.as_millis();
    if ms.is_multiple_of(1000) {
        format!("{} s", ms / 1000)
    } else {
        format!("{}.{} s", ms / 1000, (ms % 1000) / 100)
    }
}
// ANCHOR_END: window_count
