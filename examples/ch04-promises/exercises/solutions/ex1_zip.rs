//! Exercise 1 (solution): `zip` two promises into a promise of a pair, running both at once.
use std::time::Duration;

use ch04_promises::Promise;
use tokio::time::{Instant, sleep};

// ANCHOR: solution
/// Adds `zip` to every `Promise`. A trait is how a crate adds methods to a type it
/// does not own; `FutureExt` adds `map` and `then` to every future the same way.
pub trait Zip<A> {
    /// A promise of both values. Both promises run at the same time, so it takes as
    /// long as the slower of the two, not their sum.
    fn zip<B: Send + 'static>(self, other: Promise<B>) -> Promise<(A, B)>;
}

impl<A: Send + 'static> Zip<A> for Promise<A> {
    fn zip<B: Send + 'static>(self, other: Promise<B>) -> Promise<(A, B)> {
        // `join` polls both in turn until both are done. Writing `self.then(|a|
        // other.map(|b| (a, b)))` would type-check too, but it starts `other` only
        // after `self` has finished: the sum, not the maximum.
        Promise::new(futures::future::join(self, other))
    }
}
// ANCHOR_END: solution

/// A stand-in for an IO call: `value` arrives after `ms`.
fn after(ms: u64, value: &'static str) -> Promise<&'static str> {
    Promise::new(async move {
        sleep(Duration::from_millis(ms)).await;
        value
    })
}

// The clock is paused (start_paused), so the times printed are the same on every
// run.
#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    let t0 = Instant::now();
    let pair = after(100, "fast").zip(after(300, "slow")).await;
    println!("{pair:?} at {} ms", t0.elapsed().as_millis());
}
