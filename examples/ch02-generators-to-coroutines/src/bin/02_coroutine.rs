//! A coroutine that receives values, like Python's `gen.send(x)`, written as a
//! state machine.

// The Python generator this enum spells out by hand:
//
//     def averager():
//         total, count, average = 0.0, 0, None
//         while True:
//             value = yield average   # hand out the average, then wait for send()
//             total += value
//             count += 1
//             average = total / count
//
// Between two resumes the generator is paused somewhere, holding some locals. The enum has
// one variant per place it can be paused, and each variant holds the locals needed there.

// ANCHOR: machine

/// A running average, one value at a time: the generator's state between two
/// resumes.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Averager {
    /// Created, body not run yet (Python's `GEN_CREATED`).
    #[default]
    NotStarted,
    /// Paused at `value = yield average`, keeping the two locals that live across
    /// the yield.
    Suspended { total: f64, count: u32 },
}

impl Averager {
    pub fn new() -> Self {
        Averager::NotStarted
    }

    /// Python's `gen.send(value)`: continue from where it paused, with `value` as
    /// the result of the `yield`, run to the next `yield`, and return what that
    /// yields.
    pub fn resume(&mut self, value: f64) -> f64 {
        let (total, count) = match *self {
            // The first resume runs the body from the top (total = 0.0, count = 0)
            // and through the loop once. The first value comes in as the argument:
            // nothing to prime.
            Averager::NotStarted => (value, 1),
            // Every later resume continues just after the `yield`.
            Averager::Suspended { total, count } => (total + value, count + 1),
        };
        *self = Averager::Suspended { total, count }; // pause at the `yield` again
        total / f64::from(count)
    }
}
// ANCHOR_END: machine

fn main() {
    if std::env::args().len() > 1 {
        eprintln!("usage: 02_coroutine (it takes no arguments)");
        std::process::exit(2);
    }
    // ANCHOR: drive
    let mut avg = Averager::new();
    println!("new:        {avg:?}");
    // Python needs `next(avg)` here first: `avg.send(10)` on a fresh generator
    // raises "TypeError: can't send non-None value to a just-started generator",
    // because no `yield` is waiting to receive it. Our first resume takes the value
    // directly.
    for value in [10.0, 20.0, 30.0, 60.0] {
        let average = avg.resume(value);
        println!("resume({value}) -> {average:<4} now {avg:?}");
    }
    // ANCHOR_END: drive

    // ANCHOR: two
    // Each coroutine is a value with its own state, so one loop can drive several
    // in turn: the seed of the event loop later in this chapter.
    println!("\ntwo averagers, resumed in turn:");
    let (mut a, mut b) = (Averager::new(), Averager::new());
    for (x, y) in [(1.0, 100.0), (2.0, 200.0), (3.0, 600.0)] {
        let (avg_a, avg_b) = (a.resume(x), b.resume(y));
        println!("  a.resume({x}) -> {avg_a:<4} b.resume({y}) -> {avg_b}");
    }
    // ANCHOR_END: two
}
