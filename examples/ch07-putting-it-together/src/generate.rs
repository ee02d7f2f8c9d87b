// Sample request logs of any size, in any of the three formats, with a seeded mix
// of statuses: the same seed writes the same requests in every format, byte for
// byte.
use std::io::{self, Write};

use ch07_putting_it_together::formats::Format;

// ANCHOR: sample
/// What to write: how many lines, from which seed, and how often a line is broken
/// on purpose (`Some(k)`: every k-th line is malformed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SampleLog {
    pub lines: u64,
    pub seed: u64,
    pub malformed_every: Option<u64>,
    /// Requests are for `/items/0` to `/items/{ids - 1}`.
    pub ids: u64,
    /// How each line is written.
    pub format: Format,
}

/// The statuses a sample log uses, and how many lines in 1000 get each: about one
/// in ten is a 5xx.
pub const STATUS_MIX: [(u16, u64); 8] = [
    (200, 780),
    (304, 40),
    (404, 60),
    (429, 20),
    (500, 40),
    (502, 20),
    (503, 30),
    (504, 10),
];
// ANCHOR_END: sample

/// What a sample log holds, counted while it was written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Written {
    pub lines: u64,
    /// Well-formed lines with a 5xx status.
    pub five_xx: u64,
    pub malformed: u64,
}

/// A small, fast, seeded random source (splitmix64), enough for sample data.
#[derive(Debug, Clone)]
pub struct SplitMix(u64);

impl SplitMix {
    pub fn new(seed: u64) -> SplitMix {
        SplitMix(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }
}

impl Default for SampleLog {
    fn default() -> Self {
        SampleLog {
            lines: 1000,
            seed: 7,
            malformed_every: None,
            ids: 100,
            format: Format::Combined,
        }
    }
}

// ANCHOR: write
impl SampleLog {
    /// Writes the log to `out`, one line at a time: a log of any size needs only
    /// one line of memory. Wrap a file in a `BufWriter`, or this makes one system
    /// call per line.
    pub fn write_to(&self, mut out: impl Write) -> io::Result<Written> {
        let mut rng = SplitMix::new(self.seed);
        let mut written = Written::default();
        let mut line = String::new();
        for n in 1..=self.lines {
            line.clear();
            let status = self.one_line(&mut rng, n, &mut line);
            if self.malformed_every.is_some_and(|k| k > 0 && n % k == 0) {
                break_line(&mut line, written.malformed);
                written.malformed += 1;
            } else if (500..600).contains(&status) {
                written.five_xx += 1;
            }
            line.push('\n');
            out.write_all(line.as_bytes())?;
            written.lines += 1;
        }
        out.flush()?;
        Ok(written)
    }
    // ANCHOR_END: write

    /// Appends line `n` (without its newline) and returns its status.
    fn one_line(&self, rng: &mut SplitMix, n: u64, line: &mut String) -> u16 {
        use std::fmt::Write as _;
        let roll = rng.below(1000);
        let mut status = 200;
        let mut upto = 0;
        for (code, share) in STATUS_MIX {
            upto += share;
            if roll < upto {
                status = code;
                break;
            }
        }
        let id = rng.below(self.ids);
        let query = match rng.below(20) {
            0..10 => "",
            10..15 => "?src=feed",
            15..18 => "?src=feed&page=2",
            _ => "?q=caf%C3%A9&sort=new",
        };
        let method = match rng.below(40) {
            0 | 1 => "POST",
            2 => "PUT",
            3 => "HEAD",
            _ => "GET",
        };
        let bytes = if status == 304 {
            "-".to_owned()
        } else {
            (200 + rng.below(3000)).to_string()
        };
        let client = match rng.below(10) {
            0 => format!("2001:db8::{:x}", 1 + rng.below(250)),
            n => format!("10.0.{}.{}", n % 4, 1 + rng.below(250)),
        };
        let protocol = if rng.below(3) == 0 { "HTTP/2.0" } else { "HTTP/1.1" };
        let agent = AGENTS[rng.below(AGENTS.len() as u64) as usize];
        let referer = REFERERS[rng.below(REFERERS.len() as u64) as usize];
        // A day starting at 13:55:36, four requests a second.
        let secs = (13 * 3600 + 55 * 60 + 36 + n / 4) % 86_400;
        if self.format == Format::VhostCombined {
            line.push_str("shop.example.com:443 ");
        }
        let _ = write!(
            line,
            "{client} - - [23/Nov/2026:{:02}:{:02}:{:02} +0000] \"{method} /items/{id}{query} {protocol}\" {status} {bytes}",
            secs / 3600,
            secs / 60 % 60,
            secs % 60,
        );
        match self.format {
            Format::Common => {}
            // nginx writes a quote inside a field as \x22 ...
            Format::Combined => {
                let _ = write!(
                    line,
                    " \"{referer}\" \"{}\"",
                    agent.replace('"', "\\x22")
                );
            }
            // ... and Apache as \".
            Format::VhostCombined => {
                let _ = write!(
                    line,
                    " \"{referer}\" \"{}\"",
                    agent.replace('"', "\\\"")
                );
            }
        }
        status
    }
}

/// The page the requests came from (`-`: none), as clients send it.
const REFERERS: [&str; 3] = [
    "-",
    "https://shop.example.com/search?q=caf%C3%A9",
    "https://shop.example.com/",
];

/// User agents as clients send them: spaces, parentheses, and one with quotes.
const AGENTS: [&str; 3] = [
    "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
    "curl/8.5.0",
    r#"probe/1.0 (say "hi")"#,
];

/// Breaks a good line in one of the ways real logs get broken (the `nth` broken
/// line gets the `nth` way, in turn).
fn break_line(line: &mut String, nth: u64) {
    match nth % 4 {
        // cut off mid-line (a crash while writing)
        0 => line.truncate(line.len() / 2),
        1 => *line = "-- log rotated --".to_owned(),
        2 => {
            // everything after the request is gone
            if let Some(end) = line.find("\" ") {
                line.truncate(end + 1);
            }
        }
        _ => line.clear(), // an empty line
    }
}

/// The sample log the retry tool's `--demo` refires (and `02_scan` reads): 2,000
/// lines in combined format, about one in ten a 5xx, and four lines broken on
/// purpose.
pub fn demo_log() -> SampleLog {
    SampleLog {
        lines: 2000,
        seed: 7,
        malformed_every: Some(500),
        ..SampleLog::default()
    }
}
