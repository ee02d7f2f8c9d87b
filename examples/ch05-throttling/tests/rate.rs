//! The three rate limits of listing 03, on tokio's paused clock: the exact
//! schedules the listing prints, and what each allows in a window of one period.
use std::time::Duration;

use ch05_throttling::listings::rate::{
    JOBS, MAX_RATE, PERIOD, after_a_stall, governor, leaky_bucket, most_in_window,
    ticks,
};
use timeline::on_paused_clock;
use tokio::time::MissedTickBehavior;

fn secs(s: impl IntoIterator<Item = u64>) -> Vec<Duration> {
    s.into_iter().map(Duration::from_secs).collect()
}

fn ms(s: impl IntoIterator<Item = u64>) -> Vec<Duration> {
    s.into_iter().map(Duration::from_millis).collect()
}

/// Leaky bucket and governor: 10 at once, then one a second; job 49 at 40 s.
#[test]
fn bucket_and_gcra_give_the_same_schedule() {
    let want: Vec<Duration> = secs([0; 10].into_iter().chain(1..=40));
    let leaky = on_paused_clock(leaky_bucket(JOBS, MAX_RATE, PERIOD));
    let gcra = on_paused_clock(governor(JOBS, MAX_RATE, PERIOD));
    assert_eq!(leaky, want);
    assert_eq!(gcra, want);
}

/// An interval of `period / max_rate` never bursts: job k starts at k seconds.
#[test]
fn interval_starts_one_per_tick() {
    let got = on_paused_clock(ticks(JOBS, MAX_RATE, PERIOD));
    assert_eq!(got, secs(0..50));
}

/// Both schedules keep "at most 10 + 10 × w / 10 s in a window of w"; but in a
/// window of one period `[t, t + 10 s)` the bucket starts 19 jobs, the interval 10.
#[test]
fn most_starts_in_one_period() {
    let leaky = on_paused_clock(leaky_bucket(JOBS, MAX_RATE, PERIOD));
    let ticked = on_paused_clock(ticks(JOBS, MAX_RATE, PERIOD));
    assert_eq!(most_in_window(&leaky, PERIOD), 19);
    assert_eq!(most_in_window(&ticked, PERIOD), 10);
    assert_eq!(most_in_window(&[], PERIOD), 0);
}

/// The governor schedule matches the bucket for other quotas too (whole
/// milliseconds).
#[test]
fn gcra_matches_bucket_on_other_quotas() {
    for (jobs, max_rate, period) in [(30, 4, 2), (25, 1, 1), (40, 5, 10)] {
        let period = Duration::from_secs(period);
        let leaky = on_paused_clock(leaky_bucket(jobs, max_rate, period));
        let gcra = on_paused_clock(governor(jobs, max_rate, period));
        assert_eq!(leaky, gcra, "{max_rate} per {period:?}");
    }
}

/// What an interval does after the loop stalls 3.5 s following its tick at 2 s.
#[test]
fn missed_tick_behaviours() {
    let burst = on_paused_clock(after_a_stall(MissedTickBehavior::Burst));
    let delay = on_paused_clock(after_a_stall(MissedTickBehavior::Delay));
    let skip = on_paused_clock(after_a_stall(MissedTickBehavior::Skip));
    assert_eq!(burst, ms([0, 1000, 2000, 5500, 5500, 5500, 6000, 7000]));
    assert_eq!(delay, ms([0, 1000, 2000, 5500, 6500, 7500, 8500, 9500]));
    assert_eq!(skip, ms([0, 1000, 2000, 5500, 6000, 7000, 8000, 9000]));
}
