// One line of a request log in Common Log Format (CLF), the format Apache and nginx write:
//
//     127.0.0.1 - - [23/Nov/2026:13:55:36 +0000] "GET /items/17?src=feed HTTP/1.1" 503 2326
//
// host, identity, user, [time], "request line", status, bytes sent (`-` when none).
use std::fmt;

// ANCHOR: line
/// The parts of one log line the tool needs, borrowed from the line itself: parsing copies
/// nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogLine<'a> {
    pub host: &'a str,
    pub time: &'a str,
    pub method: &'a str,
    /// What was asked for: the path, then `?query` and `#fragment` if present.
    pub target: &'a str,
    pub protocol: &'a str,
    pub status: u16,
    /// `None` when the log says `-`.
    pub bytes: Option<u64>,
}

/// Why a line is not a log line. The text is short: it goes into a report beside the
/// line number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Malformed {
    Empty,
    NoTime,
    NoRequest,
    BadRequestLine,
    BadStatus,
    BadBytes,
    TrailingText,
    NotUtf8,
}
// ANCHOR_END: line

impl fmt::Display for Malformed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Malformed::Empty => "empty line",
            Malformed::NoTime => "no [time]",
            Malformed::NoRequest => "no quoted request",
            Malformed::BadRequestLine => "request is not METHOD TARGET PROTOCOL",
            Malformed::BadStatus => "status is not a number from 100 to 599",
            Malformed::BadBytes => "size is not a number or -",
            Malformed::TrailingText => "text after the size",
            Malformed::NotUtf8 => "not UTF-8",
        })
    }
}

// ANCHOR: parse
/// Parses one line (without its line ending). Quotes inside the request line are not
/// supported: CLF writers escape them, and such a line is reported as malformed.
pub fn parse(line: &str) -> Result<LogLine<'_>, Malformed> {
    if line.trim().is_empty() {
        return Err(Malformed::Empty);
    }
    // host ident user [time]
    let (head, rest) = line.split_once(" [").ok_or(Malformed::NoTime)?;
    let host = head.split(' ').next().unwrap_or_default();
    let (time, rest) = rest.split_once("] ").ok_or(Malformed::NoTime)?;
    // "METHOD TARGET PROTOCOL"
    let rest = rest.strip_prefix('"').ok_or(Malformed::NoRequest)?;
    let (request, rest) = rest.split_once("\" ").ok_or(Malformed::NoRequest)?;
    let mut words = request.split(' ');
    let (Some(method), Some(target), Some(protocol), None) =
        (words.next(), words.next(), words.next(), words.next())
    else {
        return Err(Malformed::BadRequestLine);
    };
    if method.is_empty() || !target.starts_with('/') || !protocol.starts_with("HTTP/") {
        return Err(Malformed::BadRequestLine);
    }
    // status bytes
    let mut tail = rest.split(' ');
    let status = tail
        .next()
        .filter(|s| s.len() == 3)
        .and_then(|s| s.parse::<u16>().ok())
        .filter(|s| (100..=599).contains(s))
        .ok_or(Malformed::BadStatus)?;
    let bytes = match tail.next() {
        Some("-") => None,
        Some(n) => Some(n.parse::<u64>().map_err(|_| Malformed::BadBytes)?),
        None => return Err(Malformed::BadBytes),
    };
    if tail.next().is_some() {
        return Err(Malformed::TrailingText);
    }
    Ok(LogLine {
        host,
        time,
        method,
        target,
        protocol,
        status,
        bytes,
    })
}
// ANCHOR_END: parse

/// Writes the line back in Common Log Format (identity and user as `-`).
impl fmt::Display for LogLine<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} - - [{}] \"{} {} {}\" {} ",
            self.host, self.time, self.method, self.target, self.protocol, self.status
        )?;
        match self.bytes {
            Some(n) => write!(f, "{n}"),
            None => f.write_str("-"),
        }
    }
}
