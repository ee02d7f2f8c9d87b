//! Exercise 1 (solution): a Fibonacci iterator by hand, which ends instead of overflowing.

// ANCHOR: solution
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

    fn next(&mut self) -> Option<u64> {
        let value = self.current?; // ended: stay ended
        // `checked_add` gives `None` instead of overflowing (a panic in a debug
        // build, a wrong number in a release build). The value after the last one
        // that fits is then `None`.
        let after = self.next.and_then(|next| value.checked_add(next));
        self.current = self.next;
        self.next = after;
        Some(value)
    }
}
// ANCHOR_END: solution

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
