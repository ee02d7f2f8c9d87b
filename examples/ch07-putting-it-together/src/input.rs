// Opening the logs to read: files, gzip-compressed files (`access.log.2.gz`,
// recognised by their first bytes, not their name) and standard input (`-`); and
// finding out which format each is in from its first lines. Everything here happens
// before the tool touches its output, so a bad input costs nothing.
use std::fs::File;
use std::io::{self, BufRead, BufReader, Cursor, Read};
use std::sync::Arc;

use ch07_putting_it_together::formats::{self, Detected, Format};
use ch07_putting_it_together::scan::read_line;
use flate2::bufread::MultiGzDecoder;

/// How many lines format detection looks at.
pub const DETECT_LINES: usize = 20;

// ANCHOR: input
/// One log, opened, its format known, ready to be read from its first line.
pub struct Input {
    /// As given on the command line (`-` for standard input).
    pub name: Arc<str>,
    pub format: Format,
    /// How the format was found, when it was not given.
    pub detected: Option<Detected>,
    pub gzip: bool,
    pub reader: Box<dyn BufRead + Send>,
}
// ANCHOR_END: input

impl std::fmt::Debug for Input {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Input")
            .field("name", &self.name)
            .field("format", &self.format)
            .field("detected", &self.detected)
            .field("gzip", &self.gzip)
            .finish_non_exhaustive()
    }
}

// ANCHOR: open
/// Opens `name` (a path, or `-` for standard input) and finds its format: `format`
/// if given (checked against the first lines), else the one its first lines are in.
pub fn open(name: &str, format: Option<Format>) -> Result<Input, String> {
    let raw: Box<dyn BufRead + Send> = if name == "-" {
        Box::new(BufReader::new(io::stdin()))
    } else {
        let meta = std::fs::metadata(name)
            .map_err(|e| format!("cannot open {name}: {e}"))?;
        if meta.is_dir() {
            return Err(format!("{name} is a folder, not a log file"));
        }
        let file =
            File::open(name).map_err(|e| format!("cannot open {name}: {e}"))?;
        Box::new(BufReader::new(file))
    };
    from_reader(name, raw, format)
}
// ANCHOR_END: open

/// The same as [`open`], for a reader that is already open.
pub fn from_reader(
    name: &str,
    mut raw: Box<dyn BufRead + Send>,
    format: Option<Format>,
) -> Result<Input, String> {
    let cannot_read = |e: io::Error| format!("cannot read {name}: {e}");
    let gzip = raw.fill_buf().map_err(cannot_read)?.starts_with(&[0x1f, 0x8b]);
    let mut reader: Box<dyn BufRead + Send> = match gzip {
        true => Box::new(BufReader::new(MultiGzDecoder::new(raw))),
        false => raw,
    };
    // The first lines, read now and handed back in front of the rest.
    let (mut head, mut lines, mut line) = (Vec::new(), Vec::new(), Vec::new());
    while lines.len() < DETECT_LINES
        && read_line(&mut reader, &mut line).map_err(cannot_read)?.is_some()
    {
        head.extend_from_slice(&line);
        lines.push(
            String::from_utf8_lossy(&line)
                .trim_end_matches(['\n', '\r'])
                .to_owned(),
        );
    }
    let (format, detected) = choose_format(name, &lines, format)?;
    Ok(Input {
        name: name.into(),
        format,
        detected,
        gzip,
        reader: Box::new(Cursor::new(head).chain(reader)),
    })
}

// ANCHOR: choose
/// The format to read `lines` (the first lines of `name`) in, or why there is none.
fn choose_format(
    name: &str,
    lines: &[String],
    given: Option<Format>,
) -> Result<(Format, Option<Detected>), String> {
    let found = formats::detect(lines.iter().map(String::as_str));
    let first = lines.iter().find(|l| !l.trim().is_empty());
    let Some(first) = first else {
        // empty: nothing to read anyway
        return Ok((given.unwrap_or(Format::Combined), None));
    };
    let looked = lines.iter().filter(|l| !l.trim().is_empty()).count();
    match (given, found) {
        (Some(format), _)
            if lines.iter().any(|l| formats::parse(l, format).is_ok()) =>
        {
            Ok((format, None))
        }
        (Some(format), Some(other)) => Err(format!(
            "none of the first {looked} lines of {name} is in {} format; \
             they look like {}: try --format {}",
            format.name(),
            other.format.name(),
            other.format.name()
        )),
        (None, Some(detected)) => Ok((detected.format, Some(detected))),
        (_, None) => Err(format!(
            "cannot read {name}: none of its first {looked} lines is a log line in \
             common, combined or vhost_combined format; the first is: {}",
            shorten(first)
        )),
    }
}
// ANCHOR_END: choose

/// At most 100 characters of a line, for a message.
pub fn shorten(line: &str) -> String {
    match line.char_indices().nth(100) {
        Some((at, _)) => format!("{}…", &line[..at]),
        None => line.to_owned(),
    }
}
