//! Building a promise runs nothing: no step's side effect happens before the
//! promise is awaited, for `map`, `then`, `catch`, the lifted function and the
//! folded pipeline (the exercises' `zip` and `retry` are checked the same way in
//! `exercises.rs`). Each test lets virtual time pass between building and awaiting,
//! so a step that ran on its own would have had the chance.
use std::sync::atomic::{AtomicUsize, Ordering};

use ch04_promises::listings::fold_steps::{self, Step, pipeline};
use ch04_promises::listings::lift::lift3;

mod common;
use common::*;

#[tokio::test(start_paused = true)]
async fn map_runs_nothing_until_awaited() {
    let effects = Effects::default();
    let e = effects.clone();
    let promised = effects.promise(2).map(move |x| {
        e.happen();
        x * 10
    });
    give_it_a_chance().await;
    assert_eq!(effects.get(), 0, "neither the source nor the map step ran");
    assert_eq!(promised.await, 20);
    assert_eq!(effects.get(), 2, "both ran once");
}

#[tokio::test(start_paused = true)]
async fn then_runs_nothing_until_awaited() {
    let effects = Effects::default();
    let e = effects.clone();
    let promised = effects.promise(2).then(move |x| e.promise(x + 1));
    give_it_a_chance().await;
    assert_eq!(effects.get(), 0);
    assert_eq!(promised.await, 3);
    assert_eq!(effects.get(), 2);
}

#[tokio::test(start_paused = true)]
async fn catch_runs_nothing_until_awaited() {
    let effects = Effects::default();
    let e = effects.clone();
    let promised = effects
        .promise(Err::<i32, &str>("boom"))
        .catch(move |_| e.promise(Ok::<i32, &str>(0)));
    give_it_a_chance().await;
    assert_eq!(effects.get(), 0);
    assert_eq!(promised.await, Ok(0));
    assert_eq!(
        effects.get(),
        2,
        "the failing promise and the handler ran once each"
    );
}

static AVERAGE_CALLS: AtomicUsize = AtomicUsize::new(0);

/// The plain function to lift, counting its calls.
fn counted_average(a: i32, b: i32, c: i32) -> f64 {
    AVERAGE_CALLS.fetch_add(1, Ordering::SeqCst);
    f64::from(a + b + c) / 3.0
}

#[tokio::test(start_paused = true)]
async fn a_lifted_function_runs_nothing_until_awaited() {
    let effects = Effects::default();
    let average_later = lift3(counted_average);
    let promised =
        average_later(effects.promise(1), effects.promise(2), effects.promise(6));
    give_it_a_chance().await;
    assert_eq!(effects.get(), 0, "no input was read");
    assert_eq!(
        AVERAGE_CALLS.load(Ordering::SeqCst),
        0,
        "the plain function was not called"
    );
    assert_eq!(promised.await, 3.0);
    assert_eq!(effects.get(), 3);
    assert_eq!(AVERAGE_CALLS.load(Ordering::SeqCst), 1);
}

static PLAIN_STEPS: AtomicUsize = AtomicUsize::new(0);
static ASYNC_STEPS: AtomicUsize = AtomicUsize::new(0);
static ASYNC_STEP_WORK: AtomicUsize = AtomicUsize::new(0);

fn plain_step(x: u32) -> u32 {
    PLAIN_STEPS.fetch_add(1, Ordering::SeqCst);
    x + 1
}

/// Listing 5's steps return its own copy of the chapter's `Promise`.
fn async_step(x: u32) -> fold_steps::Promise<u32> {
    ASYNC_STEPS.fetch_add(1, Ordering::SeqCst);
    fold_steps::Promise::new(async move {
        ASYNC_STEP_WORK.fetch_add(1, Ordering::SeqCst);
        x * 2
    })
}

#[tokio::test(start_paused = true)]
async fn a_folded_pipeline_runs_nothing_until_awaited() {
    let steps = [
        Step::Plain(plain_step),
        Step::Async(async_step),
        Step::Plain(plain_step),
        Step::Async(async_step),
    ];
    let promised = pipeline(1, &steps);
    give_it_a_chance().await;
    let counts = || {
        [&PLAIN_STEPS, &ASYNC_STEPS, &ASYNC_STEP_WORK]
            .map(|c| c.load(Ordering::SeqCst))
    };
    assert_eq!(counts(), [0, 0, 0], "building the pipeline called no step");
    assert_eq!(promised.await, ((1 + 1) * 2 + 1) * 2);
    assert_eq!(counts(), [2, 2, 2], "each step ran once");
}

#[tokio::test(start_paused = true)]
async fn a_promise_built_twice_does_its_work_twice() {
    let effects = Effects::default();
    let build = || effects.promise(7).map(|x| x + 1);
    assert_eq!((build().await, build().await), (8, 8));
    assert_eq!(effects.get(), 2, "the same recipe, run twice: two side effects");
}
