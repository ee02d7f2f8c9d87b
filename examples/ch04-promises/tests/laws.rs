//! `Promise` obeys the functor and monad laws, checked over generated values,
//! promises and functions, and every step runs exactly once.
//!
//! A promise is used up when awaited, so each side of a law is built fresh from the
//! same generated *recipe*. Both sides are awaited on a paused current-thread
//! runtime, and the law holds when they give the same value at the same virtual
//! time. Every generated function counts its calls, so a `map` or `then` that ran a
//! step twice (or skipped it) fails even when the values agree.
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use ch04_promises::Promise;
use ch04_promises::listings::functional::compose;
use proptest::prelude::*;
use timeline::on_paused_clock;
use tokio::time::{Instant, sleep};

/// How a generated promise gets to its value: at once, after giving way once, or
/// after a sleep on the paused clock.
#[derive(Debug, Clone, Copy)]
enum Shape {
    Ready,
    Yield,
    Sleep(u64),
}

impl Shape {
    fn make<T: Send + 'static>(self, value: T) -> Promise<T> {
        match self {
            Shape::Ready => Promise::insert(value),
            Shape::Yield => Promise::new(async move {
                tokio::task::yield_now().await;
                value
            }),
            Shape::Sleep(ms) => Promise::new(async move {
                sleep(Duration::from_millis(ms)).await;
                value
            }),
        }
    }
}

fn shape() -> impl Strategy<Value = Shape> {
    prop_oneof![
        Just(Shape::Ready),
        Just(Shape::Yield),
        (0u64..50).prop_map(Shape::Sleep),
    ]
}

/// A generated plain function from the family `x -> x * a + b` (wrapping, so never
/// panics).
#[derive(Debug, Clone, Copy)]
struct Linear {
    a: i32,
    b: i32,
}

impl Linear {
    fn call(self, x: i32) -> i32 {
        x.wrapping_mul(self.a).wrapping_add(self.b)
    }
}

fn linear() -> impl Strategy<Value = Linear> {
    (any::<i32>(), any::<i32>()).prop_map(|(a, b)| Linear { a, b })
}

/// A generated async step: compute a linear function, give it back in a promise of
/// some shape.
#[derive(Debug, Clone, Copy)]
struct Step {
    f: Linear,
    shape: Shape,
}

impl Step {
    fn call(self, x: i32) -> Promise<i32> {
        self.shape.make(self.f.call(x))
    }
}

fn step() -> impl Strategy<Value = Step> {
    (linear(), shape()).prop_map(|(f, shape)| Step { f, shape })
}

/// A call counter to hand to a generated function.
#[derive(Clone, Default)]
struct Calls(Arc<AtomicUsize>);

impl Calls {
    /// Wraps `f` so that each call is counted. (`use<…>`: the wrapper does not
    /// borrow `self`.)
    fn count<A, B, F: Fn(A) -> B>(&self, f: F) -> impl Fn(A) -> B + use<A, B, F> {
        let calls = Arc::clone(&self.0);
        move |x| {
            calls.fetch_add(1, Ordering::SeqCst);
            f(x)
        }
    }

    fn get(&self) -> usize {
        self.0.load(Ordering::SeqCst)
    }
}

/// Awaits a promise on a fresh paused runtime: its value, and the virtual time it
/// took.
fn run<T>(promise: Promise<T>) -> (T, Duration) {
    on_paused_clock(async move {
        let t0 = Instant::now();
        let value = promise.await;
        (value, t0.elapsed())
    })
}

proptest! {
    /// `p.map(id) == p`.
    #[test]
    fn map_identity(v in any::<i32>(), s in shape()) {
        prop_assert_eq!(run(s.make(v).map(|x| x)), run(s.make(v)));
    }

    /// `p.map(f).map(g) == p.map(g ∘ f)`, with f and g called once on each side.
    #[test]
    fn map_composition(v in any::<i32>(), s in shape(), f in linear(), g in linear()) {
        let (f1, g1, fg2) = (Calls::default(), Calls::default(), Calls::default());
        let left = run(s.make(v).map(f1.count(move |x| f.call(x))).map(g1.count(move |x| g.call(x))));
        let right = run(s.make(v).map(fg2.count(compose(move |x| f.call(x), move |x| g.call(x)))));
        prop_assert_eq!(left, right);
        prop_assert_eq!((f1.get(), g1.get(), fg2.get()), (1, 1, 1));
    }

    /// Left identity: `insert(a).then(f) == f(a)`, and f runs once.
    #[test]
    fn then_left_identity(v in any::<i32>(), f in step()) {
        let calls = Calls::default();
        let left = run(Promise::insert(v).then(calls.count(move |x| f.call(x))));
        prop_assert_eq!(left, run(f.call(v)));
        prop_assert_eq!(calls.get(), 1);
    }

    /// Right identity: `p.then(insert) == p`.
    #[test]
    fn then_right_identity(v in any::<i32>(), s in shape()) {
        let calls = Calls::default();
        let left = run(s.make(v).then(calls.count(Promise::insert)));
        prop_assert_eq!(left, run(s.make(v)));
        prop_assert_eq!(calls.get(), 1);
    }

    /// Associativity: `p.then(f).then(g) == p.then(|x| f(x).then(g))`, each step
    /// once a side.
    #[test]
    fn then_associativity(v in any::<i32>(), s in shape(), f in step(), g in step()) {
        let (f1, g1, f2, g2) = (Calls::default(), Calls::default(), Calls::default(), Calls::default());
        let left = run(
            s.make(v)
                .then(f1.count(move |x| f.call(x)))
                .then(g1.count(move |x| g.call(x))),
        );
        let g2_step = g2.count(move |x| g.call(x));
        let f2_step = f2.count(move |x| f.call(x));
        let right = run(s.make(v).then(move |x| f2_step(x).then(g2_step)));
        prop_assert_eq!(left, right);
        prop_assert_eq!((f1.get(), g1.get(), f2.get(), g2.get()), (1, 1, 1, 1));
    }

    /// `map` is `then` with a step that puts its answer in a ready promise:
    /// `p.map(f) == p.then(|x| insert(f(x)))`. So a plain step can always be made
    /// async.
    #[test]
    fn map_is_then_with_insert(v in any::<i32>(), s in shape(), f in linear()) {
        let (by_map, by_then) = (Calls::default(), Calls::default());
        let left = run(s.make(v).map(by_map.count(move |x| f.call(x))));
        let step = by_then.count(move |x| f.call(x));
        let right = run(s.make(v).then(move |x| Promise::insert(step(x))));
        prop_assert_eq!(left, right);
        prop_assert_eq!((by_map.get(), by_then.get()), (1, 1));
    }

    /// `catch` leaves a success alone, and never calls the handler.
    #[test]
    fn catch_leaves_success_alone(v in any::<i32>(), s in shape(), h in step(), ok in any::<bool>()) {
        let calls = Calls::default();
        let handler = calls.count(move |e: i32| h.call(e).map(move |x| if ok { Ok(x) } else { Err(x) }));
        let left = run(s.make(Ok::<i32, i32>(v)).catch(handler));
        prop_assert_eq!(left, run(s.make(Ok::<i32, i32>(v))));
        prop_assert_eq!(calls.get(), 0);
    }

    /// `catch` hands an error to the handler once, and gives what the handler
    /// gives, after the failed promise's time plus the handler's.
    #[test]
    fn catch_recovers_errors(e in any::<i32>(), s in shape(), h in step(), ok in any::<bool>()) {
        let calls = Calls::default();
        let recover = move |e: i32| h.call(e).map(move |x| if ok { Ok::<i32, i32>(x) } else { Err(x) });
        let (value, took) = run(s.make(Err::<i32, i32>(e)).catch(calls.count(recover)));
        let (failed_value, failed_took) = run(s.make(Err::<i32, i32>(e)));
        let (handled, handler_took) = run(recover(e));
        prop_assert_eq!(failed_value, Err(e));
        prop_assert_eq!(value, handled);
        prop_assert_eq!(took, failed_took + handler_took);
        prop_assert_eq!(calls.get(), 1);
    }

    /// `catch` with a handler that gives the error back changes nothing (its
    /// identity).
    #[test]
    fn catch_identity(r in any::<Result<i32, i32>>(), s in shape()) {
        prop_assert_eq!(run(s.make(r).catch(|e| Promise::insert(Err(e)))), run(s.make(r)));
    }
}
