//! A real HTTP server on `127.0.0.1` that stands in for a remote API.
//!
//! The book's listings and tests talk to this server instead of a service on
//! the internet, so they run offline, quickly and the same way every time,
//! while still going through a real TCP socket, a real HTTP client and a real
//! server. Each server binds port 0, so the operating system picks a free port
//! and any number of servers (one per test, say) can run side by side.
//!
//! The server counts the requests it is working on ([`Stats`]). That lets a
//! test prove how concurrent a client really was ("never more than one request
//! in flight" versus "all ten at once") without measuring wall-clock time,
//! which is noisy on a busy machine.
//!
//! # Routes
//!
//! - `GET /items/{id}`: waits [`Config::latency`], then answers `200 OK` with
//!   `{"id":<id>,"name":"item <id>"}` as `application/json`. The query
//!   parameter `?delay_ms=N` replaces the latency for that one request. An
//!   `id` that is not a non-negative integer, or a `delay_ms` that is not one,
//!   gets `400 Bad Request` with a one-line text error. Other query
//!   parameters are ignored.
//!
//! # Misbehaving on purpose
//!
//! A real API fails in ways a client must survive. Tests and listings can ask
//! for each of them, so that every failure path runs against a real server:
//!
//! - [`Config::with_fault`] makes one item id fail every time
//!   ([`Fault::Status`]), fail the first few times ([`Fault::FailTimes`]),
//!   never answer ([`Fault::Stall`]) or answer with a body that is not JSON
//!   ([`Fault::Malformed`]).
//! - [`Config::with_rate_limit`] makes the server answer `429 Too Many
//!   Requests` to requests beyond a rate, as public APIs do, with a
//!   `Retry-After` header.
//! - `GET /health`: answers `200 OK` with the body `ok` at once. It is not
//!   counted in [`Stats`], so checking that the server is up never changes the
//!   numbers a test asserts on.
//!
//! # Example
//!
//! ```
//! use std::time::Duration;
//! use local_server::{Config, LocalServer};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> std::io::Result<()> {
//! let config = Config::default().with_latency(Duration::from_millis(10));
//! let server = LocalServer::start(config).await?;
//! println!("try {}", server.url("/items/7"));
//! assert_eq!(server.stats().requests, 0);
//! server.shutdown().await;
//! # Ok(())
//! # }
//! ```
//!
//! # Caveats
//!
//! The latency is a real [`tokio::time::sleep`], and the server talks over
//! real sockets: do not run it under Tokio's paused clock
//! (`#[tokio::test(start_paused = true)]`), where time jumps ahead whenever
//! the runtime is idle, including while it waits for the network.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use axum::Router;
use axum::extract::{Path, RawQuery, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tokio::time::Instant;

/// The latency of `GET /items/{id}` when [`Config::latency`] is left at its
/// default.
pub const DEFAULT_LATENCY: Duration = Duration::from_millis(50);

/// How a [`LocalServer`] behaves.
///
/// Later chapters add knobs (rate limits, failures, stalls, ...) as new
/// fields, each with a default that keeps today's behaviour. So that adding
/// one never breaks a caller, `Config` is `#[non_exhaustive]`: outside this
/// crate it cannot be written as a struct literal, only built from
/// [`Config::default`] with the `with_*` methods (or by assigning to its
/// public fields):
///
/// ```
/// use std::time::Duration;
/// use local_server::Config;
///
/// let config = Config::default().with_latency(Duration::from_millis(100));
/// assert_eq!(config.latency, Duration::from_millis(100));
/// ```
///
/// (A struct literal with `..Default::default()` would also survive new
/// fields, but while there is only one field Clippy rejects it as a
/// `needless_update`, and nothing would stop a caller from leaving it out.)
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Config {
    /// How long `GET /items/{id}` waits before it answers (default
    /// [`DEFAULT_LATENCY`], 50 ms).
    ///
    /// The wait stands in for the server's own work: the database query, the
    /// disk read or the call to yet another service that a real API would
    /// make. It is an asynchronous sleep, so the server keeps serving other
    /// requests meanwhile, just as a real server would. A request can replace
    /// it for itself with `?delay_ms=N`.
    pub latency: Duration,
    /// Item ids that misbehave, and how (default: none). See [`Fault`].
    pub faults: BTreeMap<u64, Fault>,
    /// The most requests the server accepts per period (default: no limit).
    /// See [`RateLimit`].
    pub rate_limit: Option<RateLimit>,
}

impl Default for Config {
    fn default() -> Self {
        Self { latency: DEFAULT_LATENCY, faults: BTreeMap::new(), rate_limit: None }
    }
}

/// How `GET /items/{id}` misbehaves for one id (see [`Config::with_fault`]).
///
/// A fault applies after the rate limit: a request the rate limit refuses
/// gets its `429` whatever the fault, and does not count as an attempt for
/// [`Fault::FailTimes`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Fault {
    /// Answers with this status code (for example `500` or `503`) and a
    /// one-line text body, every time, after the usual latency. A code that
    /// is not a valid HTTP status is refused by [`LocalServer::start`].
    Status(u16),
    /// Answers `503 Service Unavailable` to the first `n` requests for the
    /// id, then `200 OK` as usual: a passing failure, which a retry gets past.
    FailTimes(u32),
    /// Never answers: the handler waits until the server shuts down (then it
    /// answers `503`). A client without a timeout waits as long. Note that
    /// [`LocalServer::shutdown`] still returns promptly.
    Stall,
    /// Answers `200 OK` with `Content-Type: application/json` and a body that
    /// is not valid JSON (a cut-off object), after the usual latency.
    Malformed,
}

/// A limit on how fast requests may arrive: at most `max` per `per`, with
/// bursts of up to `max` at once.
///
/// The server checks it with the generic cell rate algorithm (GCRA): it
/// accepts a request when, counting from the requests it accepted before, a
/// bucket of capacity `max` that drains `max` requests every `per` has room
/// for one more. So a client that sends `max` requests at once and then one
/// every `per / max` is never refused; one that sends faster gets
/// `429 Too Many Requests` with a `Retry-After` header (whole seconds,
/// rounded up) and a `Retry-After-Ms` header (milliseconds, rounded up),
/// saying when the next request would be accepted. Refused requests do not
/// use up the limit.
///
/// The limit is measured where the requests arrive, on the server, so a
/// client that paces itself at exactly the server's rate can still be
/// refused now and then when the network delays one request and not the
/// next: leave some margin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    /// Requests per period, and the largest burst.
    pub max: u32,
    /// The period.
    pub per: Duration,
}

impl Config {
    /// Sets [`latency`](Self::latency), how long `GET /items/{id}` waits
    /// before it answers.
    #[must_use]
    pub fn with_latency(mut self, latency: Duration) -> Self {
        self.latency = latency;
        self
    }

    /// Makes requests for item `id` misbehave as `fault` says (replacing any
    /// fault given for `id` before).
    ///
    /// ```
    /// use local_server::{Config, Fault};
    ///
    /// let config = Config::default()
    ///     .with_fault(3, Fault::Status(500))
    ///     .with_fault(4, Fault::Malformed);
    /// assert_eq!(config.faults.len(), 2);
    /// ```
    #[must_use]
    pub fn with_fault(mut self, id: u64, fault: Fault) -> Self {
        self.faults.insert(id, fault);
        self
    }

    /// Sets a [`RateLimit`]: at most `max` requests per `per`, in bursts of
    /// up to `max`. Beyond it the server answers `429 Too Many Requests`.
    /// [`LocalServer::start`] refuses a `max` of 0 or a zero `per`.
    #[must_use]
    pub fn with_rate_limit(mut self, max: u32, per: Duration) -> Self {
        self.rate_limit = Some(RateLimit { max, per });
        self
    }

    /// Checks the settings that cannot be checked when they are set.
    fn validate(&self) -> io::Result<()> {
        let invalid =
            |message: String| io::Error::new(io::ErrorKind::InvalidInput, message);
        if let Some(RateLimit { max, per }) = self.rate_limit
            && (max == 0 || per.is_zero())
        {
            return Err(invalid(format!(
                "local-server: a rate limit of {max} per {per:?} lets nothing through; \
                 use at least 1 request per non-zero period"
            )));
        }
        for (id, fault) in &self.faults {
            if let Fault::Status(code) = fault
                && StatusCode::from_u16(*code).is_err()
            {
                return Err(invalid(format!(
                    "local-server: fault for item {id}: {code} is not an HTTP status code"
                )));
            }
        }
        Ok(())
    }
}

/// A snapshot of what the server has seen so far, from [`LocalServer::stats`].
///
/// Only requests to `/items/{id}` are counted (whatever their answer,
/// `400`s included); `/health` is not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stats {
    /// Requests that have reached the handler since the server started.
    pub requests: u64,
    /// Requests inside the handler right now (started, not yet answered or
    /// cancelled).
    pub in_flight: u64,
    /// The largest `in_flight` has ever been. A client that sends one request
    /// at a time leaves this at 1; one that sends ten at once drives it to 10.
    pub peak_in_flight: u64,
    /// Requests refused with `429 Too Many Requests` by the [`RateLimit`]
    /// (also counted in `requests`).
    pub rate_limited: u64,
}

/// The counters behind [`Stats`], shared by every request handler.
///
/// They are separate atomics, so a snapshot reads each one on its own: a
/// request that arrives mid-snapshot may show in one field and not yet in
/// another. Tests read them once the requests they care about are answered,
/// when nothing is moving any more.
#[derive(Debug, Default)]
struct Counters {
    requests: AtomicU64,
    in_flight: AtomicU64,
    peak_in_flight: AtomicU64,
    rate_limited: AtomicU64,
}

impl Counters {
    fn snapshot(&self) -> Stats {
        Stats {
            requests: self.requests.load(Ordering::SeqCst),
            in_flight: self.in_flight.load(Ordering::SeqCst),
            peak_in_flight: self.peak_in_flight.load(Ordering::SeqCst),
            rate_limited: self.rate_limited.load(Ordering::SeqCst),
        }
    }

    /// Counts a request that has entered the handler. The returned guard
    /// takes it out of `in_flight` again when dropped.
    fn enter(self: &Arc<Self>) -> InFlightGuard {
        self.requests.fetch_add(1, Ordering::SeqCst);
        let now = self.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        self.peak_in_flight.fetch_max(now, Ordering::SeqCst);
        InFlightGuard { counters: Arc::clone(self) }
    }
}

/// Decrements `in_flight` when dropped.
///
/// A guard rather than a decrement at the end of the handler, because a
/// handler does not always reach its end: when the client goes away, the
/// server drops the handler's future mid-sleep, and only a destructor still
/// runs then.
struct InFlightGuard {
    counters: Arc<Counters>,
}

impl Drop for InFlightGuard {
    fn drop(&mut self) {
        self.counters.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}

/// What every handler can see.
#[derive(Clone)]
struct AppState {
    config: Arc<Config>,
    counters: Arc<Counters>,
    /// Per-id request counts and the rate limiter's state.
    books: Arc<Mutex<Books>>,
    /// Becomes `true` when the server starts shutting down; stalled handlers
    /// wait for it.
    stopping: watch::Receiver<bool>,
}

/// The server's mutable bookkeeping, behind one lock held only briefly.
#[derive(Debug, Default)]
struct Books {
    /// Requests per item id that got past the rate limit.
    attempts: HashMap<u64, u64>,
    /// The rate limiter's "theoretical arrival time" (GCRA): the moment the
    /// bucket would be empty again. `None` before the first request.
    next_free: Option<Instant>,
}

impl Books {
    /// Decides whether a request arriving `now` is within `limit`; if it is,
    /// counts it. `Err` carries how long until one would be accepted.
    fn admit(&mut self, limit: RateLimit, now: Instant) -> Result<(), Duration> {
        limit.admit(&mut self.next_free, now)
    }
}

impl RateLimit {
    /// The server's rule (GCRA), for a request arriving `now`: `next_free` is the
    /// moment the bucket would be empty again (`None` before the first request),
    /// and moves on when the request is let in. `Err` carries how long until one
    /// would be accepted. Public so that a model of the limit can be checked
    /// against it.
    pub fn admit(
        self,
        next_free: &mut Option<Instant>,
        now: Instant,
    ) -> Result<(), Duration> {
        // Each accepted request fills the bucket by one `interval`; the
        // bucket holds `max` of them and drains in real time.
        let interval = self.per / self.max;
        let tolerance = self.per.saturating_sub(interval);
        let full_until = next_free.map_or(now, |t| t.max(now));
        let over = full_until.saturating_duration_since(now);
        if over > tolerance {
            return Err(over - tolerance);
        }
        *next_free = Some(full_until + interval);
        Ok(())
    }
}

/// A running server on `127.0.0.1`, on a port the operating system chose.
///
/// Stop it with [`shutdown`](Self::shutdown), which waits until it is really
/// gone. Dropping it also stops it, without waiting (see the [`Drop`] impl),
/// so a test that fails half-way never leaves a server behind.
pub struct LocalServer {
    addr: SocketAddr,
    counters: Arc<Counters>,
    /// Per-id request counts, for [`LocalServer::requests_for`].
    books: Arc<Mutex<Books>>,
    /// Set to `true` (or dropped) to start a graceful shutdown.
    stopping: watch::Sender<bool>,
    /// The task running the accept loop. `None` once awaited.
    serve_task: Option<JoinHandle<io::Result<()>>>,
}

impl LocalServer {
    /// Binds `127.0.0.1:0` and starts serving on the current Tokio runtime,
    /// in a spawned task.
    ///
    /// When this returns, the socket is already listening: a client may
    /// connect straight away, with no need to wait or poll `/health` first.
    ///
    /// # Errors
    ///
    /// An [`io::Error`] (of the original kind, with a message saying what the
    /// server was doing) if the socket cannot be bound; one of kind
    /// [`io::ErrorKind::InvalidInput`] if the config cannot work (a rate limit
    /// of 0 requests or per zero time, a fault status that is not an HTTP
    /// status code).
    ///
    /// # Panics
    ///
    /// If called outside a Tokio runtime.
    pub async fn start(config: Config) -> io::Result<LocalServer> {
        LocalServer::start_at(config, SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))
            .await
    }

    /// Like [`start`](Self::start), on the address given: a port of your choice,
    /// for a server you run by hand (the `serve` binary) and point a tool at. Port
    /// 0 lets the operating system choose, as `start` does.
    ///
    /// # Errors
    ///
    /// As for [`start`](Self::start); binding fails too when the port is taken.
    pub async fn start_at(
        config: Config,
        addr: SocketAddr,
    ) -> io::Result<LocalServer> {
        config.validate()?;
        let listener = TcpListener::bind(addr)
            .await
            .map_err(|e| context(e, &format!("binding {addr}")))?;
        let addr = listener
            .local_addr()
            .map_err(|e| context(e, "reading the address of the bound socket"))?;

        let counters = Arc::new(Counters::default());
        let books = Arc::new(Mutex::new(Books::default()));
        let (stopping, stopping_rx) = watch::channel(false);
        let app = router(AppState {
            config: Arc::new(config),
            counters: Arc::clone(&counters),
            books: Arc::clone(&books),
            stopping: stopping_rx.clone(),
        });

        let serve = axum::serve(listener, app)
            .with_graceful_shutdown(stop_signal(stopping_rx));
        let serve_task = tokio::spawn(serve.into_future());

        Ok(LocalServer {
            addr,
            counters,
            books,
            stopping,
            serve_task: Some(serve_task),
        })
    }

    /// The address the server listens on: `127.0.0.1` and the chosen port.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The full URL of `path` on this server, e.g. `url("/items/7")` gives
    /// `http://127.0.0.1:PORT/items/7`. A missing leading `/` is added.
    pub fn url(&self, path: &str) -> String {
        let slash = if path.starts_with('/') { "" } else { "/" };
        format!("http://{}{slash}{path}", self.addr)
    }

    /// A snapshot of the request counters (see [`Stats`]).
    pub fn stats(&self) -> Stats {
        self.counters.snapshot()
    }

    /// How many requests for `/items/{id}` got past the rate limit (whatever
    /// their answer). A test uses it to check that a client fetched an item
    /// exactly once, or retried it exactly so often.
    pub fn requests_for(&self, id: u64) -> u64 {
        let books = self.books.lock().unwrap_or_else(PoisonError::into_inner);
        books.attempts.get(&id).copied().unwrap_or(0)
    }

    /// Stops the server gracefully and waits until it has stopped.
    ///
    /// The server stops accepting connections at once (a new connection is
    /// refused once this returns), lets the requests already in its handlers
    /// finish and be answered, closes idle keep-alive connections, and then
    /// its task ends. Handlers stalled on purpose ([`Fault::Stall`]) answer
    /// `503` at once.
    ///
    /// # Panics
    ///
    /// If the server's task panicked, the panic is passed on here, so a test
    /// sees it rather than a silently dead server.
    pub async fn shutdown(mut self) {
        self.stopping.send_replace(true);
        let Some(task) = self.serve_task.take() else {
            return;
        };
        match task.await {
            Ok(Ok(())) => {}
            // `axum::serve` retries failed accepts itself and returns only
            // after the shutdown signal, so this is not expected to happen.
            Ok(Err(e)) => panic!("local-server: the serve loop failed: {e}"),
            Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
            // Cancelled: the runtime is shutting down, so the server is gone.
            Err(_) => {}
        }
    }
}

impl Drop for LocalServer {
    /// Starts the same graceful shutdown as [`shutdown`](Self::shutdown), but
    /// cannot wait for it: `drop` is not async. The server's task stops
    /// accepting the next time the runtime runs it, so a connection attempt
    /// right after the drop may still get through. Tests that need the server
    /// gone at a known point should call `shutdown().await` instead.
    fn drop(&mut self) {
        self.stopping.send_replace(true);
        // The task itself is detached, not aborted: it finishes on its own
        // once the in-flight requests are answered.
    }
}

impl fmt::Debug for LocalServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LocalServer")
            .field("addr", &self.addr)
            .field("stats", &self.stats())
            .finish_non_exhaustive()
    }
}

/// Resolves once the server should stop: when `stopping` becomes `true`, or
/// its sender is gone.
async fn stop_signal(mut stopping: watch::Receiver<bool>) {
    // An error means the sender was dropped, which also means "stop".
    let _ = stopping.wait_for(|stop| *stop).await;
}

/// Wraps an I/O error with what the server was doing, keeping its kind.
fn context(error: io::Error, doing: &str) -> io::Error {
    io::Error::new(error.kind(), format!("local-server: {doing}: {error}"))
}

fn router(state: AppState) -> Router {
    Router::new()
        .route("/items/{id}", get(get_item))
        .route("/health", get(health))
        .with_state(state)
}

async fn health() -> &'static str {
    "ok"
}

/// `GET /items/{id}`: waits, then answers with a small JSON item, unless the
/// rate limit or a fault says otherwise.
async fn get_item(
    State(state): State<AppState>,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    // Counted before anything can fail, so every request shows in `Stats`.
    let _in_flight = state.counters.enter();

    let Ok(id) = id.parse::<u64>() else {
        return bad_request(format!(
            "invalid item id {id:?}: expected a non-negative integer"
        ));
    };
    let delay = match delay_override(query.as_deref()) {
        Ok(delay) => delay.unwrap_or(state.config.latency),
        Err(message) => return bad_request(message),
    };

    // The rate limit first, as a real API gateway would, then count the
    // attempt the limit let through.
    let attempt = {
        let mut books = state.books.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(limit) = state.config.rate_limit
            && let Err(wait) = books.admit(limit, Instant::now())
        {
            drop(books);
            state.counters.rate_limited.fetch_add(1, Ordering::SeqCst);
            return too_many_requests(wait);
        }
        let attempts = books.attempts.entry(id).or_insert(0);
        *attempts += 1;
        *attempts
    };

    let fault = state.config.faults.get(&id).copied();
    if fault == Some(Fault::Stall) {
        // Waits for the shutdown, not for the latency: the client's timeout
        // is what this fault exists to test.
        stop_signal(state.stopping.clone()).await;
        return (StatusCode::SERVICE_UNAVAILABLE, "server shutting down")
            .into_response();
    }

    // Stands in for the server's own work (a database query, a disk read, a
    // call to another service). It does not block the thread: other requests
    // are served while this one waits.
    tokio::time::sleep(delay).await;

    match fault {
        Some(Fault::Status(code)) => {
            // `validate` checked the code when the server started.
            let status = StatusCode::from_u16(code)
                .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            (status, format!("item {id}: injected failure {code}")).into_response()
        }
        Some(Fault::FailTimes(n)) if attempt <= u64::from(n) => (
            StatusCode::SERVICE_UNAVAILABLE,
            format!(
                "item {id}: injected failure, attempt {attempt} of the first {n}"
            ),
        )
            .into_response(),
        Some(Fault::Malformed) => json(format!(r#"{{"id":{id},"name":"item "#)),
        _ => json(format!(r#"{{"id":{id},"name":"item {id}"}}"#)),
    }
}

fn json(body: String) -> Response {
    (StatusCode::OK, [(header::CONTENT_TYPE, "application/json")], body)
        .into_response()
}

/// `429 Too Many Requests`, saying how long until a request would be accepted.
fn too_many_requests(wait: Duration) -> Response {
    let ms = wait.as_nanos().div_ceil(1_000_000);
    let secs = wait.as_nanos().div_ceil(1_000_000_000);
    (
        StatusCode::TOO_MANY_REQUESTS,
        [
            (header::RETRY_AFTER, secs.to_string()),
            (header::HeaderName::from_static("retry-after-ms"), ms.to_string()),
        ],
        format!("rate limit exceeded: retry in {ms} ms"),
    )
        .into_response()
}

/// Reads `delay_ms=N` from a raw query string, if it is there.
///
/// Parsed by hand because it is the only parameter, which spares the crate a
/// serde dependency. Other parameters are ignored; the last `delay_ms` wins.
fn delay_override(query: Option<&str>) -> Result<Option<Duration>, String> {
    let mut delay = None;
    for pair in query.unwrap_or("").split('&') {
        if let Some(value) = pair.strip_prefix("delay_ms=") {
            let ms = value.parse::<u64>().map_err(|_| {
                format!(
                    "invalid delay_ms {value:?}: expected a non-negative integer"
                )
            })?;
            delay = Some(Duration::from_millis(ms));
        }
    }
    Ok(delay)
}

fn bad_request(message: String) -> Response {
    (StatusCode::BAD_REQUEST, message).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delay_override_parses_only_delay_ms() {
        assert_eq!(delay_override(None), Ok(None));
        assert_eq!(delay_override(Some("")), Ok(None));
        assert_eq!(delay_override(Some("x=1")), Ok(None));
        assert_eq!(
            delay_override(Some("x=1&delay_ms=250")),
            Ok(Some(Duration::from_millis(250)))
        );
        assert!(delay_override(Some("delay_ms=soon")).is_err());
        assert!(delay_override(Some("delay_ms=-1")).is_err());
    }

    /// The limiter's exact schedule, on instants made up by the test: a burst
    /// of `max`, then one every `per / max`, and a refusal says how long to
    /// wait.
    #[test]
    fn rate_limit_admits_a_burst_then_one_per_interval() {
        let limit = RateLimit { max: 4, per: Duration::from_secs(2) };
        let t0 = Instant::now();
        let at = |ms: u64| t0 + Duration::from_millis(ms);
        let mut books = Books::default();

        for _ in 0..4 {
            assert_eq!(books.admit(limit, at(0)), Ok(()));
        }
        assert_eq!(books.admit(limit, at(0)), Err(Duration::from_millis(500)));
        assert_eq!(books.admit(limit, at(499)), Err(Duration::from_millis(1)));
        assert_eq!(books.admit(limit, at(500)), Ok(()));
        assert_eq!(books.admit(limit, at(500)), Err(Duration::from_millis(500)));
        // After a quiet spell the whole burst is available again, no more.
        for _ in 0..4 {
            assert_eq!(books.admit(limit, at(10_000)), Ok(()));
        }
        assert!(books.admit(limit, at(10_000)).is_err());
    }

    #[test]
    fn url_adds_a_missing_slash() {
        let server = LocalServer {
            addr: SocketAddr::from((Ipv4Addr::LOCALHOST, 8080)),
            counters: Arc::default(),
            books: Arc::default(),
            stopping: watch::channel(false).0,
            serve_task: None,
        };
        assert_eq!(server.url("/health"), "http://127.0.0.1:8080/health");
        assert_eq!(server.url("health"), "http://127.0.0.1:8080/health");
    }

    /// A handler that is dropped mid-sleep, as when the client disconnects,
    /// still leaves `in_flight`. The handler is called directly, no sockets,
    /// and dropped after 10 ms of its 60 s wait.
    #[tokio::test]
    async fn cancelled_handler_still_leaves_in_flight() {
        let state = AppState {
            config: Arc::new(
                Config::default().with_latency(Duration::from_secs(60)),
            ),
            counters: Arc::default(),
            books: Arc::default(),
            stopping: watch::channel(false).1,
        };
        let counters = Arc::clone(&state.counters);
        let handler = get_item(State(state), Path("7".to_owned()), RawQuery(None));

        let result = tokio::time::timeout(Duration::from_millis(10), handler).await;

        assert!(result.is_err(), "the handler should still be sleeping");
        assert_eq!(
            counters.snapshot(),
            Stats { requests: 1, in_flight: 0, peak_in_flight: 1, rate_limited: 0 }
        );
    }
}
