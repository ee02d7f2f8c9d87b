//! Pages that teach: no block the reader sees is longer than 40 lines (lines a Rust
//! block hides, `# ` lines and the rest of a file that `rustdoc_include` shows a part of, are
//! not counted), and at most one "How we know" box says what the tests prove.

#[allow(dead_code)] // this test uses only a few of the build script's helpers
#[path = "../src/expand.rs"]
mod expand;

use std::fs;
use std::path::{Path, PathBuf};

use expand::{expand_markdown, find_blocks, markdown_files};

const MAX_LINES: usize = 40;

fn book_dir() -> PathBuf {
    let dir = std::env::var_os("CARGO_MANIFEST_DIR").expect("run by cargo test");
    let root = expand::workspace_root(Path::new(&dir));
    expand::book_dir(&root).0
}

/// The lines mdBook shows of a block: for Rust, without the hidden `#` lines (mdBook's
/// rule: a line whose first non-blank text is `#` alone or `# …`; `##` shows one `#`).
fn shown_lines(info: &str, code: &str) -> Vec<String> {
    let rust = info.split([',', ' ']).next() == Some("rust");
    code.lines()
        .filter(|line| {
            let t = line.trim_start();
            !rust || !(t == "#" || t.starts_with("# "))
        })
        .map(str::to_owned)
        .collect()
}

#[test]
fn shown_blocks_are_at_most_40_lines() {
    let book = book_dir();
    let mut problems = Vec::new();
    for path in markdown_files(&book).expect("the book's markdown files") {
        let page = path
            .strip_prefix(&book)
            .unwrap_or(&path)
            .display()
            .to_string();
        let source = fs::read_to_string(&path).expect("a markdown file");
        let expanded = expand_markdown(&source, path.parent().expect("a folder"));
        for block in find_blocks(&expanded.text) {
            let lines = shown_lines(&block.info, &block.code);
            let first = lines
                .iter()
                .find(|l| !l.trim().is_empty())
                .cloned()
                .unwrap_or_default();
            let line = expanded.origin(block.offset).line;
            if lines.len() > MAX_LINES {
                problems.push(format!(
                    "{page}:{line} (block starting `{}`): {} lines shown (at most \
                     {MAX_LINES})",
                    first.trim(),
                    lines.len()
                ));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// What the tests prove goes in at most one short "How we know" box per page: the rest of
/// the page teaches.
#[test]
fn at_most_one_how_we_know_box_per_page() {
    let book = book_dir();
    let mut problems = Vec::new();
    for path in markdown_files(&book).expect("the book's markdown files") {
        let text = fs::read_to_string(&path).expect("a markdown file");
        let boxes = text.matches("**How we know").count();
        if boxes > 1 {
            problems.push(format!(
                "{}: {boxes} \"How we know\" boxes; fold them into one",
                path.strip_prefix(&book).unwrap_or(&path).display()
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
