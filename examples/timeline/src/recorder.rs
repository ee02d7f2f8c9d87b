//! [`Recorder`]: collects spans from running code.

use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};

use tokio::time::Instant;

use crate::layout::canonical_cmp;
use crate::{Span, Timeline};

/// Collects [`Span`]s from running code: blocking closures and futures.
///
/// Time zero is the moment [`Recorder::new`] is called, read from
/// [`tokio::time::Instant`]. That clock follows tokio's paused virtual clock
/// when the recorder is created inside a runtime whose clock is paused (for
/// example in `#[tokio::test(start_paused = true)]`), and real time
/// otherwise. On the paused clock, a task that sleeps 50 ms records exactly
/// 50 ms, on every run, which is what makes committed pictures reproducible.
///
/// A recorder is cheap to clone: clones share one list of spans, so each task
/// or thread can take its own clone.
///
/// ```
/// use timeline::Recorder;
///
/// let recorder = Recorder::new();
/// let sum = recorder.record("sum", || (1..=100u64).sum::<u64>());
/// assert_eq!(sum, 5050);
/// assert_eq!(recorder.spans()[0].label, "sum");
/// ```
#[derive(Debug, Clone)]
pub struct Recorder {
    zero: Instant,
    spans: Arc<Mutex<Vec<Span>>>,
}

impl Default for Recorder {
    fn default() -> Self {
        Self::new()
    }
}

impl Recorder {
    /// Makes an empty recorder whose time zero is now (tokio's clock; see
    /// the type's documentation).
    pub fn new() -> Self {
        Recorder { zero: Instant::now(), spans: Arc::default() }
    }

    /// Runs `work` on the current thread and records it as a span named
    /// `label`, from just before the call to just after it returns; returns
    /// what `work` returns.
    ///
    /// If `work` panics, nothing is recorded and the panic goes on.
    pub fn record<T>(
        &self,
        label: impl Into<String>,
        work: impl FnOnce() -> T,
    ) -> T {
        let label = label.into();
        let start = self.zero.elapsed();
        let out = work();
        let end = self.zero.elapsed();
        self.push(Span { label, thread: current_thread(), start, end });
        out
    }

    /// Awaits `fut` and records it as a span named `label`; returns its
    /// output.
    ///
    /// The span starts when the returned future is first polled (not when
    /// `record_async` is called), ends when `fut` completes, and its thread is
    /// the thread it completed on: on a multi-thread runtime a task may move
    /// between threads while it waits, and the one that finishes it is the one
    /// recorded.
    ///
    /// If the future is dropped before it completes, nothing is recorded.
    pub async fn record_async<T>(
        &self,
        label: impl Into<String>,
        fut: impl Future<Output = T>,
    ) -> T {
        // The body of an `async fn` first runs when it is first polled, so
        // this is the first poll.
        let start = self.zero.elapsed();
        let out = fut.await;
        let end = self.zero.elapsed();
        self.push(Span {
            label: label.into(),
            thread: current_thread(),
            start,
            end,
        });
        out
    }

    /// A copy of the spans recorded so far, sorted by start, then label (in
    /// natural order, so `"job 2"` comes before `"job 10"`), then end, then
    /// thread.
    pub fn spans(&self) -> Vec<Span> {
        let mut spans = self.lock().clone();
        spans.sort_by(canonical_cmp);
        spans
    }

    /// A [`Timeline`] of the spans recorded so far; shorthand for
    /// `Timeline::new(id, title, self.spans())`.
    pub fn timeline(&self, id: &str, title: &str) -> Timeline {
        Timeline::new(id, title, self.spans())
    }

    fn push(&self, span: Span) {
        self.lock().push(span);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Span>> {
        // No code runs while the lock is held except a push or a clone, so a
        // poisoned lock still holds a consistent list.
        self.spans.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Identifies the current OS thread, the way the book's listings do.
fn current_thread() -> String {
    format!("{:?}", std::thread::current().id())
}
