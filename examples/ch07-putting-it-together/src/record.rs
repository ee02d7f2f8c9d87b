// One line of the retry log, as text or as JSON, and reading a retry log back (for
// `--resume`): which lines of which logs already have their final record.
use std::borrow::Cow;
use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::io::{self, BufRead};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

// ANCHOR: record
/// How a request ended, or why it was not sent.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Outcome {
    /// The server's last answer: a success (2xx, 3xx), or the status it still gave
    /// when the tool stopped trying.
    Status(u16),
    /// The last attempt got no complete answer in time.
    Timeout,
    /// The last attempt could not connect (refused, no route, …).
    Connect,
    /// The last attempt lost its connection (reset, closed early, …).
    Network,
    /// Not sent: the method is not one to send again.
    SkippedMethod,
    /// Not sent: an earlier line of the logs asked for the same thing.
    Duplicate,
    /// The run stopped before this request was done. Not final: `--resume` sends it
    /// again.
    Interrupted,
}

/// One line of the retry log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// Where the request came from: the log's name and the line in it.
    pub log: Arc<str>,
    pub line_no: u64,
    pub method: String,
    /// The target sent, with `retry=true`.
    pub url: String,
    /// The status the log gave it.
    pub was: u16,
    /// The time the log gave it (kept in JSON records only).
    pub time: String,
    pub outcome: Outcome,
    /// Attempts started (an interrupted one included): the server saw at most this
    /// many.
    pub attempts: u32,
}
// ANCHOR_END: record

impl Outcome {
    /// A 2xx or 3xx answer.
    pub fn succeeded(&self) -> bool {
        matches!(self, Outcome::Status(code) if (200..400).contains(code))
    }

    /// Every outcome is final except `Interrupted`.
    pub fn is_final(&self) -> bool {
        *self != Outcome::Interrupted
    }

    /// The request was sent, and still failed.
    pub fn still_fails(&self) -> bool {
        match self {
            Outcome::Status(_) => !self.succeeded(),
            Outcome::Timeout | Outcome::Connect | Outcome::Network => true,
            Outcome::SkippedMethod | Outcome::Duplicate | Outcome::Interrupted => {
                false
            }
        }
    }

    /// The name JSON records use.
    fn name(&self) -> &'static str {
        match self {
            Outcome::Status(_) => "status",
            Outcome::Timeout => "timeout",
            Outcome::Connect => "connect",
            Outcome::Network => "network",
            Outcome::SkippedMethod => "skipped-method",
            Outcome::Duplicate => "duplicate",
            Outcome::Interrupted => "interrupted",
        }
    }

    fn from_name(name: &str, status: Option<u16>) -> Option<Outcome> {
        Some(match name {
            "status" => Outcome::Status(status?),
            "timeout" => Outcome::Timeout,
            "connect" => Outcome::Connect,
            "network" => Outcome::Network,
            "skipped-method" => Outcome::SkippedMethod,
            "duplicate" => Outcome::Duplicate,
            "interrupted" => Outcome::Interrupted,
            _ => return None,
        })
    }
}

/// As the text record writes it: `status=200`, `error=timeout`, `skipped=method`, …
impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Outcome::Status(code) => write!(f, "status={code}"),
            Outcome::SkippedMethod => f.write_str("skipped=method"),
            Outcome::Duplicate => f.write_str("skipped=duplicate"),
            other => write!(f, "error={}", other.name()),
        }
    }
}

/// The text record, one line: `line=42 was=503 status=200 attempts=1 method=GET
/// url=/items/7?retry=true log=access.log`. A request target never holds a space,
/// and the log's name goes last, so a name with spaces still reads back.
impl fmt::Display for Record {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line={} was={} {} attempts={} method={} url={} log={}",
            self.line_no,
            self.was,
            self.outcome,
            self.attempts,
            self.method,
            self.url,
            self.log
        )
    }
}

/// A record as a JSON object.
#[derive(Debug, Serialize, Deserialize)]
struct JsonRecord<'a> {
    // `Cow`, borrowed where it can be: a string with an escape in it (a `\` in a
    // Windows path, a `"`) cannot be borrowed from the JSON text and is read into a
    // `String`.
    #[serde(borrow)]
    log: Cow<'a, str>,
    line: u64,
    #[serde(borrow)]
    time: Cow<'a, str>,
    #[serde(borrow)]
    method: Cow<'a, str>,
    #[serde(borrow)]
    url: Cow<'a, str>,
    was: u16,
    #[serde(borrow)]
    outcome: Cow<'a, str>,
    /// The last status, when there was an answer.
    status: Option<u16>,
    attempts: u32,
}

impl Record {
    /// The record as one line of JSON (without the newline).
    pub fn to_json(&self) -> String {
        let status = match self.outcome {
            Outcome::Status(code) => Some(code),
            _ => None,
        };
        let json = JsonRecord {
            log: Cow::Borrowed(&self.log),
            line: self.line_no,
            time: Cow::Borrowed(&self.time),
            method: Cow::Borrowed(&self.method),
            url: Cow::Borrowed(&self.url),
            was: self.was,
            outcome: Cow::Borrowed(self.outcome.name()),
            status,
            attempts: self.attempts,
        };
        serde_json::to_string(&json).unwrap_or_default()
    }

    /// Reads back one line of a retry log, text or JSON (without its newline);
    /// `None` if it is neither.
    pub fn parse(line: &str) -> Option<Record> {
        if line.starts_with('{') {
            return Record::parse_json(line);
        }
        let (fields, log) = line.split_once(" log=")?;
        let mut fields = fields.split(' ');
        let mut field =
            |name: &str| fields.next()?.strip_prefix(name)?.strip_prefix('=');
        let line_no = field("line")?.parse().ok()?;
        let was = field("was")?.parse().ok()?;
        let outcome = match fields.next()?.split_once('=')? {
            ("status", code) => Outcome::Status(code.parse().ok()?),
            ("skipped", "method") => Outcome::SkippedMethod,
            ("skipped", "duplicate") => Outcome::Duplicate,
            ("error", name) => Outcome::from_name(name, None)?,
            _ => return None,
        };
        let mut field =
            |name: &str| fields.next()?.strip_prefix(name)?.strip_prefix('=');
        let attempts = field("attempts")?.parse().ok()?;
        let method = field("method")?.to_owned();
        let url = field("url")?.to_owned();
        if fields.next().is_some()
            || method.is_empty()
            || url.is_empty()
            || log.is_empty()
        {
            return None;
        }
        Some(Record {
            log: log.into(),
            line_no,
            method,
            url,
            was,
            time: String::new(),
            outcome,
            attempts,
        })
    }

    fn parse_json(line: &str) -> Option<Record> {
        let json: JsonRecord<'_> = serde_json::from_str(line).ok()?;
        Some(Record {
            log: json.log.as_ref().into(),
            line_no: json.line,
            method: json.method.into_owned(),
            url: json.url.into_owned(),
            was: json.was,
            time: json.time.into_owned(),
            outcome: Outcome::from_name(&json.outcome, json.status)?,
            attempts: json.attempts,
        })
    }
}

// ANCHOR: done
/// What a retry log already holds, for `--resume`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Recorded {
    /// The lines with a final record, by log name.
    pub done: BTreeMap<Arc<str>, HashSet<u64>>,
    pub records: u64,
    pub interrupted: u64,
    /// Lines that are not records (a line cut short when the machine went down,
    /// say).
    pub unreadable: u64,
    /// The file does not end with a newline: the next record must start on a line
    /// of its own.
    pub ends_mid_line: bool,
}

// ANCHOR_END: done

// ANCHOR: read
impl Recorded {
    /// Reads a retry log to the end.
    pub fn read(mut log: impl BufRead) -> io::Result<Recorded> {
        let mut recorded = Recorded::default();
        let mut line = Vec::new();
        while log.read_until(b'\n', &mut line)? > 0 {
            recorded.ends_mid_line = line.last() != Some(&b'\n');
            let text = String::from_utf8_lossy(&line);
            match Record::parse(text.trim_end_matches(['\n', '\r'])) {
                Some(record) if record.outcome.is_final() => {
                    recorded.records += 1;
                    recorded
                        .done
                        .entry(record.log)
                        .or_default()
                        .insert(record.line_no);
                }
                Some(_) => {
                    recorded.records += 1;
                    recorded.interrupted += 1;
                }
                None => recorded.unreadable += 1,
            }
            line.clear();
        }
        Ok(recorded)
    }

    /// Does this line of this log already have its final record?
    pub fn has(&self, log: &str, line_no: u64) -> bool {
        self.done.get(log).is_some_and(|lines| lines.contains(&line_no))
    }
}
// ANCHOR_END: done
