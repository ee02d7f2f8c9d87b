//! The asyncio boxes of this chapter say how Python behaves; each claim is a short program in
//! `python/`, and this test runs it and compares its output with the stored `.txt` beside it.
//! `SNAPSHOTS=overwrite` rewrites the stored outputs. Without `python3` the test says so and
//! passes.
use std::process::Command;

fn check(program: &str) {
    let dir = listing_check::crate_dir().join("python");
    let output = match Command::new("python3")
        .arg(format!("{program}.py"))
        .current_dir(&dir)
        .output()
    {
        Ok(output) => output,
        Err(error) => {
            println!("skipped {program}.py: python3 could not be run ({error})");
            return;
        }
    };
    assert!(
        output.status.success(),
        "{program}.py failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8(output.stdout).expect("the programs print UTF-8");
    let stored = dir.join(format!("{program}.txt"));
    if std::env::var("SNAPSHOTS").as_deref() == Ok("overwrite") {
        std::fs::write(&stored, &stdout).expect("the python folder is writable");
    }
    let expected = std::fs::read_to_string(&stored).expect("each program has a stored output");
    assert_eq!(stdout, expected, "{program}.py printed something else");
}

#[test]
fn tasks_start_at_once() {
    check("tasks_start_at_once");
}

#[test]
fn gather_leaves_the_others_running_after_an_error() {
    check("gather_error");
}

#[test]
fn wait_first_completed_returns_the_pending_tasks_still_running() {
    check("wait_first_completed");
}

#[test]
fn one_queue_feeds_several_consumers() {
    check("queue_consumers");
}
