// The whole tool as one function: a reader thread streams the log into a bounded channel,
// a limited number of refires run at once, and each finished request becomes one whole line
// of the retry log. A stop signal (Ctrl-C) ends it cleanly at any moment.
use std::collections::BTreeMap;
use std::io::{self, BufRead, Read, Write};
use std::ops::ControlFlow;
use std::pin::pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use ch07_putting_it_together::generate::SampleLog;
use ch07_putting_it_together::refire::{Record, Refirer};
use ch07_putting_it_together::scan::{ScanReport, scan};
use futures::StreamExt;
use indicatif::ProgressBar;
use local_server::{Config, Fault};
use tokio::sync::mpsc;

// ANCHOR: summary
/// What a run did. `written` counts whole lines in the retry log.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub scan: ScanReport,
    pub written: u64,
    pub succeeded: u64,
    pub attempts: u64,
    /// How many records ended each way (`status=200`, `error=timeout`, …).
    pub by_outcome: BTreeMap<String, u64>,
    /// The stop signal came before the end of the log.
    pub interrupted: bool,
}

/// How many 5xx requests the reader may find ahead of the workers (Chapter 5's
/// backpressure): when the channel is full, the reader waits.
pub const CHANNEL_CAPACITY: usize = 64;
// ANCHOR_END: summary

// ANCHOR: run
/// Refires every 5xx request of `log` through `refirer`, `concurrency` at a time, and
/// writes one line per request to `retry_log`. Stops early, cleanly, when `stop` resolves.
pub async fn run(
    log: impl BufRead + Send + 'static,
    retry_log: &mut impl Write,
    refirer: &Refirer,
    concurrency: usize,
    progress: &ProgressBar,
    stop: impl Future<Output = ()>,
) -> Result<Summary, String> {
    // 1. The reader: blocking file IO, so it runs on tokio's blocking pool. When the channel
    //    is full, `blocking_send` waits: the reader never runs far ahead of the workers.
    let stopping = Arc::new(AtomicBool::new(false));
    let log = StopReader {
        inner: log,
        stopping: Arc::clone(&stopping),
    };
    let (sender, mut receiver) = mpsc::channel(CHANNEL_CAPACITY);
    let reader = tokio::task::spawn_blocking(move || {
        scan(log, |failed| match sender.blocking_send(failed) {
            Ok(()) => ControlFlow::Continue(()),
            Err(_) => ControlFlow::Break(()), // the workers are gone: stop reading
        })
    });

    // 2. The workers: a lazy stream of refires (Chapter 4), at most `concurrency` in flight
    //    (Chapter 5). Nothing runs until the loop below polls it.
    let requests = futures::stream::poll_fn(move |cx| receiver.poll_recv(cx));
    let mut records = requests
        .map(|failed| refirer.refire(failed))
        .buffer_unordered(concurrency.max(1));

    // 3. The writer: each record as one whole line, written and flushed before the next.
    let mut summary = Summary::default();
    let mut stop = pin!(stop);
    let write_error = loop {
        tokio::select! {
            biased; // a stop request wins over a ready record
            () = &mut stop => {
                summary.interrupted = true;
                break None;
            }
            next = records.next() => match next {
                None => break None, // the log is done and every request has its line
                Some(record) => {
                    if let Err(e) = write_record(retry_log, &record) {
                        break Some(e);
                    }
                    summary.count(&record);
                    progress.inc(1);
                    progress.set_message(format!("{} refired", summary.written));
                }
            },
        }
    };

    // 4. Cancellation (Chapter 3): dropping the stream drops every request in flight, and
    //    the channel's receiver with it; the flag stops the reader between two lines.
    drop(records);
    stopping.store(true, Ordering::Relaxed);
    let scanned = reader
        .await
        .map_err(|e| format!("the reader task failed: {e}"))?;
    if let Some(e) = write_error {
        return Err(format!("cannot write the retry log: {e}"));
    }
    summary.scan = scanned.map_err(|e| format!("cannot read the log: {e}"))?;
    Ok(summary)
}

/// One record as one line: a single `write_all` of the whole line, then a flush, so the file
/// never holds half a line whatever happens next.
fn write_record(out: &mut impl Write, record: &Record) -> io::Result<()> {
    let line = format!("{record}\n");
    out.write_all(line.as_bytes())?;
    out.flush()
}
// ANCHOR_END: run

impl Summary {
    fn count(&mut self, record: &Record) {
        self.written += 1;
        self.attempts += u64::from(record.attempts);
        if record.outcome.succeeded() {
            self.succeeded += 1;
        }
        *self
            .by_outcome
            .entry(record.outcome.to_string())
            .or_insert(0) += 1;
    }
}

/// A reader that reports the end of its input once `stopping` is set: how a blocking
/// thread, which nothing can cancel from outside, is asked to stop between two lines.
struct StopReader<R> {
    inner: R,
    stopping: Arc<AtomicBool>,
}

impl<R: Read> Read for StopReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.stopping.load(Ordering::Relaxed) {
            return Ok(0);
        }
        self.inner.read(buf)
    }
}

impl<R: BufRead> BufRead for StopReader<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.stopping.load(Ordering::Relaxed) {
            return Ok(&[]);
        }
        self.inner.fill_buf()
    }

    fn consume(&mut self, amount: usize) {
        self.inner.consume(amount);
    }
}

// ANCHOR: demo
/// The sample log the demo refires: 2,000 lines, about one in ten a 5xx, and four lines
/// broken on purpose.
pub fn demo_log() -> SampleLog {
    SampleLog {
        lines: 2000,
        seed: 7,
        malformed_every: Some(500),
        ids: 100,
    }
}

/// The demo's server: most items answer now (the outage in the log is over), but a few
/// still fail in each way a real server can.
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
