//! The claims of the chapter's first part: generators as iterators (listing 01), a
//! coroutine that receives values (listing 02). Exercise 1's Fibonacci iterator is
//! in `exercises.rs`.
use std::cell::{Cell, RefCell};

use ch02_generators_to_coroutines::listings::coroutine::Averager;
use ch02_generators_to_coroutines::listings::iterators::{
    Collatz, collatz_from_fn, collatz_reporting, collatz_successors, step,
};
use proptest::prelude::*;

/// Small starts (which reach 1) and any `u64` at all (where `3n + 1` may overflow).
fn start() -> impl Strategy<Value = u64> {
    prop_oneof![0..100_000_u64, any::<u64>()]
}

// ---- Listing 01: generators as iterators ----

proptest! {
    #[test]
    fn three_ways_yield_the_same_sequence(start in start()) {
        let by_hand: Vec<u64> = Collatz::new(start).collect();
        prop_assert_eq!(&by_hand, &collatz_from_fn(start).collect::<Vec<_>>());
        prop_assert_eq!(&by_hand, &collatz_successors(start).collect::<Vec<_>>());
    }

    #[test]
    fn the_sequence_follows_the_rule_and_ends_where_step_ends_it(start in start()) {
        let values: Vec<u64> = Collatz::new(start).collect();
        prop_assert_eq!(values[0], start);
        for pair in values.windows(2) {
            prop_assert_eq!(step(pair[0]), Some(pair[1]));
        }
        let last = *values.last().expect("a sequence holds at least its start");
        prop_assert_eq!(step(last), None, "it ends only where step gives None");
    }

    /// Taking n values runs the generator's body exactly n times (fewer if it ends
    /// sooner).
    #[test]
    fn taking_n_values_computes_exactly_n(start in start(), n in 0..300_usize) {
        let computed = Cell::new(0);
        let taken = collatz_reporting(start, |_| computed.set(computed.get() + 1))
            .take(n)
            .count();
        prop_assert_eq!(taken, n.min(Collatz::new(start).count()));
        prop_assert_eq!(computed.get(), taken);
    }

    /// Each value is computed just before the consumer receives it, never ahead of
    /// time.
    #[test]
    fn computing_and_receiving_interleave(start in start(), n in 0..50_usize) {
        let log = RefCell::new(Vec::new());
        let numbers = collatz_reporting(start, |v| log.borrow_mut().push(format!("computing {v}")));
        for v in numbers.take(n) {
            log.borrow_mut().push(format!("got {v}"));
        }
        let expected: Vec<String> = Collatz::new(start)
            .take(n)
            .flat_map(|v| [format!("computing {v}"), format!("got {v}")])
            .collect();
        prop_assert_eq!(log.into_inner(), expected);
    }
}

#[test]
fn collatz_of_6_and_of_27() {
    assert_eq!(Collatz::new(6).collect::<Vec<_>>(), [6, 3, 10, 5, 16, 8, 4, 2, 1]);
    assert_eq!(Collatz::new(27).count(), 112);
    assert_eq!(Collatz::new(27).max(), Some(9232));
    // Edge cases: 0 and 1 end at once; u64::MAX is odd and 3n + 1 does not fit.
    assert_eq!(Collatz::new(0).collect::<Vec<_>>(), [0]);
    assert_eq!(Collatz::new(1).collect::<Vec<_>>(), [1]);
    assert_eq!(Collatz::new(u64::MAX).collect::<Vec<_>>(), [u64::MAX]);
}

/// Runs an iterator to its end, then asks it twice more.
fn to_end_and_beyond(
    mut iterator: impl Iterator<Item = u64>,
) -> (Vec<u64>, [Option<u64>; 2]) {
    let values = iterator.by_ref().collect();
    (values, [iterator.next(), iterator.next()])
}

#[test]
fn an_ended_iterator_stays_ended() {
    let ended = (vec![4, 2, 1], [None, None]);
    assert_eq!(to_end_and_beyond(Collatz::new(4)), ended);
    assert_eq!(to_end_and_beyond(collatz_from_fn(4)), ended);
    assert_eq!(to_end_and_beyond(collatz_successors(4)), ended);
}

/// The claim listing 01 prints: an adapter chain does nothing until consumed, and
/// then only what is needed (6 of collatz(27)'s 112 values to find its first 3 odd
/// ones).
#[test]
fn an_unconsumed_chain_computes_nothing() {
    let computed = Cell::new(0);
    let chain = collatz_reporting(27, |_| computed.set(computed.get() + 1))
        .filter(|n| n % 2 == 1)
        .take(3);
    assert_eq!(computed.get(), 0, "building the chain runs nothing");
    let odd: Vec<u64> = chain.collect();
    assert_eq!(odd, [27, 41, 31]);
    assert_eq!(computed.get(), 6, "27, 82, 41, 124, 62, 31 and no more");
}

// ---- Listing 02: a coroutine that receives values ----

proptest! {
    /// Resuming with each value in turn yields the average of all the values so
    /// far.
    #[test]
    fn averager_yields_the_running_average(
        values in prop::collection::vec(-1000..1000_i32, 0..100),
    ) {
        let mut avg = Averager::new();
        let mut sum = 0_i64;
        for (i, &value) in values.iter().enumerate() {
            sum += i64::from(value);
            let expected = sum as f64 / (i + 1) as f64;
            prop_assert_eq!(avg.resume(f64::from(value)), expected);
        }
    }

    /// Two coroutines resumed in turn keep separate states: interleaving changes
    /// nothing.
    #[test]
    fn averagers_resumed_in_turn_do_not_share_state(
        pairs in prop::collection::vec((-1000..1000_i32, -1000..1000_i32), 0..50),
    ) {
        let (mut a, mut b) = (Averager::new(), Averager::new());
        let interleaved: Vec<(f64, f64)> = pairs
            .iter()
            .map(|&(x, y)| (a.resume(f64::from(x)), b.resume(f64::from(y))))
            .collect();
        let mut alone = Averager::new();
        let only_a: Vec<f64> = pairs.iter().map(|&(x, _)| alone.resume(f64::from(x))).collect();
        let mut alone = Averager::new();
        let only_b: Vec<f64> = pairs.iter().map(|&(_, y)| alone.resume(f64::from(y))).collect();
        let (got_a, got_b): (Vec<f64>, Vec<f64>) = interleaved.into_iter().unzip();
        prop_assert_eq!(got_a, only_a);
        prop_assert_eq!(got_b, only_b);
    }
}

/// Python must prime with `next(gen)` before the first `send`; the first resume
/// here already takes a value, and the state afterwards holds exactly the locals
/// that live across `yield`.
#[test]
fn the_first_resume_needs_no_priming() {
    let mut avg = Averager::new();
    assert_eq!(avg, Averager::NotStarted);
    assert_eq!(avg.resume(10.0), 10.0);
    assert_eq!(avg, Averager::Suspended { total: 10.0, count: 1 });
    assert_eq!(avg.resume(20.0), 15.0);
    assert_eq!(avg, Averager::Suspended { total: 30.0, count: 2 });
}
