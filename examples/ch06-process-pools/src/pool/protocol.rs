//! The protocol between coordinator and worker (JSON lines), and the worker's loop.
use std::io::{BufRead, Write};

use serde::{Deserialize, Serialize};

use ch06_process_pools::pool::crash::Crash;

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
    (0..item).map(|i| u128::from(std::hint::black_box(i)).pow(2)).sum()
}

// ANCHOR: worker
/// A worker's whole life: read a request, answer it, and again, until stdin closes.
pub fn worker(crash: Option<Crash>) -> Result<(), String> {
    let mut stdout = std::io::stdout().lock();
    for line in std::io::stdin().lock().lines() {
        let line = line.map_err(|e| format!("cannot read a request: {e}"))?;
        let request: Request = serde_json::from_str(&line)
            .map_err(|e| format!("bad request {line:?}: {e}"))?;
        if let Some(crash) = crash
            && crash.batch == request.batch
            && request.attempt <= crash.times
        {
            crash.strike(); // only when a test asks for it
        }
        let results = request.items.iter().map(|&item| work(item)).collect();
        let reply = Reply { batch: request.batch, results };
        serde_json::to_writer(&mut stdout, &reply)
            .map_err(|e| format!("cannot answer: {e}"))?;
        // One reply per line, flushed at once: the coordinator is waiting for it.
        writeln!(stdout)
            .and_then(|()| stdout.flush())
            .map_err(|e| format!("cannot answer: {e}"))?;
    }
    Ok(())
}
// ANCHOR_END: worker
