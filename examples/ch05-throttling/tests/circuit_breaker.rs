//! Listing 13's circuit breaker: closed until `threshold` failures in a row, then
//! open (calls fail at once, without reaching the service) for the cooldown, then
//! one trial call; a successful trial closes it, a failed one opens it again. On
//! tokio's paused clock, so every time is exact.
use std::time::Duration;

use ch05_throttling::listings::circuit_breaker::{
    Breaker, Outcome, Row, State, timeline,
};
use tokio::time::{Instant, advance};

const COOLDOWN: Duration = Duration::from_millis(500);

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

#[tokio::test(start_paused = true)]
async fn opens_after_threshold_failures_in_a_row_only() {
    let breaker = Breaker::new(3, COOLDOWN);
    for ok in [false, false, true, false, false] {
        assert!(breaker.allow());
        breaker.record(ok);
    }
    assert_eq!(
        breaker.state(),
        State::Closed { failures: 2 },
        "a success resets the count"
    );
    assert!(breaker.allow());
    breaker.record(false);
    assert_eq!(breaker.state(), State::Open { until: Instant::now() + COOLDOWN });
}

#[tokio::test(start_paused = true)]
async fn open_fails_fast_until_the_cooldown_ends_then_lets_one_trial_through() {
    let breaker = Breaker::new(1, COOLDOWN);
    breaker.record(false);
    advance(COOLDOWN - ms(1)).await;
    assert!(!breaker.allow(), "still open 1 ms before the cooldown ends");
    advance(ms(1)).await;
    assert!(breaker.allow(), "the trial");
    assert!(!breaker.allow(), "only one trial at a time");
    assert_eq!(
        breaker.state(),
        State::HalfOpen { until: Instant::now() + COOLDOWN }
    );
}

#[tokio::test(start_paused = true)]
async fn a_failed_trial_opens_it_for_another_cooldown_and_a_good_one_closes_it() {
    let breaker = Breaker::new(2, COOLDOWN);
    breaker.record(false);
    breaker.record(false);
    advance(COOLDOWN).await;
    assert!(breaker.allow());
    breaker.record(false);
    assert_eq!(breaker.state(), State::Open { until: Instant::now() + COOLDOWN });
    advance(COOLDOWN).await;
    assert!(breaker.allow());
    breaker.record(true);
    assert_eq!(breaker.state(), State::Closed { failures: 0 });
}

/// A trial that never reports back (its caller was cancelled, say) does not leave
/// the breaker half-open for ever: a cooldown later, another call is the trial.
#[tokio::test(start_paused = true)]
async fn a_lost_trial_is_replaced_after_a_cooldown() {
    let breaker = Breaker::new(1, COOLDOWN);
    breaker.record(false);
    advance(COOLDOWN).await;
    assert!(breaker.allow());
    advance(COOLDOWN - ms(1)).await;
    assert!(!breaker.allow());
    advance(ms(1)).await;
    assert!(breaker.allow());
}

/// The listing's timeline: three failures open the breaker at 200 ms (until 720
/// ms); calls fail fast; the trial at 800 ms fails (open until 1320 ms); the trial
/// at 1400 ms succeeds and closes it.
#[tokio::test(start_paused = true)]
async fn the_listings_timeline() {
    let t0 = Instant::now();
    let breaker = Breaker::new(3, COOLDOWN);
    let rows = timeline(&breaker, t0).await;
    let open = |until| State::Open { until: t0 + ms(until) };
    let row = |at, trial, outcome, after| Row { at: ms(at), trial, outcome, after };
    let mut expected = vec![
        row(0, false, Outcome::Failed, State::Closed { failures: 1 }),
        row(100, false, Outcome::Failed, State::Closed { failures: 2 }),
        row(200, false, Outcome::Failed, open(720)),
    ];
    expected.extend(
        (3..8).map(|i| row(100 * i, false, Outcome::FailedFast, open(720))),
    );
    expected.push(row(800, true, Outcome::Failed, open(1320)));
    expected.extend(
        (9..14).map(|i| row(100 * i, false, Outcome::FailedFast, open(1320))),
    );
    expected.push(row(1400, true, Outcome::Ok, State::Closed { failures: 0 }));
    expected.push(row(1500, false, Outcome::Ok, State::Closed { failures: 0 }));
    assert_eq!(rows, expected);
}
