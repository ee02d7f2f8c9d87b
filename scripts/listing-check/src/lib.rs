//! Runs a chapter's listings and checks their output against the files the book shows.
//!
//! Every listing's output in the book is `{{#include}}`d from a file under the chapter crate's
//! `outputs/` folder. That file is written by *running the listing*, never by hand, and this
//! crate is what keeps it honest:
//!
//! * `cargo test` runs each listing and fails, with a diff, when the real output differs from
//!   the file the book includes;
//! * `SNAPSHOTS=overwrite cargo test` (what `scripts/regen` does) rewrites the files whose
//!   program now prints something different; a file that still matches (after masking) is
//!   kept, so its sample figures do not churn. Delete a file to take a fresh sample.
//!
//! A chapter crate uses it from one integration test, `tests/outputs.rs`, declared with
//! `harness = false` in its `Cargo.toml` (`[[test]] name = "outputs"`), because each case
//! becomes a test of its own (named after the output file, so a failure names the listing,
//! and cases run in parallel):
//!
//! ```no_run
//! use listing_check::{Listings, TIMES};
//!
//! fn main() {
//!     Listings::new(env!("CARGO_PKG_NAME"))
//!         .run("01_sequential", &[])          // output must match exactly
//!         .run("02_threads", &[]).mask(TIMES) // times vary: compare everything else
//!         .fails("01_sequential", &["zero"])  // a bad argument: one-line error, exit 2
//!         .main();
//! }
//! ```
//!
//! `cargo test -p <crate> --test outputs 02_threads` runs one case, as with any test filter.
//!
//! Each output file starts with the command a reader types (`$ cargo run -p … --bin …`),
//! generated from the case, so the command shown in the book is checked too.
//!
//! Output that truly varies between runs (wall-clock times, thread interleavings) is stored as
//! one real run and compared after masking: [`Listings::mask`] hides the parts that vary, and
//! [`Listings::unordered`] compares lines as a sorted set. The book says "one run printed" there.
//!
//! The `coverage` case fails when a binary of the package has no case (a listing whose output
//! nobody checks) unless it is declared with [`Listings::not_run`], and when `outputs/` holds
//! a file that no case produces (a stale output).
//!
//! # Which checkout is read
//!
//! The files are found from the `CARGO_MANIFEST_DIR` that Cargo sets in the environment of
//! every test it runs, never from a path compiled into the test binary: two checkouts that
//! share one target folder (a working copy and a fresh clone, say) each compare against their
//! own files.

pub mod exercise;

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use libtest_mimic::{Arguments, Failed, Trial};
use regex::Regex;

/// Masks wall-clock durations such as `503 ms`, `1.25 s`, `12.3µs`, `48.2ms`, with the spaces
/// before them (right-aligned columns pad a short figure more than a long one).
pub const TIMES: &str = r"[ \t]*\d+(\.\d+)?\s?(ns|µs|us|ms|s)\b";

/// How long one listing may run before the check gives up on it.
const TIMEOUT: Duration = Duration::from_secs(120);
/// The environment variable (snapbox's convention) that turns checking into rewriting.
const ACTION_ENV: &str = "SNAPSHOTS";

/// The listings of one chapter crate and how to check each one's output.
#[derive(Debug)]
pub struct Listings {
    crate_dir: PathBuf,
    package: String,
    cases: Vec<Case>,
    not_run: Vec<(String, String)>,
}

/// One run of one listing: which binary, with which arguments, and how to compare.
#[derive(Debug, Clone)]
pub struct Case {
    name: String,
    bin: String,
    args: Vec<String>,
    release: bool,
    should_fail: bool,
    masks: Vec<String>,
    unordered: bool,
    features: Vec<String>,
    /// Whether this test build has `features` (an unbuilt binary's case is ignored).
    built: bool,
}

impl Listings {
    /// Starts the list for the package `package` (pass `env!("CARGO_PKG_NAME")`), whose
    /// folder is the one Cargo names when it runs the test ([`crate_dir`]).
    pub fn new(package: &str) -> Self {
        Listings {
            crate_dir: crate_dir(),
            package: package.to_owned(),
            cases: Vec::new(),
            not_run: Vec::new(),
        }
    }

    /// Runs `bin` with `args`; it must succeed, write nothing to stderr, and print exactly
    /// what `outputs/<name>.txt` shows. The name is the binary's, followed by the arguments
    /// when there are any (`01_sequential--20-10`).
    pub fn run(mut self, bin: &str, args: &[&str]) -> Self {
        self.cases.push(Case::new(bin, args, false));
        self
    }

    /// Runs `bin` with `args` and expects it to fail: the file shows what it printed on
    /// stdout and stderr, and the exit code must be non-zero. This is how the book shows (and
    /// CI checks) that a listing rejects bad input with a clear message instead of a panic.
    pub fn fails(mut self, bin: &str, args: &[&str]) -> Self {
        self.cases.push(Case::new(bin, args, true));
        self
    }

    /// Declares a binary that is deliberately not run here, with the reason (for example an
    /// exercise starter that is meant to panic with `todo!()`).
    pub fn not_run(mut self, bin: &str, why: &str) -> Self {
        self.not_run.push((bin.to_owned(), why.to_owned()));
        self
    }

    /// Shows the last case's command with `--release` (for listings that time CPU work). The
    /// check still runs whatever profile the tests were built with; `scripts/regen` builds
    /// the stored outputs in release mode, so the shown figures match the shown command.
    pub fn release(self) -> Self {
        self.edit_last(|case| case.release = true)
    }

    /// Hides the parts of the last case's output that match `regex` before comparing. Use
    /// [`TIMES`] for wall-clock figures, or a pattern of your own.
    pub fn mask(self, regex: &str) -> Self {
        self.edit_last(|case| case.masks.push(regex.to_owned()))
    }

    /// The last case's binary needs these Cargo features (its `required-features`): the shown
    /// command passes them (`--features http`). `enabled` says whether this test build has
    /// them: pass `cfg!(feature = "http")`. Without them the binary was not built (Cargo may
    /// still name a stale file for it), so the case is reported as ignored; a workspace
    /// build, whose `book-tests` turns on every such feature, runs it.
    pub fn features(self, features: &[&str], enabled: bool) -> Self {
        self.edit_last(|case| {
            case.features = features.iter().map(|f| (*f).to_owned()).collect();
            case.built = enabled;
        })
    }

    /// Compares the last case's output lines as a sorted list (threads finish in any order).
    pub fn unordered(self) -> Self {
        self.edit_last(|case| case.unordered = true)
    }

    fn edit_last(mut self, edit: impl FnOnce(&mut Case)) -> Self {
        let case = self
            .cases
            .last_mut()
            .expect("release/mask/unordered follow a run() or fails() case");
        edit(case);
        self
    }

    /// Runs every case as a test of its own (plus a `coverage` test), with the command-line
    /// options of Cargo's test harness (a name filter, `--list`, `--test-threads`, ...), and
    /// exits with the harness's status. With `SNAPSHOTS=overwrite` set, each case rewrites its
    /// output file instead of comparing it.
    pub fn main(self) -> ! {
        let args = Arguments::from_args();
        libtest_mimic::run(&args, self.into_trials()).exit()
    }

    /// The tests [`Listings::main`] runs: one per case, named after its output file, and
    /// `coverage`.
    pub fn into_trials(self) -> Vec<Trial> {
        let overwrite = std::env::var(ACTION_ENV).is_ok_and(|v| v == "overwrite");
        let dir = self.crate_dir.join("outputs");
        let coverage = self.coverage_problems(&dir);
        let listings = std::sync::Arc::new(self);
        let mut trials = vec![Trial::test("coverage", move || {
            if coverage.is_empty() {
                Ok(())
            } else {
                Err(Failed::from(coverage.join("\n")))
            }
        })];
        for index in 0..listings.cases.len() {
            let (listings, dir) = (listings.clone(), dir.clone());
            let case = &listings.cases[index];
            let name = case.name.clone();
            let unbuilt = !case.built; // behind features this test build lacks
            trials.push(
                Trial::test(name, move || {
                    listings
                        .check_case(&listings.cases[index], &dir, overwrite)
                        .map_err(|problem| {
                            Failed::from(format!(
                                "{problem}\n\nIf the listing changed on purpose, regenerate the \
                             outputs with `scripts/regen`."
                            ))
                        })
                })
                .with_ignored_flag(unbuilt),
            );
        }
        trials
    }

    /// Every binary has a case or a reason, and every output file belongs to a case.
    fn coverage_problems(&self, dir: &Path) -> Vec<String> {
        let mut problems = Vec::new();
        let covered: BTreeSet<&str> = self
            .cases
            .iter()
            .map(|c| c.bin.as_str())
            .chain(self.not_run.iter().map(|(bin, _)| bin.as_str()))
            .collect();
        let bins: BTreeSet<String> = snapbox::cmd::cargo_bins().map(|(name, _)| name).collect();
        for bin in &bins {
            if !covered.contains(bin.as_str()) {
                problems.push(format!(
                    "binary `{bin}` has no output case: add .run(\"{bin}\", &[]) to tests/outputs.rs \
                     (or .not_run(\"{bin}\", \"why\"))"
                ));
            }
        }
        let gated: BTreeSet<&str> = self
            .cases
            .iter()
            .filter(|c| !c.features.is_empty())
            .map(|c| c.bin.as_str())
            .collect();
        for bin in &covered {
            if !bins.contains(*bin) && !gated.contains(bin) {
                problems.push(format!(
                    "a case names `{bin}`, which is not a binary of this package"
                ));
            }
        }
        let expected: BTreeSet<String> = self
            .cases
            .iter()
            .map(|c| format!("{}.txt", c.name))
            .collect();
        if let Ok(entries) = fs::read_dir(dir) {
            for entry in entries.flatten() {
                let file = entry.file_name().to_string_lossy().into_owned();
                if file.ends_with(".txt") && !expected.contains(&file) {
                    problems.push(format!(
                        "outputs/{file} belongs to no case: delete it or add its case"
                    ));
                }
            }
        }
        problems
    }

    fn check_case(&self, case: &Case, dir: &Path, overwrite: bool) -> Result<(), String> {
        let shown = dir.join(format!("{}.txt", case.name));
        let actual = self.run_case(case)?;
        let expected = fs::read_to_string(&shown);
        let unchanged = |expected: &str| -> Result<bool, String> {
            Ok(case.normalise(expected)? == case.normalise(&actual)?)
        };
        if overwrite {
            // Keep a stored run that still matches, so regenerating does not churn the
            // figures of every listing; delete the file to take a fresh sample.
            if let Ok(expected) = &expected
                && unchanged(expected)?
            {
                return Ok(());
            }
            fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
            return fs::write(&shown, &actual)
                .map_err(|e| format!("cannot write {}: {e}", shown.display()));
        }
        let expected = expected.map_err(|e| {
            format!(
                "{}: cannot read {} ({e}); run `scripts/regen` to create it",
                case.name,
                shown.display()
            )
        })?;
        if unchanged(&expected)? {
            return Ok(());
        }
        let (want, got) = (case.normalise(&expected)?, case.normalise(&actual)?);
        // snapbox renders the diff; it cannot pass here, since `want != got`.
        let rendered = match snapbox::Assert::new().try_eq(
            Some(&"real output"),
            snapbox::Data::text(got.clone()),
            snapbox::Data::text(want.clone()),
        ) {
            Err(diff) => diff.to_string(),
            Ok(()) => format!("--- shown\n{want}\n+++ real\n{got}"),
        };
        Err(format!(
            "{}: the real output differs from {} (compared after masking {:?}{}):\n{rendered}",
            case.name,
            shown.display(),
            case.masks,
            if case.unordered { ", lines sorted" } else { "" },
        ))
    }

    /// Runs the case and returns the command line followed by what it printed.
    fn run_case(&self, case: &Case) -> Result<String, String> {
        let path = snapbox::cmd::cargo_bin_opt(&case.bin)
            .ok_or_else(|| format!("{}: binary `{}` was not built", case.name, case.bin))?;
        let output = snapbox::cmd::Command::new(path)
            .args(&case.args)
            .timeout(TIMEOUT)
            .output()
            .map_err(|e| format!("{}: cannot start `{}`: {e}", case.name, case.bin))?;
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        let mut text = format!("{}\n", case.command_line(&self.package));
        text.push_str(&stdout);
        match (case.should_fail, output.status.success()) {
            (false, true) if stderr.is_empty() => {}
            (false, true) => {
                return Err(format!(
                    "{}: succeeded but wrote to stderr (listings print results on stdout):\n{stderr}",
                    case.name
                ));
            }
            (false, false) => {
                return Err(format!(
                    "{}: failed with {}\nstdout:\n{stdout}\nstderr:\n{stderr}",
                    case.name, output.status
                ));
            }
            (true, true) => {
                return Err(format!(
                    "{}: was expected to fail, but exited successfully\nstdout:\n{stdout}",
                    case.name
                ));
            }
            (true, false) => {
                if stderr.contains("panicked at") {
                    return Err(format!(
                        "{}: panicked instead of failing with a clear error:\n{stderr}",
                        case.name
                    ));
                }
                text.push_str(&stderr);
                let code = output
                    .status
                    .code()
                    .map_or("a signal".to_owned(), |c| c.to_string());
                let _ = writeln!(text, "(exit status: {code})");
            }
        }
        Ok(text)
    }
}

impl Case {
    fn new(bin: &str, args: &[&str], should_fail: bool) -> Self {
        let name = if args.is_empty() {
            bin.to_owned()
        } else {
            let joined: Vec<String> = args.iter().map(|a| file_safe(a)).collect();
            format!("{bin}--{}", joined.join("-"))
        };
        Case {
            name,
            bin: bin.to_owned(),
            args: args.iter().map(|a| (*a).to_owned()).collect(),
            release: false,
            should_fail,
            masks: Vec::new(),
            unordered: false,
            features: Vec::new(),
            built: true,
        }
    }

    /// The command a reader types to run this case, as the book shows it.
    fn command_line(&self, package: &str) -> String {
        let mut line = String::from("$ cargo run");
        if self.release {
            line.push_str(" --release");
        }
        let _ = write!(line, " -p {package}");
        if !self.features.is_empty() {
            let _ = write!(line, " --features {}", self.features.join(","));
        }
        let _ = write!(line, " --bin {}", self.bin);
        if !self.args.is_empty() {
            line.push_str(" --");
            for arg in &self.args {
                line.push(' ');
                line.push_str(&shell_quote(arg));
            }
        }
        line
    }

    /// Applies the masks and, for unordered cases, sorts the lines after the command line.
    fn normalise(&self, text: &str) -> Result<String, String> {
        let mut text = text.replace("\r\n", "\n");
        for mask in &self.masks {
            let re =
                Regex::new(mask).map_err(|e| format!("{}: bad mask {mask:?}: {e}", self.name))?;
            text = re.replace_all(&text, "[masked]").into_owned();
        }
        if self.unordered {
            let mut lines = text.lines();
            let first = lines.next().unwrap_or_default().to_owned();
            let mut rest: Vec<&str> = lines.collect();
            rest.sort_unstable();
            text = std::iter::once(first.as_str())
                .chain(rest)
                .fold(String::new(), |mut acc, l| {
                    acc.push_str(l);
                    acc.push('\n');
                    acc
                });
        }
        Ok(text)
    }
}

/// The folder of the crate under test: the `CARGO_MANIFEST_DIR` that Cargo sets in the
/// environment of the tests it runs. Read at run time, not compiled in, so a test binary that
/// Cargo reuses from a shared target folder reads the checkout it runs in.
///
/// # Panics
///
/// When the variable is missing: the test binary was started by hand, not by `cargo test`.
pub fn crate_dir() -> PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .expect(
            "CARGO_MANIFEST_DIR is not set: run this test with `cargo test`, which sets it to the \
         crate's folder",
        )
}

/// A folder given relative to the workspace root (such as a chapter's `pictures::DIR`), found
/// from [`crate_dir`]: every crate that uses this sits two folders below the root
/// (`examples/<crate>/` or `scripts/<crate>/`).
pub fn workspace_dir(relative: &str) -> PathBuf {
    crate_dir().join("../..").join(relative)
}

/// Checks that generated files (for example the timelines drawn on the paused clock) match
/// what the code produces now, or rewrites them when `SNAPSHOTS=overwrite` is set. `dir` is
/// the folder the files live in; each item is a file name and its expected contents.
pub fn check_generated<'a>(dir: &Path, files: impl IntoIterator<Item = (&'a str, String)>) {
    let overwrite = std::env::var(ACTION_ENV).is_ok_and(|v| v == "overwrite");
    let mut stale = Vec::new();
    for (file, contents) in files {
        let path = dir.join(file);
        if overwrite {
            fs::create_dir_all(dir)
                .and_then(|()| fs::write(&path, &contents))
                .unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
            continue;
        }
        match fs::read_to_string(&path) {
            Ok(committed) if committed == contents => {}
            Ok(_) => stale.push(format!(
                "{} is stale: the code now makes something else",
                path.display()
            )),
            Err(e) => stale.push(format!("{}: {e}", path.display())),
        }
    }
    assert!(
        stale.is_empty(),
        "{}\nRun scripts/regen to rewrite them.",
        stale.join("\n")
    );
}

/// Keeps letters, digits, `.` and `_` of an argument for use in a file name.
fn file_safe(arg: &str) -> String {
    arg.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// Quotes an argument the way a reader would type it in a POSIX shell.
fn shell_quote(arg: &str) -> String {
    let plain = !arg.is_empty()
        && arg
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=:,".contains(c));
    if plain {
        arg.to_owned()
    } else {
        format!("'{}'", arg.replace('\'', r"'\''"))
    }
}

/// Runs `python/<program>.py` of the crate under test with `python3` and compares what it
/// prints with `python/<program>.txt` beside it (rewritten when `SNAPSHOTS=overwrite` is set).
/// The asyncio boxes back their claims about Python this way. Without `python3`, says so and
/// returns: the Rust checks do not depend on it.
///
/// # Panics
///
/// When the program fails or prints something other than its stored output.
pub fn check_python(program: &str) {
    let dir = crate_dir().join("python");
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
    check_generated(&dir, [(format!("{program}.txt").as_str(), stdout)]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_line_shows_release_and_quoted_args() {
        let mut case = Case::new("02_cpu", &["10", "two words"], false);
        case.release = true;
        assert_eq!(
            case.command_line("ch01"),
            "$ cargo run --release -p ch01 --bin 02_cpu -- 10 'two words'"
        );
        assert_eq!(case.name, "02_cpu--10-two_words");
    }

    #[test]
    fn masks_hide_only_what_varies() {
        let mut case = Case::new("x", &[], false);
        case.masks.push(TIMES.to_owned());
        let a = case.normalise("10 jobs in 503 ms\ndone 1.25s\n").unwrap();
        let b = case.normalise("10 jobs in 51 ms\ndone 0.5s\n").unwrap();
        assert_eq!(
            case.normalise("took  57 ms").unwrap(),
            case.normalise("took 110 ms").unwrap()
        );
        assert_eq!(a, b);
        let c = case.normalise("9 jobs in 51 ms\ndone 0.5s\n").unwrap();
        assert_ne!(a, c, "a changed count must still be caught");
    }

    #[test]
    fn unordered_sorts_all_but_the_command() {
        let mut case = Case::new("x", &[], false);
        case.unordered = true;
        assert_eq!(
            case.normalise("$ cmd\nb\na\n").unwrap(),
            case.normalise("$ cmd\na\nb\n").unwrap()
        );
        assert_ne!(
            case.normalise("$ cmd\na\n").unwrap(),
            case.normalise("$ cmd\nb\n").unwrap()
        );
    }

    #[test]
    fn bad_mask_is_a_clear_error() {
        let mut case = Case::new("x", &[], false);
        case.masks.push("(".to_owned());
        assert!(case.normalise("a").unwrap_err().contains("bad mask"));
    }
}
