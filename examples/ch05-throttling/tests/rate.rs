//! The three rate limits of listing 04, on tokio's paused clock: the exact
//! schedules the listing prints, and what each allows in a window of one period.
//! And governor's production form, on the real clock.
use std::num::NonZeroU32;
use std::time::Duration;

use ch05_throttling::listings::rate::{
    JOBS, MAX_RATE, PERIOD, after_a_stall, governor, leaky_bucket, most_in_window,
    quota, run_limited, ticks,
};
use governor::RateLimiter;
use governor::clock::FakeRelativeClock;
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

/// The production form (`RateLimiter::direct`, `until_ready`) on the real clock: a
/// burst of 2, then one every 50 ms. On real time only the earliest starts are
/// exact (a job never starts before the quota allows); the latest bound is
/// generous.
#[tokio::test]
async fn production_form_keeps_the_quota_on_the_real_clock() {
    let t0 = std::time::Instant::now();
    let two = NonZeroU32::new(2).expect("2 is not zero");
    let jobs = (0..6).map(|_| async move { t0.elapsed() }).collect();
    let mut starts =
        run_limited(quota(two, Duration::from_millis(100)), jobs).await;
    starts.sort();
    for (k, start) in (0u32..).zip(&starts) {
        let earliest = Duration::from_millis(50) * (k + 1).saturating_sub(2);
        assert!(
            *start >= earliest,
            "job {k} started at {start:?}, before {earliest:?}"
        );
    }
    assert!(t0.elapsed() < Duration::from_secs(30), "took {:?}", t0.elapsed());
}

/// A refused `check()` books nothing: however often a waiter is refused (and
/// `until_ready` is `check()` in a loop), the next cell is free on time. So a
/// waiter that gives up costs no slot.
#[test]
fn a_refused_check_books_nothing() {
    let clock = FakeRelativeClock::default();
    let one = NonZeroU32::new(1).expect("1 is not zero");
    let limiter = RateLimiter::direct_with_clock(
        quota(one, Duration::from_secs(1)),
        clock.clone(),
    );
    assert!(limiter.check().is_ok());
    for _ in 0..100 {
        assert!(limiter.check().is_err());
    }
    clock.advance(Duration::from_secs(1));
    assert!(limiter.check().is_ok());
    assert!(limiter.check().is_err());
}
