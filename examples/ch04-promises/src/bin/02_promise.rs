//! A promise as a container: a boxed future you can `map`, chain with `then` and
//! `catch`, then the same chain with futures' own tools.
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use futures::future::{self, FutureExt, TryFutureExt};
use tokio::time::{Instant, sleep};

// ANCHOR: promise
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

// ANCHOR_END: promise

// ANCHOR: catch
impl<T: Send + 'static, E: Send + 'static> Promise<Result<T, E>> {
    /// For a promise that may fail: on `Err`, run the recovery step; an `Ok` passes
    /// through untouched and the step never runs.
    pub fn catch<E2: Send + 'static>(
        self,
        recover: impl FnOnce(E) -> Promise<Result<T, E2>> + Send + 'static,
    ) -> Promise<Result<T, E2>> {
        Promise::new(async move {
            match self.await {
                Ok(value) => Ok(value),
                Err(error) => recover(error).await,
            }
        })
    }
}

// ANCHOR: future
/// A promise is itself a future, so `.await` (and `join_all`, `select!`, …) work on
/// it.
impl<T> Future for Promise<T> {
    type Output = T;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        self.work.as_mut().poll(cx) // polling the promise polls the work inside
    }
}
// ANCHOR_END: future
// ANCHOR_END: catch

// ANCHOR: lookups
/// A stand-in for a database call: 100 ms, and only users 1 and 2 exist.
pub async fn find_user(id: u32) -> Result<String, String> {
    sleep(Duration::from_millis(100)).await;
    match id {
        1 => Ok("ada".to_string()),
        2 => Ok("grace".to_string()),
        _ => Err(format!("no user {id}")),
    }
}

/// A second call that needs the first one's answer: 50 ms, and only ada has an
/// email.
pub async fn find_email(name: String) -> Result<String, String> {
    sleep(Duration::from_millis(50)).await;
    if name == "ada" {
        Ok(format!("{name}@example.com"))
    } else {
        Err(format!("no email for {name}"))
    }
}
// ANCHOR_END: lookups

// ANCHOR: chain
/// The whole lookup as one value: nothing runs until someone awaits it.
pub fn greeting(id: u32) -> Promise<Result<String, String>> {
    Promise::insert(id) // a ready value
        .then(|id| Promise::new(find_user(id))) // a step that returns a promise
        .map(|found| found.map(|name| format!("hello, {name}"))) // a plain step
        // recover
        .catch(|error| Promise::insert(Ok(format!("hello, guest ({error})"))))
}
// ANCHOR_END: chain

// ANCHOR: idiomatic
/// The same chain, line for line, with the futures crate's own tools, and no
/// boxing.
pub fn greeting_futures(
    id: u32,
) -> impl Future<Output = Result<String, String>> + Send {
    future::ready(id) // Promise::insert
        .then(find_user) // then, from FutureExt
        // map, from FutureExt
        .map(|found| found.map(|name| format!("hello, {name}")))
        // catch
        .or_else(|error| future::ready(Ok(format!("hello, guest ({error})"))))
}

/// `and_then` chains a step that runs only after a success; `map_err` changes the
/// error.
pub fn email(id: u32) -> impl Future<Output = Result<String, String>> + Send {
    find_user(id)
        .and_then(find_email) // skipped when find_user failed
        .map_err(|error| format!("lookup failed: {error}"))
}
// ANCHOR_END: idiomatic

// ANCHOR: main
// The clock is paused (start_paused), so the times printed are the same on every
// run.
#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    // ANCHOR_END: main
    if std::env::args().len() > 1 {
        eprintln!("usage: 02_promise (it takes no arguments)");
        std::process::exit(2);
    }
    // ANCHOR: main
    for id in [1, 9] {
        let t0 = Instant::now();
        let promised = greeting(id).await;
        println!(
            "greeting({id}):         {promised:?} at {} ms",
            t0.elapsed().as_millis()
        );
        let t0 = Instant::now();
        let idiomatic = greeting_futures(id).await;
        println!(
            "greeting_futures({id}): {idiomatic:?} at {} ms",
            t0.elapsed().as_millis()
        );
    }
    for id in [1, 2, 9] {
        let t0 = Instant::now();
        let found = email(id).await;
        println!("email({id}): {found:?} at {} ms", t0.elapsed().as_millis());
    }
}
// ANCHOR_END: main
