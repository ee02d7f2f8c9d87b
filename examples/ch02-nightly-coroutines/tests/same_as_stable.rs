//! The nightly coroutines give exactly what the stable listings give: the
//! `#[coroutine]` averager the same averages as listing 02's hand-written state
//! machine, and the `gen` block the same sequence as listing 01's iterators.
use ch02_nightly_coroutines::listing::{
    averager, collatz, iterators, one_after_another, send, state_machine,
};

/// A small deterministic generator of test inputs (no dependencies): xorshift64.
struct Inputs(u64);

impl Inputs {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// A whole number from -1000 to 1000, as an `f64`.
    fn value(&mut self) -> f64 {
        (self.next() % 2001) as f64 - 1000.0
    }
}

#[test]
fn coroutine_averages_equal_the_state_machines() {
    let mut inputs = Inputs(0x2545_f491_4f6c_dd1d);
    for _ in 0..500 {
        let len = (inputs.next() % 60) as usize;
        let values: Vec<f64> = (0..len).map(|_| inputs.value()).collect();
        let mut coroutine = averager();
        let mut machine = state_machine::Averager::new();
        for (i, &value) in values.iter().enumerate() {
            assert_eq!(
                send(&mut coroutine, value),
                machine.resume(value),
                "after {} values of {values:?}",
                i + 1
            );
        }
    }
}

#[test]
fn the_first_send_needs_no_priming() {
    let mut coroutine = averager();
    assert_eq!(send(&mut coroutine, 7.0), 7.0);
    assert_eq!(send(&mut coroutine, 9.0), 8.0);
}

/// Small starts, and huge ones whose `3n + 1` would overflow a `u64` somewhere on
/// the way.
fn starts() -> impl Iterator<Item = u64> {
    let mut inputs = Inputs(0x9e37_79b9_7f4a_7c15);
    let huge: Vec<u64> = (0..200).map(|_| inputs.next()).collect();
    (0..=10_000)
        .chain([u64::MAX, u64::MAX - 1, u64::MAX / 3, u64::MAX / 3 + 1])
        .chain(huge)
}

#[test]
fn gen_block_yields_the_same_sequence_as_listing_01() {
    let mut cut_short = 0;
    for start in starts() {
        let from_gen: Vec<u64> = collatz(start).collect();
        assert_eq!(
            from_gen,
            iterators::Collatz::new(start).collect::<Vec<_>>(),
            "collatz({start})"
        );
        assert_eq!(
            from_gen,
            iterators::collatz_successors(start).collect::<Vec<_>>(),
            "collatz({start})"
        );
        cut_short += usize::from(from_gen.last() != Some(&1) && start != 0);
    }
    assert!(cut_short > 0, "some huge starts take the overflow path");
}

#[test]
fn a_huge_start_ends_where_3n_plus_1_would_overflow() {
    // u64::MAX is odd, and 3 * u64::MAX + 1 does not fit: the sequence is the start
    // alone.
    assert_eq!(collatz(u64::MAX).collect::<Vec<_>>(), [u64::MAX]);
    assert_eq!(collatz(27).count(), 112);
}

#[test]
fn a_loop_that_yields_is_yield_from() {
    for (a, b) in [(3, 4), (0, 1), (27, 6), (1, 1)] {
        let chained: Vec<u64> =
            iterators::Collatz::new(a).chain(iterators::Collatz::new(b)).collect();
        assert_eq!(one_after_another(a, b).collect::<Vec<_>>(), chained);
    }
}
