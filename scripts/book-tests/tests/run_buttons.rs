//! A reader can run most of what a chapter shows: at least half of each chapter's Rust blocks
//! (fences whose info string starts with `rust`) have a Run button that runs the program, the
//! same rule mdBook uses to draw the button (`expand::has_run_button`), with `compile_fail`
//! and `no_run` blocks counted as having none (their button runs nothing useful). A listing
//! that needs only std, tokio, futures and rayon can have one: a helper it needs rides along
//! as hidden lines (see `listing_copies.rs`).
//!
//! The chapters listed in `BELOW_HALF` are known exceptions, each with its reason. The test
//! also fails when one of them reaches half, so that the list only shrinks.
#[allow(dead_code)] // this test uses only a few of the build script's helpers
#[path = "../src/expand.rs"]
mod expand;

use std::fs;
use std::path::{Path, PathBuf};

use expand::{expand_markdown, find_blocks, has_run_button, markdown_files};

/// Chapters with fewer than half of their Rust blocks runnable, and why.
const BELOW_HALF: [(&str, &str); 2] = [
    (
        "ch02-generators-to-coroutines",
        "its reactor and readiness pages use mio and real sockets, which the Playground lacks",
    ),
    (
        "ch07-putting-it-together",
        "it builds a tool that reads files, fires HTTP requests and starts processes",
    ),
];

fn book_dir() -> PathBuf {
    let dir = std::env::var_os("CARGO_MANIFEST_DIR").expect("run by cargo test");
    let root = expand::workspace_root(Path::new(&dir));
    expand::book_dir(&root).0
}

/// A Rust block as the reader sees it: mdBook highlights it as Rust.
fn is_rust(info: &str) -> bool {
    info.split([',', ' ', '\t']).find(|w| !w.is_empty()) == Some("rust")
}

/// Whether the block's Run button runs the program.
fn runs(info: &str) -> bool {
    let words: Vec<&str> = info.split([',', ' ', '\t']).collect();
    has_run_button(info) && !words.contains(&"compile_fail") && !words.contains(&"no_run")
}

/// For each chapter folder (`chNN-…`), its Rust blocks and how many of them run, counting a
/// markdown file that another one includes only where it is included, as the reader sees it.
fn counts(book: &Path) -> Vec<(String, usize, usize)> {
    let mut pages = Vec::new();
    for path in markdown_files(book).expect("the book's markdown files") {
        let source = fs::read_to_string(&path).expect("a markdown file");
        let expanded = expand_markdown(&source, path.parent().expect("a folder"));
        pages.push((path, expanded));
    }
    let canonical = |path: &Path| fs::canonicalize(path).unwrap_or_else(|_| path.to_owned());
    let parts: Vec<PathBuf> = pages
        .iter()
        .flat_map(|(_, expanded)| &expanded.includes)
        .filter(|path| path.extension().is_some_and(|e| e == "md"))
        .map(|path| canonical(path))
        .collect();
    let mut chapters: Vec<(String, usize, usize)> = Vec::new();
    for (path, expanded) in &pages {
        let relative = path.strip_prefix(book).unwrap_or(path);
        let Some(chapter) = relative
            .iter()
            .next()
            .map(|c| c.to_string_lossy().into_owned())
        else {
            continue;
        };
        if !chapter.starts_with("ch")
            || relative.iter().count() < 2
            || parts.contains(&canonical(path))
        {
            continue;
        }
        let infos: Vec<String> = find_blocks(&expanded.text)
            .into_iter()
            .map(|b| b.info)
            .filter(|info| is_rust(info))
            .collect();
        let running = infos.iter().filter(|info| runs(info)).count();
        match chapters.iter_mut().find(|(name, _, _)| *name == chapter) {
            Some((_, total, run)) => {
                *total += infos.len();
                *run += running;
            }
            None => chapters.push((chapter, infos.len(), running)),
        }
    }
    chapters.sort();
    chapters
}

/// What is wrong with one chapter's count, if anything.
fn verdict(chapter: &str, total: usize, running: usize) -> Option<String> {
    let half = 2 * running >= total;
    match BELOW_HALF.iter().find(|(name, _)| *name == chapter) {
        None if !half => Some(format!(
            "{chapter}: only {running} of its {total} Rust blocks have a Run button; at least \
             half should. Make a listing runnable in the browser (only std, tokio, futures, \
             rayon; a helper as hidden lines), or explain why not in BELOW_HALF"
        )),
        Some(_) if half => Some(format!(
            "{chapter}: {running} of its {total} Rust blocks have a Run button now, at least \
             half: remove it from BELOW_HALF"
        )),
        _ => None,
    }
}

#[test]
fn at_least_half_of_each_chapters_rust_blocks_have_a_run_button() {
    let chapters = counts(&book_dir());
    assert!(
        chapters.len() >= 7,
        "found only {} chapters",
        chapters.len()
    );
    let mut problems: Vec<String> = chapters
        .iter()
        .filter_map(|(chapter, total, running)| verdict(chapter, *total, *running))
        .collect();
    for (name, _) in BELOW_HALF {
        if !chapters.iter().any(|(chapter, _, _)| chapter == name) {
            problems.push(format!(
                "BELOW_HALF names {name}, which is not a chapter folder"
            ));
        }
    }
    let summary: Vec<String> = chapters
        .iter()
        .map(|(chapter, total, running)| format!("{chapter}: {running}/{total}"))
        .collect();
    assert!(
        problems.is_empty(),
        "{}\n\n(Run buttons per chapter: {})",
        problems.join("\n"),
        summary.join(", ")
    );
}

#[test]
fn the_count_follows_mdbooks_run_button() {
    assert!(runs("rust"));
    assert!(runs("rust,editable"));
    assert!(runs("rust,should_panic"));
    assert!(!runs("rust,noplayground"));
    assert!(!runs("rust,ignore"));
    assert!(!runs("rust,compile_fail,E0382"));
    assert!(!runs("rust,no_run"));
    assert!(!is_rust("console") && !is_rust("text") && !is_rust("toml"));
    assert!(verdict("ch09-new", 4, 1).is_some(), "below half");
    assert_eq!(verdict("ch09-new", 4, 2), None, "half is enough");
    assert!(
        verdict(BELOW_HALF[0].0, 4, 2).is_some(),
        "an exception at half"
    );
    assert_eq!(verdict(BELOW_HALF[0].0, 4, 1), None);
}
