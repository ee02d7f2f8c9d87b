//! A blocking call inside async code stalls every task on the thread; two ways to
//! fix it.
use std::time::Duration;

use tokio::time::Instant;

/// One finished job: its id, the thread it ran on, and when it started and ended.
pub type Span = (u32, String, Duration, Duration);

const DELAY: Duration = Duration::from_millis(50);

// ANCHOR: blocked
/// WRONG: `std::thread::sleep` blocks the whole thread, so no other task can run
/// meanwhile.
pub async fn blocked_request() {
    // stands in for any blocking call: a file read, a slow library
    std::thread::sleep(DELAY);
}
// ANCHOR_END: blocked

// ANCHOR: fixes
/// Fix 1: wait the async way. The task yields while it waits and the thread runs
/// others.
pub async fn async_request() {
    tokio::time::sleep(DELAY).await;
}

/// Fix 2: keep the blocking call, but run it on tokio's pool of threads meant for
/// blocking.
pub async fn offloaded_request() {
    tokio::task::spawn_blocking(|| std::thread::sleep(DELAY))
        .await
        .expect("the blocking call does not panic");
}
// ANCHOR_END: fixes

/// Spawns ten tasks running `request` and returns when each one started and ended.
pub async fn run<F, Fut>(request: F) -> Vec<Span>
where
    F: Fn() -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let start = Instant::now();
    let tasks: Vec<_> = (0..10)
        .map(|id| {
            let request = request();
            tokio::spawn(async move {
                let began = start.elapsed();
                request.await;
                let thread = format!("{:?}", std::thread::current().id());
                (id, thread, began, start.elapsed())
            })
        })
        .collect();
    let mut spans = Vec::new();
    for task in tasks {
        spans.push(task.await.expect("a task does not panic"));
    }
    spans
}

/// Do the jobs overlap, or does each start only after the one before it ended?
pub fn overlapped(spans: &[Span]) -> bool {
    let first_end = spans.iter().map(|span| span.3).min().unwrap_or_default();
    spans.iter().all(|span| span.2 < first_end)
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    if std::env::args().len() > 1 {
        eprintln!("usage: 06_blocking (it takes no arguments)");
        std::process::exit(2);
    }
    let start = Instant::now();
    let spans = run(blocked_request).await;
    report("std::thread::sleep in a task", &spans, start);

    let start = Instant::now();
    let spans = run(async_request).await;
    report("fix 1: tokio::time::sleep", &spans, start);

    let start = Instant::now();
    let spans = run(offloaded_request).await;
    report("fix 2: spawn_blocking", &spans, start);
}

fn report(name: &str, spans: &[Span], start: Instant) {
    let how = if overlapped(spans) { "overlapped" } else { "ran one at a time" };
    println!("{name:<30} 10 jobs {how:<17} {:>3} ms", start.elapsed().as_millis());
}
