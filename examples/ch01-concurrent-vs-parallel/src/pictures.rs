//! The chapter's timelines, drawn from runs of the listings themselves.
//!
//! Pictures of async code come from tokio's paused clock, where a 50 ms sleep takes
//! exactly 50 ms of virtual time: they are exact, and `tests/pictures.rs` fails
//! when a committed SVG is not what the code draws now. Pictures of threads and
//! rayon come from real runs in a release build; `scripts/regen` redraws them and
//! the test only checks that they exist.

use std::future::Future;
use std::time::{Duration, Instant};

use timeline::{Lanes, Picture, Span, Timeline, on_paused_clock};

use crate::listings::{async_tasks, blocking, cpu, sequential, threads};

/// Where the pictures live, relative to the workspace root.
pub const DIR: &str = "book/ch01-concurrent-vs-parallel/pictures";

const DELAY: Duration = Duration::from_millis(50);

fn spans(raw: Vec<(u32, String, Duration, Duration)>) -> Vec<Span> {
    raw.into_iter().map(Span::from).collect()
}

/// Pictures from the paused clock: the same on every run and every machine.
pub fn exact() -> Vec<Picture> {
    let seq = on_paused_clock(sequential::run(10, DELAY));
    let tasks = on_paused_clock(async_tasks::run(10, DELAY));
    vec![
        Picture {
            file: "sequential.svg",
            svg: Timeline::new("sequential", "Ten 50 ms requests, awaited one after another", spans(seq))
                .alt("Ten bars in a staircase: each request starts when the one before it ends, so the last ends at 500 ms.")
                .to_svg(),
        },
        Picture {
            file: "async-tasks.svg",
            svg: Timeline::new("async-tasks", "Ten 50 ms requests as tasks on one thread", spans(tasks))
                .alt("Ten bars stacked on top of each other: all ten requests start at 0 ms and end at 50 ms, all on thread 1.")
                .to_svg(),
        },
    ]
}

/// Pictures from real runs (threads and CPU work): they vary a little from run to
/// run.
pub fn measured() -> Vec<Picture> {
    let threads = threads::run(10, DELAY).expect("ten threads can be started");
    let start = Instant::now();
    let cpu_async: Vec<_> =
        cpu::async_one_thread(start).into_iter().map(|(_, span)| span).collect();
    let start = Instant::now();
    let cpu_rayon: Vec<_> =
        cpu::rayon(start).into_iter().map(|(_, span)| span).collect();
    let blocked = on_real_clock(blocking::run(blocking::blocked_request));
    vec![
        Picture {
            file: "threads.svg",
            svg: Timeline::new("threads", "Ten 50 ms requests, one OS thread each", spans(threads))
                .alt("Ten bars stacked on top of each other, one per thread: all ten requests wait at the same time and end at about 50 ms.")
                .to_svg(),
        },
        Picture {
            file: "cpu-async.svg",
            svg: Timeline::new("cpu-async", "CPU-bound jobs as async tasks on one thread", spans(cpu_async))
                .lanes(Lanes::PerThread)
                .alt("One lane, thread 1, holding all eight jobs back to back: async on one thread runs CPU work one job at a time.")
                .to_svg(),
        },
        Picture {
            file: "cpu-rayon.svg",
            svg: Timeline::new("cpu-rayon", "The same CPU-bound jobs with rayon", spans(cpu_rayon))
                .lanes(Lanes::PerThread)
                .alt("One lane per core, each holding some of the eight jobs: rayon runs the jobs on every core at once and finishes sooner.")
                .to_svg(),
        },
        Picture {
            file: "blocked.svg",
            svg: Timeline::new("blocked", "Ten tasks that call std::thread::sleep on one thread", spans(blocked))
                .alt("Ten bars in a staircase on one thread: each blocking sleep stops every other task, so the ten tasks take 500 ms.")
                .to_svg(),
        },
    ]
}

/// Runs a future on a one-thread runtime with the real clock.
fn on_real_clock<F: Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a current-thread runtime can always be built")
        .block_on(future)
}
