//! The lost update of `15_shared_state`: every final value two threads can leave in
//! the counter, beside how often each came up in real runs.
//!
//! Two files hold it. `scripts/bench` runs `two_threads` on real threads and writes the
//! counts to [`MEASURED`] ([`measured_text`]); wall-clock luck decides them, so no test
//! asserts exact counts. The chapter's loom test (`tests/outcomes.rs`) runs
//! `two_threads` under every schedule loom explores, checks that every value a real run
//! left is one loom found and that the page's words fit the committed counts, and
//! renders both into [`PANEL`], the table the page includes ([`panel`]).
//!
//! This module names no type of the listing's: when `cargo test` builds this
//! library's own unit tests, the listing gets loom's atomics (see its hidden lines),
//! and this module must compile both ways.
use std::collections::BTreeMap;

/// The table the page includes, relative to the workspace root.
pub const PANEL: &str = "book/ch03-futures-and-tasks/outcomes/lost-update.md";
/// The counts from real runs that `scripts/bench` writes, relative to the workspace root.
pub const MEASURED: &str = "book/ch03-futures-and-tasks/measured/lost-update.txt";

/// The ways each thread adds one, by the names the listing gives them, in the order
/// the page shows them.
pub const WAYS: [&str; 3] = ["read_then_write", "read_yield_write", "fetch_add"];

/// How many runs ended with each final value.
pub type Counts = BTreeMap<u64, u64>;

/// Real runs, as [`MEASURED`] stores them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Measured {
    /// The cores of the machine they ran on.
    pub cores: usize,
    /// How many runs of each way.
    pub runs: u64,
    /// For each way, in [`WAYS`] order: how many runs ended with each value.
    pub counts: Vec<(String, Counts)>,
}

/// The text of [`MEASURED`]: a comment, then `cores N`, `runs N`, and one line per
/// way, `name value:runs value:runs …`.
pub fn measured_text(measured: &Measured) -> String {
    let mut text = String::from(
        "# Written by scripts/bench: real runs of 15_shared_state's two_threads, release \
         build.\n",
    );
    text += &format!("cores {}\nruns {}\n", measured.cores, measured.runs);
    for (name, counts) in &measured.counts {
        text += name;
        for (value, runs) in counts {
            text += &format!(" {value}:{runs}");
        }
        text += "\n";
    }
    text
}

/// Reads the text [`measured_text`] writes.
///
/// # Errors
///
/// On a line it cannot read, or a way with no line.
pub fn parse_measured(text: &str) -> Result<Measured, String> {
    let mut cores = None;
    let mut runs = None;
    let mut counts = Vec::new();
    for line in text.lines().filter(|l| !l.starts_with('#') && !l.is_empty()) {
        let bad = || format!("cannot read the line `{line}`");
        let (first, rest) = line.split_once(' ').unwrap_or((line, ""));
        match first {
            "cores" => cores = Some(rest.parse().map_err(|_| bad())?),
            "runs" => runs = Some(rest.parse().map_err(|_| bad())?),
            name => {
                let mut way = Counts::new();
                for pair in rest.split_whitespace() {
                    let (value, runs) = pair.split_once(':').ok_or_else(bad)?;
                    way.insert(
                        value.parse().map_err(|_| bad())?,
                        runs.parse().map_err(|_| bad())?,
                    );
                }
                counts.push((name.to_owned(), way));
            }
        }
    }
    let names: Vec<&str> = counts.iter().map(|(name, _)| name.as_str()).collect();
    if names != WAYS {
        return Err(format!("the ways are {names:?}, not {WAYS:?}"));
    }
    Ok(Measured {
        cores: cores.ok_or("no `cores` line")?,
        runs: runs.ok_or("no `runs` line")?,
        counts,
    })
}

/// What loom found for one way: every final value some schedule ended with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explored {
    /// The way, one of [`WAYS`].
    pub name: &'static str,
    /// The final values loom found possible.
    pub possible: std::collections::BTreeSet<u64>,
}

/// The Markdown table the page shows: for each way and each final value, whether loom
/// found it possible and how many real runs ended so. (Loom's own counts are not
/// shown: it explores some orders of the steps many times over, so they are neither
/// orders nor odds.)
pub fn panel(explored: &[Explored], measured: &Measured) -> String {
    let runs = thousands(measured.runs);
    let mut text = format!(
        "| each thread adds one with | final value | possible, says loom | \
         real runs that ended so (of {runs}) |\n| --- | ---: | --- | ---: |\n"
    );
    for found in explored {
        let real = measured
            .counts
            .iter()
            .find(|(name, _)| name == found.name)
            .map(|(_, counts)| counts.clone())
            .unwrap_or_default();
        let mut values: Vec<u64> =
            found.possible.iter().chain(real.keys()).copied().collect();
        values.sort_unstable();
        values.dedup();
        for (row, value) in values.iter().enumerate() {
            let name =
                if row == 0 { format!("`{}`", found.name) } else { String::new() };
            let possible =
                if found.possible.contains(value) { "yes" } else { "no" };
            let ran = real.get(value).copied().unwrap_or(0);
            text += &format!(
                "| {name} | {value} | {possible} | {} |\n",
                thousands(ran)
            );
        }
    }
    let cores = match measured.cores {
        1 => "1 core".to_owned(),
        n => format!("{n} cores"),
    };
    text += &format!("\nReal runs: a release build, on a machine with {cores}.\n");
    text
}

/// `10000` as `10,000`.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_groups_digits_by_three() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }

    #[test]
    fn measured_text_reads_back() {
        let measured = Measured {
            cores: 2,
            runs: 10,
            counts: WAYS
                .iter()
                .map(|&name| (name.to_owned(), Counts::from([(1, 3), (2, 7)])))
                .collect(),
        };
        assert_eq!(parse_measured(&measured_text(&measured)), Ok(measured));
    }
}
