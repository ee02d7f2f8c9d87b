//! Every listing the book shows can be run by the reader: a page that includes a program's
//! source (`examples/<crate>/src/bin/<bin>.rs`, or an exercise in `examples/<crate>/exercises/`)
//! also shows the line that runs it, `$ cargo run … -p <crate> … --bin <bin>` (through an
//! included output file, which begins with that line, or a console block). The browser tests
//! then give each such line a copy button.
//!
//! An exercise's page also names the starter file the reader edits, by its path in the
//! repository (`examples/<crate>/exercises/<name>.rs`), outside the code.

#[allow(dead_code)] // this test uses only a few of the build script's helpers
#[path = "../src/expand.rs"]
mod expand;

use std::fs;
use std::path::{Path, PathBuf};

use expand::{Directive, expand_markdown, find_links, markdown_files, tidy_path};

/// The repository's root: `scripts/book-tests/../..`.
fn workspace_root() -> PathBuf {
    expand::workspace_root(Path::new(env!("CARGO_MANIFEST_DIR")))
}

/// The book's sources, as `build.rs` finds them.
fn book_dir() -> PathBuf {
    expand::book_dir(&workspace_root()).0
}

/// The `[[bin]]` targets of a crate's `Cargo.toml`, as (name, path) pairs. Only the plain
/// `name = "…"` / `path = "…"` lines the chapters use are read.
fn declared_bins(manifest: &Path) -> Vec<(String, String)> {
    let Ok(text) = fs::read_to_string(manifest) else {
        return Vec::new();
    };
    let mut bins = Vec::new();
    let mut in_bin = false;
    let (mut name, mut path) = (None, None);
    let mut flush = |name: &mut Option<String>, path: &mut Option<String>| {
        if let (Some(n), Some(p)) = (name.take(), path.take()) {
            bins.push((n, p));
        }
    };
    for line in text.lines().map(str::trim) {
        if line.starts_with('[') {
            flush(&mut name, &mut path);
            in_bin = line == "[[bin]]";
            continue;
        }
        if !in_bin {
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        let value = value.trim().trim_matches('"').to_owned();
        match key.trim() {
            "name" => name = Some(value),
            "path" => path = Some(value),
            _ => {}
        }
    }
    flush(&mut name, &mut path);
    bins
}

/// A program a page includes: its crate (the folder under `examples/`) and its binary's name.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Program {
    krate: String,
    bin: String,
    /// For an exercise's starter: its path from the repository's root.
    starter: Option<String>,
}

/// The program whose source `file` is, if it is one: `examples/<crate>/src/bin/<bin>.rs`,
/// `examples/<crate>/src/bin/<bin>/main.rs`, or a `[[bin]]` of the crate (the exercises).
fn program(root: &Path, file: &Path) -> Result<Option<Program>, String> {
    let Ok(relative) = file.strip_prefix(root.join("examples")) else {
        return Ok(None);
    };
    let parts: Vec<&str> = relative.iter().filter_map(|p| p.to_str()).collect();
    let [krate, rest @ ..] = parts.as_slice() else {
        return Ok(None);
    };
    let in_crate = rest.join("/");
    let is_exercise = rest.first() == Some(&"exercises");
    let from_src_bin = match rest {
        ["src", "bin", file] => file.strip_suffix(".rs"),
        ["src", "bin", dir, "main.rs"] => Some(*dir),
        _ => None,
    };
    let declared = declared_bins(&root.join("examples").join(krate).join("Cargo.toml"))
        .into_iter()
        .find(|(_, path)| path.trim_start_matches("./") == in_crate)
        .map(|(name, _)| name);
    let bin = match (declared, from_src_bin) {
        (Some(name), _) => name,
        (None, Some(name)) => name.to_owned(),
        (None, None) if is_exercise && in_crate.ends_with(".rs") => {
            return Err(format!(
                "examples/{krate}/{in_crate} is an exercise, but no [[bin]] in \
                 examples/{krate}/Cargo.toml has path = \"{in_crate}\", so a reader cannot run it"
            ));
        }
        (None, None) => return Ok(None),
    };
    let starter = (is_exercise && rest.get(1) != Some(&"solutions"))
        .then(|| format!("examples/{krate}/{in_crate}"));
    Ok(Some(Program {
        krate: (*krate).to_owned(),
        bin,
        starter,
    }))
}

/// Whether `line` is a `$ cargo … run …` line that runs `program`.
fn runs(line: &str, program: &Program) -> bool {
    let Some(command) = line.trim_end().strip_prefix("$ cargo ") else {
        return false;
    };
    let words: Vec<&str> = command.split_whitespace().collect();
    let manifest = format!("examples/{}/Cargo.toml", program.krate);
    let pairs = || words.windows(2);
    words.contains(&"run")
        && pairs().any(|w| {
            matches!(w[0], "-p" | "--package") && w[1] == program.krate
                || w[0] == "--manifest-path" && w[1] == manifest
        })
        && pairs().any(|w| w[0] == "--bin" && w[1] == program.bin)
}

#[test]
fn every_included_program_shows_how_to_run_it() {
    let root = workspace_root();
    let book = book_dir();
    let mut problems = Vec::new();
    let mut checked = 0;
    for page in markdown_files(&book).expect("the book's folder can be listed") {
        let shown = page
            .strip_prefix(&root)
            .unwrap_or(&page)
            .display()
            .to_string();
        let src = fs::read_to_string(&page).expect("a page of the book can be read");
        let base = page.parent().expect("a page is in a folder");
        let expanded = expand_markdown(&src, base);
        // The page's own words, without its directives (whose paths name the files).
        let mut prose = String::new();
        let mut last = 0;
        let mut programs = Vec::new();
        for link in find_links(&src) {
            prose.push_str(&src[last..link.start]);
            last = link.end;
            let path = match link.directive {
                Some(Directive::Include(path, _) | Directive::RustdocInclude(path, _)) => path,
                _ => continue,
            };
            match program(&root, &tidy_path(&base.join(path))) {
                Ok(Some(found)) if !programs.contains(&found) => programs.push(found),
                Ok(_) => {}
                Err(e) => problems.push(format!("{shown}: {e}")),
            }
        }
        prose.push_str(&src[last..]);
        for found in programs {
            checked += 1;
            if !expanded.text.lines().any(|line| runs(line, &found)) {
                problems.push(format!(
                    "{shown} shows the source of `{bin}` but not how to run it: add \
                     `$ cargo run -p {krate} --bin {bin}` in a ```console block (or include \
                     one of its outputs/*.txt, which starts with that line)",
                    bin = found.bin,
                    krate = found.krate,
                ));
            }
            if let Some(starter) = &found.starter
                && !prose.contains(&format!("`{starter}`"))
            {
                problems.push(format!(
                    "{shown} has the exercise `{bin}`, but does not name the file the reader \
                     edits: write `{starter}` in the text",
                    bin = found.bin,
                ));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} problem(s):\n  {}",
        problems.len(),
        problems.join("\n  ")
    );
    assert!(
        checked > 0,
        "no page of {} includes a program",
        book.display()
    );
}

#[test]
fn recognises_run_lines() {
    let program = Program {
        krate: "ch01-concurrent-vs-parallel".into(),
        bin: "01_sequential".into(),
        starter: None,
    };
    for yes in [
        "$ cargo run -p ch01-concurrent-vs-parallel --bin 01_sequential",
        "$ cargo run --release -p ch01-concurrent-vs-parallel --bin 01_sequential -- 20 10",
        "$ cargo +nightly run --manifest-path examples/ch01-concurrent-vs-parallel/Cargo.toml --bin 01_sequential",
    ] {
        assert!(runs(yes, &program), "{yes}");
    }
    for no in [
        "$ cargo run -p ch01-concurrent-vs-parallel --bin 01_sequential_solution",
        "$ cargo run -p ch02-generators-to-coroutines --bin 01_sequential",
        "cargo run -p ch01-concurrent-vs-parallel --bin 01_sequential",
        "$ cargo test -p ch01-concurrent-vs-parallel --bin 01_sequential",
    ] {
        assert!(!runs(no, &program), "{no}");
    }
}
