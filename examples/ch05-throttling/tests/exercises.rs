//! The exercises' tests, one module per exercise: the token bucket schedules operations
//! exactly like the leaky bucket it is equivalent to, and producers sharing one bucket keep
//! its rate together. They test the book's solutions; with `--features my-solutions` they
//! test the reader's starter files instead:
//!
//! ```console
//! $ cargo test -p ch05-throttling --features my-solutions --test exercises ex1
//! ```
use std::time::Duration;

/// The first window `[from, to]` holding more starts than `max_rate + max_rate × w / period`.
fn too_many(starts: &[Duration], max_rate: u32, period: Duration) -> Option<(Duration, Duration)> {
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
    use proptest::prelude::*;
    use throttle::LeakyBucket;
    use timeline::on_paused_clock;
    use tokio::time::{Instant, sleep_until};

    #[test]
    fn token_bucket_demo() {
        let bucket = TokenBucket::new(3, Duration::from_secs(1));
        let got = on_paused_clock(demo(&bucket));
        let want: Vec<Duration> = [0, 0, 0, 1, 2, 3, 4, 5, 10, 10, 10]
            .map(Duration::from_secs)
            .to_vec();
        assert_eq!(got, want);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]

        /// A token bucket of `burst` tokens, one more every `refill`, is the leaky bucket of
        /// `burst` per `burst × refill`: the same arrivals start at the same times.
        #[test]
        fn token_bucket_is_a_leaky_bucket(
            burst in 1u32..10,
            refill_ms in 1u64..2000,
            arrivals_ms in prop::collection::vec(0u64..20_000, 1..60),
        ) {
            let refill = Duration::from_millis(refill_ms);
            let arrivals: Vec<Duration> = arrivals_ms.iter().map(|&ms| Duration::from_millis(ms)).collect();
            let tokens = TokenBucket::new(burst, refill);
            let leaky = LeakyBucket::new(burst, refill * burst);
            let (a, b) = on_paused_clock(async {
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
            prop_assert_eq!(a, b);
        }
    }
}

/// Exercise 2: one limiter, many tasks.
mod ex2 {
    use std::sync::Arc;
    use std::time::Duration;

    use ch05_throttling::listings::ex2_shared_limiter::share;
    use proptest::prelude::*;
    use throttle::LeakyBucket;
    use timeline::on_paused_clock;

    use super::too_many;

    #[test]
    fn shared_bucket_demo() {
        let bucket = Arc::new(LeakyBucket::new(4, Duration::from_secs(2)));
        let got = on_paused_clock(share(bucket, 3, 4));
        let times: Vec<u128> = got.iter().map(|&(_, t)| t.as_millis()).collect();
        assert_eq!(
            times,
            [0, 0, 0, 0, 500, 1000, 1500, 2000, 2500, 3000, 3500, 4000]
        );
    }

    /// The mistake the exercise warns about: a bucket per producer. The window check catches it.
    #[test]
    fn a_bucket_per_producer_breaks_the_rate() {
        let starts = on_paused_clock(async {
            let mut all = Vec::new();
            for _ in 0..3 {
                let own = Arc::new(LeakyBucket::new(4, Duration::from_secs(2)));
                all.extend(share(own, 1, 4).await.into_iter().map(|(_, t)| t));
            }
            all
        });
        assert!(too_many(&starts, 4, Duration::from_secs(2)).is_some());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]

        /// Any number of producers sharing one bucket keep its guarantee in total, and each
        /// producer's operations all run.
        #[test]
        fn shared_bucket_keeps_the_rate(
            producers in 1usize..5,
            each in 1usize..12,
            max_rate in 1u32..8,
            period_s in 1u64..5,
        ) {
            let period = Duration::from_secs(period_s);
            let bucket = Arc::new(LeakyBucket::new(max_rate, period));
            let got = on_paused_clock(share(bucket, producers, each));
            prop_assert_eq!(got.len(), producers * each);
            for p in 0..producers {
                prop_assert_eq!(got.iter().filter(|&&(q, _)| q == p).count(), each);
            }
            let starts: Vec<Duration> = got.iter().map(|&(_, t)| t).collect();
            prop_assert_eq!(too_many(&starts, max_rate, period), None);
        }
    }
}
