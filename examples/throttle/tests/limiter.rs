//! The leaky bucket keeps its promise, checked on tokio's paused clock over
//! generated arrival patterns: in any window of length `w`, at most `max_rate +
//! max_rate × w / time_period` operations start.
use std::time::Duration;

use futures::future::join_all;
use proptest::prelude::*;
use throttle::{LeakyBucket, LimiterError};
use timeline::on_paused_clock;
use tokio::time::{Instant, sleep_until};

/// Runs one operation per arrival offset through `bucket`; returns when each one
/// started, sorted, counted from time zero.
async fn starts(bucket: &LeakyBucket, arrivals: &[Duration]) -> Vec<Duration> {
    let t0 = Instant::now();
    let ops = arrivals.iter().map(|&arrival| async move {
        sleep_until(t0 + arrival).await;
        bucket.acquire().await;
        (arrival, t0.elapsed())
    });
    let mut runs = join_all(ops).await;
    for &(arrival, start) in &runs {
        assert!(start >= arrival, "an operation started before it arrived");
    }
    runs.sort_by_key(|&(_, start)| start);
    runs.into_iter().map(|(_, start)| start).collect()
}

/// The first window that holds more starts than the guarantee allows, if any:
/// `(from, to, count)`. Every window that starts at a start time is checked (a
/// window with the most starts can always be moved to begin at one).
fn too_many(
    starts: &[Duration],
    max_rate: u32,
    period: Duration,
) -> Option<(Duration, Duration, usize)> {
    let (rate, period_ns) = (u128::from(max_rate), period.as_nanos());
    for (i, &from) in starts.iter().enumerate() {
        for (j, &to) in starts.iter().enumerate().skip(i) {
            let count = (j - i + 1) as u128;
            let w = (to - from).as_nanos();
            // count <= max_rate + max_rate × w / period, in integers
            if count * period_ns > rate * period_ns + rate * w {
                return Some((from, to, j - i + 1));
            }
        }
    }
    None
}

fn secs(s: &[u64]) -> Vec<Duration> {
    s.iter().map(|&s| Duration::from_secs(s)).collect()
}

/// The chapter's seed scenario, 50 jobs at 10 per 10 s, all arriving at once: the
/// bucket holds 10, so jobs 0–9 start at 0 s; then it drains one job's worth per
/// second, so job 10 starts at 1 s, job 11 at 2 s, …, job 49 at 40 s (aiolimiter
/// gives the same schedule).
#[test]
fn fifty_jobs_at_ten_per_ten_seconds() {
    let bucket = LeakyBucket::new(10, Duration::from_secs(10));
    let got = on_paused_clock(starts(&bucket, &[Duration::ZERO; 50]));
    let mut want = secs(&[0; 10]);
    want.extend((1..=40).map(Duration::from_secs));
    assert_eq!(got, want);
}

/// Operations that arrive no faster than the rate never wait.
#[test]
fn spaced_arrivals_do_not_wait() {
    let bucket = LeakyBucket::new(2, Duration::from_secs(1));
    let arrivals: Vec<_> =
        (0..20).map(|i| Duration::from_millis(500 * i)).collect();
    let got = on_paused_clock(starts(&bucket, &arrivals));
    assert_eq!(got, arrivals);
}

/// After an idle spell the bucket has drained, so a full burst is allowed again.
#[test]
fn burst_again_after_idle() {
    let bucket = LeakyBucket::new(3, Duration::from_secs(3));
    let mut arrivals = vec![Duration::ZERO; 4];
    arrivals.extend([Duration::from_secs(10); 3]);
    let got = on_paused_clock(starts(&bucket, &arrivals));
    assert_eq!(got, secs(&[0, 0, 0, 1, 10, 10, 10]));
}

/// Zero rates and zero periods are refused.
#[test]
fn bad_settings_are_errors() {
    assert_eq!(
        LeakyBucket::try_new(0, Duration::from_secs(1)).err(),
        Some(LimiterError::ZeroRate)
    );
    assert_eq!(
        LeakyBucket::try_new(1, Duration::ZERO).err(),
        Some(LimiterError::ZeroPeriod)
    );
    let bucket = LeakyBucket::new(7, Duration::from_secs(2));
    assert_eq!(
        (bucket.max_rate(), bucket.time_period()),
        (7, Duration::from_secs(2))
    );
}

#[test]
#[should_panic(expected = "max_rate must be at least 1")]
fn new_panics_on_zero_rate() {
    let _ = LeakyBucket::new(0, Duration::from_secs(1));
}

/// Dropping a waiting `acquire` gives nothing back: its booked slot goes unused, so
/// the next operation starts one slot later than it would have. (Undershooting the
/// limit is the safe side; handing the slot to a later arrival could put two starts
/// in one slot.)
#[test]
fn a_cancelled_acquire_costs_its_slot() {
    let bucket = LeakyBucket::new(1, Duration::from_secs(1));
    let got = on_paused_clock(async {
        let t0 = Instant::now();
        bucket.acquire().await; // fills the bucket
        let gave_up =
            tokio::time::timeout(Duration::from_millis(500), bucket.acquire())
                .await;
        assert!(gave_up.is_err(), "the bucket is full for one second");
        bucket.acquire().await;
        t0.elapsed()
    });
    assert_eq!(got, Duration::from_secs(2));
}

/// A waiter whose task is not polled (its runtime's thread is busy computing, say)
/// holds nothing the others need: a later `acquire` still starts in its own slot.
/// With a lock held across the sleep, it would wait until the stuck waiter ran
/// again, here forever.
#[test]
fn a_waiter_that_is_not_polled_does_not_hold_back_the_others() {
    let bucket = LeakyBucket::new(1, Duration::from_millis(100));
    let got = on_paused_clock(async {
        let t0 = Instant::now();
        bucket.acquire().await; // the burst of one, at 0 ms
        // books the slot at 100 ms ...
        let mut stuck = std::pin::pin!(bucket.acquire());
        // ... and is never polled again
        assert!(futures::poll!(stuck.as_mut()).is_pending());
        let next =
            tokio::time::timeout(Duration::from_secs(10), bucket.acquire()).await;
        assert!(next.is_ok(), "held back by a waiter that was not polled");
        t0.elapsed()
    });
    assert_eq!(got, Duration::from_millis(200));
}

/// Operations start in the order they first asked, whatever order their sleeps end
/// in.
#[test]
fn first_come_first_served() {
    let bucket = LeakyBucket::new(1, Duration::from_millis(100));
    let order = on_paused_clock(async {
        let order = std::sync::Mutex::new(Vec::new());
        let ops = (0..5).map(|i| {
            let (bucket, order) = (&bucket, &order);
            async move {
                bucket.acquire().await;
                order.lock().expect("not poisoned").push((i, Instant::now()));
            }
        });
        let t0 = Instant::now();
        join_all(ops).await;
        let order = order.into_inner().expect("not poisoned");
        order.into_iter().map(|(i, at)| (i, at - t0)).collect::<Vec<_>>()
    });
    let expected: Vec<(i32, Duration)> =
        (0..5).map(|i| (i, Duration::from_millis(100 * i as u64))).collect();
    assert_eq!(order, expected);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// The guarantee, over any arrival pattern: no window holds more starts than
    /// `max_rate + max_rate × w / time_period`.
    #[test]
    fn no_window_holds_too_many(
        max_rate in 1u32..20,
        period_s in 1u64..10,
        arrivals_ms in prop::collection::vec(0u64..30_000, 1..120),
    ) {
        let period = Duration::from_secs(period_s);
        let bucket = LeakyBucket::new(max_rate, period);
        let arrivals: Vec<_> = arrivals_ms.iter().map(|&ms| Duration::from_millis(ms)).collect();
        let got = on_paused_clock(starts(&bucket, &arrivals));
        prop_assert_eq!(got.len(), arrivals.len());
        prop_assert_eq!(too_many(&got, max_rate, period), None);
    }

    /// In a long saturated run (everything arrives at once) the rate converges to
    /// `max_rate / time_period`: after the first burst of `max_rate`, operation `k`
    /// starts `(k + 1 - max_rate) × time_period / max_rate` in, to within tokio's 1
    /// ms timer tick.
    #[test]
    fn saturated_rate_converges(max_rate in 1u32..20, period_s in 1u64..10) {
        let period = Duration::from_secs(period_s);
        let bucket = LeakyBucket::new(max_rate, period);
        let n = max_rate as usize + 200;
        let got = on_paused_clock(starts(&bucket, &vec![Duration::ZERO; n]));
        for (k, &start) in got.iter().enumerate() {
            let queued = (k + 1).saturating_sub(max_rate as usize) as u32;
            let ideal = period * queued / max_rate;
            prop_assert!(start >= ideal, "operation {} started at {:?}, before {:?}", k, start, ideal);
            prop_assert!(start <= ideal + Duration::from_millis(1),
                "operation {} started at {:?}, later than {:?}", k, start, ideal);
        }
    }
}

/// Many tasks can share one bucket: it is `Send + Sync`, so `Arc<LeakyBucket>` can
/// go to `tokio::spawn`.
#[test]
fn shareable_between_tasks() {
    fn send_sync<T: Send + Sync + 'static>() {}
    send_sync::<LeakyBucket>();
    let got = on_paused_clock(async {
        let bucket =
            std::sync::Arc::new(LeakyBucket::new(2, Duration::from_secs(1)));
        let t0 = Instant::now();
        let tasks: Vec<_> = (0..4)
            .map(|_| {
                let bucket = std::sync::Arc::clone(&bucket);
                tokio::spawn(async move {
                    bucket.acquire().await;
                    t0.elapsed()
                })
            })
            .collect();
        let mut starts = Vec::new();
        for task in tasks {
            starts.push(task.await.expect("the task does not panic"));
        }
        starts
    });
    let ms = Duration::from_millis;
    assert_eq!(got, [ms(0), ms(0), ms(500), ms(1000)]);
}
