//! The exercises' tests, one module per exercise. They test the book's solutions; with
//! `--features my-solutions` they test the reader's starter files instead:
//!
//! ```console
//! $ cargo test -p ch02-generators-to-coroutines --features my-solutions --test exercises ex1
//! ```
//!
//! Each test starts with `quiet()`: a failure is one line that says what is not done yet, or
//! "your answer" beside "expected" and the input that gave them.

/// Exercise 1: Fibonacci by hand.
mod ex1 {
    use ch02_generators_to_coroutines::listings::ex1_fibonacci::Fibonacci;
    use listing_check::answer;
    use listing_check::exercise::quiet;

    /// Runs an iterator to its end, then asks it twice more.
    fn to_end_and_beyond(
        mut iterator: impl Iterator<Item = u64>,
    ) -> (Vec<u64>, [Option<u64>; 2]) {
        let values = iterator.by_ref().collect();
        (values, [iterator.next(), iterator.next()])
    }

    #[test]
    fn fibonacci_starts_0_1_1_2() {
        quiet();
        let first: Vec<u64> = Fibonacci::new().take(12).collect();
        answer!(
            first,
            [0, 1, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89],
            "the first 12 numbers of Fibonacci::new()"
        );
    }

    /// Every Fibonacci number that fits in a `u64`, computed in `u128` where none
    /// overflows.
    fn fibonacci_in_u128() -> Vec<u128> {
        let (mut a, mut b) = (0_u128, 1_u128);
        let mut all = Vec::new();
        while a <= u128::from(u64::MAX) {
            all.push(a);
            (a, b) = (b, a + b);
        }
        all
    }

    /// The exercise's rule: end the sequence, do not overflow. An overflowing `+`
    /// panics in the test build (overflow checks are on), and a wrapped number
    /// differs from the `u128`.
    #[test]
    fn fibonacci_ends_with_none_instead_of_overflowing() {
        quiet();
        // would panic on overflow in a debug build
        let all: Vec<u64> = Fibonacci::new().collect();
        let expected = fibonacci_in_u128();
        assert_eq!(expected.len(), 94, "the test's own F(0) to F(93)");
        if let Some(n) =
            all.iter().zip(&expected).position(|(&a, &b)| u128::from(a) != b)
        {
            answer!(
                u128::from(all[n]),
                expected[n],
                "F({n}), at index {n} of Fibonacci::new()"
            );
        }
        answer!(
            all.len(),
            94,
            "how many numbers Fibonacci::new() hands out: F(0) to F(93) fit in a u64"
        );
        answer!(
            all.last().copied(),
            Some(12_200_160_415_121_876_738),
            "the last number of Fibonacci::new(), F(93)"
        );
        // The next one, F(94) = F(92) + F(93), does not fit.
        answer!(
            all[92].checked_add(all[93]),
            None,
            "F(92) + F(93) in a u64: F(94) does not fit"
        );
    }

    #[test]
    fn an_ended_fibonacci_stays_ended() {
        quiet();
        let (all, after) = to_end_and_beyond(Fibonacci::new());
        answer!(all.len(), 94, "how many numbers Fibonacci::new() hands out");
        answer!(
            after,
            [None, None],
            "two more calls of next() after Fibonacci::new() ended: it must stay ended"
        );
    }
}

/// Exercise 2: `yield_now` for the event loop.
mod ex2 {
    use std::pin::pin;
    use std::sync::Arc;
    use std::sync::mpsc::{self, Sender};
    use std::task::{Context, Poll, Wake, Waker};

    use ch02_generators_to_coroutines::listings::ex2_yield_now::{
        ping_pong, yield_now,
    };
    use listing_check::answer;
    use listing_check::exercise::quiet;

    /// A waker that reports each wake on a channel, so a test can see it.
    struct Notify(Sender<()>);

    impl Wake for Notify {
        fn wake(self: Arc<Self>) {
            let _ = self.0.send(());
        }
    }

    fn notify_waker() -> (Waker, mpsc::Receiver<()>) {
        let (tx, rx) = mpsc::channel();
        (Waker::from(Arc::new(Notify(tx))), rx)
    }

    #[test]
    fn yield_now_interleaves_two_tasks() {
        quiet();
        let (log, report) = ping_pong(3);
        answer!(
            report.stuck,
            Vec::<usize>::new(),
            "tasks of ping_pong(3) never woken again: wake the task before returning Pending"
        );
        answer!(
            report.failed,
            Vec::<(usize, String)>::new(),
            "tasks of ping_pong(3) that panicked"
        );
        answer!(
            log,
            ["ping 1", "pong 1", "ping 2", "pong 2", "ping 3", "pong 3"],
            "the log of ping_pong(3)"
        );
        answer!(
            report.finished,
            vec![0, 1],
            "tasks of ping_pong(3) that finished, in order"
        );
    }

    #[test]
    fn yield_now_is_pending_once_and_wakes_its_own_task() {
        quiet();
        let (waker, wakes) = notify_waker();
        let mut cx = Context::from_waker(&waker);
        let mut future = pin!(yield_now());
        answer!(
            future.as_mut().poll(&mut cx),
            Poll::Pending,
            "the first poll of yield_now()"
        );
        assert!(
            wakes.try_recv().is_ok(),
            "your yield_now must wake its task (cx.waker()) before it returns Pending: \
             it returned Pending and did not, so nothing would poll it again"
        );
        answer!(
            future.as_mut().poll(&mut cx),
            Poll::Ready(()),
            "the second poll of yield_now()"
        );
        assert!(
            wakes.try_recv().is_err(),
            "your yield_now must wake its task once, on the first poll only: it woke it again"
        );
    }
}
