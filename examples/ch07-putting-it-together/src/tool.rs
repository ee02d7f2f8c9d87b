// The whole tool as one function: a reader thread streams the logs into a bounded
// channel, a task per request fires it again within the limits, and a writer thread
// appends each finished record to the retry log. Ctrl-C once: stop reading and
// starting, let the requests already sent finish. Twice: abandon them, each with an
// `interrupted` record.
use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::io::{self, Write};
use std::ops::ControlFlow;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::time::Duration;

use ch07_putting_it_together::input::Input;
use ch07_putting_it_together::record::{Outcome, Record, Recorded};
use ch07_putting_it_together::refire::{Refirer, record};
use ch07_putting_it_together::rewrite::with_retry;
use ch07_putting_it_together::scan::{Failed, ScanReport, scan};
use ch07_putting_it_together::select::Selection;
use indicatif::ProgressBar;
use local_server::{Config, Fault};
use tokio::sync::{mpsc, watch};
use tokio::task::{Id, JoinError, JoinSet, spawn_blocking};

// ANCHOR: stop
/// Where a run stands: Ctrl-C moves it from `Run` to `Drain`, and again to `Abort`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stop {
    Run,
    /// Read no more, start no more; let the requests already sent finish.
    Drain,
    /// Abandon the requests still going; record each as `interrupted`.
    Abort,
}
// ANCHOR_END: stop

// ANCHOR: job
/// What to read, what to choose, and how to write it.
pub struct Job {
    pub inputs: Vec<Input>,
    pub selection: Selection,
    /// Send the same request (method, target, virtual host) only once.
    pub dedupe: bool,
    /// Lines that already have a final record (`--resume`).
    pub recorded: Recorded,
    /// One JSON object per line instead of the text record.
    pub json: bool,
}
// ANCHOR_END: job

/// What the reader saw in each log, in the order read.
pub type Scans = Vec<(Arc<str>, ScanReport)>;

/// What a run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Per log, in the order read.
    pub scans: Scans,
    /// Lines skipped because the retry log already had their final record.
    pub resumed: u64,
    /// Records written, by how they ended (`status=200`, `error=timeout`, …).
    pub by_outcome: BTreeMap<String, u64>,
    pub written: u64,
    pub succeeded: u64,
    pub still_failing: u64,
    /// Every attempt started, by every request recorded.
    pub attempts: u64,
    /// Requests that were sent and ended without a connection, every one of them.
    pub all_connect_errors: bool,
    /// How far a stop got, if one came.
    pub stopped: Option<Stop>,
}

// ANCHOR: sizes
/// How many chosen lines the reader may be ahead of the requests (Chapter 5's
/// backpressure): when the channel is full, the reader waits.
pub const CHANNEL_CAPACITY: usize = 64;
/// Requests under way at once, for each attempt allowed in flight: the others wait
/// for a retry, or for their turn at the gate.
pub const REQUESTS_PER_SLOT: usize = 4;
// ANCHOR_END: sizes

/// What the reader hands on.
enum Work {
    /// A request to fire again.
    Refire(Failed),
    /// A line with nothing to send: its record is ready.
    Done(Record),
}

/// Fires again every line of `job` that its selection chooses, through `refirer`,
/// and appends one record per line to `retry_log`. `stop` says when to stop (see
/// [`Stop`]).
// ANCHOR: run
pub async fn run(
    job: Job,
    refirer: Arc<Refirer>,
    concurrency: usize,
    retry_log: Box<dyn Write + Send>,
    progress: ProgressBar,
    stop: watch::Receiver<Stop>,
) -> Result<Summary, String> {
    let json = job.json;
    // 1. The writer: a thread of its own, fed by a channel, so a slow disk holds up
    //    nobody but itself. It writes every record it is sent, then returns the
    //    counts.
    let (records, to_write) = mpsc::channel::<Record>(CHANNEL_CAPACITY);
    let writer =
        spawn_blocking(move || write_all(to_write, retry_log, json, progress));
    // 2. The reader: blocking file IO, on the blocking pool. When the channel is
    //    full, `blocking_send` waits: the reader never runs far ahead of the
    //    requests.
    let (work, next_work) = mpsc::channel::<Work>(CHANNEL_CAPACITY);
    let reading = Arc::new(AtomicBool::new(true));
    let reader = spawn_blocking({
        let reading = Arc::clone(&reading);
        move || read_all(job, work, &reading)
    });
    // 3. The requests: a task each, a few per slot at most (see `drive`).
    let mut requests =
        Requests::new(refirer, concurrency.max(1) * REQUESTS_PER_SLOT);
    let stopped = requests.drive(next_work, &records, &reading, stop).await;
    // 4. The end: every record handed to the writer, and written, before we return.
    // no task is left, unless the writer failed: then abort them
    drop((requests, records));
    let scans = reader.await.map_err(|e| format!("the reader failed: {e}"))?;
    let tally = writer.await.map_err(|e| format!("the writer failed: {e}"))?;
    let mut summary =
        tally.map_err(|e| format!("cannot write the retry log: {e}"))?;
    (summary.scans, summary.resumed) =
        scans.map_err(|e| format!("cannot read the log: {e}"))?;
    summary.stopped = stopped;
    Ok(summary)
}
// ANCHOR_END: run

/// The request tasks under way, and the records of those that ended, waiting for
/// the writer.
struct Requests {
    refirer: Arc<Refirer>,
    /// Tasks and waiting records together, at most.
    window: usize,
    tasks: JoinSet<Option<Record>>,
    under_way: HashMap<Id, (Failed, Arc<AtomicU32>)>,
    finished: VecDeque<Record>,
    /// `true` once a stop came: requests not sent yet are not started.
    not_started: watch::Sender<bool>,
}

impl Requests {
    fn new(refirer: Arc<Refirer>, window: usize) -> Requests {
        Requests {
            refirer,
            window,
            tasks: JoinSet::new(),
            under_way: HashMap::new(),
            finished: VecDeque::new(),
            not_started: watch::channel(false).0,
        }
    }

    /// Starts requests while there is room, hands their records on; returns the
    /// stop, if any.
    // ANCHOR: drive
    async fn drive(
        &mut self,
        mut next_work: mpsc::Receiver<Work>,
        records: &mpsc::Sender<Record>,
        reading: &AtomicBool,
        mut stop: watch::Receiver<Stop>,
    ) -> Option<Stop> {
        let (mut stopped, mut all_read, mut stop_open) = (None, false, true);
        loop {
            let state = *stop.borrow_and_update();
            if state != Stop::Run && stopped.is_none_or(|s| s < state) {
                stopped = Some(state);
                // the reader stops at its next line, and hands on nothing more
                reading.store(false, Ordering::SeqCst);
                next_work.close();
                self.stop(state);
            }
            let done = all_read || stopped.is_some();
            if done && self.tasks.is_empty() && self.finished.is_empty() {
                return stopped;
            }
            let room = self.tasks.len() + self.finished.len() < self.window;
            let watch_stop = stop_open && stopped != Some(Stop::Abort);
            let have_records = !self.finished.is_empty();
            tokio::select! {
                changed = stop.changed(), if watch_stop => stop_open = changed.is_ok(),
                Some(joined) = self.tasks.join_next_with_id() => self.ended(joined),
                permit = records.reserve(), if have_records => match permit {
                    Ok(permit) => permit.send(self.next_finished()),
                    Err(_) => return stopped, // the writer failed: `run` says why
                },
                next = next_work.recv(), if room && !done => match next {
                    None => all_read = true,
                    Some(Work::Done(record)) => self.finished.push_back(record),
                    Some(Work::Refire(failed)) => self.start(failed),
                },
                else => return stopped,
            }
        }
    }
    // ANCHOR_END: drive

    // ANCHOR: start
    /// A task for one request. `started` counts its attempts as they start: if the
    /// task is abandoned, its record still says how many reached the server, at
    /// most.
    fn start(&mut self, failed: Failed) {
        let started = Arc::new(AtomicU32::new(0));
        let (refirer, count) = (Arc::clone(&self.refirer), Arc::clone(&started));
        let (request, stop) = (failed.clone(), self.not_started.subscribe());
        let task = self
            .tasks
            .spawn(async move { refirer.refire(&request, &count, &stop).await });
        self.under_way.insert(task.id(), (failed, started));
    }

    /// Drain: requests not sent yet are not started. Abort: every task is
    /// abandoned.
    fn stop(&mut self, state: Stop) {
        self.not_started.send_replace(true);
        if state == Stop::Abort {
            // each comes back through `join_next`, to `ended`
            self.tasks.abort_all();
        }
    }

    // ANCHOR_END: start

    // ANCHOR: ended
    /// Keeps the record of a task that ended: its own, or `interrupted` if it was
    /// abandoned after it was sent. A request never sent has no record.
    /// The oldest finished record (there is one: `drive` asks only then).
    fn next_finished(&mut self) -> Record {
        self.finished.pop_front().expect("drive asks only when there is one")
    }

    fn ended(&mut self, joined: Result<(Id, Option<Record>), JoinError>) {
        let id = joined.as_ref().map_or_else(JoinError::id, |(id, _)| *id);
        let Some((failed, started)) = self.under_way.remove(&id) else {
            return;
        };
        let record = match joined {
            Ok((_, record)) => record,
            // A panic is a bug, not an outcome: pass it on rather than record it.
            Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
            Err(_) => match started.load(Ordering::SeqCst) {
                0 => None,
                n => Some(record(
                    &failed,
                    with_retry(&failed.target),
                    Outcome::Interrupted,
                    n,
                )),
            },
        };
        self.finished.extend(record);
    }
    // ANCHOR_END: ended
}

// ANCHOR: reader
/// Scans every input in turn and hands on the chosen lines: a request to send, or a
/// record for a line with nothing to send. Stops when `reading` goes false or
/// nobody takes more. Returns each log's report and how many lines were already
/// recorded.
fn read_all(
    mut job: Job,
    work: mpsc::Sender<Work>,
    reading: &AtomicBool,
) -> io::Result<(Scans, u64)> {
    let mut scans = Vec::new();
    let mut chooser = Chooser { seen: HashSet::new(), resumed: 0 };
    for input in std::mem::take(&mut job.inputs) {
        if !reading.load(Ordering::SeqCst) {
            break;
        }
        let report = scan(
            &input.name,
            input.reader,
            input.format,
            &job.selection,
            |failed| {
                let item = chooser.work_for(failed, &job);
                let handed_on =
                    item.is_none_or(|item| work.blocking_send(item).is_ok());
                match handed_on && reading.load(Ordering::SeqCst) {
                    true => ControlFlow::Continue(()),
                    // stopping, or nobody takes more
                    false => ControlFlow::Break(()),
                }
            },
        )?;
        scans.push((input.name, report));
    }
    Ok((scans, chooser.resumed))
}
// ANCHOR_END: reader

/// What the reader remembers from line to line.
struct Chooser {
    /// (method, target, virtual host) of every request sent or already recorded.
    seen: HashSet<(String, String, Option<String>)>,
    resumed: u64,
}

// ANCHOR: work_for
impl Chooser {
    /// What to do with a chosen line: nothing (it has its final record already),
    /// send it, or record at once why it is not sent.
    fn work_for(&mut self, failed: Failed, job: &Job) -> Option<Work> {
        let key =
            (failed.method.clone(), failed.target.clone(), failed.vhost.clone());
        let sendable = job.selection.methods.contains(&failed.method);
        if job.recorded.has(&failed.log, failed.line_no) {
            self.resumed += 1;
            if sendable {
                self.seen.insert(key); // a later copy of it is still a duplicate
            }
            return None;
        }
        let not_sent = if !sendable {
            Outcome::SkippedMethod
        } else if job.dedupe && !self.seen.insert(key) {
            Outcome::Duplicate
        } else {
            return Some(Work::Refire(failed));
        };
        Some(Work::Done(record(&failed, with_retry(&failed.target), not_sent, 0)))
    }
}
// ANCHOR_END: work_for

// ANCHOR: writer
/// Appends each record it receives as one whole line, and flushes it, until every
/// sender is gone. One `write_all` per line: the file only ever grows by whole
/// lines.
fn write_all(
    mut records: mpsc::Receiver<Record>,
    mut out: Box<dyn Write + Send>,
    json: bool,
    progress: ProgressBar,
) -> io::Result<Summary> {
    let mut tally = Summary { all_connect_errors: true, ..Summary::default() };
    while let Some(record) = records.blocking_recv() {
        let text = if json { record.to_json() } else { record.to_string() };
        out.write_all(format!("{text}\n").as_bytes())?;
        out.flush()?;
        tally.count(&record);
        progress.inc(1);
    }
    Ok(tally)
}
// ANCHOR_END: writer

impl Summary {
    fn count(&mut self, record: &Record) {
        self.written += 1;
        self.attempts += u64::from(record.attempts);
        self.succeeded += u64::from(record.outcome.succeeded());
        self.still_failing += u64::from(record.outcome.still_fails());
        if record.attempts > 0 && record.outcome != Outcome::Connect {
            self.all_connect_errors = false;
        }
        *self.by_outcome.entry(record.outcome.to_string()).or_insert(0) += 1;
    }

    /// Requests sent and recorded (not skipped, not duplicates).
    pub fn sent(&self) -> u64 {
        let not_sent = ["skipped=method", "skipped=duplicate"];
        let skipped: u64 =
            not_sent.iter().filter_map(|k| self.by_outcome.get(*k)).sum();
        self.written - skipped
    }

    /// Lines read and malformed, over every log.
    pub fn totals(&self) -> ScanReport {
        let mut total = ScanReport::default();
        for (_, report) in &self.scans {
            total.add(report);
        }
        total
    }
}

// ANCHOR: demo
/// The demo's server: most items answer now (the outage in the log is over), but a
/// few still fail in each way a real server can.
pub fn demo_server() -> Config {
    Config::default()
        .with_latency(Duration::from_millis(20))
        .with_fault(13, Fault::Status(500)) // still broken
        .with_fault(42, Fault::Status(503)) // still unavailable
        .with_fault(77, Fault::Stall) // never answers
        .with_fault(5, Fault::FailTimes(1)) // fails once more, then answers
        .with_fault(17, Fault::FailTimes(1))
        .with_fault(29, Fault::FailTimes(2))
}
// ANCHOR_END: demo

/// What `--dry-run` found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    pub scans: Scans,
    pub resumed: u64,
    pub to_send: u64,
    pub skipped: u64,
    pub duplicates: u64,
}

// ANCHOR: dry_run
/// `--dry-run`: reads `job` as [`run`] would, and calls `each` with every request
/// it would send, in order. Sends nothing, writes nothing.
pub async fn dry_run(
    job: Job,
    mut each: impl FnMut(&Failed),
) -> Result<Plan, String> {
    let (work, mut next_work) = mpsc::channel::<Work>(CHANNEL_CAPACITY);
    let reading = Arc::new(AtomicBool::new(true));
    let reader = spawn_blocking(move || read_all(job, work, &reading));
    let mut plan = Plan::default();
    while let Some(item) = next_work.recv().await {
        match item {
            Work::Refire(failed) => {
                plan.to_send += 1;
                each(&failed);
            }
            Work::Done(record) if record.outcome == Outcome::Duplicate => {
                plan.duplicates += 1
            }
            Work::Done(_) => plan.skipped += 1,
        }
    }
    let scans = reader.await.map_err(|e| format!("the reader failed: {e}"))?;
    (plan.scans, plan.resumed) =
        scans.map_err(|e| format!("cannot read the log: {e}"))?;
    Ok(plan)
}
// ANCHOR_END: dry_run
