//! The exercises' tests, one module per exercise. They test the book's solutions; with
//! `--features my-solutions` they test the reader's starter files instead:
//!
//! ```console
//! $ cargo test -p ch04-promises --features my-solutions --test exercises ex1
//! ```
//!
//! Each test starts with `quiet()`: a failure is one line that says what is not done yet, or
//! "your answer" beside "expected" and the input that gave them.
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
    use listing_check::answer;
    use listing_check::exercise::{config, quiet};
    use proptest::prelude::*;
    use timeline::on_paused_clock;

    use super::{Effects, MS, after, give_it_a_chance, timed};

    #[tokio::test(start_paused = true)]
    async fn zip_of_100_and_300_ms_takes_300_ms() {
        quiet();
        let (pair, took) = timed(after(100, "fast").zip(after(300, "slow"))).await;
        answer!(
            pair,
            ("fast", "slow"),
            "pair from after(100 ms, \"fast\").zip(after(300 ms, \"slow\"))"
        );
        answer!(
            took,
            300 * MS,
            "time for after(100 ms, \"fast\").zip(after(300 ms, \"slow\")): both run at once"
        );
    }

    /// Not the reader's code: the book's claim about the answer the exercise warns
    /// about.
    #[tokio::test(start_paused = true)]
    async fn the_tempting_zip_with_then_takes_the_sum() {
        quiet();
        // The answer the exercise warns about: right pair, but `other` starts after
        // `self`.
        let (first, second) = (after(100, "fast"), after(300, "slow"));
        let (pair, took) = timed(first.then(|a| second.map(move |b| (a, b)))).await;
        assert_eq!(pair, ("fast", "slow"), "the pair from a zip written with then");
        assert_eq!(took, 400 * MS, "the time of a zip written with then");
    }

    /// Zip takes the longer of the two times, never their sum, and keeps the order.
    #[test]
    fn zip_takes_the_longer_time() {
        quiet();
        proptest!(config(256), |(a in 0u64..1000, b in 0u64..1000, x in any::<i32>(), y in any::<bool>())| {
            let yours = on_paused_clock(timed(after(a, x).zip(after(b, y))));
            let expected = ((x, y), Duration::from_millis(a.max(b)));
            prop_assert!(
                yours == expected,
                "your answer: {yours:?}, expected: {expected:?}, for (pair, time) of after({a} ms, {x}).zip(after({b} ms, {y}))"
            );
        });
    }

    #[tokio::test(start_paused = true)]
    async fn zip_runs_nothing_until_awaited() {
        quiet();
        let effects = Effects::default();
        let promised = effects.promise('a').zip(effects.promise(1));
        give_it_a_chance().await;
        answer!(
            effects.get(),
            0,
            "promises run by a zip that was built and not awaited: nothing runs until then"
        );
        answer!(promised.await, ('a', 1), "pair from a zip of 'a' and 1");
        answer!(effects.get(), 2, "promises run by a zip of two, once awaited");
    }
}

/// Exercise 2: retry.
mod ex2 {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU32, Ordering};

    use ch04_promises::Promise;
    use ch04_promises::listings::ex2_retry::retry;
    use listing_check::answer;
    use listing_check::exercise::{config, quiet};
    use proptest::prelude::*;
    use timeline::on_paused_clock;

    use super::{Effects, MS, after, give_it_a_chance, timed};

    /// A service whose first `failures` tries fail; each try takes 100 ms.
    fn flaky(tries: &Arc<AtomicU32>, failures: u32) -> Promise<Result<u32, u32>> {
        let tries = Arc::clone(tries);
        after(100, ()).map(move |()| {
            let attempt = tries.fetch_add(1, Ordering::SeqCst) + 1;
            if attempt <= failures { Err(attempt) } else { Ok(attempt) }
        })
    }

    #[tokio::test(start_paused = true)]
    async fn retry_of_a_service_that_fails_twice() {
        quiet();
        for (attempts, expected, at) in
            [(3, Ok(3), 300 * MS), (2, Err(2), 200 * MS)]
        {
            let tries = Arc::new(AtomicU32::new(0));
            let counter = Arc::clone(&tries);
            let got = timed(retry(attempts, move || flaky(&counter, 2))).await;
            answer!(
                got,
                (expected, at),
                "(result, time) of retry({attempts}, a service that fails twice, 100 ms a try)"
            );
        }
    }

    /// With `failures` failing tries and `attempts` allowed: success iff failures <
    /// attempts, exactly min(failures + 1, attempts) tries (at least one), 100 ms
    /// each.
    #[test]
    fn retry_tries_until_success_or_out_of_attempts() {
        quiet();
        proptest!(config(256), |(failures in 0u32..8, attempts in 0u32..8)| {
            let tries = Arc::new(AtomicU32::new(0));
            let counter = Arc::clone(&tries);
            let (result, took) = on_paused_clock(timed(retry(attempts, move || flaky(&counter, failures))));
            let expected_tries = (failures + 1).min(attempts.max(1));
            let service = format!("retry({attempts}, a service whose first {failures} tries fail, 100 ms a try)");
            let yours = tries.load(Ordering::SeqCst);
            prop_assert!(
                yours == expected_tries,
                "your answer: {yours}, expected: {expected_tries}, for the tries made by {service}"
            );
            let expected = if failures < expected_tries { Ok(expected_tries) } else { Err(expected_tries) };
            prop_assert!(
                result == expected,
                "your answer: {result:?}, expected: {expected:?}, for the result of {service}"
            );
            let expected = expected_tries * 100 * MS;
            prop_assert!(
                took == expected,
                "your answer: {took:?}, expected: {expected:?}, for the time of {service}"
            );
        });
    }

    #[tokio::test(start_paused = true)]
    async fn retry_makes_no_try_until_awaited() {
        quiet();
        let made = Effects::default();
        let tried = Effects::default();
        let (m, t) = (made.clone(), tried.clone());
        let promised = retry(3, move || {
            m.happen();
            t.promise(Err::<(), u32>(7))
        });
        give_it_a_chance().await;
        answer!(
            (made.get(), tried.get()),
            (0, 0),
            "(promises built, promises run) by a retry(3, …) not yet awaited: \
             call make() not even once before it is awaited"
        );
        answer!(
            promised.await,
            Err(7),
            "result of retry(3, a promise that always fails with 7)"
        );
        answer!(
            (made.get(), tried.get()),
            (3, 3),
            "(promises built, promises run) by retry(3, a promise that always fails)"
        );
    }
}
