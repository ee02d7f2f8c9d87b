//! Every listing the book shows can be run by the reader: a page that includes a program's
//! source (`examples/<crate>/src/bin/<bin>.rs`, or an exercise in `examples/<crate>/exercises/`)
//! also shows the line that runs it, `$ cargo run … -p <crate> … --bin <bin>` (with
//! `--features …` when the binary has `required-features`), in a code block
//! (an included output file, which begins with that line, or a console block). The browser
//! tests then give each such line a copy button.
//!
//! An exercise's page also names the starter file the reader edits, by its path in the
//! repository (`examples/<crate>/exercises/<name>.rs`), in a `code` span of its own text.
//!
//! Which file is which program comes from `cargo metadata` (the crates' `bin` targets); the
//! markdown is read with pulldown-cmark.

#[allow(dead_code)] // this test uses only a few of the build script's helpers
#[path = "../src/expand.rs"]
mod expand;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use cargo_metadata::{MetadataCommand, Package};
use pulldown_cmark::Event;

use expand::{
    Directive, expand_markdown, find_blocks, find_links, markdown_files, markdown_parser, tidy_path,
};

/// The repository's root: `scripts/book-tests/../..`.
fn workspace_root() -> PathBuf {
    // Read at run time (Cargo sets it for every test it runs), so a binary reused from a
    // shared target folder reads the checkout it runs in.
    let dir = std::env::var_os("CARGO_MANIFEST_DIR").expect("run by cargo test");
    expand::workspace_root(Path::new(&dir))
}

/// The book's sources, as `build.rs` finds them.
fn book_dir() -> PathBuf {
    expand::book_dir(&workspace_root()).0
}

/// The packages under `examples/`, by folder, as `cargo metadata` describes them.
#[derive(Default)]
struct Crates(BTreeMap<PathBuf, Package>);

impl Crates {
    /// The package in `dir`. One `cargo metadata` lists the whole workspace; a crate the
    /// workspace excludes (the nightly one) is asked on its own.
    fn package(&mut self, dir: &Path) -> Result<&Package, String> {
        let dir = tidy_path(dir);
        let manifest = dir.join("Cargo.toml");
        if !self.0.contains_key(&dir) {
            let metadata = MetadataCommand::new()
                .manifest_path(&manifest)
                .no_deps()
                .exec()
                .map_err(|e| format!("cargo metadata on {}: {e}", manifest.display()))?;
            for package in metadata.packages {
                if let Some(folder) = package.manifest_path.parent() {
                    self.0.insert(tidy_path(folder.as_std_path()), package);
                }
            }
        }
        self.0
            .get(&dir)
            .ok_or_else(|| format!("cargo metadata does not list {}", manifest.display()))
    }
}

/// A program a page includes: its crate (the folder under `examples/`) and its binary's name.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Program {
    /// The package's name, for `-p`.
    krate: String,
    /// Its manifest, from the repository's root, for `--manifest-path`.
    manifest: String,
    bin: String,
    /// The features the binary requires (`required-features`): the run line must pass them.
    features: Vec<String>,
    /// For an exercise's starter: its path from the repository's root.
    starter: Option<String>,
}

/// The program whose source `file` is, if it is one: a `bin` target of a package under
/// `examples/` (`src/bin/<bin>.rs`, `src/bin/<bin>/main.rs`, or a `[[bin]]` such as an exercise).
fn program(root: &Path, crates: &mut Crates, file: &Path) -> Result<Option<Program>, String> {
    let Ok(relative) = file.strip_prefix(root.join("examples")) else {
        return Ok(None);
    };
    let parts: Vec<&str> = relative.iter().filter_map(|p| p.to_str()).collect();
    let [folder, rest @ ..] = parts.as_slice() else {
        return Ok(None);
    };
    let crate_dir = root.join("examples").join(folder);
    if !crate_dir.join("Cargo.toml").is_file() {
        return Ok(None);
    }
    let in_crate = rest.join("/");
    let is_exercise = rest.first() == Some(&"exercises");
    let package = crates.package(&crate_dir)?;
    let bin = package
        .targets
        .iter()
        .find(|t| t.is_bin() && tidy_path(t.src_path.as_std_path()) == tidy_path(file))
        .map(|t| (t.name.clone(), t.required_features.clone()));
    let (bin, features) = match bin {
        Some(found) => found,
        None if is_exercise && in_crate.ends_with(".rs") => {
            return Err(format!(
                "examples/{folder}/{in_crate} is an exercise, but no [[bin]] in \
                 examples/{folder}/Cargo.toml has path = \"{in_crate}\", so a reader cannot run it"
            ));
        }
        None => return Ok(None),
    };
    let starter = (is_exercise && rest.get(1) != Some(&"solutions"))
        .then(|| format!("examples/{folder}/{in_crate}"));
    Ok(Some(Program {
        krate: package.name.to_string(),
        manifest: format!("examples/{folder}/Cargo.toml"),
        bin,
        features,
        starter,
    }))
}

/// Whether `line` is a `$ cargo … run …` line that runs `program`.
fn runs(line: &str, program: &Program) -> bool {
    let Some(command) = line.trim_end().strip_prefix("$ cargo ") else {
        return false;
    };
    let words: Vec<&str> = command.split_whitespace().collect();
    let pairs = || words.windows(2);
    words.contains(&"run")
        && pairs().any(|w| {
            matches!(w[0], "-p" | "--package") && w[1] == program.krate
                || w[0] == "--manifest-path" && w[1] == program.manifest
        })
        && pairs().any(|w| w[0] == "--bin" && w[1] == program.bin)
        && program.features.iter().all(|feature| {
            pairs().any(|w| {
                matches!(w[0], "-F" | "--features") && w[1].split(',').any(|f| f == feature)
            })
        })
}

#[test]
fn every_included_program_shows_how_to_run_it() {
    let root = workspace_root();
    let book = book_dir();
    let mut problems = Vec::new();
    let mut crates = Crates::default();
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
        let mut programs = Vec::new();
        for link in find_links(&src) {
            let path = match link.directive {
                Some(Directive::Include(path, _) | Directive::RustdocInclude(path, _)) => path,
                _ => continue,
            };
            match program(&root, &mut crates, &tidy_path(&base.join(path))) {
                Ok(Some(found)) if !programs.contains(&found) => programs.push(found),
                Ok(_) => {}
                Err(e) => problems.push(format!("{shown}: {e}")),
            }
        }
        // The lines of the page's code blocks, included text too, and its own `code` spans.
        let code_lines: Vec<String> = find_blocks(&expanded.text)
            .iter()
            .flat_map(|block| block.code.lines().map(str::to_owned).collect::<Vec<_>>())
            .collect();
        let spans: Vec<String> = markdown_parser(&src)
            .filter_map(|event| match event {
                Event::Code(span) => Some(span.into_string()),
                _ => None,
            })
            .collect();
        for found in programs {
            checked += 1;
            if !code_lines.iter().any(|line| runs(line, &found)) {
                problems.push(format!(
                    "{shown} shows the source of `{bin}` but not how to run it: add \
                     `$ cargo run -p {krate}{features} --bin {bin}` in a ```console block (or \
                     include one of its outputs/*.txt, which starts with that line)",
                    bin = found.bin,
                    krate = found.krate,
                    features = if found.features.is_empty() {
                        String::new()
                    } else {
                        format!(" --features {}", found.features.join(","))
                    },
                ));
            }
            if let Some(starter) = &found.starter
                && !spans.contains(starter)
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
        manifest: "examples/ch01-concurrent-vs-parallel/Cargo.toml".into(),
        bin: "01_sequential".into(),
        features: Vec::new(),
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
    let gated = Program {
        bin: "04_http".into(),
        features: vec!["http".into()],
        ..program
    };
    assert!(runs(
        "$ cargo run -p ch01-concurrent-vs-parallel --features http --bin 04_http",
        &gated
    ));
    assert!(!runs(
        "$ cargo run -p ch01-concurrent-vs-parallel --bin 04_http",
        &gated
    ));
}
