//! Retry with exponential backoff and jitter for 429 and 5xx answers, capped in
//! attempts and total time.
use std::fmt;
use std::time::Duration;

use rand::{SeedableRng, rngs::StdRng};
use throttle::retry::{Backoff, retry};
use tokio::time::{Instant, sleep};

// ANCHOR: status
/// An HTTP status code that is not a success.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Status(pub u16);

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let reason = match self.0 {
            404 => "Not Found",
            429 => "Too Many Requests",
            500 => "Internal Server Error",
            501 => "Not Implemented",
            502 => "Bad Gateway",
            503 => "Service Unavailable",
            504 => "Gateway Timeout",
            505 => "HTTP Version Not Supported",
            _ => "",
        };
        write!(f, "{} {reason}", self.0)
    }
}

/// Worth trying again: "slow down" (429), and server trouble that may pass (500,
/// 502, 503, 504). A 404, a 501 or a 505 will not get better.
pub fn retryable(status: &Status) -> bool {
    matches!(status.0, 429 | 500 | 502 | 503 | 504)
}
// ANCHOR_END: status

// ANCHOR: flaky
/// A simulated server, not a real one: attempt `n` gets `answers[n - 1]` (the last
/// answer again once they run out) after 20 ms; 200 is a success.
pub async fn flaky_request(
    answers: &[u16],
    attempt: u32,
    t0: Instant,
) -> Result<u16, Status> {
    let at = t0.elapsed().as_millis();
    sleep(Duration::from_millis(20)).await; // the round trip
    let index = usize::try_from(attempt - 1).unwrap_or(usize::MAX);
    let answer = answers.get(index).or(answers.last()).copied().unwrap_or(200);
    let shown = if answer == 200 {
        "200 OK".to_string()
    } else {
        Status(answer).to_string()
    };
    println!("  attempt {attempt} at {at:>4} ms: {shown}");
    if answer == 200 { Ok(answer) } else { Err(Status(answer)) }
}
// ANCHOR_END: flaky

// ANCHOR: policy
/// Waits of at most 100, 200, 400, 800 ms …, never more than 2 s; 5 attempts; 10 s
/// in all.
pub const POLICY: Backoff = Backoff {
    base: Duration::from_millis(100),
    factor: 2,
    max_delay: Duration::from_secs(2),
    max_attempts: 5,
    max_elapsed: Duration::from_secs(10),
};
// ANCHOR_END: policy

// ANCHOR: main
// The clock is paused and the random source seeded, so every wait is the same on
// every run.
#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    // ANCHOR_END: main
    if std::env::args().len() > 1 {
        eprintln!("usage: 07_retry (it takes no arguments)");
        std::process::exit(2);
    }
    // ANCHOR: main
    let tight = Backoff { max_elapsed: Duration::from_millis(500), ..POLICY };
    let cases: [(&str, &[u16], Backoff); 5] = [
        ("fails three times, then succeeds", &[503, 429, 503, 200], POLICY),
        ("always 503", &[503], POLICY),
        ("always 429, with 500 ms in all", &[429], tight),
        ("404", &[404], POLICY),
        ("501", &[501], POLICY),
    ];
    for (name, answers, policy) in cases {
        println!("{name}:");
        let mut rng = StdRng::seed_from_u64(5);
        let t0 = Instant::now();
        let result =
            retry(&policy, &mut rng, retryable, |n| flaky_request(answers, n, t0))
                .await;
        match result {
            Ok(status) => {
                println!("  -> {status} OK at {} ms", t0.elapsed().as_millis())
            }
            Err(error) => println!("  -> error: {error}"),
        }
    }
}
// ANCHOR_END: main
