//! The chapter's measured tables: wall-clock figures from the reader's own machine.
//!
//! `scripts/bench` calls these through the `bookgen` binary (in a release build)
//! and writes the tables the chapter includes. No pass/fail test looks at these
//! numbers.

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::listings::{cpu, scale};

/// How many times each figure is measured; the table shows the median.
const RUNS: usize = 5;

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort_unstable();
    samples[samples.len() / 2]
}

/// Times `jobs` of the listing's CPU job on a rayon pool of `threads` threads.
fn time_cpu(jobs: u32, threads: usize) -> Duration {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("a thread pool can be built");
    let samples = (0..RUNS)
        .map(|_| {
            let start = Instant::now();
            let primes: u64 =
                pool.install(|| (0..jobs).into_par_iter().map(cpu::job).sum());
            std::hint::black_box(primes);
            start.elapsed()
        })
        .collect();
    median(samples)
}

/// The number of cores this machine offers, as the standard library sees it.
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// A markdown table of CPU speedup by thread count, next to the ideal and to
/// Amdahl's law.
pub fn cpu_speedup() -> String {
    let jobs = 64;
    let cores = cores();
    let times: Vec<(usize, Duration)> =
        (1..=cores).map(|n| (n, time_cpu(jobs, n))).collect();
    let one = times[0].1.as_secs_f64();
    // The serial fraction implied by the run on every core (the Karp–Flatt metric).
    let (n, t) = times[times.len() - 1];
    let speedup_all = one / t.as_secs_f64();
    let serial = if n > 1 {
        ((1.0 / speedup_all - 1.0 / n as f64) / (1.0 - 1.0 / n as f64))
            .clamp(0.0, 1.0)
    } else {
        0.0
    };
    let mut table = format!(
        "Measured by `scripts/bench` on a machine with {cores} core(s): {jobs} jobs of \
         `05_cpu`'s prime count on a rayon pool of each size, median of {RUNS} runs, \
         release build. Amdahl's law uses the serial fraction the last row implies \
         ({:.1} %).\n\n\
         | threads | time | speedup | ideal | Amdahl |\n|---:|---:|---:|---:|---:|\n",
        serial * 100.0
    );
    for (n, time) in &times {
        let speedup = one / time.as_secs_f64();
        let amdahl = 1.0 / (serial + (1.0 - serial) / *n as f64);
        let _ = writeln!(
            table,
            "| {n} | {:.1} ms | {speedup:.2}× | {n}.00× | {amdahl:.2}× |",
            time.as_secs_f64() * 1e3
        );
    }
    let _ = write!(
        table,
        "\nThe work is real: on one thread, {} jobs take {:.1} ms and {} jobs take {:.1} ms.\n",
        jobs / 2,
        time_cpu(jobs / 2, 1).as_secs_f64() * 1e3,
        jobs,
        one * 1e3
    );
    table
}

/// A markdown table of what 100,000 waiting tasks and 10,000 waiting threads cost.
pub fn scale_costs() -> std::io::Result<String> {
    let tasks = scale::tasks(100_000);
    let threads = scale::threads(10_000)?;
    let mut table = String::from(
        "Measured by `scripts/bench` with `07_scale`'s functions, release build.\n\n\
         | all waiting at once | how many | time to start, each | memory, each |\n\
         |---|---:|---:|---:|\n",
    );
    for (name, cost) in [("tokio tasks", &tasks), ("OS threads", &threads)] {
        let _ = writeln!(
            table,
            "| {name} | {} | {:.2} µs | {:.1} KiB |",
            cost.count,
            cost.spawn_each.as_secs_f64() * 1e6,
            cost.memory_each / 1024.0
        );
    }
    Ok(table)
}
