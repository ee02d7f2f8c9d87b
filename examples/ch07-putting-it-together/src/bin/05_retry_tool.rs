//! The whole tool: reads web server logs, fires their failed requests again within
//! limits, and appends a retry log that a second run can continue.
use std::fs::{File, OpenOptions};
use std::io::{BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use ch07_putting_it_together::cli::{Args, one_line};
use ch07_putting_it_together::formats;
use ch07_putting_it_together::generate::demo_log;
use ch07_putting_it_together::input::{self, Input, shorten};
use ch07_putting_it_together::record::Recorded;
use ch07_putting_it_together::refire::{Limits, Refirer, check_server};
use ch07_putting_it_together::select::Selection;
use ch07_putting_it_together::tool::{
    Job, Stop, Summary, demo_server, dry_run, run,
};
use clap::Parser;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use local_server::LocalServer;
use reqwest::header::HeaderMap;
use throttle::retry::Backoff;
use tokio::sync::watch;

// ANCHOR: ending
/// How a run ended, as its exit status says it.
enum Ending {
    /// Every request sent got a success (0).
    Done,
    /// Something outside the tool failed: the server, the disk (1).
    Error(String),
    /// Bad flags, or input the tool cannot read (2).
    Usage(String),
    /// Some requests still fail: the retry log says which (3).
    StillFailing(String),
    /// Ctrl-C (130, as a shell reports a program stopped by SIGINT).
    Interrupted(String),
}
// ANCHOR_END: ending

#[tokio::main]
async fn main() -> ExitCode {
    let args = match Args::try_parse() {
        Ok(args) => args,
        Err(e) if !e.use_stderr() => {
            let _ = e.print(); // --help, --version
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            return end(Ending::Usage(
                one_line(&e).trim_start_matches("error: ").into(),
            ));
        }
    };
    if args.trace {
        trace_to_stderr();
    }
    end(retry_tool(args).await)
}

// ANCHOR: trace
/// `--trace`: the tool's spans and events on stderr, each span with the time it was
/// busy and idle when it closes; the libraries' own debug events are left out.
fn trace_to_stderr() {
    use tracing_subscriber::fmt::format::FmtSpan;
    use tracing_subscriber::prelude::*;
    let ours = tracing_subscriber::filter::Targets::new()
        .with_target("ch07_putting_it_together", tracing::Level::DEBUG)
        .with_default(tracing::Level::INFO);
    let lines = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_ansi(false) // plain text: it is read in files and piped to grep
        .with_span_events(FmtSpan::CLOSE);
    tracing_subscriber::registry().with(lines.with_filter(ours)).init();
}
// ANCHOR_END: trace

fn end(ending: Ending) -> ExitCode {
    let (code, message) = match ending {
        Ending::Done => return ExitCode::SUCCESS,
        Ending::Error(m) => (1, format!("error: {m}")),
        Ending::Usage(m) => (2, format!("error: {m}")),
        Ending::StillFailing(m) => (3, m),
        Ending::Interrupted(m) => (130, format!("interrupted: {m}")),
    };
    eprintln!("{message}");
    ExitCode::from(code)
}

// ANCHOR: main
async fn retry_tool(args: Args) -> Ending {
    // Find everything wrong with the command before touching the output.
    let mut demo = None;
    let (inputs, server, output) = match setup(&args, &mut demo).await {
        Ok(setup) => setup,
        Err(ending) => return ending,
    };
    let (job, output) = match prepare(&args, inputs, output) {
        Ok(prepared) => prepared,
        Err(message) => return Ending::Usage(message),
    };
    if args.dry_run {
        return plan(&args, job, &server).await;
    }
    let Some(output) = output else {
        return Ending::Usage("--output is required".into());
    };
    if let Err(message) = check_server(&server, args.timeout).await {
        return Ending::Error(message);
    }
    let retry_log = match open_output(&output, job.recorded.ends_mid_line) {
        Ok(file) => file,
        Err(message) => return Ending::Error(message),
    };
    let refirer =
        match Refirer::new(server.as_str(), &limits(&args), headers(&args)) {
            Ok(refirer) => Arc::new(refirer),
            Err(message) => return Ending::Error(message),
        };
    let stop = ctrl_c_presses();
    let concurrency = usize::from(args.concurrency);
    let ran = run(job, refirer, concurrency, retry_log, progress(), stop).await;
    if let Some(server) = demo {
        server.shutdown().await;
    }
    match ran {
        Ok(summary) => report(&summary, &output, &server),
        Err(message) => Ending::Error(message),
    }
}
// ANCHOR_END: main

/// The logs, the server and the output: from the flags, or made up for `--demo`.
async fn setup(
    args: &Args,
    demo: &mut Option<LocalServer>,
) -> Result<(Vec<Input>, reqwest::Url, Option<PathBuf>), Ending> {
    if !args.demo {
        let format = args.format.0;
        let inputs: Result<Vec<Input>, String> =
            args.input.iter().map(|name| input::open(name, format)).collect();
        let server = args
            .server
            .clone()
            .ok_or(Ending::Usage("--server is required".into()))?;
        return Ok((inputs.map_err(Ending::Usage)?, server, args.output.clone()));
    }
    let dir = tempfile::Builder::new()
        .prefix("ch07-demo-")
        .tempdir()
        .map(tempfile::TempDir::keep) // kept, so you can read the logs afterwards
        .map_err(|e| {
            Ending::Error(format!("cannot create a folder for the demo: {e}"))
        })?;
    let log = dir.join("access.log");
    let file = File::create(&log).map_err(|e| {
        Ending::Error(format!("cannot create {}: {e}", log.display()))
    })?;
    demo_log().write_to(BufWriter::new(file)).map_err(|e| {
        Ending::Error(format!("cannot write {}: {e}", log.display()))
    })?;
    let server = LocalServer::start(demo_server())
        .await
        .map_err(|e| Ending::Error(format!("cannot start the demo server: {e}")))?;
    println!(
        "demo: a sample log of {} lines, and a local server that still fails some items",
        demo_log().lines
    );
    let url = reqwest::Url::parse(&server.url(""))
        .map_err(|e| Ending::Error(e.to_string()))?;
    *demo = Some(server);
    let log = log.to_string_lossy().into_owned();
    let input = input::open(&log, args.format.0).map_err(Ending::Usage)?;
    Ok((
        vec![input],
        url,
        Some(args.output.clone().unwrap_or(dir.join("retry.log"))),
    ))
}

// ANCHOR: prepare
/// The job to run, once the output is known to be safe to append to: not one of the
/// inputs, and new or empty unless `--resume` (then its records say what is done).
fn prepare(
    args: &Args,
    inputs: Vec<Input>,
    output: Option<PathBuf>,
) -> Result<(Job, Option<PathBuf>), String> {
    let mut recorded = Recorded::default();
    if let Some(output) = &output {
        for input in &inputs {
            if same_file(Path::new(&*input.name), output) {
                return Err(format!(
                    "{} is also an input: the retry log must be another file",
                    output.display()
                ));
            }
        }
        if let Some(parent) = output.parent().filter(|p| !p.as_os_str().is_empty())
            && !parent.is_dir()
        {
            return Err(format!(
                "cannot create {}: no folder {}",
                output.display(),
                parent.display()
            ));
        }
        recorded = read_recorded(output)?;
        if recorded.records + recorded.unreadable > 0
            && !args.resume
            && !args.dry_run
        {
            return Err(format!(
                "{} already holds {} records: add --resume to continue it, or choose a new --output",
                output.display(),
                recorded.records
            ));
        }
    }
    // ANCHOR_END: prepare
    let selection = Selection {
        statuses: args.status.clone(),
        since: args.since,
        until: args.until,
        methods: args.methods.clone(),
    };
    let dedupe = !args.keep_duplicates;
    let job = Job { inputs, selection, dedupe, recorded, json: args.json };
    Ok((job, output))
}

/// The records already in `output`, if it exists (an empty set if not).
fn read_recorded(output: &Path) -> Result<Recorded, String> {
    match File::open(output) {
        Ok(file) => Recorded::read(BufReader::new(file))
            .map_err(|e| format!("cannot read {}: {e}", output.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            Ok(Recorded::default())
        }
        Err(e) => Err(format!("cannot read {}: {e}", output.display())),
    }
}

// ANCHOR: same_file
/// Are `a` and `b` one file (the same path, a link to it, another name for it)? A
/// path that does not exist yet is no file at all.
fn same_file(a: &Path, b: &Path) -> bool {
    let (Ok(a_meta), Ok(b_meta)) = (std::fs::metadata(a), std::fs::metadata(b))
    else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        a_meta.dev() == b_meta.dev() && a_meta.ino() == b_meta.ino()
    }
    #[cfg(not(unix))]
    {
        let _ = (a_meta, b_meta);
        std::fs::canonicalize(a).ok() == std::fs::canonicalize(b).ok()
    }
}
// ANCHOR_END: same_file

// ANCHOR: open_output
/// Opens the retry log to append to, creating it if needed. If the last run was cut
/// off mid-line, the next record starts on a line of its own.
fn open_output(
    path: &Path,
    ends_mid_line: bool,
) -> Result<Box<dyn Write + Send>, String> {
    let cannot =
        |e: std::io::Error| format!("cannot create {}: {e}", path.display());
    let mut file =
        OpenOptions::new().append(true).create(true).open(path).map_err(cannot)?;
    if ends_mid_line {
        file.write_all(b"\n").map_err(cannot)?;
    }
    Ok(Box::new(file))
}
// ANCHOR_END: open_output

// ANCHOR: ctrl_c
/// Ctrl-C once: `Drain`. Twice: `Abort`. Three times: end at once. Listening
/// replaces the default action of SIGINT (ending the process) for the rest of the
/// run.
fn ctrl_c_presses() -> watch::Receiver<Stop> {
    let (stop, presses) = watch::channel(Stop::Run);
    let mut interrupts = Interrupts::new();
    tokio::spawn(async move {
        for next in [Stop::Drain, Stop::Abort] {
            if !interrupts.next().await {
                break; // no handler: never stop early
            }
            stop.send_replace(next);
            match next {
                Stop::Drain => eprintln!(
                    "stopping: reading no more lines and sending no new requests; \
                     the ones under way are finishing (Ctrl-C again to abandon them)"
                ),
                _ => {
                    eprintln!(
                        "abandoning the requests under way: \
                         each is recorded as interrupted"
                    )
                }
            }
        }
        // A third Ctrl-C: the user insists. End now, even with records not yet
        // written.
        if interrupts.next().await {
            eprintln!("stopped at once: records not yet written are lost");
            std::process::exit(130);
        }
        // keep the sender, so `run` sees no hang-up
        std::future::pending::<()>().await;
    });
    presses
}
// ANCHOR_END: ctrl_c

/// Every Ctrl-C, from one listener: none is missed between two presses.
struct Interrupts {
    #[cfg(unix)]
    signals: Option<tokio::signal::unix::Signal>,
}

impl Interrupts {
    fn new() -> Interrupts {
        #[cfg(unix)]
        {
            let kind = tokio::signal::unix::SignalKind::interrupt();
            Interrupts { signals: tokio::signal::unix::signal(kind).ok() }
        }
        #[cfg(not(unix))]
        Interrupts {}
    }

    /// Waits for the next Ctrl-C; `false` if there can be none.
    async fn next(&mut self) -> bool {
        #[cfg(unix)]
        match &mut self.signals {
            Some(signals) => signals.recv().await.is_some(),
            None => false,
        }
        #[cfg(not(unix))]
        tokio::signal::ctrl_c().await.is_ok()
    }
}

fn limits(args: &Args) -> Limits {
    Limits {
        concurrency: usize::from(args.concurrency),
        rate: Some((args.rate, args.per)),
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

fn headers(args: &Args) -> HeaderMap {
    let mut headers = HeaderMap::new();
    for (name, value) in &args.header {
        headers.append(name.clone(), value.clone());
    }
    headers
}

/// A spinner on stderr; indicatif draws nothing when stderr is not a terminal, so
/// output that is piped or checked stays clean.
fn progress() -> ProgressBar {
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    if let Ok(style) =
        ProgressStyle::with_template("{spinner} {pos} records ({per_sec})")
    {
        bar.set_style(style);
    }
    bar
}

// ANCHOR: plan
async fn plan(args: &Args, job: Job, server: &reqwest::Url) -> Ending {
    let base = server.as_str().trim_end_matches('/').to_owned();
    let planned = dry_run(job, |failed| {
        let url = ch07_putting_it_together::rewrite::with_retry(&failed.target);
        println!(
            "{} {base}{url}  ({} line {})",
            failed.method, failed.log, failed.line_no
        );
    })
    .await;
    let plan = match planned {
        Ok(plan) => plan,
        Err(message) => return Ending::Usage(message),
    };
    let (rate, per) = (u64::from(args.rate), args.per.as_secs_f64());
    let at_least = plan.to_send.saturating_sub(rate) as f64 / rate as f64 * per;
    println!(
        "would send {} requests (not sending {} duplicates, {} skipped by method, {} already \
         recorded); at {rate} per {per} s that takes {at_least:.0} s or more",
        plan.to_send, plan.duplicates, plan.skipped, plan.resumed
    );
    Ending::Done
}
// ANCHOR_END: plan

fn report(summary: &Summary, output: &Path, server: &reqwest::Url) -> Ending {
    for (log, scan) in &summary.scans {
        println!(
            "{log}: {} lines, {} malformed, {} chosen",
            scan.lines, scan.malformed, scan.chosen
        );
        for (line_no, why) in &scan.first_malformed {
            println!("  line {line_no}: {why}");
        }
        let named = scan.first_malformed.len() as u64;
        if scan.malformed > named {
            println!("  … and {} more", scan.malformed - named);
        }
    }
    if summary.resumed > 0 {
        println!("already recorded, not sent again: {}", summary.resumed);
    }
    let count =
        |outcome: &str| summary.by_outcome.get(outcome).copied().unwrap_or(0);
    let (duplicates, skipped) =
        (count("skipped=duplicate"), count("skipped=method"));
    println!(
        "recorded {}: {} sent, {duplicates} duplicates not sent, {skipped} skipped by method",
        summary.written,
        summary.sent()
    );
    println!(
        "sent {}: {} succeeded, {} still failing, {} attempts in all",
        summary.sent(),
        summary.succeeded,
        summary.still_failing,
        summary.attempts
    );
    for (outcome, count) in &summary.by_outcome {
        if !outcome.starts_with("skipped=") {
            println!("  {outcome}: {count}");
        }
    }
    println!("retry log: {} ({} new records)", output.display(), summary.written);
    verdict(summary, server)
}

// ANCHOR: verdict
/// The exit status, and the one line that explains it.
fn verdict(summary: &Summary, server: &reqwest::Url) -> Ending {
    for (log, scan) in &summary.scans {
        if scan.malformed * 2 > scan.lines {
            let samples = scan.malformed_samples.iter().map(String::as_str);
            let hint = match formats::detect(samples) {
                Some(found) => format!(
                    "they look like {0}: try --format {0}",
                    found.format.name()
                ),
                None => match scan.malformed_samples.first() {
                    Some(line) => format!("the first is: {}", shorten(line)),
                    None => String::new(),
                },
            };
            let (bad, all) = (scan.malformed, scan.lines);
            return Ending::Usage(format!(
                "most lines of {log} are malformed ({bad} of {all}); {hint}"
            ));
        }
    }
    if let Some(stop) = summary.stopped {
        let how = if stop == Stop::Abort { "abandoned" } else { "finished" };
        return Ending::Interrupted(format!(
            "the requests under way {how}, every one recorded; run again with --resume to go on"
        ));
    }
    if summary.all_connect_errors && summary.sent() > 0 {
        return Ending::StillFailing(format!(
            "every request failed to connect to {server}: is the server still running?"
        ));
    }
    match summary.still_failing {
        0 => Ending::Done,
        n => Ending::StillFailing(format!(
            "{n} requests still fail: the retry log says how"
        )),
    }
}
// ANCHOR_END: verdict
