//! The chapter's asyncio boxes say how Python drives a coroutine; the toy loop in `python/`
//! is run here and its output compared with the stored `.txt` beside it.
//! `SNAPSHOTS=overwrite` rewrites the stored output. Without `python3` the test says so and
//! passes.
use std::process::Command;

#[test]
fn the_toy_asyncio_loop_runs_three_tasks_in_deadline_order() {
    let dir = listing_check::crate_dir().join("python");
    let output = match Command::new("python3")
        .arg("toy_asyncio.py")
        .current_dir(&dir)
        .output()
    {
        Ok(output) => output,
        Err(error) => {
            println!("skipped toy_asyncio.py: python3 could not be run ({error})");
            return;
        }
    };
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8(output.stdout).expect("the program prints UTF-8");
    let stored = dir.join("toy_asyncio.txt");
    if std::env::var("SNAPSHOTS").as_deref() == Ok("overwrite") {
        std::fs::write(&stored, &stdout).expect("the python folder is writable");
    }
    let expected = std::fs::read_to_string(&stored).expect("the program has a stored output");
    assert_eq!(stdout, expected);
}
