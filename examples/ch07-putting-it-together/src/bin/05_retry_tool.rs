//! The whole tool: reads a request log, refires its 5xx requests with limits, timeouts and retries, and writes a retry log.
use std::fs::{File, OpenOptions};
use std::io::{BufReader, BufWriter};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use ch07_putting_it_together::refire::{Limits, Refirer};
use ch07_putting_it_together::tool::{Summary, demo_log, demo_server, run};
use clap::Parser;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use local_server::LocalServer;
use throttle::retry::Backoff;

// ANCHOR: args
/// Refires the requests of a log (Common Log Format) that failed with a 5xx status, and
/// writes one line per request to a retry log.
#[derive(Debug, Parser)]
#[command(name = "05_retry_tool")]
struct Args {
    /// The request log to read.
    #[arg(long, value_name = "PATH", required_unless_present = "demo")]
    input: Option<PathBuf>,
    /// Where to write the retry log (replaced if it exists).
    #[arg(long, value_name = "PATH", required_unless_present = "demo")]
    output: Option<PathBuf>,
    /// The server to refire against, e.g. http://127.0.0.1:3000.
    #[arg(long, value_name = "URL", required_unless_present = "demo")]
    server: Option<String>,
    /// Requests in flight at once, at most.
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u16).range(1..))]
    concurrency: u16,
    /// At most R attempts start per --per seconds (no rate limit without it).
    #[arg(long, value_name = "R", allow_negative_numbers = true,
          value_parser = clap::value_parser!(u32).range(1..))]
    rate: Option<u32>,
    /// The period of --rate, in seconds.
    #[arg(long, value_name = "SECONDS", default_value = "1", requires = "rate",
          allow_negative_numbers = true, value_parser = seconds)]
    per: Duration,
    /// How long one attempt may take, in seconds.
    #[arg(long, value_name = "SECONDS", default_value = "5",
          allow_negative_numbers = true, value_parser = seconds)]
    timeout: Duration,
    /// Attempts per request in all, the first included.
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u32).range(1..=20))]
    max_attempts: u32,
    /// Seeds the jitter of the waits between attempts.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Try it out: write a sample log and start a local server that still fails some
    /// requests, then refire against it (files go to the temporary folder).
    #[arg(long, conflicts_with_all = ["input", "server"])]
    demo: bool,
}

/// A number of seconds greater than zero, such as `2` or `0.25`.
fn seconds(text: &str) -> Result<Duration, String> {
    let value: f64 = text
        .parse()
        .map_err(|_| format!("{text:?} is not a number"))?;
    if !(value > 0.0 && value <= 86_400.0) {
        return Err(format!("{text} s: must be more than 0 and at most 86400"));
    }
    Ok(Duration::from_secs_f64(value))
}
// ANCHOR_END: args

// ANCHOR: main
/// The exit status after Ctrl-C, as shells report a process ended by SIGINT.
const INTERRUPTED: u8 = 130;

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse(); // bad flags: clap prints why and exits with status 2
    match refire_log(args).await {
        Ok(summary) if summary.interrupted => {
            eprintln!(
                "interrupted: {} requests refired and logged, each on a whole line; \
                 the rest of the log was not read",
                summary.written
            );
            ExitCode::from(INTERRUPTED)
        }
        Ok(_) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn refire_log(args: Args) -> Result<Summary, String> {
    // --demo: a new folder of its own in the temporary folder, kept so you can read the logs.
    let demo_dir = match args.demo {
        true => Some(demo_dir()?),
        false => None,
    };
    let input = match (&args.input, &demo_dir) {
        (Some(path), _) => path.clone(),
        (None, Some(dir)) => write_demo_log(&dir.join("access.log"))?,
        (None, None) => return Err("--input is required without --demo".to_owned()),
    };
    let output = match (&args.output, &demo_dir) {
        (Some(path), _) => path.clone(),
        (None, Some(dir)) => dir.join("retry.log"),
        (None, None) => return Err("--output is required without --demo".to_owned()),
    };
    // Open both files before any request: a bad path stops the run before it starts.
    let log = File::open(&input).map_err(|e| format!("cannot open {}: {e}", input.display()))?;
    let retry_log = OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .open(&output);
    let mut retry_log =
        retry_log.map_err(|e| format!("cannot create {}: {e}", output.display()))?;

    let mut own_server = None;
    let base = match &args.server {
        Some(url) => url.clone(),
        None => {
            let server = LocalServer::start(demo_server())
                .await
                .map_err(|e| format!("cannot start the demo server: {e}"))?;
            let url = server.url("");
            own_server = Some(server);
            url
        }
    };
    let refirer = Refirer::new(&base, &limits(&args))?;

    let summary = run(
        BufReader::new(log),
        &mut retry_log,
        &refirer,
        usize::from(args.concurrency),
        &progress(),
        async {
            // If the handler cannot be installed, never stop early.
            if tokio::signal::ctrl_c().await.is_err() {
                std::future::pending::<()>().await;
            }
        },
    )
    .await
    .map_err(|e| format!("{}: {e}", input.display()))?;

    print_summary(&summary, &output);
    if let Some(server) = own_server {
        server.shutdown().await;
    }
    Ok(summary)
}
// ANCHOR_END: main

fn limits(args: &Args) -> Limits {
    Limits {
        concurrency: usize::from(args.concurrency),
        rate: args.rate.map(|rate| (rate, args.per)),
        timeout: args.timeout,
        backoff: Backoff {
            base: Duration::from_millis(100),
            factor: 2,
            max_delay: Duration::from_secs(2),
            max_attempts: args.max_attempts,
            max_elapsed: Duration::from_secs(60),
        },
        seed: args.seed,
    }
}

/// A spinner on stderr; indicatif draws nothing when stderr is not a terminal, so output
/// that is piped or checked stays clean.
fn progress() -> ProgressBar {
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template("{spinner} {msg} ({per_sec})") {
        bar.set_style(style);
    }
    bar
}

/// A new folder for the demo's files, named at random so two runs never share one.
fn demo_dir() -> Result<PathBuf, String> {
    tempfile::Builder::new()
        .prefix("ch07-demo-")
        .tempdir()
        .map(tempfile::TempDir::keep)
        .map_err(|e| format!("cannot create a folder for the demo: {e}"))
}

fn write_demo_log(path: &Path) -> Result<PathBuf, String> {
    let file = File::create(path).map_err(|e| format!("cannot create {}: {e}", path.display()))?;
    demo_log()
        .write_to(BufWriter::new(file))
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    println!(
        "demo: a sample log of {} lines, and a local server that still fails some items",
        demo_log().lines
    );
    Ok(path.to_path_buf())
}

// ANCHOR: summary
fn print_summary(summary: &Summary, output: &Path) {
    let scan = &summary.scan;
    println!(
        "read {} lines: {} with a 5xx status, {} malformed",
        scan.lines, scan.failed, scan.malformed
    );
    for (line_no, why) in &scan.first_malformed {
        println!("  malformed line {line_no}: {why}");
    }
    if scan.malformed > scan.first_malformed.len() as u64 {
        println!(
            "  … and {} more",
            scan.malformed - scan.first_malformed.len() as u64
        );
    }
    println!(
        "refired {}: {} succeeded, {} still failing, {} attempts in all",
        summary.written,
        summary.succeeded,
        summary.written - summary.succeeded,
        summary.attempts
    );
    for (outcome, count) in &summary.by_outcome {
        println!("  {outcome}: {count}");
    }
    println!(
        "retry log: {} ({} lines)",
        output.display(),
        summary.written
    );
}
// ANCHOR_END: summary
