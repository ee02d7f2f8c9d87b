//! Appendix B: the book's comparisons, Rust beside the equivalent Python program, measured on
//! this machine. The Python programs are in `scripts/bookgen/python/`, written for the book.

use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use ch01_concurrent_vs_parallel as ch01;
use throttle::LeakyBucket;
use tokio::time::Instant;

const OUT: &str = "book/appendix/measured/comparisons.md";

/// Chapter 1's comparison: 20 waits of 50 ms.
const JOBS: u32 = 20;
const DELAY: Duration = Duration::from_millis(50);
/// Chapter 1's scale: 100,000 waiting tasks.
const TASKS: usize = 100_000;
/// Chapter 5's seed scenario, ten times faster: 50 jobs at 10 per second.
const THROTTLED: (usize, u32, Duration) = (50, 10, Duration::from_secs(1));

pub fn bench() -> Result<(), String> {
    let python = python_version();
    let mut rows = Vec::new();

    let (rust_seq, rust_conc) = rust_waits()?;
    let py = python.as_ref().map(|_| {
        run_python(
            "waits.py",
            &[&JOBS.to_string(), &DELAY.as_millis().to_string()],
        )
        .map(|v| (field(&v, "sequential_s"), field(&v, "concurrent_s")))
    });
    rows.push(Row {
        what: format!(
            "{JOBS} waits of {} ms: one after another ÷ all at once",
            DELAY.as_millis()
        ),
        rust: ratio(rust_seq / rust_conc),
        rust_detail: format!("{} vs {}", ms(rust_seq), ms(rust_conc)),
        python: py.map(|r| r.map(|(s, c)| (ratio(s / c), format!("{} vs {}", ms(s), ms(c))))),
    });

    let cost = ch01::listings::scale::tasks(TASKS);
    let spawn = cost.spawn_each.as_secs_f64();
    let py = python.as_ref().map(|_| {
        run_python("tasks.py", &[&TASKS.to_string()])
            .map(|v| (field(&v, "spawn_each_s"), field(&v, "memory_each_bytes")))
    });
    rows.push(Row {
        what: format!("{TASKS} waiting tasks: time to start each"),
        rust: us(spawn),
        rust_detail: "tokio task".to_owned(),
        python: py.clone().map(|r| {
            r.map(|(s, _)| {
                (
                    us(s),
                    format!("asyncio task, {} the Rust time", times(s / spawn)),
                )
            })
        }),
    });
    rows.push(Row {
        what: format!("{TASKS} waiting tasks: memory each"),
        rust: kib(cost.memory_each),
        rust_detail: "resident memory added".to_owned(),
        python: py.map(|r| {
            r.map(|(_, m)| {
                (
                    kib(m),
                    format!("{} the Rust memory", times(m / cost.memory_each.max(1.0))),
                )
            })
        }),
    });

    let (jobs, rate, period) = THROTTLED;
    let (total, lag) = rust_throttled()?;
    let py = python.as_ref().map(|_| {
        run_python(
            "throttled.py",
            &[
                &jobs.to_string(),
                &rate.to_string(),
                &period.as_secs_f64().to_string(),
            ],
        )
        .map(|v| {
            let limiter = text_field(&v, "limiter");
            (field(&v, "total_s"), field(&v, "max_lag_s"), limiter)
        })
    });
    let ideal = (jobs - rate as usize) as f64 * period.as_secs_f64() / f64::from(rate);
    rows.push(Row {
        what: format!(
            "{jobs} jobs at {rate} per {} s: total time ÷ the ideal {ideal:.1} s",
            period.as_secs()
        ),
        rust: ratio(total / ideal),
        rust_detail: format!("latest start {} behind schedule", ms(lag)),
        python: py.map(|r| {
            r.map(|(t, l, limiter)| {
                (
                    ratio(t / ideal),
                    format!("{limiter}: latest start {} behind schedule", ms(l)),
                )
            })
        }),
    });

    crate::write(OUT, &render(&rows, python.as_deref()))
}

struct Row {
    what: String,
    rust: String,
    rust_detail: String,
    python: Option<Result<(String, String), String>>,
}

fn render(rows: &[Row], python: Option<&str>) -> String {
    let mut text = format!("Measured by `scripts/bench` on: {}.\n\n", machine(python));
    text.push_str("| comparison | Rust | | Python | |\n|---|---:|---|---:|---|\n");
    for row in rows {
        let (py, py_detail) = match &row.python {
            Some(Ok((value, detail))) => (value.clone(), detail.clone()),
            Some(Err(why)) => ("—".to_owned(), format!("failed: {why}")),
            None => (
                "—".to_owned(),
                "skipped: no `python3` on this machine".to_owned(),
            ),
        };
        text.push_str(&format!(
            "| {} | {} | {} | {py} | {py_detail} |\n",
            row.what, row.rust, row.rust_detail
        ));
    }
    text
}

fn machine(python: Option<&str>) -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, name)| name.trim().to_owned())
        })
        .unwrap_or_else(|| "an unknown CPU".to_owned());
    let rustc = Command::new("rustc")
        .arg("--version")
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_else(|| "rustc (version unknown)".to_owned());
    format!(
        "{cpu}, {} logical core(s), {} {}; {rustc}, release build; {}",
        ch01::bench::cores(),
        std::env::consts::OS,
        std::env::consts::ARCH,
        python.unwrap_or("no python3")
    )
}

fn runtime() -> Result<tokio::runtime::Runtime, String> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot build a runtime: {e}"))
}

/// Chapter 1's listings 1 and 3, on the real clock.
fn rust_waits() -> Result<(f64, f64), String> {
    let runtime = runtime()?;
    let time = |sequential: bool| {
        runtime.block_on(async {
            let start = Instant::now();
            if sequential {
                ch01::listings::sequential::run(JOBS, DELAY).await;
            } else {
                ch01::listings::async_tasks::run(JOBS, DELAY).await;
            }
            start.elapsed().as_secs_f64()
        })
    };
    Ok((time(true), time(false)))
}

/// Chapter 5's leaky bucket on the real clock: total time and the latest start's lag.
fn rust_throttled() -> Result<(f64, f64), String> {
    let (jobs, rate, period) = THROTTLED;
    runtime().map(|runtime| {
        runtime.block_on(async {
            let bucket = LeakyBucket::new(rate, period);
            let start = Instant::now();
            let starts = futures::future::join_all((0..jobs).map(|_| async {
                bucket.acquire().await;
                start.elapsed().as_secs_f64()
            }))
            .await;
            let total = start.elapsed().as_secs_f64();
            let lag = starts
                .iter()
                .enumerate()
                .map(|(k, s)| {
                    let ideal = (k + 1).saturating_sub(rate as usize) as f64 * period.as_secs_f64()
                        / f64::from(rate);
                    s - ideal
                })
                .fold(0.0, f64::max);
            (total, lag)
        })
    })
}

fn script(name: &str) -> PathBuf {
    crate::root().join("scripts/bookgen/python").join(name)
}

/// The Python that runs the comparisons: `BENCH_PYTHON` (`scripts/bench` points it at a
/// virtual environment with aiolimiter installed, when it could make one), else `python3`.
fn python() -> String {
    std::env::var("BENCH_PYTHON").unwrap_or_else(|_| "python3".to_owned())
}

fn python_version() -> Option<String> {
    let output = Command::new(python()).arg("--version").output().ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

/// Runs one of the book's Python programs; its last stdout line is a flat JSON object.
fn run_python(name: &str, args: &[&str]) -> Result<String, String> {
    let output = Command::new(python())
        .arg(script(name))
        .args(args)
        .output()
        .map_err(|e| format!("cannot start {}: {e}", python()))?;
    if !output.status.success() {
        return Err(format!(
            "{name}: {}",
            String::from_utf8_lossy(&output.stderr)
                .lines()
                .last()
                .unwrap_or("no message")
        ));
    }
    Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

/// A number from a flat JSON object printed by the Python programs (`NaN` if missing).
fn field(json: &str, key: &str) -> f64 {
    serde_json::from_str::<serde_json::Value>(json)
        .ok()
        .and_then(|v| v.get(key).and_then(serde_json::Value::as_f64))
        .unwrap_or(f64::NAN)
}

/// A string from a flat JSON object printed by the Python programs.
fn text_field(json: &str, key: &str) -> String {
    serde_json::from_str::<serde_json::Value>(json)
        .ok()
        .and_then(|v| v.get(key).and_then(|s| s.as_str().map(str::to_owned)))
        .unwrap_or_else(|| format!("({key} not reported)"))
}

fn ms(seconds: f64) -> String {
    format!("{:.1} ms", seconds * 1000.0)
}

fn us(seconds: f64) -> String {
    format!("{:.2} µs", seconds * 1e6)
}

fn kib(bytes: f64) -> String {
    format!("{:.2} KiB", bytes / 1024.0)
}

fn ratio(x: f64) -> String {
    format!("{x:.2}×")
}

fn times(x: f64) -> String {
    format!("{x:.1}×")
}
