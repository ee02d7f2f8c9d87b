//! Define now, run later: ten promises are built and nothing runs until they are
//! awaited together.
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use futures::future::{self, join_all};
use tokio::time::{Instant, sleep};

/// One job's run: its id, and when it started and ended, counted from `t0`.
pub type Run = (u32, Duration, Duration);

/// How long each job waits (a stand-in for an IO call).
pub const WAIT: Duration = Duration::from_millis(100);

// ANCHOR: job
/// Describes one job. `started` counts the jobs that have really begun.
pub fn job(id: u32, t0: Instant, started: Arc<AtomicUsize>) -> Promise<Run> {
    Promise::insert(id)
        .map(move |id| {
            started.fetch_add(1, Ordering::SeqCst); // the job's first real action
            (id, t0.elapsed())
        })
        .then(|(id, began)| {
            Promise::new(async move {
                sleep(WAIT).await;
                (id, began)
            })
        })
        .map(move |(id, began)| (id, began, t0.elapsed()))
}
// ANCHOR_END: job

// ANCHOR: define_then_run
/// What happened: how many jobs had started before and after the `.await`, each
/// job's run, and how long the whole took.
pub struct Report {
    pub started_before_await: usize,
    pub started_after_await: usize,
    pub runs: Vec<Run>,
    pub total: Duration,
}

/// Builds `n` jobs at time 0, lets `idle` pass, then runs them all together.
pub async fn define_then_run(n: u32, idle: Duration) -> Report {
    let t0 = Instant::now();
    let started = Arc::new(AtomicUsize::new(0));
    let promises: Vec<Promise<Run>> =
        (1..=n).map(|id| job(id, t0, Arc::clone(&started))).collect();
    sleep(idle).await; // time passes; the promises are only values in a Vec
    let started_before_await = started.load(Ordering::SeqCst);
    let runs = join_all(promises).await; // now they run, all at once
    Report {
        started_before_await,
        started_after_await: started.load(Ordering::SeqCst),
        runs,
        total: t0.elapsed(),
    }
}
// ANCHOR_END: define_then_run

// ANCHOR: main
// The clock is paused (start_paused), so the times printed are the same on every
// run.
#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    // ANCHOR_END: main
    if std::env::args().len() > 1 {
        eprintln!("usage: 03_define_now_run_later (it takes no arguments)");
        std::process::exit(2);
    }
    // ANCHOR: main
    let report = define_then_run(10, Duration::from_millis(50)).await;
    println!("defined 10 promises at 0 ms; awaited them at 50 ms");
    println!("jobs started before the await: {}", report.started_before_await);
    println!("jobs started after the await:  {}", report.started_after_await);
    for (id, began, ended) in &report.runs {
        println!(
            "  job {id:>2} ran {:>3} -> {} ms",
            began.as_millis(),
            ended.as_millis()
        );
    }
    println!("all done at {} ms", report.total.as_millis());
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
