//! A tiny event loop: many tasks on one thread, a ready queue, and timers ordered
//! by deadline. The loop itself is in the chapter's library, one step per file
//! (`src/event_loop/`); this program runs it.
use std::time::{Duration, Instant};

pub use ch02_generators_to_coroutines::event_loop::{
    Clock, EventLoop, Report, Sleep, TaskId, now, sleep,
};

const MS: Duration = Duration::from_millis(1);

// ANCHOR: demo
/// Three sleepers and a task that panics, on a virtual clock: they finish in
/// deadline order, at exact times, and the panic is reported instead of ending the
/// loop.
pub fn demo() -> Report {
    let mut event_loop = EventLoop::new(Clock::virtual_time());
    for (name, ms) in [("slow", 30), ("fast", 10), ("medium", 20)] {
        event_loop.spawn(async move {
            sleep(ms * MS).await;
            println!("at {:>2} ms: {name} woke up", now().as_millis());
        });
    }
    event_loop.spawn(async {
        sleep(15 * MS).await;
        panic!("out of coffee");
    });
    event_loop.run()
}
// ANCHOR_END: demo

// ANCHOR: scale
/// How long task `i` of `many_sleepers` sleeps: 1 to 100 ms, scrambled so that
/// spawn order is not deadline order.
pub fn nap(i: TaskId) -> Duration {
    MS * (i * 37 % 100 + 1) as u32
}

/// `count` tasks on one loop, task `i` sleeping `nap(i)`.
pub fn many_sleepers(clock: Clock, count: usize) -> Report {
    let mut event_loop = EventLoop::new(clock);
    for i in 0..count {
        event_loop.spawn(sleep(nap(i)));
    }
    event_loop.run()
}

fn main() {
    if std::env::args().len() > 1 {
        eprintln!("usage: 06_event_loop (it takes no arguments)");
        std::process::exit(2);
    }
    // The loop reports panics itself; keep Rust's default panic message off stderr.
    std::panic::set_hook(Box::new(|_| {}));

    println!("Four tasks on a virtual clock:");
    let report = demo();
    for (id, at, message) in &report.failed {
        println!("task {id} panicked at {} ms: {message}", at.as_millis());
    }
    let order: Vec<TaskId> = report.finished.iter().map(|&(id, _)| id).collect();
    println!("finished: tasks {order:?}");

    println!("\n10000 tasks sleeping 1 to 100 ms, on one thread and a real clock:");
    let start = Instant::now();
    let report = many_sleepers(Clock::real(), 10_000);
    let elapsed = start.elapsed();
    let early = report.finished.iter().filter(|&&(id, at)| at < nap(id)).count();
    let (done, failed) = (report.finished.len(), report.failed.len());
    println!(
        "{done} finished, {failed} failed, {early} woke before their deadline"
    );
    println!("all done after {} ms of real time", elapsed.as_millis());
}
// ANCHOR_END: scale
