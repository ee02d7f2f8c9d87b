//! The same CPU job on 1, 2, … threads, measured against the ideal and against
//! Amdahl's law.
use std::hint::black_box;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use rayon::prelude::*;

/// The job: the sum of the squares of the numbers below `N`.
pub const N: u64 = 10_000_000;
/// How many times each figure is measured; the median is shown.
pub const RUNS: usize = 11;

/// One square; `black_box` stops the optimiser from turning the sum into a formula.
pub fn square(i: u64) -> u128 {
    let i = u128::from(black_box(i));
    i * i
}

// ANCHOR: job
/// The part that cannot be split: the first tenth of the numbers, summed on one
/// thread. It stands for the serial step every real job has (reading the input,
/// merging results).
pub fn serial_part(n: u64) -> u128 {
    (0..n / 10).map(square).sum()
}

/// The part that can: the other nine tenths, on whatever rayon pool runs it.
pub fn parallel_part(n: u64) -> u128 {
    (n / 10..n).into_par_iter().map(square).sum()
}

/// The whole job: the sum of the squares below `n`.
pub fn job(n: u64) -> u128 {
    serial_part(n) + parallel_part(n)
}
// ANCHOR_END: job

// ANCHOR: amdahl
/// Amdahl's law: if a fraction `serial` of the work runs on one thread, `threads`
/// threads speed the whole up by at most this much.
pub fn amdahl(serial: f64, threads: usize) -> f64 {
    1.0 / (serial + (1.0 - serial) / threads as f64)
}
// ANCHOR_END: amdahl

/// The median of `runs` timings of `f`.
pub fn median_time<T>(runs: usize, mut f: impl FnMut() -> T) -> Duration {
    let mut times: Vec<Duration> = (0..runs.max(1))
        .map(|_| {
            let start = Instant::now();
            black_box(f());
            start.elapsed()
        })
        .collect();
    times.sort_unstable();
    times[times.len() / 2]
}

/// One row of the table: a pool size and what the job took on it.
#[derive(Debug, Clone)]
pub struct Row {
    pub threads: usize,
    pub time: Duration,
    pub sum: u128,
}

/// What [`measure`] found.
#[derive(Debug, Clone)]
pub struct Speedups {
    /// The serial part's share of the job's time on one thread.
    pub serial_fraction: f64,
    pub rows: Vec<Row>,
}

impl Speedups {
    /// How much faster than on one thread the job ran on this row's pool.
    pub fn speedup(&self, row: &Row) -> f64 {
        self.rows[0].time.as_secs_f64() / row.time.as_secs_f64()
    }
}

/// Times the job of size `n` on rayon pools of 1, 2, … `max_threads` threads:
/// `runs` rounds, each timing every pool once (so a busy moment of the machine
/// hurts all pool sizes alike), then the median of each.
// ANCHOR: measure
pub fn measure(
    n: u64,
    max_threads: usize,
    runs: usize,
) -> Result<Speedups, String> {
    let mut pools = Vec::new();
    for threads in 1..=max_threads {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .map_err(|e| format!("cannot start {threads} threads: {e}"))?;
        // a first run, untimed, warms everything up
        let sum = pool.install(|| job(n));
        pools.push((pool, sum, Vec::new()));
    }
    let mut serial_times = Vec::new();
    for _ in 0..runs.max(1) {
        serial_times.push(median_time(1, || serial_part(n)));
        for (pool, _, times) in &mut pools {
            times.push(median_time(1, || pool.install(|| job(n))));
        }
    }
    let median = |mut times: Vec<Duration>| {
        times.sort_unstable();
        times[times.len() / 2]
    };
    let rows: Vec<Row> = pools
        .into_iter()
        .enumerate()
        .map(|(i, (_, sum, times))| Row {
            threads: i + 1,
            time: median(times),
            sum,
        })
        .collect();
    let serial = median(serial_times);
    let serial_fraction =
        (serial.as_secs_f64() / rows[0].time.as_secs_f64()).min(1.0);
    Ok(Speedups { serial_fraction, rows })
}
// ANCHOR_END: measure

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "-h" || a == "--help") {
        println!(
            "usage: 02_speedup [max-threads]\n\nTimes the same CPU work on rayon pools of 1 thread \
             up to max-threads\n(default: this machine's logical CPUs) and prints the speedup."
        );
        return ExitCode::SUCCESS;
    }
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let max_threads = match args.as_slice() {
        [] => Ok(cores),
        [n] => match n.parse::<usize>() {
            Ok(n) if n > 0 => Ok(n),
            _ => Err(format!(
                "the thread count must be a whole number above 0, not {n:?}"
            )),
        },
        _ => Err("usage: 02_speedup [max-threads]".to_owned()),
    };
    match max_threads.and_then(|max| measure(N, max, RUNS)) {
        Ok(found) => {
            print(&found);
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

fn print(found: &Speedups) {
    let s = found.serial_fraction;
    println!("the sum of the squares below {N}, the first tenth on one thread");
    println!("serial fraction, measured on one thread: {:.1} %", s * 100.0);
    println!("threads       time  speedup   ideal  Amdahl");
    for row in &found.rows {
        println!(
            "{:>7} {:>7.1} ms {:>7.2}x {:>6.2}x {:>6.2}x",
            row.threads,
            row.time.as_secs_f64() * 1e3,
            found.speedup(row),
            row.threads as f64,
            amdahl(s, row.threads)
        );
    }
    let same = found.rows.iter().all(|row| row.sum == found.rows[0].sum);
    println!("every pool found {} (all equal: {same})", found.rows[0].sum);
}
