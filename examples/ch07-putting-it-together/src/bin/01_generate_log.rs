//! Writes a sample request log (combined, common or vhost_combined format), with a
//! seeded mix of statuses.
use std::fs::File;
use std::io::{self, BufWriter};
use std::path::PathBuf;
use std::process::ExitCode;

use ch07_putting_it_together::args;
use ch07_putting_it_together::formats::Format;
use ch07_putting_it_together::generate::SampleLog;
use clap::Parser;

// ANCHOR: args
/// Writes a sample request log: the same seed, the same requests, in any format.
#[derive(Debug, Parser)]
struct Args {
    /// How many lines to write.
    #[arg(long, default_value_t = 10)]
    lines: u64,
    /// The seed of the mix of statuses, ids and queries.
    #[arg(long, default_value_t = 7)]
    seed: u64,
    /// Break every K-th line on purpose (K at least 1).
    #[arg(long, value_name = "K", value_parser = clap::value_parser!(u64).range(1..))]
    malformed_every: Option<u64>,
    /// common, combined (nginx's default) or vhost_combined.
    #[arg(long, default_value = "combined", value_parser = one_format)]
    format: Format,
    /// Write to this file instead of standard output.
    #[arg(long, value_name = "PATH")]
    out: Option<PathBuf>,
}
// ANCHOR_END: args

/// A format's name (`auto` means nothing here: the generator must know what to
/// write).
fn one_format(text: &str) -> Result<Format, String> {
    args::format(text)?
        .0
        .ok_or_else(|| "expected common, combined or vhost_combined".into())
}

// ANCHOR: main
fn main() -> ExitCode {
    let args: Args = args::parse();
    let sample = SampleLog {
        lines: args.lines,
        seed: args.seed,
        malformed_every: args.malformed_every,
        ids: 100,
        format: args.format,
    };
    let result = match &args.out {
        None => sample.write_to(io::stdout().lock()),
        Some(path) => File::create(path)
            .and_then(|file| sample.write_to(BufWriter::new(file)))
            .inspect(|written| {
                println!(
                    "wrote {} lines to {}: {} with a 5xx status, {} malformed",
                    written.lines,
                    path.display(),
                    written.five_xx,
                    written.malformed
                );
            }),
    };
    match result {
        Ok(_) => ExitCode::SUCCESS,
        Err(e) => {
            let to = args
                .out
                .map_or("standard output".into(), |p| p.display().to_string());
            eprintln!("error: cannot write {to}: {e}");
            ExitCode::FAILURE
        }
    }
}
// ANCHOR_END: main
