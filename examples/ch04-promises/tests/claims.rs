//! The chapter's claims about its listings, asserted exactly (the exercises' are in
//! `exercises.rs`).
//!
//! Async timing runs on tokio's paused clock: a 100 ms sleep takes exactly 100 ms
//! of virtual time, and the tests take no real time at all. Property tests build a
//! paused current-thread runtime for each generated case.
use std::time::Duration;

use ch04_promises::listings::fold_steps::{self, Step, pipeline};
use ch04_promises::listings::{
    define_now_run_later, functional, join_lift, lift, promise,
};
use proptest::prelude::*;
use timeline::on_paused_clock;

mod common;
use common::*;

// ---- 01_functional ----

#[test]
fn pure_and_impure_functions() {
    assert_eq!(functional::average(1, 2, 4), functional::average(1, 2, 4));
    let mut counter = 0;
    assert_ne!(
        functional::next_ticket(&mut counter),
        functional::next_ticket(&mut counter)
    );
}

/// Referential transparency: a call to `average` can be replaced by its value; a
/// call to `next_ticket` cannot.
#[test]
fn a_pure_call_can_be_replaced_by_its_value_and_an_impure_one_cannot() {
    let x = functional::average(1, 2, 4);
    assert_eq!(functional::average(1, 2, 4) + functional::average(1, 2, 4), x + x);

    let mut counter = 0;
    let called_twice = functional::next_ticket(&mut counter)
        + functional::next_ticket(&mut counter);
    let mut counter = 0;
    let t = functional::next_ticket(&mut counter);
    assert_eq!((called_twice, t + t), (3, 2));
}

#[test]
fn with_tax_builds_a_new_list_and_leaves_the_old_one() {
    let prices = vec![100, 250];
    assert_eq!(functional::with_tax(&prices, 20), vec![120, 300]);
    assert_eq!(prices, vec![100, 250]);
}

#[test]
fn higher_order_functions() {
    assert_eq!(functional::apply_twice(functional::adder(10), 1), 21);
}

#[test]
fn curried_adder_and_partial_application() {
    assert_eq!(functional::adder(2)(3), 5);
    let add_two = functional::adder(2); // one partially applied function, used twice
    assert_eq!((add_two(3), add_two(40)), (5, 42));
}

fn double(x: i32) -> i32 {
    x.wrapping_mul(2)
}
fn plus_seven(x: i32) -> i32 {
    x.wrapping_add(7)
}
fn negate(x: i32) -> i32 {
    x.wrapping_neg()
}
const MENU: [fn(i32) -> i32; 3] = [double, plus_seven, negate];

proptest! {
    /// `compose(f, g)` is "first f, then g", and composing is associative.
    #[test]
    fn compose_is_first_f_then_g(x in any::<i32>(), f in 0..3usize, g in 0..3usize, h in 0..3usize) {
        let (f, g, h) = (MENU[f], MENU[g], MENU[h]);
        prop_assert_eq!(functional::compose(f, g)(x), g(f(x)));
        let left = functional::compose(functional::compose(f, g), h);
        let right = functional::compose(f, functional::compose(g, h));
        prop_assert_eq!(left(x), right(x));
    }

    /// `pipeline(steps)` applies the steps in list order; the empty list is the
    /// identity.
    #[test]
    fn pipeline_applies_steps_in_order(x in any::<i32>(), picks in prop::collection::vec(0..3usize, 0..8)) {
        let steps: Vec<fn(i32) -> i32> = picks.iter().map(|&i| MENU[i]).collect();
        let expected = steps.iter().fold(x, |acc, step| step(acc));
        prop_assert_eq!(functional::pipeline(steps)(x), expected);
    }
}

// ---- 02_promise ----

#[test]
fn the_library_promise_is_the_listing_promise() {
    // One type, not two copies: this only compiles if they are the same.
    let p: promise::Promise<i32> = ch04_promises::Promise::insert(1);
    assert_eq!(futures::executor::block_on(p), 1);
}

#[tokio::test(start_paused = true)]
async fn greeting_finds_or_recovers_in_100_ms() {
    assert_eq!(
        timed(promise::greeting(1)).await,
        (Ok("hello, ada".to_string()), 100 * MS)
    );
    assert_eq!(
        timed(promise::greeting(9)).await,
        (Ok("hello, guest (no user 9)".to_string()), 100 * MS)
    );
}

#[tokio::test(start_paused = true)]
async fn the_promise_chain_and_the_futures_chain_agree() {
    for id in 0..6 {
        let ours = timed(promise::greeting(id)).await;
        let theirs = timed(promise::greeting_futures(id)).await;
        assert_eq!(ours, theirs, "user {id}");
    }
}

#[tokio::test(start_paused = true)]
async fn and_then_skips_the_second_lookup_after_a_failure() {
    let ok = |s: &str| Ok::<String, String>(s.to_string());
    let err = |s: &str| Err::<String, String>(s.to_string());
    assert_eq!(timed(promise::email(1)).await, (ok("ada@example.com"), 150 * MS));
    assert_eq!(
        timed(promise::email(2)).await,
        (err("lookup failed: no email for grace"), 150 * MS)
    );
    // find_email never ran: 100 ms, not 150.
    assert_eq!(
        timed(promise::email(9)).await,
        (err("lookup failed: no user 9"), 100 * MS)
    );
}

// ---- 03_define_now_run_later ----

#[tokio::test(start_paused = true)]
async fn ten_promises_start_when_awaited_not_when_defined() {
    let report = define_now_run_later::define_then_run(10, 50 * MS).await;
    assert_eq!(report.started_before_await, 0);
    assert_eq!(report.started_after_await, 10);
    let expected: Vec<_> = (1..=10).map(|id| (id, 50 * MS, 150 * MS)).collect();
    assert_eq!(report.runs, expected);
    assert_eq!(report.total, 150 * MS);
}

#[tokio::test(start_paused = true)]
async fn ten_promises_of_100_ms_together_take_100_ms() {
    let report = define_now_run_later::define_then_run(10, Duration::ZERO).await;
    assert_eq!(report.total, 100 * MS);
    assert!(
        report
            .runs
            .iter()
            .all(|&(_, began, ended)| began.is_zero() && ended == 100 * MS)
    );
}

proptest! {
    /// Any number of promises, awaited together after any idle time: all start at
    /// the await, and the whole takes the idle time plus one job.
    #[test]
    fn joined_promises_take_one_wait_after_the_await(n in 1u32..40, idle in 0u64..500) {
        let report = on_paused_clock(define_now_run_later::define_then_run(n, Duration::from_millis(idle)));
        prop_assert_eq!(report.started_before_await, 0);
        prop_assert_eq!(report.runs.len(), n as usize);
        prop_assert_eq!(report.total, Duration::from_millis(idle) + define_now_run_later::WAIT);
    }
}

// ---- 04_lift ----

#[tokio::test(start_paused = true)]
async fn the_lifted_average_takes_the_longest_input() {
    let average_later = lift::lift3(functional::average);
    let lifted = average_later(
        lift::reading(1, 100),
        lift::reading(2, 300),
        lift::reading(4, 200),
    );
    let (value, took) = timed(lifted).await;
    assert_eq!(value, functional::average(1, 2, 4));
    assert_eq!(took, 300 * MS);
}

#[tokio::test(start_paused = true)]
async fn one_by_one_takes_the_sum() {
    let (value, took) = timed(lift::one_by_one(
        lift::reading(1, 100),
        lift::reading(2, 300),
        lift::reading(4, 200),
    ))
    .await;
    assert_eq!(value, functional::average(1, 2, 4));
    assert_eq!(took, 600 * MS);
}

proptest! {
    /// Lifted: the maximum of the three waits. One by one: their sum. Same value.
    #[test]
    fn lifted_is_max_and_one_by_one_is_sum(
        values in prop::array::uniform3(-1000i32..1000),
        waits in prop::array::uniform3(0u64..1000),
    ) {
        let [a, b, c] = values;
        let [x, y, z] = waits;
        let lifted = on_paused_clock(timed(lift::lift3(functional::average)(
            lift::reading(a, x), lift::reading(b, y), lift::reading(c, z))));
        let one_by_one = on_paused_clock(timed(lift::one_by_one(
            lift::reading(a, x), lift::reading(b, y), lift::reading(c, z))));
        prop_assert_eq!(lifted.0, functional::average(a, b, c));
        prop_assert_eq!(one_by_one.0, lifted.0);
        prop_assert_eq!(lifted.1, Duration::from_millis(x.max(y).max(z)));
        prop_assert_eq!(one_by_one.1, Duration::from_millis(x + y + z));
    }
}

// ---- 07_join_lift ----

proptest! {
    /// `join!` then a plain call: the value of the plain call, after the slowest
    /// input's wait (not the sum). The listing's copy of `average` is the chapter's.
    #[test]
    fn joined_inputs_take_the_slowest_wait(
        values in prop::array::uniform3(-1000i32..1000),
        waits in prop::array::uniform3(0u64..1000),
    ) {
        let [a, b, c] = values;
        let [x, y, z] = waits;
        let (value, took) = on_paused_clock(timed(async {
            let (a, b, c) = tokio::join!(
                join_lift::reading(a, x),
                join_lift::reading(b, y),
                join_lift::reading(c, z),
            );
            join_lift::average(a, b, c)
        }));
        prop_assert_eq!(value, functional::average(a, b, c));
        prop_assert_eq!(took, Duration::from_millis(x.max(y).max(z)));
    }
}

// ---- 05_fold_steps ----

fn add_one(x: i64) -> i64 {
    x.wrapping_add(1)
}
fn triple(x: i64) -> i64 {
    x.wrapping_mul(3)
}
// Listing 5 carries its own copy of the chapter's `Promise` (so that it runs in the
// browser), and its async steps return that one.
fn add_one_in_10_ms(x: i64) -> fold_steps::Promise<i64> {
    fold_steps::Promise::new(after(10, add_one(x)))
}
fn triple_in_25_ms(x: i64) -> fold_steps::Promise<i64> {
    fold_steps::Promise::new(after(25, triple(x)))
}

/// One entry of the menu below: a step, what it computes, and how many ms it takes.
type MenuStep = (Step<i64>, fn(i64) -> i64, u64);

/// The menu a generated pipeline picks from.
const STEPS: [MenuStep; 4] = [
    (Step::Plain(add_one), add_one, 0),
    (Step::Plain(triple), triple, 0),
    (Step::Async(add_one_in_10_ms), add_one, 10),
    (Step::Async(triple_in_25_ms), triple, 25),
];

proptest! {
    /// A folded pipeline gives what applying its steps in order gives, and takes
    /// the sum of its async steps' times.
    #[test]
    fn a_folded_pipeline_runs_its_steps_in_order(
        input in any::<i64>(),
        picks in prop::collection::vec(0..STEPS.len(), 0..12),
    ) {
        let steps: Vec<Step<i64>> = picks.iter().map(|&i| STEPS[i].0).collect();
        let expected = picks.iter().fold(input, |acc, &i| (STEPS[i].1)(acc));
        let total: u64 = picks.iter().map(|&i| STEPS[i].2).sum();
        let got = on_paused_clock(timed(pipeline(input, &steps)));
        prop_assert_eq!(got, (expected, Duration::from_millis(total)));
    }
}

#[tokio::test(start_paused = true)]
async fn the_listings_pipeline_takes_150_ms() {
    use ch04_promises::listings::fold_steps::STEPS;
    let got = timed(pipeline("  a lazy promsie ".to_string(), &STEPS)).await;
    assert_eq!(got, ("A LAZY PROMISE (saved)".to_string(), 150 * MS));
}

#[tokio::test(start_paused = true)]
async fn one_list_of_steps_builds_many_pipelines() {
    let steps = [Step::Plain(add_one), Step::Async(triple_in_25_ms)];
    let first = pipeline(1, &steps);
    let second = pipeline(10, &steps);
    assert_eq!(timed(first).await, (6, 25 * MS));
    assert_eq!(timed(second).await, (33, 25 * MS));
}
