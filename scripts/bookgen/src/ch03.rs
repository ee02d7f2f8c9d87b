//! Chapter 3's lost update: real runs of `15_shared_state`'s `two_threads`, counted by
//! final value. The chapter's loom test then renders them beside every value loom finds
//! (`scripts/bench` runs it with `SNAPSHOTS=overwrite`).

use ch01_concurrent_vs_parallel::bench::cores;
use ch03_futures_and_tasks::listings::shared_state as listing;
use ch03_futures_and_tasks::outcomes::{self, Counts, Measured, WAYS};

/// Runs of each way: enough for a rare final value to show up at all.
const RUNS: u64 = 10_000;

pub fn bench() -> Result<(), String> {
    let counts = WAYS
        .iter()
        .map(|&name| {
            let add_one: fn(&std::sync::atomic::AtomicU64) = match name {
                "read_then_write" => listing::read_then_write,
                "read_yield_write" => listing::read_yield_write,
                "fetch_add" => listing::fetch_add,
                _ => return Err(format!("bookgen does not know the way {name}")),
            };
            let mut counts = Counts::new();
            for _ in 0..RUNS {
                *counts.entry(listing::two_threads(add_one)).or_default() += 1;
            }
            Ok((name.to_owned(), counts))
        })
        .collect::<Result<_, String>>()?;
    let measured = Measured {
        cores: cores(),
        runs: RUNS,
        counts,
    };
    crate::write(outcomes::MEASURED, &outcomes::measured_text(&measured))
}
