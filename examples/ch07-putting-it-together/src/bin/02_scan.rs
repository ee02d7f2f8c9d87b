//! Streams a request log line by line, finds its format, picks out the lines to
//! fire again, and reports malformed lines by number.
use std::collections::BTreeMap;
use std::io::BufWriter;
use std::ops::ControlFlow;
use std::process::ExitCode;

use ch07_putting_it_together::args;
use ch07_putting_it_together::generate::demo_log;
use ch07_putting_it_together::input::{self, Input};
use ch07_putting_it_together::scan::{Failed, scan};
use ch07_putting_it_together::select::Selection;
use clap::Parser;

/// Scans a request log (common, combined or vhost_combined) for the requests that
/// failed.
#[derive(Debug, Parser)]
struct Args {
    /// The log to scan (`-`: standard input). Without it, a sample log is written
    /// to the temporary folder first.
    log: Option<String>,
}

fn main() -> ExitCode {
    match run(args::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

fn run(args: Args) -> Result<(), String> {
    let sample; // without a log: a sample in a temporary file, removed at the end
    let path = match args.log {
        Some(path) => path,
        None => {
            sample = write_sample()?;
            sample.to_string_lossy().into_owned()
        }
    };
    // ANCHOR: main
    let Input { name, format, detected, reader, .. } = input::open(&path, None)?;
    if let Some(found) = detected {
        let (parsed, of) = (found.parsed, found.looked_at);
        println!(
            "format: {} ({parsed} of the first {of} lines parse)",
            format.name()
        );
    }
    let (mut first, mut by_status) = (Vec::new(), BTreeMap::new());
    let report =
        scan(&name, reader, format, &Selection::default(), |failed: Failed| {
            *by_status.entry(failed.status).or_insert(0) += 1;
            if first.len() < 5 {
                first.push(failed);
            }
            ControlFlow::Continue(()) // a real consumer would hand it on here
        })
        .map_err(|e| format!("cannot read {path}: {e}"))?;

    println!("lines read: {}", report.lines);
    println!("chosen to fire again (500,502-504): {}", report.chosen);
    for (status, count) in &by_status {
        println!("  {status}: {count}");
    }
    // ANCHOR_END: main
    println!("the first {}:", first.len());
    for Failed { line_no, method, target, status, .. } in &first {
        println!("  line {line_no}: {method} {target} -> {status}");
    }
    println!("malformed lines: {}", report.malformed);
    for (line_no, why) in &report.first_malformed {
        println!("  line {line_no}: {why}");
    }
    Ok(())
}

/// Writes the chapter's sample log (2,000 lines, seed 7) to a new temporary file,
/// which is removed when the returned path is dropped.
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
