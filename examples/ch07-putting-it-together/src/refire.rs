// Fires one failed request again: waits for the rate limit, gives each attempt a time
// limit, and retries 429s, 5xx answers, timeouts and network errors with backoff (Chapter 5's
// LeakyBucket and retry). The result is one record for the retry log.
use std::fmt;
use std::time::Duration;

use ch07_putting_it_together::rewrite::with_retry;
use ch07_putting_it_together::scan::Failed;
use rand::SeedableRng;
use rand::rngs::StdRng;
use throttle::LeakyBucket;
use throttle::retry::{Backoff, retry};

// ANCHOR: limits
/// How hard the tool may push the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Requests in flight at once, at most.
    pub concurrency: usize,
    /// At most this many attempts start per period (`None`: no rate limit).
    pub rate: Option<(u32, Duration)>,
    /// How long one attempt may take, from sending to the last byte of the answer.
    pub timeout: Duration,
    /// When to try again, and when to give up.
    pub backoff: Backoff,
    /// Seeds the jitter of the waits: the same seed, the same waits.
    pub seed: u64,
}
// ANCHOR_END: limits

// ANCHOR: record
/// How a refired request ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The server's last answer (`200` on success, or the status it still gave when the
    /// tool stopped trying).
    Status(u16),
    /// The last attempt got no complete answer in time.
    Timeout,
    /// The last attempt could not talk to the server (refused, reset, …).
    Network,
    /// Not fired again: the method is not safe to repeat (only GET and HEAD are).
    Skipped(String),
}

/// One line of the retry log: `line=42 status=200 attempts=2 url=/items/7?retry=true`.
/// The URL goes last: a request target never holds a space, so the line splits cleanly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// The line of the input log this request came from.
    pub line_no: u64,
    pub outcome: Outcome,
    pub attempts: u32,
    /// The rewritten target, with `retry=true`.
    pub url: String,
}
// ANCHOR_END: record

impl Outcome {
    /// A 2xx or 3xx answer.
    pub fn succeeded(&self) -> bool {
        matches!(self, Outcome::Status(code) if (200..400).contains(code))
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Outcome::Status(code) => write!(f, "status={code}"),
            Outcome::Timeout => f.write_str("error=timeout"),
            Outcome::Network => f.write_str("error=network"),
            Outcome::Skipped(method) => write!(f, "skipped={method}"),
        }
    }
}

impl fmt::Display for Record {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line={} {} attempts={} url={}",
            self.line_no, self.outcome, self.attempts, self.url
        )
    }
}

impl Record {
    /// Reads back a line of the retry log (without its newline); `None` if it is not one.
    pub fn parse(line: &str) -> Option<Record> {
        let mut fields = line.split(' ');
        let line_no = fields.next()?.strip_prefix("line=")?.parse().ok()?;
        let outcome = match fields.next()?.split_once('=')? {
            ("status", code) => Outcome::Status(code.parse().ok()?),
            ("error", "timeout") => Outcome::Timeout,
            ("error", "network") => Outcome::Network,
            ("skipped", method) if !method.is_empty() => Outcome::Skipped(method.to_owned()),
            _ => return None,
        };
        let attempts = fields.next()?.strip_prefix("attempts=")?.parse().ok()?;
        let url = fields.next()?.strip_prefix("url=")?.to_owned();
        if fields.next().is_some() || url.is_empty() {
            return None;
        }
        Some(Record {
            line_no,
            outcome,
            attempts,
            url,
        })
    }
}

/// Why one attempt failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AttemptError {
    Status(u16),
    Timeout,
    Network,
}

impl fmt::Display for AttemptError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AttemptError::Status(code) => write!(f, "status {code}"),
            AttemptError::Timeout => f.write_str("timeout"),
            AttemptError::Network => f.write_str("network error"),
        }
    }
}

/// Worth another try: the server was busy or broken for a moment, or the answer was late.
/// A 404 is not: it would fail again.
fn retryable(error: &AttemptError) -> bool {
    match error {
        AttemptError::Status(code) => *code == 429 || (500..600).contains(code),
        AttemptError::Timeout | AttemptError::Network => true,
    }
}

/// Fires requests again against one server, within [`Limits`]. Share it by reference:
/// every request goes through its one client and its one rate limiter.
pub struct Refirer {
    client: reqwest::Client,
    base: String,
    limiter: Option<LeakyBucket>,
    backoff: Backoff,
    seed: u64,
}

impl Refirer {
    /// A refirer for the server at `base` (for example `http://127.0.0.1:3000`).
    pub fn new(base: &str, limits: &Limits) -> Result<Refirer, String> {
        let client = reqwest::Client::builder()
            .no_proxy() // the server is on 127.0.0.1 in the book: never through a proxy
            .timeout(limits.timeout)
            .build()
            .map_err(|e| format!("cannot build an HTTP client: {e}"))?;
        let limiter = match limits.rate {
            Some((max, per)) => Some(LeakyBucket::try_new(max, per).map_err(|e| e.to_string())?),
            None => None,
        };
        Ok(Refirer {
            client,
            base: base.trim_end_matches('/').to_owned(),
            limiter,
            backoff: limits.backoff,
            seed: limits.seed,
        })
    }

    // ANCHOR: refire
    /// Fires `failed` again, as many times as the backoff allows, and says how it ended.
    /// Never fails: every way it can end is an [`Outcome`], so every request gets its record.
    pub async fn refire(&self, failed: Failed) -> Record {
        let url = with_retry(&failed.target);
        let method = match failed.method.as_str() {
            "GET" => reqwest::Method::GET,
            "HEAD" => reqwest::Method::HEAD,
            other => {
                return Record {
                    line_no: failed.line_no,
                    outcome: Outcome::Skipped(other.to_owned()),
                    attempts: 0,
                    url,
                };
            }
        };
        let full_url = format!("{}{url}", self.base);
        // One seeded random source per line: the waits do not depend on which request
        // happened to finish first.
        let mut rng = StdRng::seed_from_u64(self.seed ^ failed.line_no.wrapping_mul(0x9e37_79b9));
        let result = retry(&self.backoff, &mut rng, retryable, |attempt| {
            let request = self.client.request(method.clone(), &full_url);
            async move {
                if let Some(limiter) = &self.limiter {
                    limiter.acquire().await; // every attempt counts against the rate
                }
                let response = request.send().await.map_err(classify)?;
                let status = response.status().as_u16();
                // Read the body, so the connection can be used again (and a body that
                // never ends counts against the timeout).
                response.bytes().await.map_err(classify)?;
                if (200..400).contains(&status) {
                    Ok((status, attempt))
                } else {
                    Err(AttemptError::Status(status))
                }
            }
        })
        .await;
        let (outcome, attempts) = match result {
            Ok((status, attempts)) => (Outcome::Status(status), attempts),
            Err(gave_up) => {
                let outcome = match gave_up.last_error() {
                    AttemptError::Status(code) => Outcome::Status(*code),
                    AttemptError::Timeout => Outcome::Timeout,
                    AttemptError::Network => Outcome::Network,
                };
                (outcome, gave_up.attempts())
            }
        };
        Record {
            line_no: failed.line_no,
            outcome,
            attempts,
            url,
        }
    }
    // ANCHOR_END: refire
}

fn classify(error: reqwest::Error) -> AttemptError {
    if error.is_timeout() {
        AttemptError::Timeout
    } else {
        AttemptError::Network
    }
}
