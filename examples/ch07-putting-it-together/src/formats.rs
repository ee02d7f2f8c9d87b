// One line of a request log, in the three formats web servers write most often:
//
//   common          127.0.0.1 - - [23/Nov/2026:13:55:36 +0000] "GET /items/17 HTTP/1.1" 503 2326
//   combined        common, then "referer" "user agent"   (nginx's default; Debian's and
//                   Ubuntu's Apache packages log it too)
//   vhost_combined  "host:port " in front of combined     (Debian's and Ubuntu's Apache, for
//                   the virtual hosts without a log of their own)
//
// Only std: the book runs this file in the browser (its `main` is at the end).
#![allow(dead_code)] // in the browser, nothing outside `main` uses the public items
use std::borrow::Cow;
use std::fmt;

// ANCHOR: format
/// The log formats the tool reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Common,
    Combined,
    VhostCombined,
}

impl Format {
    /// Every format, the most specific first (the order detection breaks ties in).
    pub const ALL: [Format; 3] =
        [Format::VhostCombined, Format::Combined, Format::Common];

    /// The name Apache's configuration uses for it (and `--format` accepts).
    pub fn name(self) -> &'static str {
        match self {
            Format::Common => "common",
            Format::Combined => "combined",
            Format::VhostCombined => "vhost_combined",
        }
    }
}
// ANCHOR_END: format

// ANCHOR: line
/// The parts of one log line, borrowed from the line itself: parsing copies
/// nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogLine<'a> {
    /// `host:port` of the virtual host (vhost_combined only).
    pub vhost: Option<&'a str>,
    /// The client's address: IPv4, IPv6 or a host name.
    pub client: &'a str,
    pub ident: &'a str,
    pub user: &'a str,
    /// As written between the brackets, and as a point in time.
    pub time: &'a str,
    pub stamp: Stamp,
    pub method: &'a str,
    /// As written: an escaped byte is still `\"` or `\x22` here (see
    /// [`LogLine::target`]).
    pub raw_target: &'a str,
    pub protocol: &'a str,
    pub status: u16,
    /// `None` when the log says `-` (no body was sent).
    pub bytes: Option<u64>,
    /// Both `None` in common format; as written, escapes and all.
    pub referer: Option<&'a str>,
    pub user_agent: Option<&'a str>,
}
// ANCHOR_END: line

// ANCHOR: malformed
/// Why a line is not a log line in the format asked for. The text is short: it goes
/// into a report beside the line number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Malformed {
    Empty,
    NotUtf8,
    TooLong,
    NoVhost,
    NoClient,
    NoTime,
    BadTime,
    NoRequest,
    BadRequestLine,
    BadStatus,
    BadBytes,
    NoReferer,
    NoUserAgent,
    TrailingText,
}
// ANCHOR_END: malformed

impl fmt::Display for Malformed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Malformed::Empty => "empty line",
            Malformed::NotUtf8 => "not UTF-8",
            Malformed::TooLong => "longer than 64 KiB",
            Malformed::NoVhost => "no host:port first",
            Malformed::NoClient => "no client, identity and user",
            Malformed::NoTime => "no [time] after client, identity and user",
            Malformed::BadTime => "time is not like 23/Nov/2026:13:55:36 +0000",
            Malformed::NoRequest => "no quoted request",
            Malformed::BadRequestLine => {
                "request is not METHOD /TARGET HTTP/VERSION"
            }
            Malformed::BadStatus => "status is not a number from 100 to 599",
            Malformed::BadBytes => "size is not a number or -",
            Malformed::NoReferer => "no quoted referer after the size",
            Malformed::NoUserAgent => "no quoted user agent after the referer",
            Malformed::TrailingText => "text after the last field",
        })
    }
}

/// A time as a log writes it: the clock on the server's wall, and how far that
/// clock is ahead of UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Stamp {
    /// Seconds from 1970-01-01 00:00:00 to the time shown, both read on the
    /// server's clock.
    pub local: i64,
    /// The server clock's offset from UTC, in seconds (`+0100` is 3600).
    pub offset: i32,
}

impl Stamp {
    /// Seconds since the Unix epoch: the same instant whatever the server's time
    /// zone.
    pub fn utc(self) -> i64 {
        self.local - i64::from(self.offset)
    }
}

// ANCHOR: fields
/// Reads a line field by field, from the left; one space goes before every field
/// but the first.
struct Fields<'a> {
    rest: &'a str,
    first: bool,
}

impl<'a> Fields<'a> {
    /// The space before a field.
    fn space(&mut self) -> Option<()> {
        if !std::mem::take(&mut self.first) {
            self.rest = self.rest.strip_prefix(' ')?;
        }
        Some(())
    }

    /// Text up to the next space (or the end), not empty.
    fn word(&mut self) -> Option<&'a str> {
        self.space()?;
        let end = self.rest.find(' ').unwrap_or(self.rest.len());
        let (word, rest) = self.rest.split_at(end);
        self.rest = rest;
        (!word.is_empty()).then_some(word)
    }
    // ANCHOR_END: fields

    /// `[text]`, returning the text.
    fn bracketed(&mut self) -> Option<&'a str> {
        self.space()?;
        let (inside, rest) = self.rest.strip_prefix('[')?.split_once(']')?;
        self.rest = rest;
        Some(inside)
    }

    // ANCHOR: quoted
    /// `"text"`, returning the text as written. A backslash escapes the byte after
    /// it, so Apache's `\"` does not end the field (nginx writes a quote as
    /// `\x22`).
    fn quoted(&mut self) -> Option<&'a str> {
        self.space()?;
        let inside = self.rest.strip_prefix('"')?;
        let mut escaped = false;
        for (i, byte) in inside.bytes().enumerate() {
            match byte {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => {
                    self.rest = &inside[i + 1..];
                    return Some(&inside[..i]);
                }
                _ => {}
            }
        }
        None // no closing quote
    }
    // ANCHOR_END: quoted
}

// ANCHOR: parse
/// Parses one line (without its line ending) in `format`.
pub fn parse(line: &str, format: Format) -> Result<LogLine<'_>, Malformed> {
    use Malformed::*;
    if line.trim().is_empty() {
        return Err(Empty);
    }
    let mut f = Fields { rest: line, first: true };
    let vhost = match format {
        Format::VhostCombined => Some(f.word().ok_or(NoVhost)?),
        _ => None,
    };
    let client = f.word().ok_or(NoClient)?;
    let ident = f.word().ok_or(NoClient)?;
    let user = f.word().ok_or(NoClient)?;
    let time = f.bracketed().ok_or(NoTime)?;
    let stamp = parse_time(time).ok_or(BadTime)?;
    let request = f.quoted().ok_or(NoRequest)?;
    let (method, raw_target, protocol) =
        request_line(request).ok_or(BadRequestLine)?;
    let status = f.word().and_then(status).ok_or(BadStatus)?;
    let bytes = match f.word().ok_or(BadBytes)? {
        "-" => None,
        n => Some(n.parse::<u64>().map_err(|_| BadBytes)?),
    };
    // ANCHOR_END: parse
    // ANCHOR: parse_end
    let (mut referer, mut user_agent) = (None, None);
    if format != Format::Common {
        referer = Some(f.quoted().ok_or(NoReferer)?);
        user_agent = Some(f.quoted().ok_or(NoUserAgent)?);
    }
    if !f.rest.is_empty() {
        return Err(TrailingText);
    }
    Ok(LogLine {
        vhost,
        client,
        ident,
        user,
        time,
        stamp,
        method,
        raw_target,
        protocol,
        status,
        bytes,
        referer,
        user_agent,
    })
}
// ANCHOR_END: parse_end

/// `METHOD TARGET PROTOCOL`: a method of letters, a target that starts with `/`,
/// and `HTTP/` followed by a version (`HTTP/1.1`, `HTTP/2.0`).
fn request_line(request: &str) -> Option<(&str, &str, &str)> {
    let mut words = request.split(' ');
    let (Some(method), Some(target), Some(protocol), None) =
        (words.next(), words.next(), words.next(), words.next())
    else {
        return None;
    };
    let method_ok =
        !method.is_empty() && method.bytes().all(|b| b.is_ascii_uppercase());
    let ok = method_ok && target.starts_with('/') && protocol.starts_with("HTTP/");
    ok.then_some((method, target, protocol))
}

/// Three digits, from 100 to 599.
fn status(text: &str) -> Option<u16> {
    let ok = text.len() == 3 && text.bytes().all(|b| b.is_ascii_digit());
    let code: u16 = if ok { text.parse().ok()? } else { return None };
    (100..=599).contains(&code).then_some(code)
}

impl LogLine<'_> {
    /// The target to send again. Where the log escaped a byte (Apache writes a
    /// quote as `\"`, a backslash as `\\`, a tab as `\t` and other control bytes as
    /// `\xhh`; nginx writes all of them, and any byte above 126, as `\xHH`), the
    /// byte comes back percent-encoded (`%22`, `%5C`, `%C3`), as a client sends it:
    /// every format gives the same target.
    pub fn target(&self) -> Cow<'_, str> {
        unescape_target(self.raw_target)
    }
}

/// Turns the log's escapes in a request target into percent-encoding. An escape it
/// does not know is kept as written.
pub fn unescape_target(raw: &str) -> Cow<'_, str> {
    if !raw.contains('\\') {
        return Cow::Borrowed(raw);
    }
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(at) = rest.find('\\') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let escape = match after.as_bytes() {
            [b'x', high, low, ..] => {
                hex(*high).zip(hex(*low)).map(|(h, l)| (h * 16 + l, 3))
            }
            [b'"', ..] => Some((b'"', 1)),
            [b'\\', ..] => Some((b'\\', 1)),
            [b'n', ..] => Some((b'\n', 1)),
            [b'r', ..] => Some((b'\r', 1)),
            [b't', ..] => Some((b'\t', 1)),
            [b'b', ..] => Some((0x08, 1)),
            [b'v', ..] => Some((0x0b, 1)),
            _ => None,
        };
        match escape {
            Some((byte, len)) => {
                out.push_str(&format!("%{byte:02X}"));
                rest = &after[len..];
            }
            None => {
                out.push('\\'); // not an escape the servers write: keep it
                rest = after;
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// The value of one hexadecimal digit.
fn hex(digit: u8) -> Option<u8> {
    (digit as char).to_digit(16).and_then(|d| u8::try_from(d).ok())
}

// ANCHOR: time
/// Reads `23/Nov/2026:13:55:36 +0000`.
pub fn parse_time(text: &str) -> Option<Stamp> {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
        "Nov", "Dec",
    ];
    let b = text.as_bytes();
    if b.len() != 26 || [b[2], b[6], b[11], b[14], b[17], b[20]] != *b"//::: " {
        return None;
    }
    let num = |range: std::ops::Range<usize>| -> Option<i64> {
        let digits = text.get(range)?;
        digits.bytes().all(|d| d.is_ascii_digit()).then(|| digits.parse().ok())?
    };
    let month = MONTHS.iter().position(|m| text.get(3..6) == Some(*m))? as i64 + 1;
    let (day, year) = (num(0..2)?, num(7..11)?);
    let (hour, minute, second) = (num(12..14)?, num(15..17)?, num(18..20)?);
    let sign = match b[21] {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let offset = sign * (num(22..24)? * 3600 + num(24..26)? * 60);
    if day < 1
        || day > days_in_month(year, month)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let days = days_from_civil(year, month, day);
    let local = days * 86_400 + hour * 3600 + minute * 60 + second;
    Some(Stamp { local, offset: i32::try_from(offset).ok()? })
}
// ANCHOR_END: time

/// Days from 1970-01-01 to the given date of the proleptic Gregorian calendar
/// (Howard Hinnant's `days_from_civil`).
pub fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// 28 to 31.
pub fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        _ => 31,
    }
}

// ANCHOR: detect
/// What [`detect`] found: the format that parsed the most of the lines it looked
/// at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Detected {
    pub format: Format,
    pub parsed: usize,
    pub looked_at: usize,
}

/// Tries every format on the non-empty lines given, and picks the one that parses
/// the most (the most specific, on a tie). `None` when no format parses any of
/// them.
pub fn detect<'a>(lines: impl IntoIterator<Item = &'a str>) -> Option<Detected> {
    let lines: Vec<&str> =
        lines.into_iter().filter(|l| !l.trim().is_empty()).collect();
    let mut best: Option<Detected> = None;
    for format in Format::ALL {
        let parsed = lines.iter().filter(|l| parse(l, format).is_ok()).count();
        if parsed > best.map_or(0, |b| b.parsed) {
            best = Some(Detected { format, parsed, looked_at: lines.len() });
        }
    }
    best
}
// ANCHOR_END: detect

/// Writes the line back as the log had it.
impl fmt::Display for LogLine<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(vhost) = self.vhost {
            write!(f, "{vhost} ")?;
        }
        write!(
            f,
            "{} {} {} [{}] \"{} {} {}\" {} ",
            self.client,
            self.ident,
            self.user,
            self.time,
            self.method,
            self.raw_target,
            self.protocol,
            self.status
        )?;
        match self.bytes {
            Some(n) => write!(f, "{n}")?,
            None => f.write_str("-")?,
        }
        if let (Some(referer), Some(agent)) = (self.referer, self.user_agent) {
            write!(f, " \"{referer}\" \"{agent}\"")?;
        }
        Ok(())
    }
}

// ANCHOR: main
/// The same failed request as three servers log it; press Run to see each parsed.
pub fn main() {
    let lines = [
        // Apache, common: what its upstream sample configuration logs.
        concat!(
            r#"203.0.113.9 - - [23/Nov/2026:13:55:36 +0100] "#,
            r#""GET /items/17?src=feed HTTP/1.1" 503 -"#,
        ),
        // nginx, combined: a quote in the user agent is written \x22.
        concat!(
            r#"2001:db8::7 - - [23/Nov/2026:12:55:36 +0000] "#,
            r#""GET /items/17?src=feed HTTP/2.0" 503 197 "#,
            r#""https://example.com/?q=a b" "Mozilla/5.0 (say \x22hi\x22)""#,
        ),
        // Apache on Debian, vhost_combined: Apache writes a quote as \".
        concat!(
            r#"shop.example.com:443 203.0.113.9 - - [23/Nov/2026:13:55:36 +0100] "#,
            r#""GET /items/17?src=feed HTTP/1.1" 503 0 "-" "curl/8.5.0 \"test\"""#,
        ),
    ];
    for line in lines {
        println!("{}", describe(line));
    }
}
// ANCHOR_END: main

/// What [`detect`] and [`parse`] make of one line.
pub fn describe(line: &str) -> String {
    let Some(found) = detect([line]) else {
        return format!("no format fits: {line}");
    };
    match parse(line, found.format) {
        Ok(l) => {
            // seconds into the day, in UTC
            let utc = l.stamp.utc().rem_euclid(86_400);
            let at =
                format!("{:02}:{:02}:{:02}", utc / 3600, utc / 60 % 60, utc % 60);
            let (format, target) = (found.format.name(), l.target());
            format!(
                "{format:<14} {} {target} -> {} at {at} UTC",
                l.method, l.status
            )
        }
        Err(why) => format!("{}: {why}", found.format.name()),
    }
}
