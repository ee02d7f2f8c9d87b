//! A Python generator as a Rust iterator: one lazy sequence three ways, computed
//! only on demand.
use std::cell::Cell;

// ANCHOR: step
// The Python generator that all three ways below spell out:
//
//     def collatz(n):
//         yield n
//         while n > 1:
//             n = n // 2 if n % 2 == 0 else 3 * n + 1
//             yield n

/// One step of the Collatz sequence: halve an even number, triple an odd one and
/// add one. `None` ends the sequence: at 1 (where every start tried so far ends),
/// at 0, and where `3n + 1` would not fit in a `u64` (so a huge start ends early
/// instead of panicking).
pub fn step(n: u64) -> Option<u64> {
    match n {
        0 | 1 => None,
        n if n % 2 == 0 => Some(n / 2),
        n => n.checked_mul(3)?.checked_add(1),
    }
}
// ANCHOR_END: step

// ANCHOR: by_hand
/// Way 1: a struct that implements `Iterator`. Its fields are the generator's
/// frame: what Python keeps alive between one `next()` and the following one.
pub struct Collatz {
    start: u64,
    last: Option<u64>, // None: nothing handed out yet
}

impl Collatz {
    pub fn new(start: u64) -> Self {
        Collatz { start, last: None }
    }
}

impl Iterator for Collatz {
    type Item = u64;

    /// Python's `next(gen)`: run until the next value, hand it over, stop again.
    fn next(&mut self) -> Option<u64> {
        let value = match self.last {
            None => self.start, // first call: the start itself
            // later calls: one step on; `None` means StopIteration
            Some(n) => step(n)?,
        };
        self.last = Some(value); // remember where to resume
        Some(value)
    }
}
// ANCHOR_END: by_hand

// ANCHOR: from_fn
/// Way 2: `iter::from_fn` turns a closure into an iterator. The state the struct
/// held is now a variable the closure captures (`move` puts it inside the closure).
pub fn collatz_from_fn(start: u64) -> impl Iterator<Item = u64> {
    let mut last = None;
    std::iter::from_fn(move || {
        let value = match last {
            None => start,
            Some(n) => step(n)?,
        };
        last = Some(value);
        Some(value)
    })
}
// ANCHOR_END: from_fn

// ANCHOR: adapters
/// Way 3: no state of our own. `successors` starts at `start` and applies `step` to
/// each value until it returns `None`; the library holds the state.
pub fn collatz_successors(start: u64) -> impl Iterator<Item = u64> {
    std::iter::successors(Some(start), |&n| step(n))
}
// ANCHOR_END: adapters

// ANCHOR: lazy
/// The `from_fn` generator again, calling `report` with each value as it computes
/// it: the `print` you would put in a Python generator's body to watch it run.
pub fn collatz_reporting(
    start: u64,
    mut report: impl FnMut(u64),
) -> impl Iterator<Item = u64> {
    let mut last = None;
    std::iter::from_fn(move || {
        let value = match last {
            None => start,
            Some(n) => step(n)?,
        };
        report(value);
        last = Some(value);
        Some(value)
    })
}
// ANCHOR_END: lazy

fn main() {
    if std::env::args().len() > 1 {
        eprintln!("usage: 01_iterators (it takes no arguments)");
        std::process::exit(2);
    }
    // ANCHOR: three_ways
    println!("collatz(6), three ways:");
    let ways: [(&str, Vec<u64>); 3] = [
        ("Iterator by hand:", Collatz::new(6).collect()),
        ("iter::from_fn:", collatz_from_fn(6).collect()),
        ("iter::successors:", collatz_successors(6).collect()),
    ];
    for (way, values) in ways {
        println!("  {way:<17} {values:?}");
    }
    // ANCHOR_END: three_ways

    // ANCHOR: trace
    // Each value is computed only when the `for` loop asks for it: the lines
    // interleave.
    println!("\ntaking 3 values, one at a time:");
    let numbers = collatz_reporting(6, |n| println!("  computing {n}"));
    for n in numbers.take(3) {
        println!("got {n}");
    }
    // ANCHOR_END: trace

    // ANCHOR: counter
    // Building a chain of adapters runs nothing; like calling a generator function
    // in Python, it only makes an object that will run when asked.
    let computed = Cell::new(0);
    let chain = collatz_reporting(27, |_| computed.set(computed.get() + 1))
        .filter(|n| n % 2 == 1)
        .take(3);
    println!("\nthe first 3 odd values of collatz(27):");
    println!("  computed before anyone asks: {}", computed.get());
    let odd: Vec<u64> = chain.collect();
    println!("  odd values: {odd:?}");
    println!("  computed to find them: {}", computed.get());
    let length = Collatz::new(27).count();
    println!("  length of the whole sequence: {length}");
    // ANCHOR_END: counter
}
