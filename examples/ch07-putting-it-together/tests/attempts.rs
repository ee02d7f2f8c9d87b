//! The attempt loop on tokio's paused clock: limits apply to each attempt, not to a
//! request with its waits; `Retry-After` is honoured; a stop before the first
//! attempt sends nothing.
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use ch07_putting_it_together::refire::{
    AttemptError, Gate, Limits, Tried, attempts, retry_after,
};
use rand::SeedableRng;
use rand::rngs::StdRng;
use reqwest::header::{HeaderMap, HeaderValue, RETRY_AFTER};
use throttle::retry::Backoff;
use tokio::sync::watch;
use tokio::time::{Instant, sleep};

/// No jitter at all (a ceiling of 0 ms), so every wait is the server's
/// `Retry-After`.
fn policy(max_attempts: u32) -> Backoff {
    Backoff {
        base: Duration::ZERO,
        factor: 2,
        max_delay: Duration::ZERO,
        max_attempts,
        max_elapsed: Duration::from_secs(60),
    }
}

fn limits(concurrency: usize, rate: Option<(u32, Duration)>) -> Limits {
    Limits {
        concurrency,
        rate,
        timeout: Duration::from_secs(5),
        backoff: policy(3),
        seed: 1,
    }
}

fn busy(retry_after: Option<Duration>) -> AttemptError {
    AttemptError::Status { code: 503, retry_after }
}

/// Runs one request whose attempt `n` takes `took[n-1]` and fails with
/// `errors[n-1]` (or succeeds past the end); returns when each attempt started, and
/// how it ended.
async fn request(
    gate: &Gate,
    policy: &Backoff,
    took: &[u64],
    errors: &[AttemptError],
    stop: &watch::Receiver<bool>,
) -> (Vec<Duration>, Option<Tried>, u32) {
    let t0 = Instant::now();
    let starts = std::sync::Mutex::new(Vec::new());
    let started = AtomicU32::new(0);
    let mut rng = StdRng::seed_from_u64(1);
    let tried = attempts(policy, &mut rng, gate, &started, stop, |n| {
        starts.lock().expect("not poisoned").push(t0.elapsed());
        let i = n as usize - 1;
        let (took, error) =
            (took.get(i).copied().unwrap_or(0), errors.get(i).copied());
        async move {
            sleep(Duration::from_millis(took)).await;
            error.map_or(Ok(200), Err)
        }
    })
    .await;
    let starts = starts.into_inner().expect("not poisoned");
    (starts, tried, started.load(Ordering::SeqCst))
}

#[tokio::test(start_paused = true)]
async fn retry_after_is_honoured_when_longer_than_the_backoff() {
    let gate = Gate::new(&limits(4, None)).expect("valid limits");
    let (_keep, stop) = watch::channel(false);
    let errors = [busy(Some(Duration::from_secs(5))), busy(None)];
    let (starts, tried, _) =
        request(&gate, &policy(3), &[100, 100, 100], &errors, &stop).await;
    let ms = |ms| Duration::from_millis(ms);
    // 100 ms for the first attempt, then the 5 s the server asked for; then no wait
    // at all.
    assert_eq!(starts, [ms(0), ms(5_100), ms(5_200)]);
    assert_eq!(tried, Some(Tried { last: Ok(200), attempts: 3 }));
}

#[tokio::test(start_paused = true)]
async fn a_retry_after_past_the_time_budget_gives_up_at_once() {
    let gate = Gate::new(&limits(4, None)).expect("valid limits");
    let (_keep, stop) = watch::channel(false);
    let error = busy(Some(Duration::from_secs(3600)));
    let (starts, tried, _) =
        request(&gate, &policy(3), &[0], &[error], &stop).await;
    assert_eq!(starts, [Duration::ZERO]);
    assert_eq!(tried, Some(Tried { last: Err(error), attempts: 1 }));
}

#[tokio::test(start_paused = true)]
async fn the_concurrency_limit_holds_an_attempt_not_a_wait() {
    // One slot. A's first attempt takes 1 s and fails; the server asks for 10 s. B
    // may use the slot while A waits: it starts at 1 s, not at 11 s.
    let gate = Gate::new(&limits(1, None)).expect("valid limits");
    let (_keep, stop) = watch::channel(false);
    let policy = policy(2);
    let a_errors = [busy(Some(Duration::from_secs(10)))];
    let a = request(&gate, &policy, &[1_000, 1_000], &a_errors, &stop);
    let b = async {
        tokio::task::yield_now().await; // A takes the slot first
        request(&gate, &policy, &[1_000], &[], &stop).await
    };
    let ((a_starts, a_tried, _), (b_starts, b_tried, _)) = tokio::join!(a, b);
    let s = Duration::from_secs;
    assert_eq!(a_starts, [s(0), s(11)]);
    assert_eq!(b_starts, [s(1)]);
    assert_eq!(a_tried.map(|t| t.last), Some(Ok(200)));
    assert_eq!(b_tried.map(|t| t.last), Some(Ok(200)));
}

#[tokio::test(start_paused = true)]
async fn the_rate_limit_applies_to_every_attempt() {
    // One attempt a second: a retry waits for the rate like any request.
    let gate = Gate::new(&limits(4, Some((1, Duration::from_secs(1)))))
        .expect("valid limits");
    let (_keep, stop) = watch::channel(false);
    let errors = [busy(None), busy(None)];
    let (starts, _, _) =
        request(&gate, &policy(3), &[0, 0, 0], &errors, &stop).await;
    let s = Duration::from_secs;
    assert_eq!(starts, [s(0), s(1), s(2)]);
}

#[tokio::test(start_paused = true)]
async fn a_stop_ends_a_request_not_sent_yet_and_lets_a_sent_one_finish() {
    let gate = Gate::new(&limits(1, None)).expect("valid limits");
    let (stopping, stop) = watch::channel(false);
    let policy = policy(3);
    let errors = [busy(Some(Duration::from_secs(2)))];
    // A holds the only slot for 1 s, fails, waits 2 s, and tries again.
    let a = request(&gate, &policy, &[1_000, 1_000], &errors, &stop);
    // B waits for the slot; the stop comes at 500 ms, before it is sent.
    let b = async {
        tokio::task::yield_now().await;
        request(&gate, &policy, &[0], &[], &stop).await
    };
    let stopper = async {
        sleep(Duration::from_millis(500)).await;
        stopping.send_replace(true);
    };
    let ((a_starts, a_tried, _), (b_starts, b_tried, b_started), ()) =
        tokio::join!(a, b, stopper);
    assert_eq!(b_tried, None, "not sent, no record");
    assert_eq!((b_starts.len(), b_started), (0, 0));
    // A had been sent: it goes on to its end, retry included.
    assert_eq!(a_starts, [Duration::ZERO, Duration::from_secs(3)]);
    assert_eq!(a_tried, Some(Tried { last: Ok(200), attempts: 2 }));
}

#[test]
fn retry_after_reads_seconds_and_dates() {
    // 23 Nov 2026 13:55:36 UTC
    let now = UNIX_EPOCH + Duration::from_secs(1_795_442_136);
    let header = |value: &str| {
        let mut headers = HeaderMap::new();
        headers.insert(
            RETRY_AFTER,
            HeaderValue::from_str(value).expect("a header value"),
        );
        retry_after(&headers, now)
    };
    assert_eq!(header("120"), Some(Duration::from_secs(120)));
    assert_eq!(
        header("Mon, 23 Nov 2026 13:57:36 GMT"),
        Some(Duration::from_secs(120))
    );
    assert_eq!(
        header("Mon, 23 Nov 2026 13:00:00 GMT"),
        Some(Duration::ZERO),
        "in the past"
    );
    assert_eq!(header("soon"), None);
    assert_eq!(header("-5"), None);
    assert_eq!(retry_after(&HeaderMap::new(), SystemTime::now()), None);
}
