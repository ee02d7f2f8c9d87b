//! CPU-bound work with rayon: parallel iterators, join, scope, a pool of N threads,
//! and batches.
use std::hint::black_box;
use std::ops::Range;

use rayon::prelude::*;

/// The job: the sum of the squares of the numbers below `N`.
pub const N: u64 = 1_000_000;

// ANCHOR: square
/// One unit of work: a square. `black_box` hides the number from the optimiser, so
/// it cannot replace the whole sum with a formula: every multiplication really
/// runs.
pub fn square(i: u64) -> u128 {
    let i = u128::from(black_box(i));
    i * i
}

/// The plain loop, on one thread: the answer every parallel version must match.
pub fn sequential(n: u64) -> u128 {
    (0..n).map(square).sum()
}
// ANCHOR_END: square

// ANCHOR: par_iter
/// `into_par_iter` splits the range over rayon's global pool (one thread per core).
pub fn par_sum(n: u64) -> u128 {
    (0..n).into_par_iter().map(square).sum()
}

/// The same with an explicit `reduce`: each thread folds its share, then the
/// partial sums are combined. `|| 0` makes the starting value for each share.
pub fn par_map_reduce(n: u64) -> u128 {
    (0..n).into_par_iter().map(square).reduce(|| 0, |a, b| a + b)
}
// ANCHOR_END: par_iter

// ANCHOR: reduce_rules
/// Appending strings is associative, so rayon may group the pieces any way it
/// likes; it keeps them in order, so the text comes out as one thread would write
/// it.
pub fn joined(words: &[&str]) -> String {
    words.par_iter().map(|word| word.to_string()).reduce(String::new, |a, b| a + &b)
}

/// `|| 1` is not an identity for `+`: rayon adds one starting value per piece it
/// made.
pub fn sum_with_a_wrong_identity(numbers: &[u64]) -> u64 {
    numbers.par_iter().copied().reduce(|| 1, |a, b| a + b)
}
// ANCHOR_END: reduce_rules

// ANCHOR: join
/// Below this many numbers a range is summed in a plain loop: splitting further
/// costs more than it saves.
const SMALL: u64 = 10_000;

/// Divide and conquer: split the range in two, sum both halves *potentially* in
/// parallel with `rayon::join`, and add. An idle thread steals the second half; if
/// none is idle, the thread that called `join` runs it itself.
pub fn join_sum(range: Range<u64>) -> u128 {
    if range.end - range.start <= SMALL {
        return range.map(square).sum();
    }
    let mid = range.start + (range.end - range.start) / 2;
    let (left, right) =
        rayon::join(|| join_sum(range.start..mid), || join_sum(mid..range.end));
    left + right
}
// ANCHOR_END: join

// ANCHOR: scope
/// Borrowing with `rayon::scope`: two jobs write the two halves of a buffer that
/// this function owns. The scope ends only when both are done, so the borrows
/// cannot outlive it.
pub fn squares_in_place(numbers: &[u64]) -> Vec<u128> {
    let mut out = vec![0; numbers.len()];
    let mid = numbers.len() / 2;
    let (left, right) = out.split_at_mut(mid);
    rayon::scope(|s| {
        s.spawn(|_| fill(left, &numbers[..mid]));
        s.spawn(|_| fill(right, &numbers[mid..]));
    });
    out
}

fn fill(out: &mut [u128], numbers: &[u64]) {
    for (slot, &n) in out.iter_mut().zip(numbers) {
        *slot = square(n);
    }
}
// ANCHOR_END: scope

// ANCHOR: pool
/// A pool of exactly `threads` threads, instead of the global one-per-core pool.
/// Everything inside `install` (here, `par_sum`) runs on that pool.
pub fn on_pool(
    threads: usize,
    n: u64,
) -> Result<(usize, u128), rayon::ThreadPoolBuildError> {
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build()?;
    Ok(pool.install(|| (rayon::current_num_threads(), par_sum(n))))
}
// ANCHOR_END: pool

// ANCHOR: batches
/// Batches: `par_chunks` hands out whole slices of `batch_size` numbers (the last
/// may be shorter), and each batch is summed by one job. One result per batch, in
/// order.
///
/// Panics if `batch_size` is 0, as `slice::chunks` does.
pub fn batch_sums(numbers: &[u64], batch_size: usize) -> Vec<u128> {
    numbers
        .par_chunks(batch_size)
        .map(|batch| batch.iter().copied().map(square).sum())
        .collect()
}
// ANCHOR_END: batches

// ANCHOR: main
fn main() -> Result<(), rayon::ThreadPoolBuildError> {
    // ANCHOR_END: main
    if std::env::args().len() > 1 {
        eprintln!("usage: 01_rayon (it takes no arguments)");
        std::process::exit(2);
    }
    // ANCHOR: main
    println!("the sum of the squares below {N}:");
    println!("  one thread         {}", sequential(N));
    println!("  par_iter + sum     {}", par_sum(N));
    println!("  map + reduce       {}", par_map_reduce(N));
    println!("  join, halving      {}", join_sum(0..N));
    let (threads, sum) = on_pool(3, N)?;
    println!("  a pool of {threads}        {sum}");

    let numbers: Vec<u64> = (1..=8).collect();
    println!("scope, squares of {numbers:?}:");
    println!("  {:?}", squares_in_place(&numbers));

    let numbers: Vec<u64> = (0..N).collect();
    let sums = batch_sums(&numbers, 300_000);
    let total: u128 = sums.iter().sum();
    println!("batches of 300000: {} batch sums, {sums:?}", sums.len());
    println!("  added up           {total}");

    let words: Vec<&str> =
        "the order of the pieces is kept ".split_inclusive(' ').collect();
    println!("reduce, appending:  {:?}", joined(&words));
    let numbers: Vec<u64> = (1..=100).collect();
    let wrong = sum_with_a_wrong_identity(&numbers);
    println!(
        "reduce, || 1 with +: is the sum of 1..=100 still 5050? {}",
        wrong == 5050
    );
    Ok(())
}
// ANCHOR_END: main
