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
use std::collections::VecDeque;
use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::process::{ExitCode, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use serde::{Deserialize, Serialize};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader, Lines};
use tokio::process::{Child, ChildStdin, ChildStdout, Command};
use tokio::sync::mpsc;
use tokio::task::{JoinHandle, JoinSet};

// ANCHOR: protocol
/// What the coordinator sends a worker: one line of JSON per batch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Request {
    pub batch: usize,
    pub attempt: u32,
    pub items: Vec<u64>,
}

/// What the worker answers: one line of JSON with one result per item, in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reply {
    pub batch: usize,
    pub results: Vec<u128>,
}
// ANCHOR_END: protocol

/// One item's CPU work: the sum of the squares below it.
pub fn work(item: u64) -> u128 {
    (0..item)
        .map(|i| u128::from(std::hint::black_box(i)).pow(2))
        .sum()
}

// ANCHOR: worker
/// A worker's whole life: read a request, answer it, and again, until stdin closes.
pub fn worker(crash: Option<Crash>) -> Result<(), String> {
    let mut stdout = std::io::stdout().lock();
    for line in std::io::stdin().lock().lines() {
        let line = line.map_err(|e| format!("cannot read a request: {e}"))?;
        let request: Request =
            serde_json::from_str(&line).map_err(|e| format!("bad request {line:?}: {e}"))?;
        if let Some(crash) = crash
            && crash.batch == request.batch
            && request.attempt <= crash.times
        {
            crash.strike(); // only when a test asks for it
        }
        let results = request.items.iter().map(|&item| work(item)).collect();
        let reply = Reply {
            batch: request.batch,
            results,
        };
        serde_json::to_writer(&mut stdout, &reply).map_err(|e| format!("cannot answer: {e}"))?;
        // One reply per line, flushed at once: the coordinator is waiting for it.
        writeln!(stdout)
            .and_then(|()| stdout.flush())
            .map_err(|e| format!("cannot answer: {e}"))?;
    }
    Ok(())
}
// ANCHOR_END: worker

// ANCHOR: crash
/// How a worker fails on purpose, so that tests (and you) can watch the coordinator cope.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CrashMode {
    /// `panic!`: the process exits with code 101.
    Panic,
    /// `std::process::exit(3)`.
    Exit,
    /// SIGKILL, the signal the kernel's out-of-memory killer sends; no program can catch it.
    Kill,
    /// Never answer; the coordinator's per-batch timeout must kill it.
    Hang,
}

/// Fail in this way on this batch, on its first `times` attempts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Crash {
    pub batch: usize,
    pub mode: CrashMode,
    pub times: u32,
}

impl Crash {
    fn strike(self) -> ! {
        let batch = self.batch;
        match self.mode {
            CrashMode::Panic => panic!("told to crash on batch {batch}"),
            CrashMode::Exit => {
                eprintln!("worker: exiting with code 3, as told, on batch {batch}");
                std::process::exit(3)
            }
            CrashMode::Kill => {
                eprintln!("worker: sending itself SIGKILL, as told, on batch {batch}");
                kill_myself()
            }
            CrashMode::Hang => {
                eprintln!("worker: hanging, as told, on batch {batch}");
                loop {
                    std::thread::sleep(Duration::from_secs(3600));
                }
            }
        }
    }

    /// The flags that ask a worker for this crash.
    fn to_args(self) -> Vec<String> {
        let mode = match self.mode {
            CrashMode::Panic => "panic",
            CrashMode::Exit => "exit",
            CrashMode::Kill => "kill",
            CrashMode::Hang => "hang",
        };
        let flags = [
            ("--crash-on-batch", self.batch.to_string()),
            ("--crash-mode", mode.to_owned()),
            ("--crash-times", self.times.to_string()),
        ];
        flags
            .into_iter()
            .flat_map(|(flag, value)| [flag.to_owned(), value])
            .collect()
    }
}
// ANCHOR_END: crash

/// The standard library cannot send a signal, so ask the `kill` command to send SIGKILL to
/// this process; if it cannot, abort (SIGABRT), which also ends the process by a signal.
fn kill_myself() -> ! {
    let _ = std::process::Command::new("kill")
        .args(["-KILL", &std::process::id().to_string()])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    std::thread::sleep(Duration::from_secs(1)); // the signal is on its way
    std::process::abort()
}

// ANCHOR: pool
/// How to run the pool.
#[derive(Debug, Clone)]
pub struct Pool {
    /// How many worker processes run at once.
    pub workers: usize,
    /// How many items go to a worker in one request.
    pub batch_size: usize,
    /// How many more times a batch is tried, each on a fresh worker, after a failure.
    pub max_retries: u32,
    /// How long a worker may take to answer one batch before it is killed.
    pub timeout: Duration,
    /// The program to start as a worker, and its arguments.
    pub program: PathBuf,
    pub args: Vec<String>,
}
// ANCHOR_END: pool

/// What became of one batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchOutcome {
    /// The batch's number, counted from 1.
    pub batch: usize,
    pub items: Vec<u64>,
    /// What went wrong, one entry per failed attempt.
    pub troubles: Vec<String>,
    /// One result per item, or `None` if every attempt failed.
    pub results: Option<Vec<u128>>,
}

/// Every batch's outcome, in batch order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub batches: Vec<BatchOutcome>,
}

/// How long a worker that is dying or told to stop gets before it is killed.
const GRACE: Duration = Duration::from_secs(2);

// ANCHOR: process
/// One running worker process and the pipes to it.
struct Worker {
    child: Child,
    to: ChildStdin,
    from: Lines<BufReader<ChildStdout>>,
    /// The last line it wrote to stderr, once it has closed stderr (when it ends).
    last_words: JoinHandle<String>,
}

/// What went wrong in one exchange with a worker.
enum Trouble {
    TimedOut(Duration),
    Closed,
    Pipe(std::io::Error),
    BadReply(String),
}

impl Worker {
    fn start(pool: &Pool) -> Result<Worker, String> {
        let mut child = Command::new(&pool.program)
            .args(&pool.args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true) // if the coordinator gives up, no worker outlives it
            .spawn()
            .map_err(|e| format!("cannot start worker {}: {e}", pool.program.display()))?;
        let to = child.stdin.take().expect("stdin is piped");
        let from = BufReader::new(child.stdout.take().expect("stdout is piped")).lines();
        let mut stderr = child.stderr.take().expect("stderr is piped");
        let last_words = tokio::spawn(async move {
            let mut said = String::new();
            let _ = stderr.read_to_string(&mut said).await;
            said.lines().last().unwrap_or_default().to_owned()
        });
        Ok(Worker {
            child,
            to,
            from,
            last_words,
        })
    }

    /// Sends one batch and waits, at most `timeout`, for its answer.
    async fn ask(&mut self, request: &Request, timeout: Duration) -> Result<Reply, Trouble> {
        let mut line = serde_json::to_string(request).expect("a request always serialises");
        line.push('\n');
        let exchange = async {
            self.to.write_all(line.as_bytes()).await?;
            self.to.flush().await?;
            self.from.next_line().await
        };
        let answer = match tokio::time::timeout(timeout, exchange).await {
            Err(_) => return Err(Trouble::TimedOut(timeout)),
            Ok(Err(error)) => return Err(Trouble::Pipe(error)),
            Ok(Ok(None)) => return Err(Trouble::Closed),
            Ok(Ok(Some(answer))) => answer,
        };
        let reply: Reply =
            serde_json::from_str(&answer).map_err(|e| Trouble::BadReply(e.to_string()))?;
        if reply.batch != request.batch || reply.results.len() != request.items.len() {
            return Err(Trouble::BadReply("an answer to another batch".to_owned()));
        }
        Ok(reply)
    }

    /// After trouble: makes sure the process is gone, and says what happened to it.
    async fn bury(mut self, trouble: Trouble) -> String {
        let what = match &trouble {
            Trouble::TimedOut(limit) => format!(
                "no answer within {} ms, so the worker was killed",
                limit.as_millis()
            ),
            Trouble::Closed => "the worker ended without answering".to_owned(),
            Trouble::Pipe(error) => format!("the pipe to the worker broke ({error})"),
            Trouble::BadReply(why) => {
                format!("the worker answered nonsense ({why}), so it was killed")
            }
        };
        // A worker that timed out or talks nonsense may still be running: kill it. One that
        // closed its output is on its way out; it gets a moment, then it is killed too.
        if matches!(trouble, Trouble::TimedOut(_) | Trouble::BadReply(_)) {
            let _ = self.child.start_kill();
        }
        let status = match tokio::time::timeout(GRACE, self.child.wait()).await {
            Ok(status) => status.ok(),
            Err(_) => {
                let _ = self.child.kill().await;
                self.child.wait().await.ok()
            }
        };
        let mut story = format!("{what} ({})", describe(status));
        if let Ok(Ok(words)) = tokio::time::timeout(GRACE, self.last_words).await
            && !words.is_empty()
        {
            story.push_str(&format!("; its last words: {words:?}"));
        }
        story
    }

    /// No more batches: close its stdin, so it ends its loop and exits.
    async fn retire(mut self) {
        drop(self.to);
        if tokio::time::timeout(GRACE, self.child.wait())
            .await
            .is_err()
        {
            let _ = self.child.kill().await;
        }
    }
}
// ANCHOR_END: process

/// How a process ended, in words.
fn describe(status: Option<ExitStatus>) -> String {
    let Some(status) = status else {
        return "it could not be waited for".to_owned();
    };
    if let Some(code) = status.code() {
        return format!("exit code {code}");
    }
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(signal) = status.signal() {
            let name = match signal {
                6 => ", SIGABRT",
                9 => ", SIGKILL",
                15 => ", SIGTERM",
                _ => "",
            };
            return format!("signal {signal}{name}");
        }
    }
    "it ended".to_owned()
}

type Queue = Arc<Mutex<VecDeque<(usize, Vec<u64>)>>>;

// ANCHOR: slot
/// One worker slot: takes batches from the shared queue until it is empty. When a worker
/// fails, it is buried and the same batch goes at once to a fresh one, up to
/// `max_retries` more times; then the batch is reported as failed. A fresh worker that
/// cannot start is a failed attempt too: the batch is reported, never lost.
async fn slot(
    pool: Arc<Pool>,
    queue: Queue,
    done: mpsc::UnboundedSender<BatchOutcome>,
    mut worker: Option<Worker>,
) {
    loop {
        let next = queue
            .lock()
            .expect("nobody panics holding the lock")
            .pop_front();
        let Some((batch, items)) = next else { break };
        let mut troubles = Vec::new();
        let mut results = None;
        for attempt in 1..=pool.max_retries + 1 {
            let mut current = match worker.take().map_or_else(|| Worker::start(&pool), Ok) {
                Ok(running) => running,
                Err(why) => {
                    troubles.push(why);
                    continue;
                }
            };
            let request = Request {
                batch,
                attempt,
                items: items.clone(),
            };
            match current.ask(&request, pool.timeout).await {
                Ok(reply) => {
                    results = Some(reply.results);
                    worker = Some(current); // it is healthy: keep it for the next batch
                    break;
                }
                Err(trouble) => troubles.push(current.bury(trouble).await),
            }
        }
        let outcome = BatchOutcome {
            batch,
            items,
            troubles,
            results,
        };
        // The coordinator receives until every slot has ended, so this cannot fail.
        let _ = done.send(outcome);
    }
    if let Some(worker) = worker {
        worker.retire().await;
    }
}
// ANCHOR_END: slot

// ANCHOR: coordinator
/// Runs `items` through a pool of worker processes. Every batch ends up in the report,
/// with its results or with why it has none; an error means the pool itself could not run.
pub async fn run(pool: Pool, items: &[u64], progress: &ProgressBar) -> Result<Report, String> {
    if pool.workers == 0 {
        return Err("--workers must be at least 1".to_owned());
    }
    if pool.batch_size == 0 {
        return Err("--batch-size must be at least 1".to_owned());
    }
    let queue: VecDeque<(usize, Vec<u64>)> = items
        .chunks(pool.batch_size)
        .enumerate()
        .map(|(index, batch)| (index + 1, batch.to_vec()))
        .collect();
    let batches = queue.len();
    let slots_needed = pool.workers.min(batches);
    let (pool, queue) = (Arc::new(pool), Arc::new(Mutex::new(queue)));
    let (done, mut outcomes) = mpsc::unbounded_channel();
    // A worker program that cannot start at all is an error before any work is done.
    let mut first = match slots_needed {
        0 => None,
        _ => Some(Worker::start(&pool)?),
    };
    let mut slots = JoinSet::new();
    for _ in 0..slots_needed {
        let (pool, queue) = (Arc::clone(&pool), Arc::clone(&queue));
        slots.spawn(slot(pool, queue, done.clone(), first.take()));
    }
    drop(done); // the slots hold the only senders: `recv` ends when they have all ended
    let mut report = Vec::with_capacity(batches);
    loop {
        tokio::select! {
            Some(outcome) = outcomes.recv() => {
                progress.inc(outcome.items.len() as u64);
                report.push(outcome);
            }
            Some(ended) = slots.join_next() => if let Err(panicked) = ended {
                // Returning drops `slots`, which aborts the other slots; dropping their
                // workers kills the processes (`kill_on_drop`).
                return Err(format!("a worker slot failed: {panicked}"));
            },
            else => break, // every slot has ended and every outcome is in
        }
    }
    if report.len() != batches {
        return Err(format!("{} batch(es) lost", batches - report.len()));
    }
    report.sort_by_key(|outcome| outcome.batch);
    Ok(Report { batches: report })
}
// ANCHOR_END: coordinator

/// One item's line in `--json` output: exactly one of `value` and `error` is present.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemLine {
    pub item: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<u128>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl Report {
    /// One line per item, in input order: its value, or why it has none.
    pub fn item_lines(&self) -> Vec<ItemLine> {
        let mut lines = Vec::new();
        for outcome in &self.batches {
            for (position, &item) in outcome.items.iter().enumerate() {
                let value = outcome.results.as_ref().map(|results| results[position]);
                let error = value.is_none().then(|| {
                    let last = outcome.troubles.last().map_or("", String::as_str);
                    let tries = outcome.troubles.len();
                    format!("batch {} failed {tries} times, last: {last}", outcome.batch)
                });
                lines.push(ItemLine { item, value, error });
            }
        }
        lines
    }

    /// The batches that never got results.
    pub fn failed(&self) -> impl Iterator<Item = &BatchOutcome> {
        self.batches
            .iter()
            .filter(|outcome| outcome.results.is_none())
    }
}

/// Everything the command line asks for.
#[derive(Debug)]
struct Options {
    pool: Pool,
    items: u64,
    json: bool,
}

fn parse_number<T: std::str::FromStr>(flag: &str, value: Option<&String>) -> Result<T, String> {
    let value = value.ok_or_else(|| format!("{flag} needs a value"))?;
    value
        .parse()
        .map_err(|_| format!("{flag} takes a whole number, not {value:?}"))
}

/// Parses the crash flags out of `args`; the rest is left to the caller.
fn parse_crash(args: &[String]) -> Result<(Option<Crash>, Vec<String>), String> {
    let (mut batch, mut mode, mut times, mut rest) = (None, CrashMode::Panic, 1, Vec::new());
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--crash-on-batch" => batch = Some(parse_number(arg, args.next())?),
            "--crash-times" => times = parse_number(arg, args.next())?,
            "--crash-mode" => {
                mode = match args.next().map(String::as_str) {
                    Some("panic") => CrashMode::Panic,
                    Some("exit") => CrashMode::Exit,
                    Some("kill") => CrashMode::Kill,
                    Some("hang") => CrashMode::Hang,
                    _ => return Err("--crash-mode is one of panic, exit, kill, hang".to_owned()),
                }
            }
            _ => rest.push(arg.clone()),
        }
    }
    let crash = batch.map(|batch| Crash { batch, mode, times });
    Ok((crash, rest))
}

fn parse(args: &[String]) -> Result<Options, String> {
    let (crash, rest) = parse_crash(args)?;
    let mut pool = Pool {
        workers: 3,
        batch_size: 5,
        max_retries: 2,
        timeout: Duration::from_secs(5),
        program: PathBuf::new(),
        args: vec!["--worker".to_owned()],
    };
    pool.args
        .extend(crash.map(Crash::to_args).unwrap_or_default());
    let (mut items, mut json, mut program) = (40, false, None);
    let mut rest = rest.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--workers" => pool.workers = parse_number(arg, rest.next())?,
            "--batch-size" => pool.batch_size = parse_number(arg, rest.next())?,
            "--items" => items = parse_number(arg, rest.next())?,
            "--max-retries" => pool.max_retries = parse_number(arg, rest.next())?,
            "--timeout-ms" => pool.timeout = Duration::from_millis(parse_number(arg, rest.next())?),
            "--worker-exe" => program = rest.next().map(PathBuf::from),
            "--json" => json = true,
            other => {
                return Err(format!(
                    "unknown argument {other:?} (see the listing's doc comment)"
                ));
            }
        }
    }
    pool.program = match program {
        Some(program) => program,
        // By default the workers are this very program, started with `--worker`.
        None => std::env::current_exe().map_err(|e| format!("cannot find this program: {e}"))?,
    };
    Ok(Options { pool, items, json })
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = if args.first().is_some_and(|arg| arg == "--worker") {
        worker_main(&args[1..])
    } else {
        coordinator_main(&args)
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

fn worker_main(args: &[String]) -> Result<ExitCode, String> {
    let (crash, rest) = parse_crash(args)?;
    if let Some(extra) = rest.first() {
        return Err(format!("unknown worker argument {extra:?}"));
    }
    // One line on stderr instead of the usual panic message: the coordinator reports the
    // last line a worker wrote there.
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

// ANCHOR: main
/// Runs the pool to the end on a one-thread runtime of its own. The progress bar draws on
/// stderr, and only when asked and stderr is a terminal: piped, or checked by a test, the
/// output is just the report on stdout.
pub fn run_to_end(pool: Pool, items: &[u64], show_progress: bool) -> Result<Report, String> {
    let progress = if show_progress && std::io::stderr().is_terminal() {
        let style = ProgressStyle::with_template("{bar:40} {pos}/{len} items")
            .unwrap_or_else(|_| ProgressStyle::default_bar());
        ProgressBar::new(items.len() as u64).with_style(style)
    } else {
        ProgressBar::hidden()
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all() // the IO driver watches the pipes; the timer runs the timeouts
        .build()
        .map_err(|e| format!("cannot start the runtime: {e}"))?;
    let report = runtime.block_on(run(pool, items, &progress));
    progress.finish_and_clear();
    report
}
// ANCHOR_END: main

fn coordinator_main(args: &[String]) -> Result<ExitCode, String> {
    let Options { pool, items, json } = parse(args)?;
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
        let values: Vec<u128> = lines.iter().filter_map(|line| line.value).collect();
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
            println!(
                "batch {}, attempt {}: {trouble}",
                outcome.batch,
                attempt + 1
            );
        }
        match (
            &outcome.results,
            outcome.items.first(),
            outcome.items.last(),
        ) {
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
