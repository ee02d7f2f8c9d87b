//! Every listing refuses the arguments it does not take, before it does anything else: a
//! reader who types `cargo run -p … --bin 01_lazy -- 20` learns at once that 20 means
//! nothing, instead of watching the program run as if it had been heard.
//!
//! A listing is a `bin` target whose source is under `examples/<crate>/src/bin/` (exercises
//! and their solutions are not listings). Which listings take arguments is asked of each one:
//!
//! * `--help` exits 0 with a `usage: <bin> …` line on stdout (clap's `Usage: <bin> …` too):
//!   the listing takes arguments, or at least answers `--help` (Chapter 2's echo servers).
//!   Then `-h` must answer the same way, and an unknown option, or more arguments than any
//!   listing takes, must exit with status 2 and one line on stderr, and nothing on stdout.
//! * Otherwise it takes no arguments: `--help`, and any other argument, must exit with status
//!   2, print nothing on stdout, and exactly `usage: <bin> (it takes no arguments)` on stderr.
//!
//! The binaries are the ones `cargo test --workspace --no-run` builds (what the test command
//! builds anyway, so that run costs nothing more), found from its JSON messages. The nightly
//! crate outside the workspace checks its one listing the same way in its own tests.

use std::collections::BTreeMap;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use cargo_metadata::{Message, MetadataCommand};

/// A listing that ignores its arguments runs as usual: long enough for any of them to finish.
const TIMEOUT: Duration = Duration::from_secs(60);
/// Listings run at once (each is a whole program when it ignores its arguments).
const PARALLEL: usize = 4;
/// An option no listing has.
const UNKNOWN_OPTION: &str = "--no-such-option";
/// More arguments than any listing takes.
const TOO_MANY: [&str; 9] = ["1"; 9];

fn root() -> PathBuf {
    // Read at run time (Cargo sets it for every test it runs), so a binary reused from a
    // shared target folder reads the checkout it runs in.
    let dir = std::env::var_os("CARGO_MANIFEST_DIR").expect("run by cargo test");
    Path::new(&dir).join("../..")
}

/// A listing: its package, its binary's name, and the built executable.
struct Listing {
    package: String,
    bin: String,
    exe: PathBuf,
}

impl Listing {
    /// How the failure messages name it: the command a reader types.
    fn shown(&self) -> String {
        format!("-p {} --bin {}", self.package, self.bin)
    }
}

/// Builds what `cargo test --workspace` builds and returns every listing's executable, or
/// the problems (a listing that was not built).
fn build_listings(root: &Path) -> (Vec<Listing>, Vec<String>) {
    let metadata = MetadataCommand::new()
        .manifest_path(root.join("Cargo.toml"))
        .no_deps()
        .exec()
        .expect("cargo metadata describes the workspace");
    let examples = metadata.workspace_root.join("examples");
    // (package id, bin name) -> package name, for the bins under examples/<crate>/src/bin/.
    let mut wanted = BTreeMap::new();
    for package in metadata.workspace_packages() {
        let Some(dir) = package.manifest_path.parent() else {
            continue;
        };
        if !dir.starts_with(&examples) {
            continue;
        }
        for target in package.targets.iter().filter(|t| t.is_bin()) {
            if target.src_path.starts_with(dir.join("src/bin")) {
                wanted.insert(
                    (package.id.clone(), target.name.clone()),
                    package.name.to_string(),
                );
            }
        }
    }
    assert!(
        !wanted.is_empty(),
        "no bin target under examples/*/src/bin/"
    );

    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(&cargo)
        .args([
            "test",
            "--workspace",
            "--no-run",
            "--locked",
            "--message-format=json-render-diagnostics",
        ])
        .current_dir(root)
        .stdin(Stdio::null())
        .output()
        .expect("cargo starts");
    assert!(
        output.status.success(),
        "`cargo test --workspace --no-run` failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut built = BTreeMap::new();
    for message in Message::parse_stream(output.stdout.as_slice()) {
        if let Ok(Message::CompilerArtifact(artifact)) = message
            && artifact.target.is_bin()
            && !artifact.profile.test
            && let Some(exe) = artifact.executable
        {
            built.insert((artifact.package_id, artifact.target.name), exe);
        }
    }
    let mut listings = Vec::new();
    let mut problems = Vec::new();
    for ((id, bin), package) in wanted {
        match built.remove(&(id, bin.clone())) {
            Some(exe) => listings.push(Listing {
                package,
                bin,
                exe: exe.into_std_path_buf(),
            }),
            None => problems.push(format!(
                "-p {package} --bin {bin}: `cargo test --workspace --no-run` did not build it"
            )),
        }
    }
    (listings, problems)
}

/// What one run of a listing did.
#[derive(Clone)]
struct Run {
    /// The exit code; `None` for a signal or a timeout.
    code: Option<i32>,
    stdout: String,
    stderr: String,
    timed_out: bool,
}

impl Run {
    fn describe(&self) -> String {
        let status = match (self.timed_out, self.code) {
            (true, _) => format!("was still running after {} s (killed)", TIMEOUT.as_secs()),
            (false, Some(code)) => format!("exited with status {code}"),
            (false, None) => "was ended by a signal".to_owned(),
        };
        format!(
            "{status}\n      stdout: {:?}\n      stderr: {:?}",
            clip(&self.stdout),
            clip(&self.stderr)
        )
    }
}

/// The start of a long output, for a failure message.
fn clip(text: &str) -> String {
    match text.char_indices().nth(300) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_owned(),
    }
}

/// Runs `exe` with `args` in `dir`, with nothing on stdin, killing it after [`TIMEOUT`].
fn run(exe: &Path, args: &[&str], dir: &Path) -> Run {
    let mut child = Command::new(exe)
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", exe.display()));
    // Read both pipes on threads of their own, so a chatty listing cannot block on a full one.
    let mut out = child.stdout.take().expect("stdout is piped");
    let mut err = child.stderr.take().expect("stderr is piped");
    let read_out = std::thread::spawn(move || {
        let mut text = Vec::new();
        let _ = out.read_to_end(&mut text);
        text
    });
    let read_err = std::thread::spawn(move || {
        let mut text = Vec::new();
        let _ = err.read_to_end(&mut text);
        text
    });
    let start = Instant::now();
    let mut timed_out = false;
    let status = loop {
        if let Some(status) = child.try_wait().expect("the listing can be waited for") {
            break status;
        }
        if start.elapsed() > TIMEOUT {
            timed_out = true;
            let _ = child.kill();
            break child.wait().expect("a killed listing can be waited for");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    // A listing's own child process (a server it started) may hold the pipes open: read what
    // came, without waiting for it when the listing was killed.
    let text = |reader: std::thread::JoinHandle<Vec<u8>>| {
        if timed_out && !reader.is_finished() {
            return String::new();
        }
        String::from_utf8_lossy(&reader.join().expect("a pipe reader does not panic")).into_owned()
    };
    Run {
        code: status.code(),
        stdout: text(read_out),
        stderr: text(read_err),
        timed_out,
    }
}

/// Whether `stdout` has a usage line for `bin` (`usage: bin …`, or clap's `Usage: bin …`).
fn has_usage_line(stdout: &str, bin: &str) -> bool {
    stdout.lines().any(|line| {
        let line = line.trim_start().to_lowercase();
        line == format!("usage: {}", bin.to_lowercase())
            || line.starts_with(&format!("usage: {} ", bin.to_lowercase()))
    })
}

/// A refusal: status 2, nothing on stdout, and one line on stderr (checked against `line`
/// when given). Returns what is wrong with `got`, if anything.
fn refusal_problem(got: &Run, line: Option<&str>) -> Option<String> {
    let lines: Vec<&str> = got.stderr.lines().collect();
    let ok = !got.timed_out
        && got.code == Some(2)
        && got.stdout.is_empty()
        && lines.len() == 1
        && got.stderr.ends_with('\n')
        && line.is_none_or(|line| lines[0] == line);
    (!ok).then(|| got.describe())
}

/// What is wrong with how `listing` treats its arguments, if anything.
fn check(listing: &Listing, dir: &Path) -> Vec<String> {
    let shown = listing.shown();
    let bin = &listing.bin;
    let mut problems = Vec::new();
    let help = run(&listing.exe, &["--help"], dir);
    if help.code == Some(0) && !help.timed_out && has_usage_line(&help.stdout, bin) {
        // It takes arguments (or answers --help): -h too, and it refuses junk in one line.
        if !help.stderr.is_empty() {
            problems.push(format!(
                "{shown}: `--help` wrote to stderr; the usage belongs on stdout\n    {}",
                help.describe()
            ));
        }
        let short = run(&listing.exe, &["-h"], dir);
        if short.code != Some(0) || !has_usage_line(&short.stdout, bin) {
            problems.push(format!(
                "{shown}: answers `--help` but not `-h` with exit status 0 and a \
                 `usage: {bin} …` line on stdout\n    {}",
                short.describe()
            ));
        }
        for args in [&[UNKNOWN_OPTION][..], &TOO_MANY[..]] {
            let got = run(&listing.exe, args, dir);
            if let Some(what) = refusal_problem(&got, None) {
                problems.push(format!(
                    "{shown}: `{}` must be refused with exit status 2, one line on stderr \
                     and nothing on stdout; it\n    {what}",
                    args.join(" ")
                ));
            }
        }
    } else {
        // It takes no arguments: --help, like anything else, gets the one-line refusal.
        let expected = format!("usage: {bin} (it takes no arguments)");
        for args in [&["--help"][..], &["junk"][..]] {
            let got = if args == ["--help"] {
                help.clone()
            } else {
                run(&listing.exe, args, dir)
            };
            if let Some(what) = refusal_problem(&got, Some(&expected)) {
                problems.push(format!(
                    "{shown}: takes no arguments (`--help` does not print a `usage: {bin} …` \
                     line and exit 0), so `{}` must exit with status 2, print nothing on \
                     stdout, and print exactly `{expected}` on stderr; it\n    {what}",
                    args.join(" ")
                ));
                break; // one report per listing is enough
            }
        }
    }
    problems
}

#[test]
fn every_listing_refuses_arguments_it_does_not_take() {
    let root = root();
    let (listings, mut problems) = build_listings(&root);
    // A folder of its own, so that a listing that ignores its arguments and writes files
    // leaves nothing in the checkout.
    let dir = tempfile::tempdir().expect("a temporary folder");
    let next = Mutex::new(listings.iter());
    let found = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..PARALLEL {
            scope.spawn(|| {
                loop {
                    let Some(listing) = next.lock().expect("no checker panics").next() else {
                        break;
                    };
                    let wrong = check(listing, dir.path());
                    found.lock().expect("no checker panics").extend(wrong);
                }
            });
        }
    });
    let mut found = found.into_inner().expect("no checker panicked");
    found.sort();
    problems.extend(found);
    assert!(
        problems.is_empty(),
        "{} problem(s) in how listings treat their arguments (checked {} listings):\n  {}",
        problems.len(),
        listings.len(),
        problems.join("\n  ")
    );
}

#[test]
fn recognises_usage_lines() {
    assert!(has_usage_line(
        "usage: 01_sequential [JOBS] [DELAY_MS]\n",
        "01_sequential"
    ));
    assert!(has_usage_line(
        "About it\n\nUsage: serve [OPTIONS]\n",
        "serve"
    ));
    assert!(has_usage_line(
        "usage: 09_echo_readiness\n\nStarts…\n",
        "09_echo_readiness"
    ));
    assert!(!has_usage_line("usage: 01_sequential_x\n", "01_sequential"));
    assert!(!has_usage_line("10 requests in 500 ms\n", "01_sequential"));
}
