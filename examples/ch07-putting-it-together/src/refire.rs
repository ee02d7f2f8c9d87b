// Fires one failed request again. Every attempt waits for a slot (at most
// `concurrency` in flight) and for the rate limit, and has a time limit of its own;
// between attempts the request waits for its backoff, or longer if the server said
// so (`Retry-After`), holding no slot. The result is one record for the retry log.
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use ch07_putting_it_together::formats::days_from_civil;
use ch07_putting_it_together::record::{Outcome, Record};
use ch07_putting_it_together::rewrite::with_retry;
use ch07_putting_it_together::scan::Failed;
use rand::SeedableRng;
use rand::rngs::StdRng;
use reqwest::header::{HeaderMap, RETRY_AFTER};
use throttle::LeakyBucket;
use throttle::retry::Backoff;
use tokio::sync::{Semaphore, SemaphorePermit, watch};
use tokio::time::{Instant, sleep};
use tracing::Instrument;

// ANCHOR: limits
/// How hard the tool may push the server. Each limit applies to every attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Attempts in flight at once, at most.
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

/// Why one attempt failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttemptError {
    /// An answer that is not a success, and how long the server asked us to wait.
    Status {
        code: u16,
        retry_after: Option<Duration>,
    },
    Timeout,
    Connect,
    Network,
}

// ANCHOR: retryable
/// Worth another try: the server was busy (429) or broken for a moment (500, 502,
/// 503, 504), or the answer was late or lost. A 404, a 501 or a 505 would fail
/// again.
pub fn retryable(error: &AttemptError) -> bool {
    match error {
        AttemptError::Status { code, .. } => {
            matches!(code, 429 | 500 | 502 | 503 | 504)
        }
        AttemptError::Timeout | AttemptError::Connect | AttemptError::Network => {
            true
        }
    }
}
// ANCHOR_END: retryable

// ANCHOR: gate
/// What every attempt passes before it is sent: a free slot, then the rate limit.
/// The slot is held while the attempt waits for the rate, so attempts leave at the
/// times the limiter booked for them.
pub struct Gate {
    slots: Semaphore,
    limiter: Option<LeakyBucket>,
}

impl Gate {
    pub fn new(limits: &Limits) -> Result<Gate, String> {
        let limiter = match limits.rate {
            Some((max, per)) => {
                Some(LeakyBucket::try_new(max, per).map_err(|e| e.to_string())?)
            }
            None => None,
        };
        Ok(Gate { slots: Semaphore::new(limits.concurrency.max(1)), limiter })
    }

    /// Waits for a slot and the rate; the attempt holds the slot until it drops it.
    pub async fn enter(&self) -> SemaphorePermit<'_> {
        let slot = self
            .slots
            .acquire()
            .await
            .expect("the gate never closes its semaphore");
        if let Some(limiter) = &self.limiter {
            limiter.acquire().await;
        }
        slot
    }
}
// ANCHOR_END: gate

/// How a request's attempts ended: the last result, and how many attempts were
/// started.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tried {
    pub last: Result<u16, AttemptError>,
    pub attempts: u32,
}

// ANCHOR: attempts
/// Runs `attempt(1)`, `attempt(2)`, … each through the gate, until one succeeds or
/// [`wait_after`] says give up. `started` counts attempts as they start (for the
/// record of a request abandoned mid-way). Once `stop` is `true`, a request not
/// sent yet is not started: it returns `None`.
pub async fn attempts<Fut>(
    policy: &Backoff,
    rng: &mut StdRng,
    gate: &Gate,
    started: &AtomicU32,
    stop: &watch::Receiver<bool>,
    mut attempt: impl FnMut(u32) -> Fut,
) -> Option<Tried>
where
    Fut: Future<Output = Result<u16, AttemptError>>,
{
    let begin = Instant::now();
    let mut n = 0;
    loop {
        let slot = match n {
            0 => first_slot(gate, stop.clone()).await?,
            _ => gate.enter().await,
        };
        n += 1;
        started.store(n, Ordering::SeqCst);
        let span = tracing::info_span!("attempt", n);
        let last = attempt(n).instrument(span).await;
        drop(slot); // the slot is for the attempt, not for the wait below
        let wait =
            last.as_ref().err().and_then(|e| wait_after(policy, rng, e, n, begin));
        let Some(wait) = wait else {
            return Some(Tried { last, attempts: n });
        };
        tracing::debug!(wait_ms = wait.as_millis() as u64, "backing off");
        sleep(wait).await;
    }
}
// ANCHOR_END: attempts

// ANCHOR: wait_after
/// How long to wait after attempt `n` failed with `error`, or `None` to give up:
/// the backoff's wait, or the server's `Retry-After` if that is longer, as long as
/// the wait ends within the policy's time budget.
pub fn wait_after(
    policy: &Backoff,
    rng: &mut StdRng,
    error: &AttemptError,
    n: u32,
    begin: Instant,
) -> Option<Duration> {
    if !retryable(error) || n >= policy.max_attempts {
        return None;
    }
    let asked = match error {
        AttemptError::Status { retry_after, .. } => retry_after.unwrap_or_default(),
        _ => Duration::ZERO,
    };
    let wait = policy.delay(n, rng).max(asked);
    // checked: a huge Retry-After must give up, not overflow the Duration
    let end = begin.elapsed().checked_add(wait);
    end.is_some_and(|end| end <= policy.max_elapsed).then_some(wait)
}
// ANCHOR_END: wait_after

/// The gate for a first attempt, unless the run stops first.
async fn first_slot<'a>(
    gate: &'a Gate,
    mut stop: watch::Receiver<bool>,
) -> Option<SemaphorePermit<'a>> {
    if *stop.borrow() {
        return None;
    }
    let stopped = async {
        if stop.wait_for(|stop| *stop).await.is_err() {
            std::future::pending::<()>().await; // nobody can stop us any more
        }
    };
    tokio::select! {
        slot = gate.enter() => Some(slot),
        () = stopped => None,
    }
}

/// Fires requests again against one server, within [`Limits`]. Share it (`Arc`):
/// every request goes through its one client and its one gate.
pub struct Refirer {
    client: reqwest::Client,
    base: String,
    gate: Gate,
    backoff: Backoff,
    seed: u64,
}

/// The `User-Agent` the tool sends, so a server's logs can tell it from a browser.
pub const USER_AGENT: &str = concat!("ch07-retry-tool/", env!("CARGO_PKG_VERSION"));

impl Refirer {
    /// A refirer for the server at `base` (such as `http://127.0.0.1:3000`), which
    /// adds `headers` to every request.
    pub fn new(
        base: &str,
        limits: &Limits,
        headers: HeaderMap,
    ) -> Result<Refirer, String> {
        let client = reqwest::Client::builder()
            .no_proxy() // the book's server is on 127.0.0.1: never through a proxy
            .timeout(limits.timeout) // per attempt: each `send` gets its own
            // a 301 is an answer, not a hop
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(USER_AGENT)
            .default_headers(headers)
            .build()
            .map_err(|e| format!("cannot build an HTTP client: {e}"))?;
        Ok(Refirer {
            client,
            base: base.trim_end_matches('/').to_owned(),
            gate: Gate::new(limits)?,
            backoff: limits.backoff,
            seed: limits.seed,
        })
    }

    // ANCHOR: refire
    /// Fires `failed` again, as often as the backoff allows, and says how it ended.
    /// `None`: the run stopped before it was sent (it has no record, and `--resume`
    /// sends it).
    pub async fn refire(
        &self,
        failed: &Failed,
        started: &AtomicU32,
        stop: &watch::Receiver<bool>,
    ) -> Option<Record> {
        let url = with_retry(&failed.target);
        let Ok(method) = reqwest::Method::from_bytes(failed.method.as_bytes())
        else {
            return Some(record(failed, url, Outcome::SkippedMethod, 0));
        };
        let full_url = format!("{}{url}", self.base);
        // One seeded random source per line: the waits of one request do not depend
        // on which other request finished first.
        let mut rng = StdRng::seed_from_u64(self.seed ^ line_seed(failed));
        let span =
            tracing::info_span!("request", line = failed.line_no, %method, %url);
        let tried =
            attempts(&self.backoff, &mut rng, &self.gate, started, stop, |_| {
                self.send(&method, &full_url)
            })
            .instrument(span)
            .await?;
        let outcome = match tried.last {
            Ok(status) | Err(AttemptError::Status { code: status, .. }) => {
                Outcome::Status(status)
            }
            Err(AttemptError::Timeout) => Outcome::Timeout,
            Err(AttemptError::Connect) => Outcome::Connect,
            Err(AttemptError::Network) => Outcome::Network,
        };
        Some(record(failed, url, outcome, tried.attempts))
    }
    // ANCHOR_END: refire

    // ANCHOR: send
    /// One attempt: the answer's status, or why there was none.
    async fn send(
        &self,
        method: &reqwest::Method,
        url: &str,
    ) -> Result<u16, AttemptError> {
        let request = self.client.request(method.clone(), url);
        let mut response = request.send().await.map_err(classify)?;
        let status = response.status().as_u16();
        let retry_after = retry_after(response.headers(), SystemTime::now());
        // Read the body to its end, a chunk at a time, keeping none of it: the
        // connection can be used again, and a body that never ends counts against
        // the timeout.
        while response.chunk().await.map_err(classify)?.is_some() {}
        tracing::debug!(status, "answered");
        match status {
            200..400 => Ok(status),
            code => Err(AttemptError::Status { code, retry_after }),
        }
    }
    // ANCHOR_END: send
}

/// The record of a request.
pub fn record(
    failed: &Failed,
    url: String,
    outcome: Outcome,
    attempts: u32,
) -> Record {
    Record {
        log: failed.log.clone(),
        line_no: failed.line_no,
        method: failed.method.clone(),
        url,
        was: failed.status,
        time: failed.time.clone(),
        outcome,
        attempts,
    }
}

/// Mixes the log's name and the line number into a seed.
fn line_seed(failed: &Failed) -> u64 {
    let name = failed.log.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3) // FNV-1a
    });
    name ^ failed.line_no.wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

fn classify(error: reqwest::Error) -> AttemptError {
    if error.is_timeout() {
        AttemptError::Timeout
    } else if error.is_connect() {
        AttemptError::Connect
    } else {
        AttemptError::Network
    }
}

// ANCHOR: retry_after
/// How long a `Retry-After` header asks the client to wait: a number of seconds
/// (`120`) or an HTTP date (`Wed, 25 Nov 2026 08:00:00 GMT`), counted from `now`.
pub fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = http_date(value)?;
    let now = i64::try_from(now.duration_since(UNIX_EPOCH).ok()?.as_secs()).ok()?;
    Some(Duration::from_secs(u64::try_from(at - now).unwrap_or(0)))
}
// ANCHOR_END: retry_after

/// Seconds since the Unix epoch of an IMF-fixdate, `Sun, 06 Nov 1994 08:49:37 GMT`.
fn http_date(text: &str) -> Option<i64> {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
        "Nov", "Dec",
    ];
    let mut words = text.split(' ');
    let (_day_name, day, month, year, clock, zone) = (
        words.next()?,
        words.next()?,
        words.next()?,
        words.next()?,
        words.next()?,
        words.next()?,
    );
    if zone != "GMT" || words.next().is_some() {
        return None;
    }
    let month = MONTHS.iter().position(|m| *m == month)? as i64 + 1;
    let number = |s: &str| -> Option<i64> {
        (s.len() == 2 || s.len() == 4)
            .then_some(s)
            .filter(|s| s.bytes().all(|b| b.is_ascii_digit()))?
            .parse()
            .ok()
    };
    let (day, year) = (number(day)?, number(year)?);
    let mut hms = clock.split(':').map(number);
    let (Some(Some(h)), Some(Some(m)), Some(Some(s)), None) =
        (hms.next(), hms.next(), hms.next(), hms.next())
    else {
        return None;
    };
    if !(1..=31).contains(&day) || h > 23 || m > 59 || s > 60 {
        return None;
    }
    Some(days_from_civil(year, month, day) * 86_400 + h * 3600 + m * 60 + s)
}

/// Checks that something answers at `base` (a TCP connection, no request), before
/// the tool touches its output.
pub async fn check_server(
    base: &reqwest::Url,
    within: Duration,
) -> Result<(), String> {
    let host = base.host_str().ok_or_else(|| format!("{base} has no host"))?;
    let port = base.port_or_known_default().unwrap_or(80);
    let connect = tokio::net::TcpStream::connect(format!("{host}:{port}"));
    match tokio::time::timeout(within, connect).await {
        Ok(Ok(_)) => Ok(()),
        Ok(Err(e)) => Err(format!(
            "cannot connect to {host}:{port}: {e} (is the server running?)"
        )),
        Err(_) => Err(format!(
            "cannot connect to {host}:{port}: no answer within {within:?}"
        )),
    }
}
