//! A pipeline from a list of steps, some plain and some async, folded into one
//! promise that runs only when awaited.
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use futures::future;
use tokio::time::{Instant, sleep};

// ANCHOR: step
/// One step of a pipeline: a plain function, or one that returns a promise.
pub enum Step<T> {
    Plain(fn(T) -> T),
    Async(fn(T) -> Promise<T>),
}

// `fn` pointers are `Copy`, so a step is too: one list of steps can build many
// pipelines.
impl<T> Clone for Step<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for Step<T> {}

impl<T: Send + 'static> Step<T> {
    /// Adds this step to the end of `so_far`: `map` for a plain step, `then` for an
    /// async one.
    pub fn after(self, so_far: Promise<T>) -> Promise<T> {
        match self {
            Step::Plain(f) => so_far.map(f),
            Step::Async(f) => so_far.then(f),
        }
    }
}
// ANCHOR_END: step

// ANCHOR: fold
/// Folds the steps into one promise: start from a ready `input`, add each step in
/// turn. This only builds a value; no step runs until the promise is awaited.
pub fn pipeline<T: Send + 'static>(input: T, steps: &[Step<T>]) -> Promise<T> {
    steps.iter().fold(Promise::insert(input), |so_far, step| step.after(so_far))
}
// ANCHOR_END: fold

// ANCHOR: steps
pub fn trim(text: String) -> String {
    println!("  trim");
    text.trim().to_string()
}

/// A stand-in for asking a service to fix the spelling: it takes 100 ms.
pub fn spell_check(text: String) -> Promise<String> {
    println!("  spell_check: asks, waits 100 ms");
    Promise::new(async move {
        sleep(Duration::from_millis(100)).await;
        text.replace("promsie", "promise")
    })
}

pub fn shout(text: String) -> String {
    println!("  shout");
    text.to_uppercase()
}

/// A stand-in for saving the text: it takes 50 ms.
pub fn save(text: String) -> Promise<String> {
    println!("  save: writes, waits 50 ms");
    Promise::new(async move {
        sleep(Duration::from_millis(50)).await;
        format!("{text} (saved)")
    })
}
// ANCHOR_END: steps

// ANCHOR: main
/// The pipeline, as a plain list: two plain steps and two async ones.
pub const STEPS: [Step<String>; 4] = [
    Step::Plain(trim),
    Step::Async(spell_check),
    Step::Plain(shout),
    Step::Async(save),
];

// The clock is paused (start_paused), so the times printed are the same on every
// run.
#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    // ANCHOR_END: main
    if std::env::args().len() > 1 {
        eprintln!("usage: 05_fold_steps (it takes no arguments)");
        std::process::exit(2);
    }
    // ANCHOR: main
    let t0 = Instant::now();
    let promised = pipeline("  a lazy promsie ".to_string(), &STEPS);
    println!("built a pipeline of {} steps; now awaiting it:", STEPS.len());
    let result = promised.await;
    println!("{result:?} at {} ms", t0.elapsed().as_millis());
}
// ANCHOR_END: main

// The chapter's `Promise` (listing 2), copied here so that this file runs on its own:
// the Run button sends the whole file to the Rust Playground, which does not have this
// chapter's library. book-tests' tests/listing_copies.rs fails if the copy drifts.
// COPY_OF: 02_promise.rs:promise,future
/// Work that gives a `T` when it is awaited. Making one runs nothing.
#[must_use = "a promise does nothing until it is awaited"]
pub struct Promise<T> {
    /// Any future with output `T`, boxed so that every promise of a `T` has one
    /// type, and pinned because a future may not move once it has started.
    work: Pin<Box<dyn Future<Output = T> + Send + 'static>>,
}

impl<T: Send + 'static> Promise<T> {
    /// Wraps a future. The future has not started, and this does not start it.
    pub fn new(work: impl Future<Output = T> + Send + 'static) -> Self {
        Promise { work: Box::pin(work) }
    }

    /// A promise of a value you already have (pymonad's `insert`, JavaScript's
    /// `resolve`).
    pub fn insert(value: T) -> Self {
        Promise::new(future::ready(value))
    }

    /// When the value is there, pass it through a plain function.
    pub fn map<U: Send + 'static>(
        self,
        f: impl FnOnce(T) -> U + Send + 'static,
    ) -> Promise<U> {
        Promise::new(async move { f(self.await) })
    }

    /// When the value is there, pass it to a step that returns another promise,
    /// and wait for that one too: *bind* (`>>=` in Haskell, `flatMap` elsewhere).
    pub fn then<U: Send + 'static>(
        self,
        f: impl FnOnce(T) -> Promise<U> + Send + 'static,
    ) -> Promise<U> {
        Promise::new(async move { f(self.await).await })
    }
}

/// A promise is itself a future, so `.await` (and `join_all`, `select!`, …) work on
/// it.
impl<T> Future for Promise<T> {
    type Output = T;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        self.work.as_mut().poll(cx) // polling the promise polls the work inside
    }
}
// COPY_END
