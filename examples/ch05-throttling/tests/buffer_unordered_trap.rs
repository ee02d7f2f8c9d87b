//! While the loop over a `buffer_unordered` stream does slow work, the requests
//! waiting in its buffer are not polled and time out, although each needs only
//! 50 ms of a 100 ms timeout; spawned, none times out. Exact, on tokio's paused
//! clock.
use std::time::Duration;

use ch05_throttling::listings::buffer_unordered_trap::{
    REQUESTS, Replies, SERVER_TIME, TIMEOUT, in_the_stream, request, spawned,
};
use tokio::time::Instant;

fn timed_out(replies: &Replies) -> usize {
    replies.iter().filter(|reply| reply.is_err()).count()
}

/// Alone, a request answers well within its timeout.
#[tokio::test(start_paused = true)]
async fn one_request_needs_only_the_server_time() {
    assert!(SERVER_TIME < TIMEOUT);
    let t0 = Instant::now();
    assert_eq!(request(7).await.ok(), Some(7));
    assert_eq!(t0.elapsed(), SERVER_TIME);
}

/// In the stream: the first three answer, the seven made later time out.
#[tokio::test(start_paused = true)]
async fn in_the_stream_seven_of_ten_time_out() {
    let replies = in_the_stream(REQUESTS).await;
    assert_eq!(replies.len(), REQUESTS);
    assert_eq!(timed_out(&replies), 7);
    let answered: Vec<usize> =
        replies.iter().filter_map(|r| r.as_ref().ok().copied()).collect();
    assert_eq!(answered, vec![0, 1, 2]);
}

/// Spawned: all ten answer, in the order they were made; the loop's slow work
/// still sets the pace (10 × 200 ms after the first reply at 50 ms).
#[tokio::test(start_paused = true)]
async fn spawned_none_times_out() {
    let t0 = Instant::now();
    let replies = spawned(REQUESTS).await;
    assert_eq!(timed_out(&replies), 0);
    let answered: Vec<usize> =
        replies.iter().filter_map(|r| r.as_ref().ok().copied()).collect();
    assert_eq!(answered, (0..REQUESTS).collect::<Vec<_>>());
    assert_eq!(t0.elapsed(), Duration::from_millis(2050));
}
