//! Helpers shared by the chapter's test files (each test file uses some of them).
#![allow(dead_code)]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use ch04_promises::Promise;
use tokio::time::{Instant, sleep};

pub const MS: Duration = Duration::from_millis(1);

/// Awaits a future, and says how much virtual time it took.
pub async fn timed<T>(future: impl Future<Output = T>) -> (T, Duration) {
    let t0 = Instant::now();
    let value = future.await;
    (value, t0.elapsed())
}

/// A promise of `value` that takes `ms` of virtual time.
pub fn after<T: Send + 'static>(ms: u64, value: T) -> Promise<T> {
    Promise::new(async move {
        sleep(Duration::from_millis(ms)).await;
        value
    })
}

/// A shared count of side effects.
#[derive(Clone, Default)]
pub struct Effects(Arc<AtomicUsize>);

impl Effects {
    pub fn happen(&self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }

    pub fn get(&self) -> usize {
        self.0.load(Ordering::SeqCst)
    }

    /// A promise of `value` whose work is itself a side effect.
    pub fn promise<T: Send + 'static>(&self, value: T) -> Promise<T> {
        let me = self.clone();
        Promise::new(async move {
            me.happen();
            value
        })
    }
}

/// Lets the runtime run anything it could, and virtual time pass.
pub async fn give_it_a_chance() {
    tokio::task::yield_now().await;
    sleep(Duration::from_secs(1)).await;
}
