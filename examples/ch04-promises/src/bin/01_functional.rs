//! Just enough functional programming: pure functions, immutable values, functions
//! as values, currying, and `compose`.

// ANCHOR: pure
/// Pure: the answer depends only on the arguments, and calling it changes nothing
/// else. Call it twice with the same numbers and you get the same answer twice.
pub fn average(a: i32, b: i32, c: i32) -> f64 {
    f64::from(a + b + c) / 3.0
}

/// Not pure: it reads and changes a value that lives outside the call.
pub fn next_ticket(counter: &mut u32) -> u32 {
    *counter += 1;
    *counter
}
// ANCHOR_END: pure

// ANCHOR: immutable
/// Immutable data: build a new list instead of changing the old one.
/// The caller's `prices` are borrowed read-only, so they cannot change under it.
pub fn with_tax(prices: &[u32], percent: u32) -> Vec<u32> {
    prices.iter().map(|p| p + p * percent / 100).collect()
}
// ANCHOR_END: immutable

// ANCHOR: higher_order
/// Takes a function as an argument: a higher-order function.
pub fn apply_twice(f: impl Fn(i32) -> i32, x: i32) -> i32 {
    f(f(x))
}

/// Returns a function: the closure remembers `n` (it *captures* it).
pub fn adder(n: i32) -> impl Fn(i32) -> i32 {
    move |x| x + n
}
// ANCHOR_END: higher_order

// ANCHOR: compose
/// Glues two functions into one: first `f`, then `g`. Mathematicians write this g ∘
/// f.
pub fn compose<A, B, C>(f: impl Fn(A) -> B, g: impl Fn(B) -> C) -> impl Fn(A) -> C {
    move |x| g(f(x))
}

/// A whole list of steps glued into one function, by folding `compose` over it.
/// The identity function (`|x| x`, which changes nothing) is where the fold starts.
pub fn pipeline(steps: Vec<fn(i32) -> i32>) -> impl Fn(i32) -> i32 {
    let start: Box<dyn Fn(i32) -> i32> = Box::new(|x| x);
    steps.into_iter().fold(start, |so_far, step| Box::new(compose(so_far, step)))
}
// ANCHOR_END: compose

fn double(x: i32) -> i32 {
    x * 2
}

fn minus_three(x: i32) -> i32 {
    x - 3
}

// ANCHOR: main
fn main() {
    // ANCHOR_END: main
    if std::env::args().len() > 1 {
        eprintln!("usage: 01_functional (it takes no arguments)");
        std::process::exit(2);
    }
    // ANCHOR: main
    println!("average(1, 2, 4) = {:.3}", average(1, 2, 4));
    println!("average(1, 2, 4) = {:.3} again", average(1, 2, 4));

    let mut counter = 0;
    println!("next_ticket = {}", next_ticket(&mut counter));
    println!("next_ticket = {}, not the same", next_ticket(&mut counter));

    let prices = vec![100, 250];
    let taxed = with_tax(&prices, 20);
    println!("prices {prices:?} stay; with tax {taxed:?}");

    println!("apply_twice(adder(10), 1) = {}", apply_twice(adder(10), 1));

    println!("adder(2)(3) = {}", adder(2)(3)); // curried: one number, then the other
    let add_two = adder(2); // partial application: `n` now, `x` later
    println!("add_two(3) = {}, add_two(40) = {}", add_two(3), add_two(40));
    let with_2_and_4 = |a| average(a, 2, 4); // partial application by closure
    println!("with_2_and_4(1) = {:.3}", with_2_and_4(1));
    println!("with_2_and_4(7) = {:.3}", with_2_and_4(7));

    let double_then_minus = compose(double, minus_three);
    let minus_then_double = compose(minus_three, double);
    println!("compose(double, minus_three)(5) = {}", double_then_minus(5));
    println!("compose(minus_three, double)(5) = {}", minus_then_double(5));

    let steps: Vec<fn(i32) -> i32> = vec![double, minus_three, double];
    println!("pipeline([double, minus_three, double])(5) = {}", pipeline(steps)(5));
}
// ANCHOR_END: main
