// Streams a request log line by line and picks out the requests to fire again.
// Memory stays flat whatever the size of the log: one line is held at a time, and a
// line longer than `MAX_LINE` is counted as malformed without being held whole.
use std::io::{self, BufRead};
use std::ops::ControlFlow;
use std::sync::Arc;

use ch07_putting_it_together::formats::{self, Format, LogLine, Malformed};
use ch07_putting_it_together::select::Selection;

// ANCHOR: types
/// A request to fire again: where it was in the log, how it was made, and how it
/// failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failed {
    /// The log it came from, as named on the command line (`-` for standard input).
    pub log: Arc<str>,
    /// 1 for the first line of that log.
    pub line_no: u64,
    pub method: String,
    /// The target as sent on the wire (see `LogLine::target`).
    pub target: String,
    pub status: u16,
    /// The time as the log wrote it.
    pub time: String,
    /// `host:port` (vhost_combined only).
    pub vhost: Option<String>,
}

/// What a scan saw. Malformed lines are counted, and the first [`MALFORMED_KEPT`]
/// are kept with their line numbers (and their text, cut short), so a log full of
/// garbage cannot fill the memory.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScanReport {
    pub lines: u64,
    pub malformed: u64,
    pub first_malformed: Vec<(u64, Malformed)>,
    pub malformed_samples: Vec<String>,
    /// Lines the selection chose.
    pub chosen: u64,
    /// `true` when the consumer asked to stop before the end of the log.
    pub stopped_early: bool,
}

/// How many malformed lines a report names one by one.
pub const MALFORMED_KEPT: usize = 5;
/// The longest line read whole; a longer one is malformed.
pub const MAX_LINE: usize = 64 * 1024;
// ANCHOR_END: types

// ANCHOR: scan
/// Reads `log` (in `format`) to the end, one line at a time, and calls `each` with
/// every line that `selection` chooses. `each` can stop the scan by returning
/// `Break`. A malformed line is counted, never fatal; an error reading the input
/// is.
pub fn scan(
    log_name: &Arc<str>,
    mut log: impl BufRead,
    format: Format,
    selection: &Selection,
    mut each: impl FnMut(Failed) -> ControlFlow<()>,
) -> io::Result<ScanReport> {
    let mut report = ScanReport::default();
    let mut buffer = Vec::new(); // reused for every line
    while let Some(whole) = read_line(&mut log, &mut buffer)? {
        report.lines += 1;
        let parsed = match std::str::from_utf8(&buffer) {
            _ if !whole => Err(Malformed::TooLong),
            Ok(text) => formats::parse(text.trim_end_matches(['\n', '\r']), format),
            Err(_) => Err(Malformed::NotUtf8),
        };
        let line = match parsed {
            Ok(line) => line,
            Err(why) => {
                report.note_malformed(&buffer, why);
                continue;
            }
        };
        if !selection.chooses(&line) {
            continue;
        }
        report.chosen += 1;
        if each(Failed::new(log_name, report.lines, &line)).is_break() {
            report.stopped_early = true;
            break;
        }
    }
    Ok(report)
}
// ANCHOR_END: scan

impl Failed {
    /// The request on line `line_no` of the log `log`, owned: it outlives the line.
    pub fn new(log: &Arc<str>, line_no: u64, line: &LogLine<'_>) -> Failed {
        Failed {
            log: Arc::clone(log),
            line_no,
            method: line.method.to_owned(),
            target: line.target().into_owned(),
            status: line.status,
            time: line.time.to_owned(),
            vhost: line.vhost.map(str::to_owned),
        }
    }
}

impl ScanReport {
    fn note_malformed(&mut self, line: &[u8], why: Malformed) {
        self.malformed += 1;
        if self.first_malformed.len() < MALFORMED_KEPT {
            self.first_malformed.push((self.lines, why));
            let text = String::from_utf8_lossy(&line[..line.len().min(300)]);
            self.malformed_samples
                .push(text.trim_end_matches(['\n', '\r']).to_owned());
        }
    }

    /// Adds the counts of another log's report (line numbers stay per log).
    pub fn add(&mut self, other: &ScanReport) {
        self.lines += other.lines;
        self.malformed += other.malformed;
        self.chosen += other.chosen;
        self.stopped_early |= other.stopped_early;
    }
}

/// Reads one line into `buffer`, at most [`MAX_LINE`] bytes of it: `Some(true)` for
/// a whole line, `Some(false)` for one cut short (the rest is skipped), `None` at
/// the end.
pub fn read_line(
    log: &mut impl BufRead,
    buffer: &mut Vec<u8>,
) -> io::Result<Option<bool>> {
    buffer.clear();
    let mut whole = true;
    let mut any = false;
    loop {
        let available = match log.fill_buf() {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if available.is_empty() {
            return Ok(any.then_some(whole));
        }
        any = true;
        let (take, done) = match available.iter().position(|&b| b == b'\n') {
            Some(at) => (at + 1, true),
            None => (available.len(), false),
        };
        let room = MAX_LINE.saturating_sub(buffer.len());
        buffer.extend_from_slice(&available[..take.min(room)]);
        whole &= take <= room;
        log.consume(take);
        if done {
            return Ok(Some(whole));
        }
    }
}
