//! One source for code that a listing must carry a copy of. A listing with a Run button is
//! sent to the Rust Playground whole, and the Playground has no chapter library, so such a
//! listing carries what it needs from an earlier listing (Chapter 4's `Promise`) in its own
//! hidden lines. Each copy is marked:
//!
//! ```text
//! // COPY_OF: 02_promise.rs:promise,future
//! ...the copied lines...
//! // COPY_END
//! ```
//!
//! and must be, line for line, the named anchors of the named file (relative to the copy's
//! folder), as mdBook takes them (`ANCHOR:` lines left out), one after another with a blank
//! line between. Edit the original and paste it again: this test fails the moment they differ.
#[allow(dead_code)] // this test uses only a few of the build script's helpers
#[path = "../src/expand.rs"]
mod expand;

use std::fs;
use std::path::{Path, PathBuf};

use expand::take_anchored_lines;

const START: &str = "// COPY_OF:";
const END: &str = "// COPY_END";

/// The workspace root, from the `CARGO_MANIFEST_DIR` that Cargo sets when it runs this test.
fn root() -> PathBuf {
    let dir = std::env::var_os("CARGO_MANIFEST_DIR").expect("run by cargo test");
    expand::workspace_root(Path::new(&dir))
}

/// A marked copy: what it says it copies (`02_promise.rs:promise,future`) and its lines.
#[derive(Debug)]
struct MarkedCopy {
    line: usize,
    source: String,
    text: String,
}

/// The marked copies in `text`, or why the markers are wrong.
fn copies(text: &str) -> Result<Vec<MarkedCopy>, String> {
    let mut found = Vec::new();
    let mut open: Option<(usize, String, Vec<&str>)> = None;
    for (index, line) in text.lines().enumerate() {
        let trimmed = line.trim();
        match (trimmed.strip_prefix(START), trimmed == END, &mut open) {
            (Some(_), _, Some((at, _, _))) => {
                return Err(format!(
                    "line {}: a copy opens inside the one of line {at}",
                    index + 1
                ));
            }
            (Some(source), _, None) => {
                open = Some((index + 1, source.trim().to_owned(), Vec::new()))
            }
            (None, true, None) => {
                return Err(format!("line {}: `{END}` closes no copy", index + 1));
            }
            (None, true, Some(_)) => {
                let (line, source, lines) = open.take().expect("a copy is open");
                found.push(MarkedCopy {
                    line,
                    source,
                    text: lines.join("\n"),
                });
            }
            (None, false, Some((_, _, lines))) => lines.push(line),
            (None, false, None) => {}
        }
    }
    match open {
        Some((line, _, _)) => Err(format!("line {line}: the copy is never closed by `{END}`")),
        None => Ok(found),
    }
}

/// What a copy must be: the anchors `names` of `original`, each without its surrounding blank
/// lines, joined by one blank line.
fn expected(original: &str, names: &str) -> Result<String, String> {
    let mut parts = Vec::new();
    for name in names.split(',').map(str::trim) {
        let part = take_anchored_lines(original, name)
            .ok_or_else(|| format!("the original has no anchor `{name}`"))?;
        parts.push(part.trim_matches('\n').to_owned());
    }
    Ok(parts.join("\n\n"))
}

/// Explains the first line where the copy and the original part.
fn first_difference(copy: &str, original: &str) -> String {
    let (a, b): (Vec<&str>, Vec<&str>) = (copy.lines().collect(), original.lines().collect());
    let at = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let line = |lines: &[&str]| {
        lines
            .get(at)
            .map_or("(the end)".to_owned(), |l| (*l).to_owned())
    };
    format!(
        "after {at} matching line(s), the copy has\n    {}\nwhere the original has\n    {}",
        line(&a),
        line(&b)
    )
}

/// Checks one copy, found in a file in `folder`, against its original.
fn check(copy: &MarkedCopy, folder: &Path) -> Result<(), String> {
    let (file, names) = copy.source.split_once(':').ok_or_else(|| {
        format!(
            "`{START} {}` names no anchor (file.rs:anchor,anchor)",
            copy.source
        )
    })?;
    let original = fs::read_to_string(folder.join(file))
        .map_err(|e| format!("cannot read the original {file}: {e}"))?;
    compare(&copy.text, &original, names).map_err(|e| format!("{file}: {e}"))
}

/// Whether `copy` is the anchors `names` of `original` (blank lines around it aside).
fn compare(copy: &str, original: &str, names: &str) -> Result<(), String> {
    let want = expected(original, names)?;
    let copy = copy.trim_matches('\n');
    if copy == want {
        Ok(())
    } else {
        Err(first_difference(copy, &want))
    }
}

/// Every `.rs` file under `dir`, sorted, skipping `target` and hidden folders.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let Ok(entries) = fs::read_dir(&dir) else {
            continue;
        };
        for path in entries.flatten().map(|e| e.path()) {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            if path.is_dir() {
                if !name.starts_with('.') && name != "target" {
                    pending.push(path);
                }
            } else if name.ends_with(".rs") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

#[test]
fn every_marked_copy_is_its_original_line_for_line() {
    let root = root();
    let mut checked = 0;
    let mut problems = Vec::new();
    for path in rust_files(&root.join("examples")) {
        let shown = path
            .strip_prefix(&root)
            .unwrap_or(&path)
            .display()
            .to_string();
        let text = fs::read_to_string(&path).expect("a source file");
        let folder = path.parent().expect("a folder");
        match copies(&text) {
            Ok(found) => {
                for copy in found {
                    checked += 1;
                    if let Err(why) = check(&copy, folder) {
                        problems.push(format!("{shown}:{} ({}): {why}", copy.line, copy.source));
                    }
                }
            }
            Err(why) => problems.push(format!("{shown}: {why}")),
        }
    }
    assert!(
        problems.is_empty(),
        "a listing's copy drifted from its original (edit the original, then paste it into \
         the copy again):\n\n{}",
        problems.join("\n\n")
    );
    // Chapter 4's listings 3 and 5 carry listing 2's `Promise`.
    assert!(checked >= 2, "found only {checked} marked copies");
}

#[test]
fn a_drifted_copy_is_caught() {
    let original =
        "// ANCHOR: a\nfn a() {}\n\n// ANCHOR_END: a\n// ANCHOR: b\nfn b() {}\n// ANCHOR_END: b\n";
    let good = "use x;\n// COPY_OF: o.rs:a,b\nfn a() {}\n\nfn b() {}\n// COPY_END\nfn main() {}\n";
    let found = copies(good).expect("well marked");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].source, "o.rs:a,b");
    assert_eq!(compare(&found[0].text, original, "a,b"), Ok(()));
    let drifted = copies(&good.replace("fn b() {}", "fn b() { other() }")).expect("well marked");
    let why = compare(&drifted[0].text, original, "a,b").expect_err("b differs");
    assert!(why.contains("fn b() { other() }"), "{why}");
    assert!(
        copies("// COPY_OF: o.rs:a\nfn a() {}\n").is_err(),
        "never closed"
    );
    assert!(copies("// COPY_END\n").is_err(), "closes nothing");
    assert!(expected(original, "a,c").is_err(), "no anchor c");
}
