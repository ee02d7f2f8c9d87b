//! Chapter 6's measured tables: rayon's speedup by thread count, the same job in Python with
//! `ProcessPoolExecutor`, what a CPU loop does to a ticker, and the process pool's overhead.
//!
//! `bookgen bench` (all chapters) and `bookgen bench ch06` (this one only) call [`bench`].
//! The process pool's workers are this very binary, started as `bookgen ch06-worker`.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use ch01_concurrent_vs_parallel::bench::cores;
use ch06_process_pools::listings::{
    batches_threads, off_the_runtime as off, rayon_basics, speedup, worker_processes as procs,
};

const DIR: &str = "book/ch06-process-pools/measured";

/// Measures every table of the chapter and writes it under `DIR`.
pub fn bench() -> Result<(), String> {
    crate::write(&format!("{DIR}/speedup.md"), &speedup_table()?)?;
    crate::write(&format!("{DIR}/python.md"), &python_table()?)?;
    crate::write(
        &format!("{DIR}/off-the-runtime.md"),
        &off_the_runtime_table()?,
    )?;
    crate::write(&format!("{DIR}/overhead.md"), &overhead_table()?)?;
    Ok(())
}

/// `bookgen ch06-worker`: a worker of the process pool (listing 05's worker loop).
pub fn worker() -> Result<(), String> {
    procs::worker(None)
}

fn ms(time: Duration) -> String {
    format!("{:.1} ms", time.as_secs_f64() * 1e3)
}

/// The speedup of listing 02's job by pool size, next to the ideal and Amdahl's law.
fn speedup_table() -> Result<String, String> {
    let cores = cores();
    let found = speedup::measure(speedup::N, cores, speedup::RUNS)?;
    let s = found.serial_fraction;
    let mut table = format!(
        "Measured by `scripts/bench` on a machine with {cores} core(s): listing 02's job (the \
         squares below {}, the first tenth on one thread) on a rayon pool of each size, median \
         of {} runs, release build. The serial part took {:.1} % of the time on one thread; \
         the Amdahl column uses that fraction.\n\n\
         | threads | time | speedup | ideal | Amdahl |\n|---:|---:|---:|---:|---:|\n",
        speedup::N,
        speedup::RUNS,
        s * 100.0
    );
    for row in &found.rows {
        let _ = writeln!(
            table,
            "| {} | {} | {:.2}× | {}.00× | {:.2}× |",
            row.threads,
            ms(row.time),
            found.speedup(row),
            row.threads,
            speedup::amdahl(s, row.threads)
        );
    }
    let half = speedup::measure(speedup::N / 2, 1, speedup::RUNS)?.rows[0].time;
    let _ = write!(
        table,
        "\nThe work is real: on one thread, half the numbers take {} and all of them {}.\n",
        ms(half),
        ms(found.rows[0].time)
    );
    Ok(table)
}

/// One row of the Python-and-Rust table.
struct Way {
    language: &'static str,
    way: String,
    workers: usize,
    seconds: f64,
    sum: String,
}

/// The sum of the squares below 10^7 in Python (one process, then `ProcessPoolExecutor`)
/// and in Rust (one thread, then rayon), on 1 … all cores.
fn python_table() -> Result<String, String> {
    let n = speedup::N;
    let cores = cores();
    let mut ways = Vec::new();
    let time = speedup::median_time(speedup::RUNS, || rayon_basics::sequential(n));
    ways.push(Way {
        language: "Rust",
        way: "one thread, a plain loop".to_owned(),
        workers: 1,
        seconds: time.as_secs_f64(),
        sum: rayon_basics::sequential(n).to_string(),
    });
    for threads in 1..=cores {
        // `on_pool` builds a pool of `threads` threads and runs `par_sum` on it: the time
        // includes starting the pool, as Python's does.
        let on_pool = || rayon_basics::on_pool(threads, n);
        let (_, sum) = on_pool().map_err(|e| format!("cannot start {threads} threads: {e}"))?;
        let time = speedup::median_time(speedup::RUNS, on_pool);
        ways.push(Way {
            language: "Rust",
            way: "rayon `par_iter`, a pool of its own".to_owned(),
            workers: threads,
            seconds: time.as_secs_f64(),
            sum: sum.to_string(),
        });
    }
    let python = python_ways(n, cores);
    let note = match &python {
        Ok(found) => {
            ways.extend(found.iter().map(|(way, workers, seconds, sum)| Way {
                language: "Python",
                way: format!("`{way}`"),
                workers: *workers,
                seconds: *seconds,
                sum: sum.clone(),
            }));
            format!(
                "Python: {}, running `examples/ch06-process-pools/python/pool.py` (median of 3 \
                 runs, each starting its own pool).",
                python_version().unwrap_or_else(|| "python3".to_owned())
            )
        }
        Err(why) => format!("Python was not measured on this machine: {why}."),
    };
    let expected = rayon_basics::sequential(n).to_string();
    let mut table = format!(
        "Measured by `scripts/bench` on a machine with {cores} core(s): the sum of the squares \
         below {n}, release build for Rust (median of {} runs). {note}\n\n\
         | language | how | workers | time | same sum |\n|---|---|---:|---:|:---:|\n",
        speedup::RUNS
    );
    for way in &ways {
        let _ = writeln!(
            table,
            "| {} | {} | {} | {} | {} |",
            way.language,
            way.way,
            way.workers,
            ms(Duration::from_secs_f64(way.seconds)),
            if way.sum == expected { "yes" } else { "**no**" }
        );
    }
    Ok(table)
}

fn python_script() -> PathBuf {
    crate::root().join("examples/ch06-process-pools/python/pool.py")
}

fn python_version() -> Option<String> {
    let output = Command::new("python3").arg("--version").output().ok()?;
    let text = String::from_utf8_lossy(&output.stdout).trim().to_owned();
    (!text.is_empty()).then_some(text)
}

/// Runs the Python script; each line it prints is `way \t workers \t seconds \t sum`.
fn python_ways(n: u64, cores: usize) -> Result<Vec<(String, usize, f64, String)>, String> {
    let mut command = Command::new("python3");
    command.arg(python_script()).arg(n.to_string());
    command.args((1..=cores).map(|w| w.to_string()));
    let output = command
        .output()
        .map_err(|e| format!("`python3` could not be started ({e})"))?;
    if !output.status.success() {
        return Err(format!(
            "`python3 pool.py` failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    let parse = |line: &str| -> Option<(String, usize, f64, String)> {
        let mut fields = line.split('\t');
        let way = fields.next()?.to_owned();
        let workers = fields.next()?.parse().ok()?;
        let seconds = fields.next()?.parse().ok()?;
        let sum = fields.next()?.to_owned();
        Some((way, workers, seconds, sum))
    };
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|line| parse(line).ok_or_else(|| format!("pool.py printed {line:?}")))
        .collect()
}

/// Listing 03's three ways, each run once beside the ticker on a one-thread runtime.
fn off_the_runtime_table() -> Result<String, String> {
    let runs = off::all_three().map_err(|e| format!("cannot start a runtime: {e}"))?;
    let expected = off::JOB.as_millis() / off::TICK.as_millis();
    let mut table = format!(
        "Measured by `scripts/bench` with listing 03's functions, one run each: a {} ms CPU \
         job beside a task that should tick every {} ms, on a one-thread runtime.\n\n\
         | where the job runs | ticks while it ran (of {expected}) | longest gap between ticks |\n\
         |---|---:|---:|\n",
        off::JOB.as_millis(),
        off::TICK.as_millis()
    );
    for (way, seen) in runs {
        let _ = writeln!(
            table,
            "| {way} | {} | {} |",
            seen.during,
            ms(seen.longest_gap)
        );
    }
    Ok(table)
}

/// The process pool (listing 05) against the thread pool (listing 04, with no limit and no
/// waiting), on the same items in batches of several sizes.
fn overhead_table() -> Result<String, String> {
    let workers = cores();
    let items: Vec<u64> = (1..=2_000).collect();
    let program = std::env::current_exe().map_err(|e| format!("cannot find this program: {e}"))?;
    let processes = |items: &[u64], batch_size: usize| -> Result<Duration, String> {
        let pool = procs::Pool {
            workers,
            batch_size,
            max_retries: 0,
            timeout: Duration::from_secs(60),
            program: program.clone(),
            args: vec!["ch06-worker".to_owned()],
        };
        let start = Instant::now();
        let report = procs::run_to_end(pool, items, false)?;
        let took = start.elapsed();
        if report.failed().next().is_some() {
            return Err("a batch failed in the overhead benchmark".to_owned());
        }
        Ok(took)
    };
    let threads = |items: &[u64], batch_size: usize| -> Result<Duration, String> {
        let limit = batches_threads::no_limit();
        let start = Instant::now();
        batches_threads::run_pool(items, workers, batch_size, &limit, Duration::ZERO)?;
        Ok(start.elapsed())
    };
    let rayon = |items: &[u64], batch_size: usize| -> Result<Duration, String> {
        let start = Instant::now();
        std::hint::black_box(batches_threads::cpu_only(items, batch_size));
        Ok(start.elapsed())
    };
    let median = |f: &dyn Fn() -> Result<Duration, String>| -> Result<Duration, String> {
        let mut times = (0..speedup::RUNS)
            .map(|_| f())
            .collect::<Result<Vec<_>, _>>()?;
        times.sort_unstable();
        Ok(times[times.len() / 2])
    };
    let mut table = format!(
        "Measured by `scripts/bench` on a machine with {workers} core(s): {} items of \
         trivial work in batches, on {workers} worker processes (listing 05's pool, JSON \
         lines over pipes), with rayon's `par_chunks` on a pool of {workers} threads (listing \
         04's `cpu_only`), and on {workers} threads with a runtime each (listing 04's \
         `run_pool`, whose items still take turns at a shared limiter that never makes them \
         wait). Median of {} runs, release build; the process times include \
         starting and stopping the workers.\n\n\
         | batch size | batches | processes | rayon | threads with runtimes | extra per batch |\n\
         |---:|---:|---:|---:|---:|---:|\n",
        items.len(),
        speedup::RUNS
    );
    let start_up = median(&|| processes(&items[..workers], 1))?;
    for batch_size in [1, 10, 100] {
        let batches = items.len().div_ceil(batch_size);
        let by_process = median(&|| processes(&items, batch_size))?;
        let by_rayon = median(&|| rayon(&items, batch_size))?;
        let by_thread = median(&|| threads(&items, batch_size))?;
        let extra = by_process.saturating_sub(start_up + by_rayon) / batches as u32;
        let _ = writeln!(
            table,
            "| {batch_size} | {batches} | {} | {} | {} | {:.1} µs |",
            ms(by_process),
            ms(by_rayon),
            ms(by_thread),
            extra.as_secs_f64() * 1e6
        );
    }
    let _ = write!(
        table,
        "\nStarting {workers} worker processes, giving each one batch of one item and \
         stopping them took {}. *Extra per batch* is the process time, less that start-up \
         and less rayon's time, divided by the number of batches.\n",
        ms(start_up)
    );
    Ok(table)
}
