//! Claims of the processes page, on the real binary: a worker that crashes on a
//! chosen batch costs no result; a batch that crashes on every attempt is reported
//! after the retry limit; bad input is a one-line error; and the coordinator never
//! hangs. Each run of the binary is bounded by a wall-clock limit of 60 s and the
//! test fails if it is exceeded.
use std::collections::BTreeMap;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use ch06_process_pools::listings::worker_processes::{ItemLine, work};
use proptest::prelude::*;

const BIN: &str = env!("CARGO_BIN_EXE_05_worker_processes");
const LIMIT: Duration = Duration::from_secs(60);

/// Runs the coordinator with `args`, killing it and failing the test after `LIMIT`.
fn coordinator(args: &[&str]) -> Output {
    let mut child = Command::new(BIN)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the listing's binary starts");
    let start = Instant::now();
    while child.try_wait().expect("the child can be polled").is_none() {
        if start.elapsed() > LIMIT {
            let _ = child.kill();
            panic!(
                "the coordinator hung: still running after {LIMIT:?} with {args:?}"
            );
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    child.wait_with_output().expect("its output can be read")
}

/// The `--json` lines, checked: each item 1..=items exactly once, with exactly one
/// of a value (the right one) or an error.
fn item_lines(output: &Output, items: u64) -> BTreeMap<u64, ItemLine> {
    let stdout = String::from_utf8_lossy(&output.stdout);
    let mut seen = BTreeMap::new();
    for line in stdout.lines() {
        let line: ItemLine =
            serde_json::from_str(line).expect("every stdout line is an item line");
        assert!(
            line.value.is_some() != line.error.is_some(),
            "item {} has both or neither a value and an error: {line:?}",
            line.item
        );
        if let Some(value) = line.value {
            assert_eq!(
                value,
                work(line.item),
                "item {} has a wrong value",
                line.item
            );
        }
        assert!(
            seen.insert(line.item, line).is_none(),
            "an item is reported twice"
        );
    }
    let expected: Vec<u64> = (1..=items).collect();
    assert_eq!(
        seen.keys().copied().collect::<Vec<_>>(),
        expected,
        "items are missing"
    );
    seen
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn a_worker_that_crashes_once_costs_no_result_in_any_mode() {
    for mode in ["panic", "exit", "kill", "hang"] {
        let output = coordinator(&[
            "--json",
            "--items",
            "23",
            "--batch-size",
            "4",
            "--workers",
            "3",
            "--crash-on-batch",
            "3",
            "--crash-mode",
            mode,
            "--timeout-ms",
            "500",
        ]);
        assert!(output.status.success(), "{mode}: {}", stderr(&output));
        assert_eq!(
            stderr(&output),
            "",
            "{mode}: nothing on stderr when all went well"
        );
        let lines = item_lines(&output, 23);
        assert!(
            lines.values().all(|line| line.value.is_some()),
            "{mode}: every item has its value"
        );
    }
}

#[test]
fn a_batch_that_crashes_every_time_is_reported_after_the_retry_limit() {
    for (mode, retries) in
        [("panic", "0"), ("exit", "2"), ("kill", "1"), ("hang", "1")]
    {
        let output = coordinator(&[
            "--json",
            "--items",
            "20",
            "--batch-size",
            "5",
            "--workers",
            "2",
            "--crash-on-batch",
            "2",
            "--crash-mode",
            mode,
            "--crash-times",
            "99",
            "--max-retries",
            retries,
            "--timeout-ms",
            "300",
        ]);
        assert_eq!(output.status.code(), Some(1), "{mode}");
        let lines = item_lines(&output, 20);
        let attempts = retries.parse::<u32>().expect("a number") + 1;
        for (item, line) in &lines {
            if (6..=10).contains(item) {
                let error = line.error.as_deref().unwrap_or_default();
                let expected = format!("batch 2 failed {attempts} times, last: ");
                assert!(
                    error.starts_with(&expected),
                    "{mode}: item {item}: {error}"
                );
            } else {
                assert!(
                    line.value.is_some(),
                    "{mode}: item {item} still has its value"
                );
            }
        }
        let stderr = stderr(&output);
        assert_eq!(
            stderr.lines().count(),
            1,
            "{mode}: one line on stderr: {stderr}"
        );
        assert!(
            stderr.starts_with("error: batch(es) 2 failed"),
            "{mode}: {stderr}"
        );
    }
}

#[test]
fn the_report_tells_every_attempt() {
    let output = coordinator(&[
        "--crash-on-batch",
        "1",
        "--crash-times",
        "2",
        "--items",
        "5",
    ]);
    assert!(output.status.success());
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains(
        "batch 1, attempt 1: the worker ended without answering (exit code 101)"
    ));
    assert!(stdout.contains("batch 1, attempt 2: "));
    assert!(stdout.contains("done on attempt 3"));
    assert!(stdout.contains("results: 5 of 5 items"));
}

#[test]
fn bad_input_is_a_one_line_error_and_a_non_zero_exit() {
    let cases: [&[&str]; 6] = [
        &["--workers", "0"],
        &["--batch-size", "0"],
        &["--worker-exe", "/no/such/worker"],
        &["--workers", "many"],
        &["--crash-mode", "explode"],
        &["--frobnicate"],
    ];
    for args in cases {
        let output = coordinator(args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let stderr = stderr(&output);
        assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
        assert!(stderr.starts_with("error: "), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
}

#[test]
fn a_worker_program_that_is_no_worker_fails_its_batches_without_a_hang() {
    // `true` starts, reads nothing and exits at once: every attempt fails, none
    // hangs.
    let Ok(program) = which_true() else { return };
    let output = coordinator(&[
        "--json",
        "--worker-exe",
        &program,
        "--items",
        "9",
        "--batch-size",
        "3",
    ]);
    assert_eq!(output.status.code(), Some(1));
    let lines = item_lines(&output, 9);
    assert!(lines.values().all(|line| line.error.is_some()));
}

/// A worker program that vanishes after the first start: the crash on batch 2
/// cannot be retried on a fresh worker, and every batch still ends up in the report
/// — batch 1 with its results, the others with why they have none.
#[test]
fn a_worker_that_cannot_be_restarted_loses_no_finished_batch() {
    let dir = tempfile::tempdir().expect("the temporary folder is writable");
    let script = dir.path().join("vanishing-worker");
    // Removes itself, then becomes the real worker: the next start finds nothing to
    // run.
    let text = format!("#!/bin/sh\nrm -f -- \"$0\"\nexec '{BIN}' \"$@\"\n");
    std::fs::write(&script, text).expect("the script is written");
    let mode = std::os::unix::fs::PermissionsExt::from_mode(0o755);
    std::fs::set_permissions(&script, mode).expect("the script is made executable");
    let output = coordinator(&[
        "--json",
        "--worker-exe",
        &script.to_string_lossy(),
        "--workers",
        "1",
        "--items",
        "9",
        "--batch-size",
        "3",
        "--crash-on-batch",
        "2",
    ]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let lines = item_lines(&output, 9);
    let done: Vec<u64> =
        lines.values().filter(|l| l.value.is_some()).map(|l| l.item).collect();
    assert_eq!(
        done,
        [1, 2, 3],
        "batch 1 finished before the crash and must be kept"
    );
    let why = lines[&4].error.clone().unwrap_or_default();
    assert!(why.contains("cannot start worker"), "{why}");
}

fn which_true() -> Result<String, ()> {
    ["/bin/true", "/usr/bin/true"]
        .into_iter()
        .find(|path| std::path::Path::new(path).exists())
        .map(str::to_owned)
        .ok_or(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(8))]

    #[test]
    fn any_pool_and_batch_size_gives_every_item_its_value(
        items in 0u64..60,
        workers in 1usize..5,
        batch_size in 1usize..12,
    ) {
        let output = coordinator(&[
            "--json", "--items", &items.to_string(), "--workers", &workers.to_string(),
            "--batch-size", &batch_size.to_string(),
        ]);
        prop_assert!(output.status.success());
        let lines = item_lines(&output, items);
        prop_assert!(lines.values().all(|line| line.value.is_some()));
    }
}
