//! A circuit breaker: after three failures in a row it opens and fails fast; after
//! a cooldown it lets one trial call through, and closes again if that succeeds.
use std::fmt;
use std::sync::Mutex;
use std::time::Duration;

use tokio::time::{Instant, sleep, sleep_until};

// ANCHOR: state
/// Where the breaker stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// Calls go through. Counts the failures in a row.
    Closed { failures: u32 },
    /// Calls fail at once, without reaching the service, until `until`.
    Open { until: Instant },
    /// One trial call is out; the others fail at once. If the trial has not
    /// reported back by `until`, the next call is a new trial.
    HalfOpen { until: Instant },
}
// ANCHOR_END: state

// ANCHOR: breaker
pub struct Breaker {
    threshold: u32,
    cooldown: Duration,
    state: Mutex<State>,
}

impl Breaker {
    /// Opens after `threshold` failures in a row; stays open for `cooldown`.
    pub fn new(threshold: u32, cooldown: Duration) -> Breaker {
        let state = Mutex::new(State::Closed { failures: 0 });
        Breaker { threshold, cooldown, state }
    }

    /// May a call go through now? Once the cooldown is over, the first caller
    /// gets the trial.
    pub fn allow(&self) -> bool {
        let mut state = self.lock();
        let now = Instant::now();
        match *state {
            State::Closed { .. } => true,
            State::Open { until } | State::HalfOpen { until } if now >= until => {
                *state = State::HalfOpen { until: now + self.cooldown };
                true
            }
            State::Open { .. } | State::HalfOpen { .. } => false,
        }
    }

    /// Reports how a call that was allowed went.
    pub fn record(&self, ok: bool) {
        let mut state = self.lock();
        *state = match *state {
            _ if ok => State::Closed { failures: 0 },
            State::Closed { failures } if failures + 1 < self.threshold => {
                State::Closed { failures: failures + 1 }
            }
            _ => State::Open { until: Instant::now() + self.cooldown },
        };
    }
    // ANCHOR_END: breaker

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().expect("no thread panics while holding the state")
    }

    /// Where the breaker stands now.
    pub fn state(&self) -> State {
        *self.lock()
    }
    // ANCHOR: breaker
}
// ANCHOR_END: breaker

/// How one call ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Ok,
    Failed,
    /// The breaker refused it: it never reached the service and took no time.
    FailedFast,
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(match self {
            Outcome::Ok => "ok",
            Outcome::Failed => "failed",
            Outcome::FailedFast => "failed fast",
        })
    }
}

/// A simulated service, not a real one: down until 1000 ms; a call takes 20 ms.
pub const DOWN_UNTIL: Duration = Duration::from_millis(1000);

// ANCHOR: call
/// One call through the breaker to a service that is down until `DOWN_UNTIL`.
pub async fn call(breaker: &Breaker, t0: Instant) -> Outcome {
    if !breaker.allow() {
        return Outcome::FailedFast;
    }
    let up = t0.elapsed() >= DOWN_UNTIL;
    sleep(Duration::from_millis(20)).await; // the round trip
    breaker.record(up);
    if up { Outcome::Ok } else { Outcome::Failed }
}
// ANCHOR_END: call

/// How a state reads in the listing's output, with times from `t0`.
pub fn describe(state: State, t0: Instant) -> String {
    let ms = |at: Instant| at.duration_since(t0).as_millis();
    match state {
        State::Closed { failures: 0 } => "closed".to_string(),
        State::Closed { failures } => {
            format!("closed, failures in a row: {failures}")
        }
        State::Open { until } => format!("open until {} ms", ms(until)),
        State::HalfOpen { until } => format!("half-open until {} ms", ms(until)),
    }
}

/// One line of the listing's output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Row {
    /// When the call came, from `t0`.
    pub at: Duration,
    /// Whether it came when the cooldown was over: the half-open trial.
    pub trial: bool,
    pub outcome: Outcome,
    /// The breaker's state after the call.
    pub after: State,
}

/// A call every 100 ms from `t0` to 1500 ms after.
pub async fn timeline(breaker: &Breaker, t0: Instant) -> Vec<Row> {
    let mut rows = Vec::new();
    for i in 0..16 {
        sleep_until(t0 + Duration::from_millis(100 * i)).await;
        let (at, now) = (t0.elapsed(), Instant::now());
        let trial = matches!(
            breaker.state(),
            State::Open { until } | State::HalfOpen { until } if now >= until
        );
        let outcome = call(breaker, t0).await;
        rows.push(Row { at, trial, outcome, after: breaker.state() });
    }
    rows
}

// ANCHOR: main
// The clock is paused (start_paused), so the times are the same on every run.
#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    // ANCHOR_END: main
    if std::env::args().len() > 1 {
        eprintln!("usage: 13_circuit_breaker (it takes no arguments)");
        std::process::exit(2);
    }
    // ANCHOR: main
    let t0 = Instant::now();
    // Open after 3 failures in a row; try again after 500 ms.
    let breaker = Breaker::new(3, Duration::from_millis(500));
    println!("the service is down until {} ms", DOWN_UNTIL.as_millis());
    for row in timeline(&breaker, t0).await {
        let at = row.at.as_millis();
        let trial = if row.trial { "trial, " } else { "" };
        let outcome = format!("{trial}{}", row.outcome);
        println!("{at:>5} ms: {outcome:<14} -> {}", describe(row.after, t0));
    }
}
// ANCHOR_END: main
