//! The exercises' tests, one module per exercise. They test the book's solutions; with
//! `--features my-solutions` they test the reader's starter files instead:
//!
//! ```console
//! $ cargo test -p ch02-generators-to-coroutines --features my-solutions --test exercises ex1
//! ```

/// Exercise 1: Fibonacci by hand.
mod ex1 {
    use ch02_generators_to_coroutines::listings::ex1_fibonacci::Fibonacci;

    /// Runs an iterator to its end, then asks it twice more.
    fn to_end_and_beyond(mut iterator: impl Iterator<Item = u64>) -> (Vec<u64>, [Option<u64>; 2]) {
        let values = iterator.by_ref().collect();
        (values, [iterator.next(), iterator.next()])
    }

    #[test]
    fn fibonacci_starts_0_1_1_2() {
        let first: Vec<u64> = Fibonacci::new().take(12).collect();
        assert_eq!(first, [0, 1, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89]);
    }

    /// Every Fibonacci number that fits in a `u64`, computed in `u128` where none overflows.
    fn fibonacci_in_u128() -> Vec<u128> {
        let (mut a, mut b) = (0_u128, 1_u128);
        let mut all = Vec::new();
        while a <= u128::from(u64::MAX) {
            all.push(a);
            (a, b) = (b, a + b);
        }
        all
    }

    #[test]
    fn fibonacci_ends_with_none_instead_of_overflowing() {
        let all: Vec<u64> = Fibonacci::new().collect(); // would panic on overflow in a debug build
        let expected = fibonacci_in_u128();
        assert_eq!(all.len(), 94, "F(0) to F(93) fit in a u64");
        assert_eq!(expected.len(), 94);
        assert!(all.iter().zip(&expected).all(|(&a, &b)| u128::from(a) == b));
        assert_eq!(all.last(), Some(&12_200_160_415_121_876_738));
        // The next one, F(94) = F(92) + F(93), does not fit.
        assert_eq!(all[92].checked_add(all[93]), None);
    }

    #[test]
    fn an_ended_fibonacci_stays_ended() {
        let (all, after) = to_end_and_beyond(Fibonacci::new());
        assert_eq!(all.len(), 94);
        assert_eq!(after, [None, None]);
    }
}

/// Exercise 2: `yield_now` for the event loop.
mod ex2 {
    use std::pin::pin;
    use std::sync::Arc;
    use std::sync::mpsc::{self, Sender};
    use std::task::{Context, Wake, Waker};

    use ch02_generators_to_coroutines::listings::ex2_yield_now::{ping_pong, yield_now};

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
        let (log, report) = ping_pong(3);
        assert_eq!(
            log,
            ["ping 1", "pong 1", "ping 2", "pong 2", "ping 3", "pong 3"]
        );
        assert_eq!(report.finished, vec![0, 1]);
        assert!(report.failed.is_empty() && report.stuck.is_empty());
    }

    #[test]
    fn yield_now_is_pending_once_and_wakes_its_own_task() {
        let (waker, wakes) = notify_waker();
        let mut cx = Context::from_waker(&waker);
        let mut future = pin!(yield_now());
        assert!(future.as_mut().poll(&mut cx).is_pending());
        assert!(
            wakes.try_recv().is_ok(),
            "it woke its task before returning Pending"
        );
        assert!(future.as_mut().poll(&mut cx).is_ready());
        assert!(wakes.try_recv().is_err(), "and only once");
    }
}
