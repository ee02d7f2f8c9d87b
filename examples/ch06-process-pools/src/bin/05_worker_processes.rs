//! Real worker processes: batches go to N copies of this program over stdin as JSON lines,
//! results come back over stdout, and the batch of a worker that crashes is retried.
//!
//! ```text
//! 05_worker_processes [--workers N] [--batch-size N] [--items N] [--max-retries N]
//!                     [--timeout-ms N] [--worker-exe PATH] [--json]
//!                     [--crash-on-batch B [--crash-mode panic|exit|kill|hang] [--crash-times K]]
//! 05_worker_processes --worker [--crash-on-batch B ...]   (what the coordinator starts)
//! ```
//!
//! `--crash-on-batch B` makes the workers fail on purpose on batch B (counted from 1), on
//! its first K attempts (`--crash-times`, 1 by default): `panic`, `exit` with code 3, `kill`
//! themselves with SIGKILL, or `hang` until the coordinator's timeout kills them.
//!
//! The machinery lives in the crate's `pool` modules (`src/pool/`): the protocol and the
//! worker's loop, one worker process, the slots and the coordinator, the crashes on purpose.
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;

pub use ch06_process_pools::pool::child::Pool;
pub use ch06_process_pools::pool::crash::{Crash, CrashMode};
pub use ch06_process_pools::pool::protocol::{Reply, Request, work, worker};
pub use ch06_process_pools::pool::slots::{
    BatchOutcome, ItemLine, Report, run, run_to_end,
};

/// The command line, for both roles.
#[derive(Debug, Parser)]
#[command(about = "A pool of worker processes that survives its workers' crashes")]
struct Args {
    /// Run as a worker: answer batches on stdin (the coordinator starts workers
    /// this way).
    #[arg(long)]
    worker: bool,
    /// How many worker processes run at once.
    #[arg(long, default_value_t = 3)]
    workers: usize,
    /// How many items go to a worker in one request.
    #[arg(long, default_value_t = 5)]
    batch_size: usize,
    /// How many items to compute (1 to N).
    #[arg(long, default_value_t = 40)]
    items: u64,
    /// How many more times a failed batch is tried, each time on a fresh worker.
    #[arg(long, default_value_t = 2)]
    max_retries: u32,
    /// How long a worker may take over one batch before it is killed.
    #[arg(long, default_value_t = 5000)]
    timeout_ms: u64,
    /// The worker program (by default, this program started with `--worker`).
    #[arg(long)]
    worker_exe: Option<PathBuf>,
    /// Print one JSON line per item instead of the report.
    #[arg(long)]
    json: bool,
    /// Make the workers fail on purpose on this batch (counted from 1).
    #[arg(long)]
    crash_on_batch: Option<usize>,
    /// How they fail.
    #[arg(long, value_enum, default_value = "panic")]
    crash_mode: CrashMode,
    /// On how many of the batch's first attempts they fail.
    #[arg(long, default_value_t = 1)]
    crash_times: u32,
}

/// Parses the command line; a mistake is one line of error (`--help` prints and
/// exits).
fn parse() -> Result<Args, String> {
    Args::try_parse().map_err(|error| {
        if !error.use_stderr() {
            error.exit(); // --help, --version
        }
        let text = error.to_string();
        let first = text.lines().next().unwrap_or_default();
        first.trim_start_matches("error: ").to_owned()
    })
}

fn main() -> ExitCode {
    let result = parse().and_then(|args| {
        let crash = args.crash_on_batch.map(|batch| Crash {
            batch,
            mode: args.crash_mode,
            times: args.crash_times,
        });
        if args.worker { worker_main(crash) } else { coordinator_main(args, crash) }
    });
    match result {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

fn worker_main(crash: Option<Crash>) -> Result<ExitCode, String> {
    // One line on stderr instead of the usual panic message: the coordinator
    // reports the last line a worker wrote there.
    std::panic::set_hook(Box::new(|info| {
        let payload = info.payload();
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        eprintln!("worker panicked: {message}");
    }));
    worker(crash)?;
    Ok(ExitCode::SUCCESS)
}

fn coordinator_main(args: Args, crash: Option<Crash>) -> Result<ExitCode, String> {
    let program = match args.worker_exe {
        Some(program) => program,
        // By default the workers are this very program, started with `--worker`.
        None => std::env::current_exe()
            .map_err(|e| format!("cannot find this program: {e}"))?,
    };
    let mut worker_args = vec!["--worker".to_owned()];
    worker_args.extend(crash.map(Crash::to_args).unwrap_or_default());
    let pool = Pool {
        workers: args.workers,
        batch_size: args.batch_size,
        max_retries: args.max_retries,
        timeout: Duration::from_millis(args.timeout_ms),
        program,
        args: worker_args,
    };
    let (items, json) = (args.items, args.json);
    let items: Vec<u64> = (1..=items).collect();
    let (batch_size, workers) = (pool.batch_size, pool.workers);
    let report = run_to_end(pool, &items, true)?;
    let batches = report.batches.len();
    let header = format!(
        "{} items in {batches} batches of up to {batch_size}, on {} worker processes",
        items.len(),
        workers.min(batches)
    );
    let lines = report.item_lines();
    if json {
        for line in &lines {
            println!(
                "{}",
                serde_json::to_string(line).expect("a line always serialises")
            );
        }
    } else {
        println!("{header}");
        print_story(&report);
        let values: Vec<u128> =
            lines.iter().filter_map(|line| line.value).collect();
        println!(
            "results: {} of {} items, adding up to {}",
            values.len(),
            lines.len(),
            values.iter().sum::<u128>()
        );
    }
    let failed: Vec<&BatchOutcome> = report.failed().collect();
    if failed.is_empty() {
        return Ok(ExitCode::SUCCESS);
    }
    let names: Vec<String> = failed.iter().map(|f| f.batch.to_string()).collect();
    let lost: usize = failed.iter().map(|f| f.items.len()).sum();
    eprintln!(
        "error: batch(es) {} failed on every attempt; {lost} item(s) have no result",
        names.join(", ")
    );
    Ok(ExitCode::FAILURE)
}

/// Every failed attempt, and what became of its batch.
fn print_story(report: &Report) {
    for outcome in report.batches.iter().filter(|o| !o.troubles.is_empty()) {
        for (attempt, trouble) in outcome.troubles.iter().enumerate() {
            println!("batch {}, attempt {}: {trouble}", outcome.batch, attempt + 1);
        }
        match (&outcome.results, outcome.items.first(), outcome.items.last()) {
            (Some(_), _, _) => println!(
                "  retried on a fresh worker: done on attempt {}",
                outcome.troubles.len() + 1
            ),
            (None, Some(first), Some(last)) => println!(
                "  gave up after {} attempts: items {first} to {last} have no result",
                outcome.troubles.len()
            ),
            (None, _, _) => {}
        }
    }
}
