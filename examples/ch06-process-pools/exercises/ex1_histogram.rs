//! Exercise 1 (starter): a parallel word count with rayon's `fold` and `reduce`.
use std::collections::HashMap;

#[allow(unused_imports)] // you will need it
use rayon::prelude::*;

/// A short text to count; the tests use generated ones.
pub const TEXT: &str = "the quick brown fox jumps over the lazy dog
the dog sleeps and the fox runs
a fox a dog and a quick brown cat
the cat watches the fox and the dog";

// ANCHOR: todo
/// How often each word occurs in `lines` (words are split on whitespace).
pub fn word_counts(lines: &[&str]) -> HashMap<String, usize> {
    // A plan:
    // 1. `lines.par_iter()`;
    // 2. `.fold(HashMap::new, |mut counts, line| ...)`: each thread counts its
    //    share of the lines into a map of its own, so no thread waits for a lock;
    // 3. `.reduce(HashMap::new, |a, b| ...)`: merge the maps two at a time.
    let _ = lines; // remove this line when you start
    todo!("count the words of every line in parallel")
}
// ANCHOR_END: todo

/// The plain loop, for comparison.
pub fn word_counts_sequential(lines: &[&str]) -> HashMap<String, usize> {
    let mut counts = HashMap::new();
    for word in lines.iter().flat_map(|line| line.split_whitespace()) {
        *counts.entry(word.to_owned()).or_default() += 1;
    }
    counts
}

fn main() {
    let lines: Vec<&str> = TEXT.lines().collect();
    let counts = word_counts(&lines);
    let mut top: Vec<(&String, &usize)> = counts.iter().collect();
    // Most frequent first; ties in alphabetical order, so the output is always the
    // same.
    top.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    for (word, n) in top.iter().take(5) {
        println!("{n:>2} {word}");
    }
    println!("same as one thread: {}", counts == word_counts_sequential(&lines));
}
