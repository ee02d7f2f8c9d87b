//! Listings 01 and 02 on nightly Rust: write `yield`, and the compiler builds the
//! state machine.
#![feature(coroutines, coroutine_trait, gen_blocks)]
#![forbid(unsafe_code)]

use std::convert::Infallible;
use std::ops::{Coroutine, CoroutineState};
use std::pin::Pin;

// The stable listings, compiled again here so that this file can compare against
// them.
#[allow(dead_code)]
#[path = "../../../ch02-generators-to-coroutines/src/bin/01_iterators.rs"]
pub mod iterators;
#[allow(dead_code)]
#[path = "../../../ch02-generators-to-coroutines/src/bin/02_coroutine.rs"]
pub mod state_machine;

// ANCHOR: averager
/// Listing 02's averager with the `yield` written in: Python's `value = yield
/// average`.
pub fn averager() -> impl Coroutine<f64, Yield = f64, Return = Infallible> + Unpin {
    // The closure's argument is the first value sent in, so there is nothing to
    // prime. Each `yield` hands out an average, pauses, and evaluates to the next
    // value sent in.
    #[coroutine]
    |mut value: f64| -> Infallible {
        let mut total = 0.0;
        let mut count = 0_u32;
        loop {
            total += value;
            count += 1;
            value = yield total / f64::from(count);
        }
    }
}

/// Python's `gen.send(value)`: resume the coroutine, get what it yields.
pub fn send(
    coroutine: &mut (impl Coroutine<f64, Yield = f64, Return = Infallible> + Unpin),
    value: f64,
) -> f64 {
    match Pin::new(coroutine).resume(value) {
        CoroutineState::Yielded(average) => average,
        CoroutineState::Complete(never) => match never {}, // the loop never returns
    }
}
// ANCHOR_END: averager

// ANCHOR: gen_block
/// Listing 01's Collatz sequence as a `gen` block: a Python generator function,
/// line for line.
pub fn collatz(start: u64) -> impl Iterator<Item = u64> {
    gen move {
        let mut n = start;
        yield n;
        while let Some(next) = iterators::step(n) {
            n = next;
            yield n;
        }
    }
}

/// Python's `yield from`: there is no such keyword, but a loop that yields does the
/// same.
pub fn one_after_another(a: u64, b: u64) -> impl Iterator<Item = u64> {
    gen move {
        for n in collatz(a) {
            yield n;
        }
        for n in collatz(b) {
            yield n;
        }
    }
}
// ANCHOR_END: gen_block

fn main() {
    if std::env::args().len() > 1 {
        eprintln!("usage: 03_nightly_coroutines (it takes no arguments)");
        std::process::exit(2);
    }
    // ANCHOR: main
    println!("the averager, as a coroutine and as listing 02's state machine:");
    let mut coroutine = averager();
    let mut machine = state_machine::Averager::new();
    for value in [10.0, 20.0, 30.0, 60.0] {
        let (from_coroutine, from_machine) =
            (send(&mut coroutine, value), machine.resume(value));
        println!(
            "  send({value}) -> {from_coroutine:<4} resume({value}) -> {from_machine}"
        );
    }

    println!("\ncollatz(6), as a gen block and as listing 01's Iterator by hand:");
    let from_gen: Vec<u64> = collatz(6).collect();
    let by_hand: Vec<u64> = iterators::Collatz::new(6).collect();
    println!("  gen block:        {from_gen:?}");
    println!("  Iterator by hand: {by_hand:?}");
    let both: Vec<u64> = one_after_another(3, 4).collect();
    println!("  collatz(3), then collatz(4): {both:?}");
    // ANCHOR_END: main
}
