//! Exercise 1 (solution): a parallel word count with rayon's `fold` and `reduce`.
use std::collections::HashMap;

use rayon::prelude::*;

/// A short text to count; the tests use generated ones.
pub const TEXT: &str = "the quick brown fox jumps over the lazy dog
the dog sleeps and the fox runs
a fox a dog and a quick brown cat
the cat watches the fox and the dog";

// ANCHOR: solution
/// How often each word occurs in `lines` (words are split on whitespace).
pub fn word_counts(lines: &[&str]) -> HashMap<String, usize> {
    lines
        .par_iter()
        // Each thread counts its share of the lines into a map of its own: no
        // locks.
        .fold(HashMap::new, |mut counts: HashMap<String, usize>, line| {
            for word in line.split_whitespace() {
                *counts.entry(word.to_owned()).or_default() += 1;
            }
            counts
        })
        // Then the maps are merged two at a time, the smaller into the larger.
        .reduce(HashMap::new, |mut a, mut b| {
            if a.len() < b.len() {
                std::mem::swap(&mut a, &mut b);
            }
            for (word, n) in b {
                *a.entry(word).or_default() += n;
            }
            a
        })
}
// ANCHOR_END: solution

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
