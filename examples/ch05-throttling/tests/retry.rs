//! Listing 7 retries exactly the statuses that may get better: 429, 500, 502, 503
//! and 504. A 501 or a 505 is tried once, like a 404. On tokio's paused clock.
use ch05_throttling::listings::retry::{POLICY, Status, flaky_request, retryable};
use rand::{SeedableRng, rngs::StdRng};
use throttle::retry::{RetryError, retry};
use tokio::time::Instant;

#[test]
fn retries_429_and_the_5xx_that_may_pass() {
    for code in [429, 500, 502, 503, 504] {
        assert!(retryable(&Status(code)), "{code} is worth another try");
    }
}

#[test]
fn does_not_retry_what_will_fail_again() {
    for code in [400, 401, 403, 404, 405, 410, 422, 501, 505, 511] {
        assert!(!retryable(&Status(code)), "{code} would fail again");
    }
}

/// Through `retry`: a 501 or a 505 is tried once and reported as permanent; a 502
/// or a 504 is tried until the attempts run out.
#[tokio::test(start_paused = true)]
async fn through_retry_only_the_passing_failures_are_tried_again() {
    for (code, attempts) in [(501, 1), (505, 1), (502, 5), (504, 5)] {
        let t0 = Instant::now();
        let mut rng = StdRng::seed_from_u64(5);
        let answers = [code];
        let result =
            retry(&POLICY, &mut rng, retryable, |n| flaky_request(&answers, n, t0))
                .await;
        let error = result.expect_err("it never succeeds");
        assert_eq!(
            (*error.last_error(), error.attempts()),
            (Status(code), attempts)
        );
        assert_eq!(
            matches!(error, RetryError::Permanent { .. }),
            attempts == 1,
            "{code}: {error}"
        );
    }
}
