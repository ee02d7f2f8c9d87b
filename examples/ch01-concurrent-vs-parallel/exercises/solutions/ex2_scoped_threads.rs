//! Exercise 2 (solution): count primes on several threads with `std::thread::scope`.
use std::ops::Range;
use std::thread;

/// Counts the primes in `range` by trial division, on the calling thread.
pub fn count_primes(range: Range<u64>) -> u64 {
    range.filter(|&n| is_prime(n)).count() as u64
}

fn is_prime(n: u64) -> bool {
    let mut divisor = 2;
    while divisor * divisor <= n {
        if n.is_multiple_of(divisor) {
            return false;
        }
        divisor += 1;
    }
    n >= 2
}

// ANCHOR: solution
/// Counts the primes below `limit` using `threads` threads: split `0..limit` into
/// `threads` slices that together cover every number exactly once, count each slice
/// on its own scoped thread, and add up the counts.
pub fn count_primes_parallel(limit: u64, threads: u64) -> u64 {
    let threads = threads.max(1);
    let slice = limit.div_ceil(threads); // round up, so the slices reach `limit`
    thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|i| {
                let range = (i * slice).min(limit)..((i + 1) * slice).min(limit);
                scope.spawn(move || count_primes(range))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("counting does not panic"))
            .sum()
    })
}
// ANCHOR_END: solution

fn main() {
    let limit = 200_000;
    println!("one thread:  {} primes below {limit}", count_primes(0..limit));
    println!(
        "four threads: {} primes below {limit}",
        count_primes_parallel(limit, 4)
    );
}
