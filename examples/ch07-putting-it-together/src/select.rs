// Which lines of the log to fire again: the statuses (`--status 500,502-504`), the
// hours (`--since`/`--until`, on the log's own timestamps) and the methods
// (`--methods`). Each parses from the text a user types, and says in one line what
// is wrong with it.
use std::fmt;
use std::str::FromStr;

use ch07_putting_it_together::formats::{
    LogLine, Stamp, days_from_civil, days_in_month, parse_time,
};

// ANCHOR: selection
/// What the tool fires again. A line is chosen when its status is in `statuses` and
/// its time is in `since..until`; its method then decides whether it is sent or
/// skipped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection {
    pub statuses: StatusSet,
    /// From this time on (included).
    pub since: Option<When>,
    /// Up to this time (not included): `--since 13:00 --until 14:00` is one hour.
    pub until: Option<When>,
    /// Methods sent again; a chosen line with another method gets a `skipped`
    /// record.
    pub methods: MethodSet,
}

impl Selection {
    /// Is this line one to fire again (before its method is looked at)?
    pub fn chooses(&self, line: &LogLine<'_>) -> bool {
        self.statuses.contains(line.status)
            && self.since.is_none_or(|since| !since.is_after(line.stamp))
            && self.until.is_none_or(|until| until.is_after(line.stamp))
    }
}
// ANCHOR_END: selection

impl Default for Selection {
    fn default() -> Self {
        Selection {
            statuses: DEFAULT_STATUSES.parse().expect("the default statuses parse"),
            since: None,
            until: None,
            methods: DEFAULT_METHODS.parse().expect("the default methods parse"),
        }
    }
}

/// Server errors worth another try. 501 (Not Implemented) and 505 (HTTP Version Not
/// Supported) are left out: they would fail again.
pub const DEFAULT_STATUSES: &str = "500,502-504";

/// Methods whose requests can be sent again as the log has them. POST is not
/// idempotent, and a log keeps no bodies, so a PUT sent again would go without the
/// body it had.
pub const DEFAULT_METHODS: &str = "GET,HEAD,DELETE,OPTIONS";

/// A set of statuses, written as codes and ranges: `500,502-504`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusSet {
    ranges: Vec<(u16, u16)>,
}

impl StatusSet {
    pub fn contains(&self, status: u16) -> bool {
        self.ranges.iter().any(|&(low, high)| (low..=high).contains(&status))
    }
}

impl FromStr for StatusSet {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let code = |s: &str| match s.trim().parse::<u16>() {
            Ok(code) if (100..=599).contains(&code) => Ok(code),
            _ => Err(format!("{s:?} is not a status from 100 to 599")),
        };
        let mut ranges = Vec::new();
        for part in text.split(',') {
            let (low, high) = match part.split_once('-') {
                Some((low, high)) => (code(low)?, code(high)?),
                None => (code(part)?, code(part)?),
            };
            if low > high {
                return Err(format!("{part:?}: the range goes down"));
            }
            ranges.push((low, high));
        }
        Ok(StatusSet { ranges })
    }
}

impl fmt::Display for StatusSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, &(low, high)) in self.ranges.iter().enumerate() {
            let comma = if i == 0 { "" } else { "," };
            if low == high {
                write!(f, "{comma}{low}")?;
            } else {
                write!(f, "{comma}{low}-{high}")?;
            }
        }
        Ok(())
    }
}

/// The methods to send again: `GET,HEAD`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MethodSet {
    methods: Vec<String>,
}

impl MethodSet {
    pub fn contains(&self, method: &str) -> bool {
        self.methods.iter().any(|m| m == method)
    }
}

impl FromStr for MethodSet {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let mut methods = Vec::new();
        for method in text.split(',').map(str::trim) {
            if method.is_empty() || !method.bytes().all(|b| b.is_ascii_uppercase())
            {
                return Err(format!("{method:?} is not a method such as GET"));
            }
            methods.push(method.to_owned());
        }
        Ok(MethodSet { methods })
    }
}

impl fmt::Display for MethodSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.methods.join(","))
    }
}

// ANCHOR: when
/// A time given to `--since` or `--until`. With a zone (`Z`, `+01:00`, `+0100`) it
/// is an instant, compared with each line's time in UTC. Without one it is read on
/// the log's own clock: `2026-11-23T13:00` is 13:00 as the log's lines write it,
/// whatever their offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct When {
    /// Seconds since 1970-01-01 00:00:00, in UTC if `zoned`, else on the log's
    /// clock.
    pub secs: i64,
    pub zoned: bool,
}

impl When {
    /// Is this time later than the line's?
    pub fn is_after(self, line: Stamp) -> bool {
        let line = if self.zoned { line.utc() } else { line.local };
        self.secs > line
    }
}
// ANCHOR_END: when

impl FromStr for When {
    type Err = String;

    /// `2026-11-23`, `2026-11-23T13:00`, `2026-11-23 13:00:30`, each with an
    /// optional zone, or the log's own form, `23/Nov/2026:13:00:00 +0000`.
    fn from_str(text: &str) -> Result<Self, String> {
        let bad = || {
            format!(
                "{text:?} is not a time such as 2026-11-23T13:00, 2026-11-23T13:00:00+01:00 \
                 or 23/Nov/2026:13:00:00 +0100"
            )
        };
        if let Some(stamp) = parse_time(text) {
            return Ok(When { secs: stamp.utc(), zoned: true });
        }
        let (date, rest) = match text.is_char_boundary(10) {
            true => text.split_at(10),
            false => (text, ""),
        };
        let (clock, zone) = split_zone(rest.trim_start_matches(['T', ' ']));
        let number = |s: &str| -> Option<i64> {
            (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
                .then(|| s.parse().ok())?
        };
        let mut ymd = date.split('-').map(number);
        let (Some(Some(year)), Some(Some(month)), Some(Some(day)), None) =
            (ymd.next(), ymd.next(), ymd.next(), ymd.next())
        else {
            return Err(bad());
        };
        let mut hms = clock.split(':').map(number);
        let (hour, minute, second) =
            match (hms.next(), hms.next(), hms.next(), hms.next()) {
                (None | Some(None), None, None, None) if clock.is_empty() => {
                    (0, 0, 0)
                }
                (Some(Some(h)), Some(Some(m)), None, None) => (h, m, 0),
                (Some(Some(h)), Some(Some(m)), Some(Some(s)), None) => (h, m, s),
                _ => return Err(bad()),
            };
        let valid = (1..=12).contains(&month)
            && (1..=days_in_month(year, month)).contains(&day)
            && hour < 24
            && minute < 60
            && second < 61
            && date.len() == 10;
        let offset = zone.map(parse_offset).transpose().map_err(|()| bad())?;
        if !valid {
            return Err(bad());
        }
        let secs = days_from_civil(year, month, day) * 86_400
            + hour * 3600
            + minute * 60
            + second;
        Ok(When { secs: secs - offset.unwrap_or(0), zoned: offset.is_some() })
    }
}

/// Splits `13:00:00+01:00` into the clock and the zone, if there is one.
fn split_zone(text: &str) -> (&str, Option<&str>) {
    if let Some(clock) = text.strip_suffix('Z') {
        return (clock, Some("Z"));
    }
    match text.find(['+', '-']) {
        Some(at) => (&text[..at], Some(&text[at..])),
        None => (text, None),
    }
}

/// `Z`, `+01:00` or `-0530`, in seconds east of UTC.
fn parse_offset(zone: &str) -> Result<i64, ()> {
    if zone == "Z" {
        return Ok(0);
    }
    let sign = if zone.starts_with('-') { -1 } else { 1 };
    let digits: String = zone[1..].chars().filter(|c| *c != ':').collect();
    if digits.len() != 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(());
    }
    let hours: i64 = digits[..2].parse().map_err(|_| ())?;
    let minutes: i64 = digits[2..].parse().map_err(|_| ())?;
    if hours > 23 || minutes > 59 {
        return Err(());
    }
    Ok(sign * (hours * 3600 + minutes * 60))
}
