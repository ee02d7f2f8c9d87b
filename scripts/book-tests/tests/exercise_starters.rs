//! One source per exercise: a starter (`examples/<crate>/exercises/<name>.rs`, the file a reader
//! edits) and its solution (`exercises/solutions/<name>.rs`, the file the tests check) may
//! differ only inside their marked regions — `// ANCHOR: todo` in the starter and
//! `// ANCHOR: solution` in the solution, the parts the exercise page shows — plus their first
//! line (`//! Exercise N (starter|solution): …`), their `use` lines (a solution imports what
//! the reader has yet to add) and, in the starter, `allow(unused…)` attributes (a starter does
//! not use everything yet). Everything else — `main`, helpers, the types the tests call — is
//! one text in two files, and this test fails the moment the two drift apart.
use std::fs;
use std::path::{Path, PathBuf};

/// The workspace root, from the `CARGO_MANIFEST_DIR` that Cargo sets when it runs this test
/// (read at run time, so a binary reused from a shared target folder reads its own checkout).
fn root() -> PathBuf {
    let dir = std::env::var_os("CARGO_MANIFEST_DIR").expect("run by cargo test");
    Path::new(&dir).join("../..")
}

/// The lines of `text` that must match between starter and solution, with the marked region
/// `name` replaced by one placeholder line. Errors when the region is missing or unclosed.
fn outside_region(text: &str, name: &str, starter: bool) -> Result<Vec<String>, String> {
    let (start, end) = (format!("ANCHOR: {name}"), format!("ANCHOR_END: {name}"));
    let mut kept = Vec::new();
    let (mut inside, mut regions) = (false, 0);
    for (index, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        if index == 0 && trimmed.starts_with("//!") {
            continue;
        }
        if trimmed.starts_with("//") && trimmed.ends_with(&start) {
            inside = true;
            regions += 1;
            kept.push("<the marked region>".to_owned());
        } else if trimmed.starts_with("//") && trimmed.ends_with(&end) {
            inside = false;
        } else if inside
            || trimmed.starts_with("use ")
            || (starter && trimmed.starts_with("#") && trimmed.contains("allow(unused"))
        {
            continue;
        } else {
            kept.push(line.to_owned());
        }
    }
    match (regions, inside) {
        (1, false) => Ok(kept),
        (_, true) => Err(format!("`// {start}` is never closed by `// {end}`")),
        (n, _) => Err(format!("expected one `// {start}` region, found {n}")),
    }
}

/// Every exercise starter under `examples/*/exercises/`, with its solution.
fn exercises(root: &Path) -> Vec<(PathBuf, PathBuf)> {
    let mut pairs = Vec::new();
    let crates = fs::read_dir(root.join("examples")).expect("examples/ exists");
    for krate in crates.flatten() {
        let dir = krate.path().join("exercises");
        let Ok(files) = fs::read_dir(&dir) else {
            continue;
        };
        for file in files.flatten() {
            let path = file.path();
            if path.extension().is_some_and(|e| e == "rs") {
                let solution = dir.join("solutions").join(file.file_name());
                pairs.push((path, solution));
            }
        }
    }
    pairs.sort();
    pairs
}

/// Explains the first line where `a` and `b` part.
fn first_difference(a: &[String], b: &[String]) -> String {
    let at = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let line = |lines: &[String]| lines.get(at).map_or("(the end)".to_owned(), |l| l.clone());
    format!(
        "after {at} matching line(s), the starter has\n    {}\nwhere the solution has\n    {}",
        line(a),
        line(b)
    )
}

fn compare(starter: &str, solution: &str) -> Result<(), String> {
    let a = outside_region(starter, "todo", true).map_err(|e| format!("starter: {e}"))?;
    let b = outside_region(solution, "solution", false).map_err(|e| format!("solution: {e}"))?;
    if a == b {
        Ok(())
    } else {
        Err(first_difference(&a, &b))
    }
}

#[test]
fn starters_and_solutions_differ_only_in_their_marked_regions() {
    let root = root();
    let pairs = exercises(&root);
    assert!(pairs.len() >= 10, "found only {} exercises", pairs.len());
    let mut problems = Vec::new();
    for (starter, solution) in &pairs {
        let read = |path: &Path| fs::read_to_string(path).map_err(|e| format!("{e}"));
        let result = match (read(starter), read(solution)) {
            (Ok(a), Ok(b)) => compare(&a, &b),
            (Err(e), _) | (_, Err(e)) => Err(format!("cannot read the pair: {e}")),
        };
        if let Err(why) = result {
            let relative = starter.strip_prefix(&root).unwrap_or(starter);
            problems.push(format!("{}: {why}", relative.display()));
        }
    }
    assert!(
        problems.is_empty(),
        "an exercise's starter and solution drifted apart outside their marked regions \
         (edit the one that is wrong, so the reader edits the same program the tests check):\n\n{}",
        problems.join("\n\n")
    );
}

#[test]
fn a_change_outside_the_region_is_caught() {
    let starter = "//! starter\nfn main() {}\n// ANCHOR: todo\ntodo!()\n// ANCHOR_END: todo\n";
    let solution =
        "//! solution\nuse x;\nfn main() {}\n// ANCHOR: solution\n42\n// ANCHOR_END: solution\n";
    assert_eq!(compare(starter, solution), Ok(()));
    let drifted = solution.replace("fn main() {}", "fn main() { other() }");
    let why = compare(starter, &drifted).expect_err("main differs outside the region");
    assert!(why.contains("fn main() { other() }"), "{why}");
    let unclosed = starter.replace("// ANCHOR_END: todo\n", "");
    assert!(compare(&unclosed, solution).is_err());
}
