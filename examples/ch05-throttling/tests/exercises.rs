//! The exercises' tests, one module per exercise: the token bucket schedules operations
//! exactly like the leaky bucket it is equivalent to, and producers sharing one bucket keep
//! its rate together. They test the book's solutions; with `--features my-solutions` they
//! test the reader's starter files instead:
//!
//! ```console
//! $ cargo test -p ch05-throttling --features my-solutions --test exercises ex1
//! ```
//!
//! Each test starts with `quiet()`: a failure is one line that says what is not done yet, or
//! "your answer" beside "expected" and the input that gave them.
use std::time::Duration;

/// The first window `[from, to]` holding more starts than `max_rate + max_rate × w
/// / period`.
fn too_many(
    starts: &[Duration],
    max_rate: u32,
    period: Duration,
) -> Option<(Duration, Duration)> {
    let (rate, period) = (u128::from(max_rate), period.as_nanos());
    let mut sorted = starts.to_vec();
    sorted.sort();
    for (i, &from) in sorted.iter().enumerate() {
        for (j, &to) in sorted.iter().enumerate().skip(i) {
            let count = (j - i + 1) as u128;
            if count * period > rate * period + rate * (to - from).as_nanos() {
                return Some((from, to));
            }
        }
    }
    None
}

/// Exercise 1: a token bucket.
mod ex1 {
    use std::time::Duration;

    use ch05_throttling::listings::ex1_token_bucket::{TokenBucket, demo};
    use futures::future::join_all;
    use listing_check::answer;
    use listing_check::exercise::{config, quiet};
    use proptest::prelude::*;
    use throttle::LeakyBucket;
    use timeline::on_paused_clock;
    use tokio::time::{Instant, sleep_until};

    #[test]
    fn token_bucket_demo() {
        quiet();
        let bucket = TokenBucket::new(3, Duration::from_secs(1));
        let got = on_paused_clock(demo(&bucket));
        let want: Vec<Duration> =
            [0, 0, 0, 1, 2, 3, 4, 5, 10, 10, 10].map(Duration::from_secs).to_vec();
        answer!(
            got,
            want,
            "start times of 8 jobs arriving at 0 s and 3 at 10 s, TokenBucket::new(3, 1 s)"
        );
    }

    /// A token bucket of `burst` tokens, one more every `refill`, is the leaky
    /// bucket of `burst` per `burst × refill`: the same arrivals start at the same
    /// times.
    #[test]
    fn token_bucket_is_a_leaky_bucket() {
        quiet();
        let arrival_lists = prop::collection::vec(0u64..20_000, 1..60);
        proptest!(config(128), |(burst in 1u32..10, refill_ms in 1u64..2000, arrivals_ms in arrival_lists)| {
            let refill = Duration::from_millis(refill_ms);
            let arrivals: Vec<Duration> = arrivals_ms.iter().map(|&ms| Duration::from_millis(ms)).collect();
            let tokens = TokenBucket::new(burst, refill);
            let leaky = LeakyBucket::new(burst, refill * burst);
            let (yours, expected) = on_paused_clock(async {
                let t0 = Instant::now();
                let (tokens, leaky) = (&tokens, &leaky);
                let with_tokens = arrivals.iter().map(|&at| async move {
                    sleep_until(t0 + at).await;
                    tokens.acquire().await;
                    t0.elapsed()
                });
                let with_leaky = arrivals.iter().map(|&at| async move {
                    sleep_until(t0 + at).await;
                    leaky.acquire().await;
                    t0.elapsed()
                });
                futures::join!(join_all(with_tokens), join_all(with_leaky))
            });
            prop_assert!(
                yours == expected,
                "your answer: {yours:?}, expected: {expected:?}, for the start times of arrivals at {arrivals_ms:?} ms with TokenBucket::new({burst}, {refill_ms} ms) (as LeakyBucket::new({burst}, {burst} × {refill_ms} ms))"
            );
        });
    }
}

/// Exercise 2: one limiter, many tasks.
mod ex2 {
    use std::sync::Arc;
    use std::time::Duration;

    use ch05_throttling::listings::ex2_shared_limiter::share;
    use listing_check::answer;
    use listing_check::exercise::{config, quiet};
    use proptest::prelude::*;
    use throttle::LeakyBucket;
    use timeline::on_paused_clock;
    use tokio::runtime::Handle;
    use tokio::time::sleep;

    use super::too_many;

    #[test]
    fn shared_bucket_demo() {
        quiet();
        let bucket = Arc::new(LeakyBucket::new(4, Duration::from_secs(2)));
        let got = on_paused_clock(share(bucket, 3, 4));
        let times: Vec<u128> = got.iter().map(|&(_, t)| t.as_millis()).collect();
        answer!(
            times,
            [0, 0, 0, 0, 500, 1000, 1500, 2000, 2500, 3000, 3500, 4000],
            "start times in ms of share(one bucket of 4 per 2 s, 3 producers, 4 operations each)"
        );
    }

    /// The exercise's rule: one spawned task per producer, each with an `Arc` of
    /// the same bucket. With one start a second, 2.5 s in every producer still has
    /// work to do: its task is alive and holds its clone of the bucket.
    #[tokio::test(start_paused = true)]
    async fn exercise_2_spawns_one_task_per_producer_sharing_the_bucket() {
        quiet();
        let bucket = Arc::new(LeakyBucket::new(1, Duration::from_secs(1)));
        let (_, (alive, clones)) =
            tokio::join!(share(Arc::clone(&bucket), 3, 4), async {
                sleep(Duration::from_millis(2500)).await;
                let alive = Handle::current().metrics().num_alive_tasks();
                (alive, Arc::strong_count(&bucket) - 1)
            });
        answer!(
            alive,
            3,
            "tasks alive 2.5 s into share(one bucket of 1 per s, 3 producers, 4 operations each): \
             spawn one task per producer"
        );
        assert!(
            clones >= 3,
            "your share must give each of its 3 producer tasks an Arc clone of the one bucket: \
             2.5 s into share(one bucket of 1 per s, 3 producers, 4 operations each), \
             {clones} Arc(s) of the bucket were held besides the test's own"
        );
    }

    /// The mistake the exercise warns about: a bucket per producer. The window
    /// check catches it.
    #[test]
    fn a_bucket_per_producer_breaks_the_rate() {
        quiet();
        let starts = on_paused_clock(async {
            let mut all = Vec::new();
            for _ in 0..3 {
                let own = Arc::new(LeakyBucket::new(4, Duration::from_secs(2)));
                all.extend(share(own, 1, 4).await.into_iter().map(|(_, t)| t));
            }
            all
        });
        assert!(
            too_many(&starts, 4, Duration::from_secs(2)).is_some(),
            "three calls of your share(its own bucket of 4 per 2 s, 1 producer, 4 operations) \
             must together start more than one bucket allows; they started at {starts:?}"
        );
    }

    /// Any number of producers sharing one bucket keep its guarantee in total, and
    /// each producer's operations all run.
    #[test]
    fn shared_bucket_keeps_the_rate() {
        quiet();
        proptest!(config(128), |(producers in 1usize..5, each in 1usize..12, max_rate in 1u32..8, period_s in 1u64..5)| {
            let period = Duration::from_secs(period_s);
            let bucket = Arc::new(LeakyBucket::new(max_rate, period));
            let got = on_paused_clock(share(bucket, producers, each));
            let call = format!(
                "share(one bucket of {max_rate} per {period_s} s, {producers} producers, {each} operations each)"
            );
            let (yours, expected) = (got.len(), producers * each);
            prop_assert!(
                yours == expected,
                "your answer: {yours}, expected: {expected}, for the operations started by {call}"
            );
            for p in 0..producers {
                let yours = got.iter().filter(|&&(q, _)| q == p).count();
                prop_assert!(
                    yours == each,
                    "your answer: {yours}, expected: {each}, for the operations of producer {p} in {call}"
                );
            }
            let starts: Vec<Duration> = got.iter().map(|&(_, t)| t).collect();
            let yours = too_many(&starts, max_rate, period);
            prop_assert!(
                yours.is_none(),
                "your answer: {yours:?}, expected: None, for the first window (from, to) with more starts than the bucket allows, in {call}"
            );
        });
    }
}
