//! For the chapters' exercise tests (`tests/exercises.rs`): failures a reader can act on.
//!
//! A reader first runs these tests on a starter that stops at `todo!()`, then on attempts
//! that may be wrong. Each test calls [`quiet`] first. Then a failing test says one thing,
//! once, with no backtrace note: `not done yet: <the hint in the todo!()> (<file>:<line>)`,
//! or what was wrong. proptest's retries of a failing case print nothing more, and its final
//! report keeps only the failure and the smallest input that shows it.
//!
//! [`answer!`](crate::answer) is `assert_eq!` for a reader's answer: it names "your answer",
//! "expected", and the input that gave them, instead of `left` and `right`.
//!
//! Property tests use [`config`], which keeps proptest from writing (and warning about)
//! failure-persistence files in the reader's checkout.
use std::cell::Cell;
use std::panic::PanicHookInfo;
use std::sync::Once;

thread_local! {
    /// Whether this thread has reported a panic since its test called `quiet`.
    static REPORTED: Cell<bool> = const { Cell::new(false) };
}

/// Installs the one-line panic report (once per process) and starts a new test on this
/// thread: its first panic will be reported, later ones (proptest's retries) not.
pub fn quiet() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| std::panic::set_hook(Box::new(report)));
    REPORTED.set(false);
}

/// The proptest settings for exercise tests: `cases` cases, and no failure files.
pub fn config(cases: u32) -> proptest::test_runner::Config {
    proptest::test_runner::Config {
        failure_persistence: None,
        ..proptest::test_runner::Config::with_cases(cases)
    }
}

fn report(info: &PanicHookInfo<'_>) {
    if REPORTED.replace(true) {
        return;
    }
    let payload = info.payload();
    let message = payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("a panic without a message");
    let at = info
        .location()
        .map(|l| format!(" ({}:{})", tidy(l.file()), l.line()))
        .unwrap_or_default();
    eprintln!("{}{at}", one_report(message));
}

/// `a/src/../b.rs` as `a/b.rs` (a listing module's `#[path]` gives such names).
fn tidy(file: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in file.split('/') {
        match part {
            ".." if parts.last().is_some_and(|p| *p != "..") => {
                parts.pop();
            }
            "." => {}
            _ => parts.push(part),
        }
    }
    parts.join("/")
}

/// What to print for a panic with `message`: a `todo!()` becomes "not done yet", and a
/// proptest report loses its counters.
fn one_report(message: &str) -> String {
    if let Some(hint) = message.strip_prefix("not yet implemented") {
        return format!("not done yet{hint}");
    }
    message
        .lines()
        .filter(|line| !is_counter(line))
        .collect::<Vec<_>>()
        .join("\n")
}

/// proptest's closing counters ("successes: 0", "local rejects: 0", ...).
fn is_counter(line: &str) -> bool {
    let line = line.trim();
    ["successes:", "local rejects:", "global rejects:"]
        .iter()
        .any(|counter| line.starts_with(counter))
}

/// `assert_eq!` for an exercise: fails with the reader's answer, the expected value, and
/// the input that gave them.
///
/// ```should_panic
/// listing_check::answer!(2 + 2, 5, "for 2 + 2");
/// ```
#[macro_export]
macro_rules! answer {
    ($yours:expr, $expected:expr, $($input:tt)+) => {{
        let (yours, expected) = (&$yours, &$expected);
        if yours != expected {
            panic!(
                "your answer: {yours:?}\n  expected: {expected:?}\n  {}",
                format!($($input)+)
            );
        }
    }};
}

#[cfg(test)]
mod tests {
    use super::one_report;

    #[test]
    fn paths_lose_their_dot_dots() {
        assert_eq!(
            super::tidy("examples/ch01/src/../exercises/ex1.rs"),
            "examples/ch01/exercises/ex1.rs"
        );
    }

    #[test]
    fn a_todo_says_not_done_yet_with_its_hint() {
        assert_eq!(
            one_report("not yet implemented: split the work"),
            "not done yet: split the work"
        );
    }

    #[test]
    fn a_proptest_report_keeps_the_failure_and_the_input() {
        let report = "Test failed: your answer: 3\n  expected: 4\n  for limit 9.\n\
                      minimal failing input: limit = 9, threads = 2\n\tsuccesses: 0\n\t\
                      local rejects: 0\n\tglobal rejects: 0\n";
        assert_eq!(
            one_report(report),
            "Test failed: your answer: 3\n  expected: 4\n  for limit 9.\n\
             minimal failing input: limit = 9, threads = 2"
        );
    }
}
