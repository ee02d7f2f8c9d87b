// Streams a request log line by line and picks out the requests that failed with a 5xx
// status. Memory stays flat whatever the size of the log: one line is held at a time.
use std::io::{self, BufRead};
use std::ops::ControlFlow;

use ch07_putting_it_together::clf::{self, Malformed};

// ANCHOR: types
/// A request to fire again: where it was in the log, how it was made, and how it failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failed {
    /// 1 for the first line of the log.
    pub line_no: u64,
    pub method: String,
    pub target: String,
    pub status: u16,
}

/// What a scan saw. Malformed lines are counted, and the first [`MALFORMED_KEPT`] are kept
/// with their line numbers: a log full of garbage cannot fill the memory either.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScanReport {
    pub lines: u64,
    pub failed: u64,
    pub malformed: u64,
    pub first_malformed: Vec<(u64, Malformed)>,
    /// `true` when the consumer asked to stop before the end of the log.
    pub stopped_early: bool,
}

/// How many malformed lines a report names one by one.
pub const MALFORMED_KEPT: usize = 20;
// ANCHOR_END: types

// ANCHOR: scan
/// Reads `log` to the end, one line at a time, and calls `each` with every 5xx request.
/// `each` can stop the scan by returning `ControlFlow::Break` (the tool does when nobody is
/// left to take the requests). A malformed line is counted, never fatal; an error reading
/// the input is.
pub fn scan(
    mut log: impl BufRead,
    mut each: impl FnMut(Failed) -> ControlFlow<()>,
) -> io::Result<ScanReport> {
    let mut report = ScanReport::default();
    let mut buffer = Vec::new(); // reused for every line
    loop {
        buffer.clear();
        if log.read_until(b'\n', &mut buffer)? == 0 {
            return Ok(report); // end of the log
        }
        report.lines += 1;
        let line_no = report.lines;
        let parsed = std::str::from_utf8(&buffer)
            .map_err(|_| Malformed::NotUtf8)
            .and_then(|text| clf::parse(text.trim_end_matches(['\n', '\r'])));
        let line = match parsed {
            Ok(line) => line,
            Err(why) => {
                report.malformed += 1;
                if report.first_malformed.len() < MALFORMED_KEPT {
                    report.first_malformed.push((line_no, why));
                }
                continue;
            }
        };
        if !(500..600).contains(&line.status) {
            continue;
        }
        report.failed += 1;
        let failed = Failed {
            line_no,
            method: line.method.to_owned(),
            target: line.target.to_owned(),
            status: line.status,
        };
        if each(failed).is_break() {
            report.stopped_early = true;
            return Ok(report);
        }
    }
}
// ANCHOR_END: scan
