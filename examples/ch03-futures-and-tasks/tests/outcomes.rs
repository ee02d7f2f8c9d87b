//! Every final value `15_shared_state`'s `two_threads` can return, found by loom, and
//! the panel the page shows beside the listing.
//!
//! This test compiles the listing file itself as a module. Under `cfg(test)` its hidden
//! lines take loom's threads and atomics instead of std's, so the functions loom runs
//! here are the very lines the page shows. Real runs use the chapter's library, which
//! is built with std's.
use std::collections::BTreeSet;
use std::sync::{Arc, Mutex, OnceLock};

use ch03_futures_and_tasks::listings::shared_state as real;
use ch03_futures_and_tasks::outcomes::{self, Counts, Explored, WAYS};

#[allow(dead_code)]
#[path = "../src/bin/15_shared_state.rs"]
mod under_loom;

/// The listing's function for each way, with loom's atomics.
fn loom_way(name: &str) -> fn(&loom::sync::atomic::AtomicU64) {
    match name {
        "read_then_write" => under_loom::read_then_write,
        "read_yield_write" => under_loom::read_yield_write,
        "fetch_add" => under_loom::fetch_add,
        _ => panic!("{name} is not one of {WAYS:?}"),
    }
}

/// The same with std's, for real runs.
fn real_way(name: &str) -> fn(&std::sync::atomic::AtomicU64) {
    match name {
        "read_then_write" => real::read_then_write,
        "read_yield_write" => real::read_yield_write,
        "fetch_add" => real::fetch_add,
        _ => panic!("{name} is not one of {WAYS:?}"),
    }
}

/// Runs `two_threads(add_one)` under every schedule of its threads, with no bound on
/// preemptions (whatever `LOOM_*` variables say), and collects the final values.
fn explore(name: &'static str) -> Explored {
    let add_one = loom_way(name);
    let possible = Arc::new(Mutex::new(BTreeSet::new()));
    let mut model = loom::model::Builder::new();
    model.preemption_bound = None;
    model.max_branches = 1_000;
    model.max_permutations = None;
    model.max_duration = None;
    model.checkpoint_file = None;
    {
        let possible = Arc::clone(&possible);
        model.check(move || {
            let value = under_loom::two_threads(add_one);
            possible.lock().expect("no one panics holding it").insert(value);
        });
    }
    let possible = possible.lock().expect("no one panics holding it").clone();
    Explored { name, possible }
}

/// Loom's findings for every way, explored once for all the tests here.
fn explored() -> &'static [Explored] {
    static EXPLORED: OnceLock<Vec<Explored>> = OnceLock::new();
    EXPLORED.get_or_init(|| WAYS.iter().map(|&name| explore(name)).collect())
}

fn found(name: &str) -> &'static Explored {
    explored().iter().find(|e| e.name == name).expect("every way is explored")
}

#[test]
fn reading_then_writing_can_lose_an_update() {
    for name in ["read_then_write", "read_yield_write"] {
        let values: Vec<u64> = found(name).possible.iter().copied().collect();
        assert_eq!(values, [1, 2], "{name}: the final values loom found");
    }
}

#[test]
fn fetch_add_never_loses_one() {
    let values: Vec<u64> = found("fetch_add").possible.iter().copied().collect();
    assert_eq!(values, [2], "fetch_add: the final values loom found");
}

/// A few real runs, and the committed ones from `scripts/bench`, end only in values
/// loom found. (How often each comes up is luck, so nothing here asserts that.)
#[test]
fn real_runs_end_only_in_values_loom_found() {
    let measured = committed_runs();
    for (index, &name) in WAYS.iter().enumerate() {
        let possible = &found(name).possible;
        let mut seen = Counts::new();
        for _ in 0..100 {
            *seen.entry(real::two_threads(real_way(name))).or_default() += 1;
        }
        let (_, committed) = &measured.counts[index];
        for (value, _) in seen.iter().chain(committed) {
            assert!(
                possible.contains(value),
                "{name}: a real run ended with {value}, which loom never found: {possible:?}"
            );
        }
        let total: u64 = committed.values().sum();
        assert_eq!(total, measured.runs, "{name}: the committed runs add up");
    }
}

/// What the page says of the committed real runs: `read_then_write` lost an update
/// seldom or never (at most 1 run in 100), `read_yield_write` in most runs. A rerun of
/// `scripts/bench` that says otherwise fails here, so the page is reworded with it.
#[test]
fn the_page_describes_the_committed_runs() {
    let measured = committed_runs();
    let lost = |name: &str| {
        let (_, counts) =
            measured.counts.iter().find(|(n, _)| n == name).expect("measured");
        counts.get(&1).copied().unwrap_or(0)
    };
    assert!(lost("read_then_write") * 100 <= measured.runs, "\"seldom or never\"");
    assert!(lost("read_yield_write") * 2 > measured.runs, "\"in most runs\"");
}

fn committed_runs() -> outcomes::Measured {
    let path = listing_check::workspace_dir(outcomes::MEASURED);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}; run scripts/bench", path.display()));
    outcomes::parse_measured(&text)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The page's table is what loom finds now, beside the committed real runs.
#[test]
fn the_panel_is_current() {
    let panel = outcomes::panel(explored(), &committed_runs());
    let path = listing_check::workspace_dir(outcomes::PANEL);
    let (dir, file) = (
        path.parent().expect("a folder"),
        path.file_name().and_then(|f| f.to_str()).expect("a name"),
    );
    listing_check::check_generated(dir, [(file, panel)]);
}
