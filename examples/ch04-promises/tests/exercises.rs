//! The exercises' tests, one module per exercise. They test the book's solutions; with
//! `--features my-solutions` they test the reader's starter files instead:
//!
//! ```console
//! $ cargo test -p ch04-promises --features my-solutions --test exercises ex1
//! ```
//!
//! Async timing runs on tokio's paused clock: a 100 ms sleep takes exactly 100 ms of virtual
//! time, and the tests take no real time at all. The laziness tests let virtual time pass
//! between building a promise and awaiting it, so a step that ran on its own would have had
//! the chance.

mod common;
use common::*;

/// Exercise 1: zip.
mod ex1 {
    use std::time::Duration;

    use ch04_promises::listings::ex1_zip::Zip;
    use proptest::prelude::*;
    use timeline::on_paused_clock;

    use super::{Effects, MS, after, give_it_a_chance, timed};

    #[tokio::test(start_paused = true)]
    async fn zip_of_100_and_300_ms_takes_300_ms() {
        let (pair, took) = timed(after(100, "fast").zip(after(300, "slow"))).await;
        assert_eq!(pair, ("fast", "slow"));
        assert_eq!(took, 300 * MS);
    }

    #[tokio::test(start_paused = true)]
    async fn the_tempting_zip_with_then_takes_the_sum() {
        // The answer the exercise warns about: right pair, but `other` starts after `self`.
        let (first, second) = (after(100, "fast"), after(300, "slow"));
        let (pair, took) = timed(first.then(|a| second.map(move |b| (a, b)))).await;
        assert_eq!(pair, ("fast", "slow"));
        assert_eq!(took, 400 * MS);
    }

    proptest! {
        /// Zip takes the longer of the two times, never their sum, and keeps the order.
        #[test]
        fn zip_takes_the_longer_time(a in 0u64..1000, b in 0u64..1000, x in any::<i32>(), y in any::<bool>()) {
            let got = on_paused_clock(timed(after(a, x).zip(after(b, y))));
            prop_assert_eq!(got, ((x, y), Duration::from_millis(a.max(b))));
        }
    }

    #[tokio::test(start_paused = true)]
    async fn zip_runs_nothing_until_awaited() {
        let effects = Effects::default();
        let promised = effects.promise('a').zip(effects.promise(1));
        give_it_a_chance().await;
        assert_eq!(effects.get(), 0);
        assert_eq!(promised.await, ('a', 1));
        assert_eq!(effects.get(), 2);
    }
}

/// Exercise 2: retry.
mod ex2 {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU32, Ordering};

    use ch04_promises::Promise;
    use ch04_promises::listings::ex2_retry::retry;
    use proptest::prelude::*;
    use timeline::on_paused_clock;

    use super::{Effects, MS, after, give_it_a_chance, timed};

    /// A service whose first `failures` tries fail; each try takes 100 ms.
    fn flaky(tries: &Arc<AtomicU32>, failures: u32) -> Promise<Result<u32, u32>> {
        let tries = Arc::clone(tries);
        after(100, ()).map(move |()| {
            let attempt = tries.fetch_add(1, Ordering::SeqCst) + 1;
            if attempt <= failures {
                Err(attempt)
            } else {
                Ok(attempt)
            }
        })
    }

    #[tokio::test(start_paused = true)]
    async fn retry_of_a_service_that_fails_twice() {
        for (attempts, expected, at) in [(3, Ok(3), 300 * MS), (2, Err(2), 200 * MS)] {
            let tries = Arc::new(AtomicU32::new(0));
            let counter = Arc::clone(&tries);
            let got = timed(retry(attempts, move || flaky(&counter, 2))).await;
            assert_eq!(got, (expected, at), "{attempts} attempts");
        }
    }

    proptest! {
        /// With `failures` failing tries and `attempts` allowed: success iff failures < attempts,
        /// exactly min(failures + 1, attempts) tries (at least one), 100 ms each.
        #[test]
        fn retry_tries_until_success_or_out_of_attempts(failures in 0u32..8, attempts in 0u32..8) {
            let tries = Arc::new(AtomicU32::new(0));
            let counter = Arc::clone(&tries);
            let (result, took) = on_paused_clock(timed(retry(attempts, move || flaky(&counter, failures))));
            let expected_tries = (failures + 1).min(attempts.max(1));
            prop_assert_eq!(tries.load(Ordering::SeqCst), expected_tries);
            prop_assert_eq!(result, if failures < expected_tries { Ok(expected_tries) } else { Err(expected_tries) });
            prop_assert_eq!(took, expected_tries * 100 * MS);
        }
    }

    #[tokio::test(start_paused = true)]
    async fn retry_makes_no_try_until_awaited() {
        let made = Effects::default();
        let tried = Effects::default();
        let (m, t) = (made.clone(), tried.clone());
        let promised = retry(3, move || {
            m.happen();
            t.promise(Err::<(), u32>(7))
        });
        give_it_a_chance().await;
        assert_eq!(
            (made.get(), tried.get()),
            (0, 0),
            "no promise was even built"
        );
        assert_eq!(promised.await, Err(7));
        assert_eq!((made.get(), tried.get()), (3, 3));
    }
}
