//! Exercise 1 (starter): write a Fibonacci iterator by hand, which ends instead of overflowing.

// ANCHOR: todo
/// The Fibonacci numbers 0, 1, 1, 2, 3, 5, … as long as they fit in a `u64`.
pub struct Fibonacci {
    /// The number the next call hands out; `None` once the sequence has ended.
    current: Option<u64>,
    /// The number after it; `None` once that one would not fit in a `u64`.
    next: Option<u64>,
}

impl Fibonacci {
    pub fn new() -> Self {
        Fibonacci { current: Some(0), next: Some(1) }
    }
}

impl Iterator for Fibonacci {
    type Item = u64;

    /// Hands out `current` and moves one step on. When the sum would not fit in a
    /// `u64`, end the sequence with `None` instead of overflowing: see
    /// `u64::checked_add`.
    fn next(&mut self) -> Option<u64> {
        let _ = (self.current, self.next); // remove this line when you start
        todo!("return the current number and move both fields one step on")
    }
}
// ANCHOR_END: todo

impl Default for Fibonacci {
    fn default() -> Self {
        Self::new()
    }
}

fn main() {
    let first: Vec<u64> = Fibonacci::new().take(10).collect();
    println!("the first 10: {first:?}");
    println!("how many fit in a u64: {}", Fibonacci::new().count());
    let last = Fibonacci::new().last().expect("the sequence is never empty");
    println!("the last that fits: {last}");
}
