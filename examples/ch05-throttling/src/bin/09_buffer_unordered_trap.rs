//! The `buffer_unordered` trap: while the loop over the stream does slow work, the
//! requests waiting in the buffer are not polled, and their timeouts run out. The
//! fix: the requests run in a task of their own and send replies into a channel.
use std::cell::Cell;
use std::time::Duration;

use futures::stream::{self, StreamExt, TryStreamExt};
use tokio::sync::mpsc;
use tokio::time::error::Elapsed;
use tokio::time::{Instant, Timeout, sleep, timeout};

/// How many requests, how many at a time, how long the server takes over each,
/// when the client gives up on one, and how long the loop works on each reply.
pub const REQUESTS: usize = 10;
pub const LIMIT: usize = 3;
pub const SERVER_TIME: Duration = Duration::from_millis(50);
pub const TIMEOUT: Duration = Duration::from_millis(100);
pub const SLOW_WORK: Duration = Duration::from_millis(200);
/// How far the requests may run ahead of the loop: replies in the channel plus
/// requests in flight.
pub const ROOM: usize = 10;

thread_local! {
    /// When a request last got its answer. The listing and its tests run on a
    /// `current_thread` runtime, so every request runs on the thread that reads it.
    static LAST_ANSWER: Cell<Option<Instant>> = const { Cell::new(None) };
}

/// When a request last got its answer, since `t0`; and forget it, for the next run.
pub fn last_answer_since(t0: Instant) -> Option<Duration> {
    LAST_ANSWER.take().map(|at| at - t0)
}

// ANCHOR: request
/// One request: 50 ms of server time, given up after 100 ms. The timer starts
/// when the request is made; the request itself, like any future, does nothing
/// until it is polled.
pub fn request(id: usize) -> Timeout<impl Future<Output = usize>> {
    timeout(TIMEOUT, async move {
        sleep(SERVER_TIME).await; // stands in for the round trip to the server
        // ANCHOR_END: request
        LAST_ANSWER.set(Some(Instant::now()));
        // ANCHOR: request
        id
    })
}
// ANCHOR_END: request

/// What a run of the loop saw: each request's result, in the order they came.
pub type Replies = Vec<Result<usize, Elapsed>>;

// ANCHOR: trap
/// The requests, three at a time, and slow work on each reply between `next()`
/// calls. While the loop works, nothing polls the requests in the buffer.
pub async fn in_the_stream(requests: usize) -> Replies {
    let mut replies =
        stream::iter(0..requests).map(request).buffer_unordered(LIMIT);
    let mut seen = Vec::new();
    while let Some(reply) = replies.next().await {
        seen.push(reply);
        sleep(SLOW_WORK).await; // writing the reply somewhere slow
    }
    seen
}
// ANCHOR_END: trap

// ANCHOR: in_a_task
/// The requests run in a task of their own, three at a time, and each sends its
/// reply into a channel. The slow loop reads the channel.
pub async fn in_a_task(requests: usize, room: usize) -> Replies {
    let (tx, mut rx) = mpsc::channel(room);
    let ids = stream::iter(0..requests).map(Ok::<_, mpsc::error::SendError<()>>);
    let task = tokio::spawn(ids.try_for_each_concurrent(LIMIT, move |id| {
        let tx = tx.clone();
        async move {
            // Room for the reply first, then the request: once made, a
            // request never waits for the loop. An error means the loop is
            // gone, and stops the task: no new request is made.
            let permit = tx.reserve().await?;
            permit.send(request(id).await);
            Ok(())
        }
    }));
    let mut seen = Vec::new();
    while let Some(reply) = rx.recv().await {
        seen.push(reply);
        sleep(SLOW_WORK).await; // writing the reply somewhere slow
    }
    // Joined, so that a panic in a request is not mistaken for the end of the
    // work (it would drop the senders, and `recv` would return `None` early too).
    task.await.expect("a request panicked").expect("the loop read to the end");
    seen
}
// ANCHOR_END: in_a_task

// ANCHOR: main
// The clock is paused (start_paused), so the times printed are the same on every
// run.
#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    // ANCHOR_END: main
    if std::env::args().len() > 1 {
        eprintln!("usage: 09_buffer_unordered_trap (it takes no arguments)");
        std::process::exit(2);
    }
    // ANCHOR: main
    println!(
        "{REQUESTS} requests, {LIMIT} at a time: {} ms of server time, timeout {} ms",
        SERVER_TIME.as_millis(),
        TIMEOUT.as_millis()
    );
    println!(
        "{} ms of work on each reply; x is a request that timed out",
        SLOW_WORK.as_millis()
    );
    println!(
        "{:<15}{:<10}{:<11}{:<13}{:<11}replies",
        "requests", "answered", "timed out", "last answer", "loop done"
    );
    let t0 = Instant::now();
    show("in the stream", &in_the_stream(REQUESTS).await, t0);
    let t0 = Instant::now();
    show("in a task", &in_a_task(REQUESTS, ROOM).await, t0);
}
// ANCHOR_END: main

/// One row: how many requests answered and how many timed out, when the last
/// answer came and when the loop ended, and the replies in the order the loop
/// took them (x for a timeout).
fn show(name: &str, replies: &Replies, t0: Instant) {
    let ok = replies.iter().filter(|reply| reply.is_ok()).count();
    let replies: Vec<String> = replies
        .iter()
        .map(|reply| reply.as_ref().map_or("x".to_string(), |id| id.to_string()))
        .collect();
    let last = last_answer_since(t0)
        .map_or("none".to_string(), |at| format!("{} ms", at.as_millis()));
    let done = format!("{} ms", t0.elapsed().as_millis());
    let timed_out = replies.len() - ok;
    println!(
        "{name:<15}{ok:<10}{timed_out:<11}{last:<13}{done:<11}{}",
        replies.join(" ")
    );
}
