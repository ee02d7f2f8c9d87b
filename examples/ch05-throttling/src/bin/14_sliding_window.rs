//! At most N starts in any window: a sliding-window log, and what the server sees.
use std::collections::VecDeque;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::task::JoinSet;
use tokio::time::{Instant, interval, sleep_until};

// ANCHOR: limiter
/// At most `max` operations start in any window of length `window` (from some
/// time `t` up to, not including, `t + window`). It remembers the start times of
/// the last `max` operations: a new one starts once the oldest is `window` old.
pub struct SlidingWindow {
    max: usize,
    window: Duration,
    /// Booked start times, oldest first, at most `max`. A std mutex, held only to
    /// book a time, never across an `.await`.
    starts: Mutex<VecDeque<Instant>>,
}

impl SlidingWindow {
    /// Waits until one more operation may start. Each booking goes after every
    /// booking made before it, so operations start first come, first served.
    pub async fn acquire(&self) {
        let start = {
            let mut starts =
                self.starts.lock().unwrap_or_else(PoisonError::into_inner);
            let now = Instant::now();
            let mut start = now;
            if starts.len() == self.max {
                // `max` are booked already: wait until the oldest leaves the window
                let oldest = starts.pop_front().expect("max is at least 1");
                start = now.max(oldest + self.window);
            }
            starts.push_back(start);
            start
        }; // the lock is released here, before the sleep
        sleep_until(start).await;
    }
}
// ANCHOR_END: limiter

impl SlidingWindow {
    /// A limiter for at most `max` starts in any window of length `window`.
    ///
    /// # Panics
    ///
    /// If `max` is 0 (no operation could ever start) or `window` is 0 (no limit
    /// at all).
    pub fn new(max: usize, window: Duration) -> Self {
        assert!(max > 0, "SlidingWindow::new: max must be at least 1");
        assert!(
            !window.is_zero(),
            "SlidingWindow::new: the window must be longer than 0"
        );
        let starts = Mutex::new(VecDeque::with_capacity(max));
        SlidingWindow { max, window, starts }
    }
}

/// The jobs, all ready at 0 s.
pub const JOBS: usize = 50;

/// `jobs` tasks, all ready at once, share one limiter; each waits on it before
/// it starts. Returns the start times, earliest first.
pub async fn start_times(
    jobs: usize,
    limiter: Arc<SlidingWindow>,
) -> Vec<Duration> {
    let t0 = Instant::now();
    let mut tasks = JoinSet::new();
    for _ in 0..jobs {
        let limiter = Arc::clone(&limiter);
        tasks.spawn(async move {
            limiter.acquire().await;
            t0.elapsed() // here the real request would start
        });
    }
    let mut starts = tasks.join_all().await;
    starts.sort();
    starts
}

/// One job at each tick of an interval of `gap`: a burst of 1.
pub async fn one_every(gap: Duration, jobs: usize) -> Vec<Duration> {
    let t0 = Instant::now();
    let mut ticks = interval(gap); // the first tick is at once
    let mut starts = Vec::new();
    for _ in 0..jobs {
        ticks.tick().await;
        starts.push(t0.elapsed());
    }
    starts
}

// ANCHOR: main
// The clock is paused (start_paused), so every time printed is exact and the same
// on every run.
#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    // ANCHOR_END: main
    if std::env::args().len() > 1 {
        eprintln!("usage: 14_sliding_window (it takes no arguments)");
        std::process::exit(2);
    }
    // ANCHOR: main
    // The server's rule: at most 10 requests in any 10 s.
    let window = |secs| Arc::new(SlidingWindow::new(10, Duration::from_secs(secs)));
    let exact = start_times(JOBS, window(10)).await;
    print_schedule(&exact);
    let rows = [
        ("sliding window, 10 per 10 s", exact),
        ("one every 1 s", one_every(Duration::from_millis(1000), JOBS).await),
        // with a margin: a little slower than the server's rule
        ("sliding window, 10 per 11 s", start_times(JOBS, window(11)).await),
        ("one every 1.1 s", one_every(Duration::from_millis(1100), JOBS).await),
    ];
    print_table(&rows, Duration::from_secs(10));
}
// ANCHOR_END: main

/// The first limiter's start times, ten jobs to a row.
fn print_schedule(starts: &[Duration]) {
    println!(
        "{JOBS} jobs, sliding window of 10 per 10 s; start of each job, in seconds:"
    );
    for (row, chunk) in starts.chunks(10).enumerate() {
        let secs: Vec<String> =
            chunk.iter().map(|t| format!("{:>3}", t.as_secs())).collect();
        let (first, last) = (row * 10, row * 10 + chunk.len() - 1);
        println!("  jobs {first:>2}-{last:>2}: {}", secs.join(""));
    }
}

/// One row per limiter: its last start, the most starts in any 10 s, and the
/// most requests the server sees arrive in any 10 s.
fn print_table(rows: &[(&str, Vec<Duration>)], window: Duration) {
    println!();
    println!(
        "{:<29}{:<12}{:<18}most at the server in any 10 s",
        "", "last start", "most in any 10 s"
    );
    for (name, starts) in rows {
        let last = secs(starts.last().unwrap_or(&Duration::ZERO));
        let sent = format!("{} jobs", most_in_window(starts, window));
        let seen = most_in_window(&at_server(starts), window);
        println!("{name:<29}{last:<12}{sent:<18}{seen} jobs");
    }
    println!("(each request takes between 50 and 150 ms to reach the server)");
}

/// When each request reaches the server: its start plus a travel time between 50
/// and 150 ms. The travel times follow a fixed pattern, so every run prints the
/// same.
fn at_server(starts: &[Duration]) -> Vec<Duration> {
    let mut arrivals: Vec<Duration> = (0u64..)
        .zip(starts)
        .map(|(k, &t)| t + Duration::from_millis(50 + (k * 37) % 101))
        .collect();
    arrivals.sort();
    arrivals
}

// COPY_OF: 04_rate.rs:window_count
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
// COPY_END
