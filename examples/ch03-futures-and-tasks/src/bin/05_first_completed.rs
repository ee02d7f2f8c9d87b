//! First completed, as completed, and a deadline: `select!`, `FuturesUnordered` and
//! `timeout`.
use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use futures::stream::{FuturesUnordered, StreamExt};
use tokio::time::error::Elapsed;
use tokio::time::{Instant, sleep, timeout};

const MS: Duration = Duration::from_millis(1);

/// What happened, in order: written by the guards below, read by their caller.
pub type Log = Rc<RefCell<Vec<String>>>;

// ANCHOR: guard
/// Lives inside a future. However the future ends, the guard is dropped then, and
/// writes down whether the future finished or was dropped halfway (cancelled).
struct Guard {
    name: &'static str,
    finished: bool,
    t0: Instant,
    log: Log,
}

impl Drop for Guard {
    fn drop(&mut self) {
        let how = if self.finished { "finished" } else { "dropped unfinished" };
        let at = self.t0.elapsed().as_millis();
        self.log.borrow_mut().push(format!("{}: {how} at {at} ms", self.name));
    }
}

/// A stand-in for an IO call that takes `wait`, with a guard inside to watch it.
async fn job(name: &'static str, wait: Duration, log: Log) -> &'static str {
    let t0 = Instant::now();
    let mut guard = Guard { name, finished: false, t0, log };
    // if the future is dropped while it waits here, it goes no further
    sleep(wait).await;
    guard.finished = true;
    name
}
// ANCHOR_END: guard

// ANCHOR: select
/// Races a 100 ms job against a 300 ms one. Returns the winner and when it won.
pub async fn race(log: &Log) -> (&'static str, Duration) {
    let t0 = Instant::now();
    let winner = tokio::select! {
        name = job("fast", 100 * MS, log.clone()) => name,
        name = job("slow", 300 * MS, log.clone()) => name,
    }; // the loser is dropped here: select! cancels it
    (winner, t0.elapsed())
}
// ANCHOR_END: select

// ANCHOR: as_completed
/// Starts jobs 1, 2, 3, … (waiting `waits[0]`, `waits[1]`, …) all at once, and
/// collects each job's number and the time as it finishes: in the order they
/// finish.
pub async fn as_completed(waits: &[Duration]) -> Vec<(u32, Duration)> {
    let t0 = Instant::now();
    let mut running: FuturesUnordered<_> = (waits.iter().zip(1..))
        .map(|(&wait, id)| async move {
            sleep(wait).await; // stands in for IO
            id
        })
        .collect();
    let mut done = Vec::new();
    while let Some(id) = running.next().await {
        done.push((id, t0.elapsed()));
    }
    done
}
// ANCHOR_END: as_completed

// ANCHOR: timeout
/// Gives a job that takes `work` at most `limit`, like `asyncio.wait_for(job,
/// limit)`. Returns the result and when it came.
pub async fn with_limit(
    limit: Duration,
    work: Duration,
    log: &Log,
) -> (Result<&'static str, Elapsed>, Duration) {
    let t0 = Instant::now();
    let result = timeout(limit, job("work", work, log.clone())).await;
    (result, t0.elapsed()) // on Err, the job has been dropped, like select!'s loser
}
// ANCHOR_END: timeout

// ANCHOR: main
// The clock is paused (start_paused), so the times printed are the same on every
// run.
#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    if std::env::args().len() > 1 {
        eprintln!("usage: 05_first_completed (it takes no arguments)");
        std::process::exit(2);
    }
    let log = Log::default();
    println!("select! between a 100 ms and a 300 ms job:");
    let (winner, at) = race(&log).await;
    show(&log);
    println!("  select! gave {winner:?} at {} ms", at.as_millis());

    println!("FuturesUnordered, jobs 1, 2, 3 waiting 300, 100, 200 ms:");
    for (id, at) in as_completed(&[300 * MS, 100 * MS, 200 * MS]).await {
        println!("  job {id} done at {} ms", at.as_millis());
    }

    for work in [100 * MS, 500 * MS] {
        println!("timeout of 200 ms on {} ms of work:", work.as_millis());
        let (result, at) = with_limit(200 * MS, work, &log).await;
        show(&log);
        match result {
            Ok(value) => println!("  Ok({value:?}) at {} ms", at.as_millis()),
            Err(elapsed) => println!("  Err({elapsed}) at {} ms", at.as_millis()),
        }
    }
}
// ANCHOR_END: main

/// Prints the log's new lines and empties it.
fn show(log: &Log) {
    for line in log.borrow_mut().drain(..) {
        println!("  {line}");
    }
}
