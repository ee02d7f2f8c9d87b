//! A model of what a rate limit does to a burst, on tokio's paused clock: 100
//! requests sent at once to a server that allows 50 a second, then the same 100
//! sent at the server's pace. No network: the "server" is a function.
use std::sync::Mutex;
use std::time::Duration;

use futures::future::join_all;
use tokio::time::{Instant, sleep};

// ANCHOR: limit
/// A server's limit: `max` requests per `per` in the long run, in bursts of up to
/// `max`. Picture a bucket that holds `max` requests and drains one every
/// `per / max`: a request that fits goes in, one that does not is refused (a 429).
pub struct Limit {
    /// How long the bucket takes to drain one request.
    every: Duration,
    /// How full the bucket may be, in drain time, for one more to fit.
    room: Duration,
    /// When the bucket will be empty, counting every request it let in.
    empty_at: Instant,
}

impl Limit {
    pub fn new(max: u32, per: Duration) -> Self {
        let every = per / max;
        Limit { every, room: per - every, empty_at: Instant::now() }
    }

    /// Lets one request in (`true`) or refuses it (`false`).
    pub fn admit(&mut self) -> bool {
        let now = Instant::now();
        let empty_at = self.empty_at.max(now);
        if empty_at - now > self.room {
            return false;
        }
        self.empty_at = empty_at + self.every;
        true
    }
}
// ANCHOR_END: limit

// ANCHOR: send
/// Sends `count` requests, request `i` at `i * gap` after the start, all of
/// them awaited together; returns how many the limit let in and the time taken.
pub async fn send(
    count: u32,
    gap: Duration,
    limit: &Mutex<Limit>,
) -> (usize, Duration) {
    let start = Instant::now();
    let requests = (0..count).map(|i| async move {
        sleep(gap * i).await;
        limit.lock().expect("no request panics holding it").admit()
    });
    let answers = join_all(requests).await;
    (answers.into_iter().filter(|&ok| ok).count(), start.elapsed())
}
// ANCHOR_END: send

// ANCHOR: main
#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    // ANCHOR_END: main
    if std::env::args().len() > 1 {
        eprintln!("usage: 01_burst_model (it takes no arguments)");
        std::process::exit(2);
    }
    // ANCHOR: main
    let (max, per) = (50, Duration::from_secs(1));
    let pace = per / max; // the server's pace: 20 ms

    // Chapter 4's way: all 100 at once, to a fresh server.
    let limit = Mutex::new(Limit::new(max, per));
    let (ok, took) = send(100, Duration::ZERO, &limit).await;
    let ms = took.as_millis();
    println!(
        "all at once:     {ok:3} let in, {:2} refused, done at {ms} ms",
        100 - ok
    );

    // One every 20 ms, to another fresh server.
    let limit = Mutex::new(Limit::new(max, per));
    let (ok, took) = send(100, pace, &limit).await;
    let ms = took.as_millis();
    println!(
        "one every 20 ms: {ok:3} let in, {:2} refused, done at {ms} ms",
        100 - ok
    );
}
// ANCHOR_END: main
