//! The slots that each keep one worker, a shared queue of batches, and the
//! coordinator.
use std::collections::VecDeque;
use std::io::IsTerminal;
use std::sync::{Arc, Mutex};

use indicatif::{ProgressBar, ProgressStyle};
use serde::{Deserialize, Serialize};
use tokio::sync::mpsc;
use tokio::task::JoinSet;

use ch06_process_pools::pool::child::{Pool, Worker};
use ch06_process_pools::pool::protocol::Request;

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

type Queue = Arc<Mutex<VecDeque<(usize, Vec<u64>)>>>;

/// One worker slot: takes batches from the shared queue until it is empty. When a
/// worker fails, it is buried and the same batch goes at once to a fresh one, up to
/// `max_retries` more times; then the batch is reported as failed. A fresh worker
/// that cannot start is a failed attempt too: the batch is reported, never lost.
async fn slot(
    pool: Arc<Pool>,
    queue: Queue,
    done: mpsc::UnboundedSender<BatchOutcome>,
    mut worker: Option<Worker>,
) {
    loop {
        let next =
            queue.lock().expect("nobody panics holding the lock").pop_front();
        let Some((batch, items)) = next else { break };
        let mut troubles = Vec::new();
        let mut results = None;
        // ANCHOR: retry
        for attempt in 1..=pool.max_retries + 1 {
            let mut current =
                match worker.take().map_or_else(|| Worker::start(&pool), Ok) {
                    Ok(running) => running,
                    Err(why) => {
                        troubles.push(why);
                        continue;
                    }
                };
            let request = Request { batch, attempt, items: items.clone() };
            match current.ask(&request, pool.timeout).await {
                Ok(reply) => {
                    results = Some(reply.results);
                    // it is healthy: keep it for the next batch
                    worker = Some(current);
                    break;
                }
                Err(trouble) => troubles.push(current.bury(trouble).await),
            }
        }
        // ANCHOR_END: retry
        let outcome = BatchOutcome { batch, items, troubles, results };
        // The coordinator receives until every slot has ended, so this cannot fail.
        let _ = done.send(outcome);
    }
    if let Some(worker) = worker {
        worker.retire().await;
    }
}

/// Runs `items` through a pool of worker processes. Every batch ends up in the
/// report, with its results or with why it has none; an error means the pool itself
/// could not run.
pub async fn run(
    pool: Pool,
    items: &[u64],
    progress: &ProgressBar,
) -> Result<Report, String> {
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
    // ANCHOR: coordinator
    // A worker program that cannot start at all is an error before any work is
    // done.
    let mut first = match slots_needed {
        0 => None,
        _ => Some(Worker::start(&pool)?),
    };
    let mut slots = JoinSet::new();
    for _ in 0..slots_needed {
        let (pool, queue) = (Arc::clone(&pool), Arc::clone(&queue));
        slots.spawn(slot(pool, queue, done.clone(), first.take()));
    }
    // the slots hold the only senders: `recv` ends when they have all ended
    drop(done);
    let mut report = Vec::with_capacity(batches);
    loop {
        tokio::select! {
            Some(outcome) = outcomes.recv() => {
                progress.inc(outcome.items.len() as u64);
                report.push(outcome);
            }
            Some(ended) = slots.join_next() => if let Err(panicked) = ended {
                // Returning drops `slots`, which aborts the other slots; dropping
                // their workers kills the processes (`kill_on_drop`).
                return Err(format!("a worker slot failed: {panicked}"));
            },
            else => break, // every slot has ended and every outcome is in
        }
    }
    // ANCHOR_END: coordinator
    if report.len() != batches {
        return Err(format!("{} batch(es) lost", batches - report.len()));
    }
    report.sort_by_key(|outcome| outcome.batch);
    Ok(Report { batches: report })
}

/// One item's line in `--json` output: exactly one of `value` and `error` is
/// present.
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
                let value =
                    outcome.results.as_ref().map(|results| results[position]);
                let error = value.is_none().then(|| {
                    let last = outcome.troubles.last().map_or("", String::as_str);
                    let tries = outcome.troubles.len();
                    format!(
                        "batch {} failed {tries} times, last: {last}",
                        outcome.batch
                    )
                });
                lines.push(ItemLine { item, value, error });
            }
        }
        lines
    }

    /// The batches that never got results.
    pub fn failed(&self) -> impl Iterator<Item = &BatchOutcome> {
        self.batches.iter().filter(|outcome| outcome.results.is_none())
    }
}

// ANCHOR: main
/// Runs the pool to the end on a one-thread runtime of its own. The progress bar
/// draws on stderr, and only when asked and stderr is a terminal: piped, or checked
/// by a test, the output is just the report on stdout.
pub fn run_to_end(
    pool: Pool,
    items: &[u64],
    show_progress: bool,
) -> Result<Report, String> {
    let progress = if show_progress && std::io::stderr().is_terminal() {
        let style = ProgressStyle::with_template("{bar:40} {pos}/{len} items")
            .unwrap_or_else(|_| ProgressStyle::default_bar());
        ProgressBar::new(items.len() as u64).with_style(style)
    } else {
        ProgressBar::hidden()
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        // the IO driver watches the pipes; the timer runs the timeouts
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the runtime: {e}"))?;
    let report = runtime.block_on(run(pool, items, &progress));
    progress.finish_and_clear();
    report
}
// ANCHOR_END: main
