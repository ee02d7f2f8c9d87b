//! Streams a request log line by line, picks out the 5xx requests, and reports malformed lines by number.
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufReader, BufWriter};
use std::ops::ControlFlow;
use std::path::PathBuf;
use std::process::ExitCode;

use ch07_putting_it_together::scan::{Failed, scan};
use ch07_putting_it_together::tool::demo_log;
use clap::Parser;

/// Scans a request log (Common Log Format) for requests that failed with a 5xx status.
#[derive(Debug, Parser)]
struct Args {
    /// The log to scan. Without it, a sample log is written to the temporary folder first.
    log: Option<PathBuf>,
}

// ANCHOR: main
fn main() -> ExitCode {
    match run(Args::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: Args) -> Result<(), String> {
    let sample; // without a log: a sample in a temporary file, removed at the end
    let path = match args.log {
        Some(path) => path,
        None => {
            sample = write_sample()?;
            sample.to_path_buf()
        }
    };
    let file = File::open(&path).map_err(|e| format!("cannot open {}: {e}", path.display()))?;

    let mut first = Vec::new();
    let mut by_status = BTreeMap::new();
    let report = scan(BufReader::new(file), |failed: Failed| {
        *by_status.entry(failed.status).or_insert(0) += 1;
        if first.len() < 5 {
            first.push(failed);
        }
        ControlFlow::Continue(()) // a real consumer would hand it on here
    })
    .map_err(|e| format!("cannot read {}: {e}", path.display()))?;

    println!("lines read: {}", report.lines);
    println!("5xx requests to refire: {}", report.failed);
    for (status, count) in &by_status {
        println!("  {status}: {count}");
    }
    println!("the first {}:", first.len());
    for failed in &first {
        let Failed {
            line_no,
            method,
            target,
            status,
        } = failed;
        println!("  line {line_no}: {method} {target} -> {status}");
    }
    println!("malformed lines: {}", report.malformed);
    for (line_no, why) in &report.first_malformed {
        println!("  line {line_no}: {why}");
    }
    Ok(())
}
// ANCHOR_END: main

/// Writes the chapter's sample log (2,000 lines, seed 7) to a new temporary file, which is
/// removed when the returned path is dropped.
fn write_sample() -> Result<tempfile::TempPath, String> {
    let file = tempfile::Builder::new()
        .prefix("ch07-sample-")
        .suffix(".log")
        .tempfile()
        .map_err(|e| format!("cannot create a temporary file: {e}"))?;
    let (file, path) = file.into_parts();
    let written = demo_log()
        .write_to(BufWriter::new(file))
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    println!(
        "no log given: wrote a sample of {} lines (seed {}) to the temporary folder",
        written.lines,
        demo_log().seed
    );
    Ok(path)
}
