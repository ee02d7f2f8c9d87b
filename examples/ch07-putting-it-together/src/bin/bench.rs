//! Measures the tool: lines per second scanning a large log, and requests per
//! second against the local server at given limits; writes the book's tables.
//!
//! `cargo run --release -p ch07-putting-it-together --features http --bin bench -- --out
//! book/ch07-putting-it-together/measured`
use std::fmt::Write as _;
use std::fs::File;
use std::io::{BufReader, BufWriter, Cursor};
use std::ops::ControlFlow;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use ch07_putting_it_together::cli;
use ch07_putting_it_together::formats::Format;
use ch07_putting_it_together::generate::SampleLog;
use ch07_putting_it_together::input;
use ch07_putting_it_together::record::Recorded;
use ch07_putting_it_together::refire::{Limits, Refirer};
use ch07_putting_it_together::scan::scan;
use ch07_putting_it_together::select::Selection;
use ch07_putting_it_together::tool::{Job, Stop, run};
use clap::Parser;
use indicatif::ProgressBar;
use local_server::{Config, LocalServer};
use reqwest::header::HeaderMap;
use throttle::retry::Backoff;
use tokio::sync::watch;

/// Writes scan.md and refire.md, the measured tables of Chapter 7.
#[derive(Debug, Parser)]
struct Args {
    /// The folder for the tables.
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Lines in the log to scan.
    #[arg(long, default_value_t = 1_000_000)]
    lines: u64,
    /// Requests per refire measurement.
    #[arg(long, default_value_t = 400)]
    requests: u64,
}

const RUNS: usize = 3;
const LATENCY: Duration = Duration::from_millis(10);

#[tokio::main]
async fn main() -> ExitCode {
    let args: Args = cli::parse();
    match bench(&args).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn bench(args: &Args) -> Result<(), String> {
    std::fs::create_dir_all(&args.out)
        .map_err(|e| format!("cannot create {}: {e}", args.out.display()))?;
    let scan_table = bench_scan(args.lines)?;
    write(args, "scan.md", &scan_table)?;
    let refire_table = bench_refire(args.requests).await?;
    write(args, "refire.md", &refire_table)
}

fn write(args: &Args, name: &str, text: &str) -> Result<(), String> {
    let path = args.out.join(name);
    std::fs::write(&path, text)
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    println!("wrote {}", path.display());
    Ok(())
}

fn median(mut values: Vec<Duration>) -> Duration {
    values.sort();
    values[values.len() / 2]
}

fn bench_scan(lines: u64) -> Result<String, String> {
    // A temporary file of its own, removed when `path` is dropped, even on an early
    // error.
    let (file, path) = tempfile::Builder::new()
        .prefix("ch07-bench-")
        .suffix(".log")
        .tempfile()
        .map_err(|e| format!("cannot create a temporary file: {e}"))?
        .into_parts();
    let sample = SampleLog {
        lines,
        seed: 7,
        malformed_every: Some(1000),
        ..SampleLog::default()
    };
    let written = sample
        .write_to(BufWriter::new(file))
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    let bytes = std::fs::metadata(&path).map_err(|e| e.to_string())?.len();
    let mut times = Vec::new();
    let mut found = 0;
    for _ in 0..RUNS {
        let file = File::open(&path)
            .map_err(|e| format!("cannot open {}: {e}", path.display()))?;
        let start = Instant::now();
        let name = "bench.log".into();
        let (format, choose) = (Format::Combined, Selection::default());
        let report = scan(&name, BufReader::new(file), format, &choose, |_| {
            ControlFlow::Continue(())
        })
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        times.push(start.elapsed());
        found = report.chosen;
        if report.lines != written.lines || report.chosen != written.five_xx {
            return Err("the scan disagrees with the generator".into());
        }
    }
    drop(path);
    let time = median(times).as_secs_f64();
    let mut text = format!(
        "Measured by `scripts/bench` on a machine with {} core(s): `scan` over a generated log \
         file, read through a `BufReader`, median of {RUNS} runs, release build. The file was \
         just written, so it is likely in the page cache: this is parsing speed, not disk speed.\n\n",
        cores()
    );
    text.push_str(
        "| lines | size | 5xx found | time | lines per second | MB per second |\n",
    );
    text.push_str("|---:|---:|---:|---:|---:|---:|\n");
    let _ = writeln!(
        text,
        "| {lines} | {:.1} MB | {found} | {:.0} ms | {:.2} million | {:.0} |",
        bytes as f64 / 1e6,
        time * 1e3,
        lines as f64 / time / 1e6,
        bytes as f64 / 1e6 / time,
    );
    Ok(text)
}

async fn bench_refire(requests: u64) -> Result<String, String> {
    // A log of `requests` lines, every one a 503, for items the server serves well.
    let mut log = String::new();
    for n in 0..requests {
        let _ = writeln!(
            log,
            "10.0.0.1 - - [23/Nov/2026:13:55:36 +0000] \"GET /items/{} HTTP/1.1\" 503 12",
            n % 100
        );
    }
    let mut text = format!(
        "Measured by `scripts/bench` on a machine with {} core(s): the tool's `run` refiring \
         {requests} requests against the local server on 127.0.0.1, which takes {} ms to answer \
         each; median of {RUNS} runs, release build.\n\n",
        cores(),
        LATENCY.as_millis()
    );
    text.push_str("| in flight at most | rate limit | time | requests per second | peak in flight at the server |\n");
    text.push_str("|---:|---|---:|---:|---:|\n");
    let cases: [(usize, Option<(u32, Duration)>); 5] = [
        (1, None),
        (8, None),
        (64, None),
        (64, Some((100, Duration::from_secs(1)))),
        (8, Some((100, Duration::from_secs(1)))),
    ];
    for (concurrency, rate) in cases {
        let mut times = Vec::new();
        let mut peak = 0;
        for _ in 0..RUNS {
            let server =
                LocalServer::start(Config::default().with_latency(LATENCY))
                    .await
                    .map_err(|e| format!("cannot start the local server: {e}"))?;
            let limits = Limits {
                concurrency,
                rate,
                timeout: Duration::from_secs(10),
                backoff: Backoff {
                    base: Duration::from_millis(100),
                    factor: 2,
                    max_delay: Duration::from_secs(2),
                    max_attempts: 4,
                    max_elapsed: Duration::from_secs(60),
                },
                seed: 1,
            };
            let refirer =
                Arc::new(Refirer::new(&server.url(""), &limits, HeaderMap::new())?);
            let reader = Box::new(Cursor::new(log.clone().into_bytes()));
            let job = Job {
                inputs: vec![input::from_reader(
                    "bench.log",
                    reader,
                    Some(Format::Common),
                )?],
                selection: Selection::default(),
                dedupe: false, // every line is a request of its own here
                recorded: Recorded::default(),
                json: false,
            };
            let (_keep, stop) = watch::channel(Stop::Run);
            let start = Instant::now();
            let out = Box::new(std::io::sink());
            let summary =
                run(job, refirer, concurrency, out, ProgressBar::hidden(), stop)
                    .await?;
            times.push(start.elapsed());
            if summary.succeeded != requests {
                return Err(format!(
                    "only {} of {requests} succeeded",
                    summary.succeeded
                ));
            }
            peak = peak.max(server.stats().peak_in_flight);
            server.shutdown().await;
        }
        let time = median(times).as_secs_f64();
        let rate_text = rate.map_or("none".to_owned(), |(max, per)| {
            format!("{max} per {} s", per.as_secs())
        });
        let _ = writeln!(
            text,
            "| {concurrency} | {rate_text} | {:.0} ms | {:.0} | {peak} |",
            time * 1e3,
            requests as f64 / time
        );
    }
    Ok(text)
}

fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}
