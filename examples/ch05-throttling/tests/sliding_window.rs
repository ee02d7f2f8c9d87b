//! The sliding window of listing 14 keeps its promise, checked on tokio's paused
//! clock over generated arrival patterns: no window `[t, t + window)` holds more
//! than `max` starts; no operation waits longer than that rule makes it; and with a
//! margin as wide as the spread of travel times, the server never sees more than
//! `max` arrive in any window either.
use std::sync::Arc;
use std::time::Duration;

use ch05_throttling::listings::sliding_window::{
    JOBS, SlidingWindow, most_in_window, one_every, start_times,
};
use futures::future::join_all;
use proptest::prelude::*;
use timeline::on_paused_clock;
use tokio::time::{Instant, sleep_until};

/// Runs one operation per arrival offset through `limiter`; returns the arrivals
/// and the start times, each sorted, counted from time zero.
async fn run(
    limiter: &SlidingWindow,
    arrivals: &[Duration],
) -> (Vec<Duration>, Vec<Duration>) {
    let t0 = Instant::now();
    let ops = arrivals.iter().map(|&arrival| async move {
        sleep_until(t0 + arrival).await;
        limiter.acquire().await;
        t0.elapsed()
    });
    let mut starts = join_all(ops).await;
    starts.sort();
    let mut arrivals = arrivals.to_vec();
    arrivals.sort();
    (arrivals, starts)
}

/// The schedule the rule allows and no later: in order of arrival, operation `k`
/// starts when it arrives, or when operation `k - max` has been started for
/// `window`, whichever is later.
fn earliest_allowed(
    arrivals: &[Duration],
    max: usize,
    window: Duration,
) -> Vec<Duration> {
    let mut starts: Vec<Duration> = Vec::with_capacity(arrivals.len());
    for (k, &arrival) in arrivals.iter().enumerate() {
        let start = match k.checked_sub(max) {
            Some(oldest) => arrival.max(starts[oldest] + window),
            None => arrival,
        };
        starts.push(start);
    }
    starts
}

/// The chapter's jobs, 50 ready at once, at most 10 in any 10 s: ten at 0 s, ten at
/// 10 s, … ten at 40 s. So a window that includes its end, `[0 s, 10 s]`, holds 20.
#[test]
fn fifty_jobs_in_bursts_of_ten() {
    let ten_s = Duration::from_secs(10);
    let limiter = Arc::new(SlidingWindow::new(10, ten_s));
    let got = on_paused_clock(start_times(JOBS, limiter));
    let want: Vec<Duration> =
        (0..JOBS as u64).map(|k| Duration::from_secs(k / 10 * 10)).collect();
    assert_eq!(got, want);
    assert_eq!(most_in_window(&got, ten_s), 10);
    assert_eq!(got.iter().filter(|&&t| t <= ten_s).count(), 20);
}

/// A beat of one per second keeps "10 in any 10 s" counted from `t` up to, not
/// including, `t + 10 s`; a window that includes its end, `[0 s, 10 s]`, holds 11.
#[test]
fn a_beat_at_the_limit_puts_eleven_in_a_closed_window() {
    let ten_s = Duration::from_secs(10);
    let starts = on_paused_clock(one_every(Duration::from_secs(1), JOBS));
    assert_eq!(most_in_window(&starts, ten_s), 10);
    assert_eq!(starts.iter().filter(|&&t| t <= ten_s).count(), 11);
}

#[test]
#[should_panic(expected = "max must be at least 1")]
fn zero_is_refused() {
    let _ = SlidingWindow::new(0, Duration::from_secs(1));
}

#[test]
#[should_panic(expected = "the window must be longer than 0")]
fn a_zero_window_is_refused() {
    let _ = SlidingWindow::new(10, Duration::ZERO);
}

fn millis(ms: &[u64]) -> Vec<Duration> {
    ms.iter().map(|&ms| Duration::from_millis(ms)).collect()
}

/// Where in the spread of travel times a request falls, in thousandths: often the
/// fastest or the slowest, the cases that put most requests in one window.
fn travel_per_mille() -> impl Strategy<Value = u64> {
    prop_oneof![Just(0), Just(1000), 0u64..=1000]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// The promise, over any arrival pattern: no window `[t, t + window)` holds more
    /// than `max` starts, and no operation starts before it arrives.
    #[test]
    fn no_window_holds_more_than_max(
        max in 1usize..20,
        window_ms in 1u64..10_000,
        arrivals_ms in prop::collection::vec(0u64..30_000, 1..120),
    ) {
        let window = Duration::from_millis(window_ms);
        let limiter = SlidingWindow::new(max, window);
        let (arrivals, starts) = on_paused_clock(run(&limiter, &millis(&arrivals_ms)));
        prop_assert_eq!(starts.len(), arrivals.len());
        prop_assert!(starts.iter().zip(&arrivals).all(|(s, a)| s >= a));
        prop_assert!(most_in_window(&starts, window) <= max);
    }

    /// No operation waits longer than the rule makes it: the starts are exactly the
    /// earliest schedule the rule allows, first come, first served.
    #[test]
    fn no_longer_wait_than_the_rule_needs(
        max in 1usize..20,
        window_ms in 1u64..10_000,
        arrivals_ms in prop::collection::vec(0u64..30_000, 1..120),
    ) {
        let window = Duration::from_millis(window_ms);
        let limiter = SlidingWindow::new(max, window);
        let (arrivals, starts) = on_paused_clock(run(&limiter, &millis(&arrivals_ms)));
        prop_assert_eq!(starts, earliest_allowed(&arrivals, max, window));
    }

    /// Requests take between `fastest` and `fastest + spread` to reach the server. A
    /// limiter whose window is the server's plus `spread` keeps the server's rule for
    /// the arrivals too.
    #[test]
    fn a_margin_as_wide_as_the_spread_keeps_the_servers_rule(
        max in 1usize..12,
        window_ms in 100u64..5_000,
        fastest_ms in 0u64..200,
        spread_ms in 0u64..300,
        jobs in prop::collection::vec((0u64..20_000, travel_per_mille()), 1..80),
    ) {
        let server_window = Duration::from_millis(window_ms);
        let limiter = SlidingWindow::new(max, Duration::from_millis(window_ms + spread_ms));
        let arrivals: Vec<u64> = jobs.iter().map(|&(ms, _)| ms).collect();
        let (_, starts) = on_paused_clock(run(&limiter, &millis(&arrivals)));
        let at_server: Vec<Duration> = starts
            .iter()
            .zip(&jobs)
            .map(|(&start, &(_, per_mille))| {
                let travel_ms = fastest_ms + spread_ms * per_mille / 1000;
                start + Duration::from_millis(travel_ms)
            })
            .collect();
        prop_assert!(most_in_window(&at_server, server_window) <= max);
    }
}
