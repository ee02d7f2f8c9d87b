//! While the loop over a `buffer_unordered` stream does slow work, the requests
//! waiting in its buffer are not polled and time out, although each needs only
//! 50 ms of a 100 ms timeout. Run in a task of their own, feeding a channel, the
//! requests go on three at a time while the loop works, and none times out. Exact,
//! on tokio's paused clock.
use std::time::Duration;

use ch05_throttling::listings::buffer_unordered_trap::{
    LIMIT, REQUESTS, ROOM, Replies, SERVER_TIME, SLOW_WORK, TIMEOUT, in_a_task,
    in_the_stream, last_answer_since, request,
};
use futures::stream::{self, StreamExt};
use proptest::prelude::*;
use timeline::on_paused_clock;
use tokio::sync::mpsc;
use tokio::time::{Instant, sleep, timeout};

fn ms(millis: u64) -> Duration {
    Duration::from_millis(millis)
}

fn timed_out(replies: &Replies) -> usize {
    replies.iter().filter(|reply| reply.is_err()).count()
}

fn answered(replies: &Replies) -> Vec<usize> {
    replies.iter().filter_map(|r| r.as_ref().ok().copied()).collect()
}

/// What a run saw: the replies, when the last request got its answer, and when
/// the loop ended, both since the start.
struct Run {
    replies: Replies,
    last_answer: Option<Duration>,
    done: Duration,
}

async fn run(loop_: impl Future<Output = Replies>) -> Run {
    let t0 = Instant::now();
    let _ = last_answer_since(t0); // forget an earlier run on this thread
    let replies = loop_.await;
    Run { replies, last_answer: last_answer_since(t0), done: t0.elapsed() }
}

/// Alone, a request answers well within its timeout.
#[tokio::test(start_paused = true)]
async fn one_request_needs_only_the_server_time() {
    assert!(SERVER_TIME < TIMEOUT);
    let t0 = Instant::now();
    assert_eq!(request(7).await.ok(), Some(7));
    assert_eq!(t0.elapsed(), SERVER_TIME);
}

/// In the stream: the first three answer, the seven made later time out. The
/// second and third get their answer only when the loop takes them, at 250 and
/// 450 ms.
#[tokio::test(start_paused = true)]
async fn in_the_stream_seven_of_ten_time_out() {
    let run = run(in_the_stream(REQUESTS)).await;
    assert_eq!(run.replies.len(), REQUESTS);
    assert_eq!(timed_out(&run.replies), 7);
    assert_eq!(answered(&run.replies), vec![0, 1, 2]);
    assert_eq!(run.last_answer, Some(ms(450)));
    assert_eq!(run.done, ms(2050));
}

/// In a task: all ten answer, in the order they were made, and the last at
/// 200 ms (three rounds of three and a last one, 50 ms each), while the loop works until 2050 ms
/// (10 × 200 ms after the first reply at 50 ms).
#[tokio::test(start_paused = true)]
async fn in_a_task_requests_go_on_while_the_loop_works() {
    let run = run(in_a_task(REQUESTS, ROOM)).await;
    assert_eq!(timed_out(&run.replies), 0);
    assert_eq!(answered(&run.replies), (0..REQUESTS).collect::<Vec<_>>());
    assert_eq!(run.last_answer, Some(ms(200)));
    assert_eq!(run.done, ms(2050));
}

/// The fix that is not one: each request spawned inside the stream's `map`. The
/// map is lazy, so a request is spawned only when the loop asks for the next
/// reply. None times out, but the requests go one by one at the loop's pace.
async fn spawned_inside_map(requests: usize) -> Replies {
    let mut replies = stream::iter(0..requests)
        .map(|id| tokio::spawn(request(id)))
        .buffer_unordered(LIMIT);
    let mut seen = Vec::new();
    while let Some(reply) = replies.next().await {
        seen.push(reply.expect("a request panicked"));
        sleep(SLOW_WORK).await;
    }
    seen
}

#[tokio::test(start_paused = true)]
async fn spawning_inside_map_still_waits_for_the_loop() {
    let run = run(spawned_inside_map(REQUESTS)).await;
    assert_eq!(timed_out(&run.replies), 0);
    // The last request is spawned when the loop asks for its eighth reply, at
    // 50 + 7 × 200 ms, and answers 50 ms later: not at 200 ms, as in a task.
    assert_eq!(run.last_answer, Some(ms(1500)));
    assert_eq!(run.done, ms(2050));
}

/// Also not enough: the task sends each reply after it comes. When the channel is
/// full the send waits, the task stops polling its buffer, and the trap is back.
async fn send_after_the_reply(requests: usize, room: usize) -> Replies {
    let (tx, mut rx) = mpsc::channel(room);
    tokio::spawn(async move {
        let mut replies =
            stream::iter(0..requests).map(request).buffer_unordered(LIMIT);
        while let Some(reply) = replies.next().await {
            if tx.send(reply).await.is_err() {
                return;
            }
        }
    });
    let mut seen = Vec::new();
    while let Some(reply) = rx.recv().await {
        seen.push(reply);
        sleep(SLOW_WORK).await;
    }
    seen
}

#[tokio::test(start_paused = true)]
async fn sending_after_the_reply_times_out_when_the_channel_is_full() {
    let run = run(send_after_the_reply(REQUESTS, 2)).await;
    assert_eq!(answered(&run.replies), (0..6).collect::<Vec<_>>());
    assert_eq!(timed_out(&run.replies), 4);
    // The same room, the reply's place taken before the request: none times out.
    let run = run_in_a_task(REQUESTS, 2).await;
    assert_eq!(timed_out(&run.replies), 0);
}

async fn run_in_a_task(requests: usize, room: usize) -> Run {
    run(in_a_task(requests, room)).await
}

/// If the loop stops early (here a timeout cancels it at 120 ms), `rx` is dropped
/// and every `reserve` fails: the task makes no new request and ends when those in
/// flight end. Requests 6 to 8, made at 100 ms, answer at 150 ms; request 9 is
/// never made.
#[tokio::test(start_paused = true)]
async fn a_loop_that_stops_early_stops_the_requests() {
    let t0 = Instant::now();
    let _ = last_answer_since(t0);
    assert!(timeout(ms(120), in_a_task(REQUESTS, ROOM)).await.is_err());
    sleep(ms(1000)).await;
    assert_eq!(last_answer_since(t0), Some(ms(150)));
    let alive = tokio::runtime::Handle::current().metrics().num_alive_tasks();
    assert_eq!(alive, 0);
}

proptest! {
    /// For any number of requests and any room in the channel: no request times
    /// out, every one answers once, and the loop ends when it would with no wait
    /// at all: its first reply at 50 ms, then 200 ms of work on each.
    #[test]
    fn in_a_task_no_request_times_out(requests in 0usize..40, room in 1usize..12) {
        let run = on_paused_clock(run_in_a_task(requests, room));
        prop_assert_eq!(timed_out(&run.replies), 0);
        let mut ids = answered(&run.replies);
        ids.sort_unstable();
        prop_assert_eq!(ids, (0..requests).collect::<Vec<_>>());
        let expected = if requests == 0 {
            Duration::ZERO
        } else {
            SERVER_TIME + SLOW_WORK * requests as u32
        };
        prop_assert_eq!(run.done, expected);
    }
}
