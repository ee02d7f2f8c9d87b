//! `retry` waits as the backoff formula says, or as long as the classifier asks
//! if that is longer (`Retry-After`), stops at the attempt cap and at the time cap,
//! retries only what the classifier allows, and reports the last error. On tokio's
//! paused clock with seeded random sources, so every wait is checked exactly.
use std::cell::RefCell;
use std::time::Duration;

use proptest::prelude::*;
use rand::{RngExt, SeedableRng, rngs::StdRng};
use throttle::retry::{Backoff, RetryError, Verdict, retry};
use timeline::on_paused_clock;
use tokio::time::{Instant, sleep};

/// How one call of `retry` went: when each attempt started, and the result.
struct Outcome {
    starts: Vec<Duration>,
    result: Result<u32, RetryError<u32>>,
}

/// Runs `retry` over an operation that takes `took` and fails with its attempt
/// number until attempt `succeed_on` (never, if `None`); errors are retryable
/// unless `permanent_on` says so.
fn call(
    policy: Backoff,
    seed: u64,
    took: Duration,
    succeed_on: Option<u32>,
    permanent_on: Option<u32>,
) -> Outcome {
    let classify = |&error: &u32| Verdict::from(Some(error) != permanent_on);
    call_with(policy, seed, took, succeed_on, classify)
}

/// The same, with any classifier.
fn call_with(
    policy: Backoff,
    seed: u64,
    took: Duration,
    succeed_on: Option<u32>,
    classify: impl Fn(&u32) -> Verdict,
) -> Outcome {
    let starts = RefCell::new(Vec::new());
    let result = on_paused_clock(async {
        let t0 = Instant::now();
        let mut rng = StdRng::seed_from_u64(seed);
        retry(&policy, &mut rng, classify, |attempt| {
            starts.borrow_mut().push(t0.elapsed());
            async move {
                sleep(took).await;
                if Some(attempt) == succeed_on { Ok(attempt) } else { Err(attempt) }
            }
        })
        .await
    });
    Outcome { starts: starts.into_inner(), result }
}

/// The formula, written again here: after failure `k`, a whole number of
/// milliseconds drawn uniformly from `0 ..= min(max_delay, base × factor^(k-1))`,
/// from the same seeded source.
fn expected_delays(policy: &Backoff, seed: u64, count: u32) -> Vec<Duration> {
    let mut rng = StdRng::seed_from_u64(seed);
    let (base, max) = (policy.base.as_millis(), policy.max_delay.as_millis());
    (1..=count)
        .map(|k| {
            let ceiling = (0..k - 1)
                .fold(base, |c, _| (c * u128::from(policy.factor)).min(max))
                .min(max);
            Duration::from_millis(rng.random_range(0..=ceiling as u64))
        })
        .collect()
}

fn policy(max_attempts: u32, max_elapsed: Duration) -> Backoff {
    Backoff {
        base: Duration::from_millis(100),
        factor: 2,
        max_delay: Duration::from_secs(2),
        max_attempts,
        max_elapsed,
    }
}

#[test]
fn ceilings_grow_then_hit_the_cap() {
    let p = policy(10, Duration::from_secs(60));
    let ceilings: Vec<u128> = (1..=7).map(|k| p.ceiling(k).as_millis()).collect();
    assert_eq!(ceilings, [100, 200, 400, 800, 1600, 2000, 2000]);
    assert_eq!(p.ceiling(500), Duration::from_secs(2), "no overflow");
}

#[test]
fn success_after_failures_returns_the_value() {
    let out = call(
        policy(5, Duration::from_secs(60)),
        1,
        Duration::from_millis(20),
        Some(3),
        None,
    );
    assert_eq!(out.result, Ok(3));
    assert_eq!(out.starts.len(), 3);
}

#[test]
fn a_permanent_error_is_not_retried() {
    let out =
        call(policy(5, Duration::from_secs(60)), 1, Duration::ZERO, None, Some(1));
    assert_eq!(out.result, Err(RetryError::Permanent { error: 1, attempts: 1 }));
    assert_eq!(out.starts, [Duration::ZERO]);
    let error = out.result.expect_err("it failed");
    assert_eq!(error.to_string(), "not retried after attempt 1: 1");
}

#[test]
fn the_error_reports_the_last_failure() {
    let out =
        call(policy(4, Duration::from_secs(60)), 9, Duration::ZERO, None, None);
    let error = out.result.expect_err("it never succeeds");
    assert_eq!(error, RetryError::OutOfAttempts { error: 4, attempts: 4 });
    assert_eq!((*error.last_error(), error.attempts()), (4, 4));
    assert_eq!(error.to_string(), "gave up after 4 attempts: 4");
}

/// A classifier may return a plain `bool`, as the chapter's first listing does.
#[test]
fn a_bool_classifier_still_works() {
    let result = on_paused_clock(async {
        let mut rng = StdRng::seed_from_u64(1);
        let retryable = |&error: &u32| error < 2;
        retry(
            &policy(5, Duration::from_secs(60)),
            &mut rng,
            retryable,
            |n| async move { Err::<(), u32>(n) },
        )
        .await
    });
    assert_eq!(result, Err(RetryError::Permanent { error: 2, attempts: 2 }));
}

/// A `Retry-After` that would end past the time cap gives up at once, without
/// sleeping, and a huge one does not overflow.
#[test]
fn a_retry_after_past_the_time_cap_gives_up_at_once() {
    for asked in [Duration::from_secs(11), Duration::MAX] {
        let classify = |_: &u32| Verdict::RetryAfter(asked);
        let policy = policy(5, Duration::from_secs(10));
        let took = Duration::from_millis(20);
        let out = call_with(policy, 3, took, None, classify);
        assert_eq!(out.starts, [Duration::ZERO]);
        let error = out.result.expect_err("it never succeeds");
        assert_eq!(
            error,
            RetryError::OutOfTime { error: 1, attempts: 1, elapsed: took }
        );
    }
}

proptest! {
    /// Every wait between attempts is the formula's, and an operation that always
    /// fails is tried exactly `max_attempts` times, the last error reported.
    #[test]
    fn waits_follow_the_formula_and_stop_at_the_attempt_cap(
        seed in any::<u64>(),
        base_ms in 1u64..500,
        factor in 1u32..4,
        max_ms in 1u64..5000,
        max_attempts in 1u32..9,
        took_ms in 0u64..50,
    ) {
        let policy = Backoff {
            base: Duration::from_millis(base_ms),
            factor,
            max_delay: Duration::from_millis(max_ms),
            max_attempts,
            max_elapsed: Duration::from_secs(3600),
        };
        let took = Duration::from_millis(took_ms);
        let out = call(policy, seed, took, None, None);
        prop_assert_eq!(out.starts.len() as u32, max_attempts);
        let delays = expected_delays(&policy, seed, max_attempts - 1);
        for (k, pair) in out.starts.windows(2).enumerate() {
            prop_assert_eq!(pair[1] - pair[0], took + delays[k], "wait after failure {}", k + 1);
        }
        prop_assert_eq!(
            out.result,
            Err(RetryError::OutOfAttempts { error: max_attempts, attempts: max_attempts })
        );
    }

    /// With a time cap: no wait ends after `max_elapsed`, and `retry` gives up
    /// exactly when the next wait would (reporting the last error), or at the
    /// attempt cap.
    #[test]
    fn stops_at_the_time_cap(
        seed in any::<u64>(),
        max_elapsed_ms in 0u64..3000,
        took_ms in 0u64..100,
    ) {
        let max_elapsed = Duration::from_millis(max_elapsed_ms);
        let policy = policy(20, max_elapsed);
        let took = Duration::from_millis(took_ms);
        let out = call(policy, seed, took, None, None);
        let attempts = out.starts.len() as u32;
        for &start in &out.starts {
            prop_assert!(start <= max_elapsed, "attempt started at {:?}", start);
        }
        let delays = expected_delays(&policy, seed, attempts);
        let elapsed = *out.starts.last().expect("one attempt at least") + took;
        match out.result {
            Err(RetryError::OutOfTime { error, attempts: a, elapsed: e }) => {
                prop_assert_eq!((error, a, e), (attempts, attempts, elapsed));
                prop_assert!(elapsed + delays[attempts as usize - 1] > max_elapsed);
            }
            Err(RetryError::OutOfAttempts { attempts: a, .. }) => prop_assert_eq!(a, 20),
            other => prop_assert!(false, "unexpected {:?}", other),
        }
    }

    /// With a `Retry-After` on every failure, each wait is the longer of the
    /// backoff's and the server's: never shorter than the server asked.
    #[test]
    fn waits_at_least_as_long_as_the_server_asks(
        seed in any::<u64>(),
        asked_ms in 0u64..1000,
        took_ms in 0u64..50,
        max_attempts in 1u32..8,
    ) {
        let policy = policy(max_attempts, Duration::from_secs(3600));
        let asked = Duration::from_millis(asked_ms);
        let took = Duration::from_millis(took_ms);
        let classify = |_: &u32| Verdict::RetryAfter(asked);
        let out = call_with(policy, seed, took, None, classify);
        prop_assert_eq!(out.starts.len() as u32, max_attempts);
        let delays = expected_delays(&policy, seed, max_attempts - 1);
        for (k, pair) in out.starts.windows(2).enumerate() {
            prop_assert_eq!(pair[1] - pair[0], took + delays[k].max(asked), "wait {}", k + 1);
        }
    }
}
