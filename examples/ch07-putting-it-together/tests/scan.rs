//! Scanning: the generator's lines parse back, malformed lines are counted with
//! their numbers, and a scan streams: a million lines pass through one line of
//! memory, and a line of a gigabyte is not held whole.
use std::io::{BufRead, BufReader, Read};
use std::ops::ControlFlow;
use std::sync::Arc;

use ch07_putting_it_together::formats::{Format, Malformed, parse};
use ch07_putting_it_together::generate::SampleLog;
use ch07_putting_it_together::scan::{MALFORMED_KEPT, MAX_LINE, scan};
use ch07_putting_it_together::select::Selection;
use proptest::prelude::*;

mod common;
use common::Endless;

fn name() -> Arc<str> {
    "access.log".into()
}

#[test]
fn the_example_line_parses() {
    let line = r#"127.0.0.1 - - [23/Nov/2026:13:55:36 +0000] "GET /items/17?src=feed HTTP/1.1" 503 2326"#;
    let parsed =
        parse(line, Format::Common).expect("the page's example is a good line");
    assert_eq!(parsed.client, "127.0.0.1");
    assert_eq!(parsed.time, "23/Nov/2026:13:55:36 +0000");
    assert_eq!(parsed.method, "GET");
    assert_eq!(parsed.target(), "/items/17?src=feed");
    assert_eq!(parsed.protocol, "HTTP/1.1");
    assert_eq!(parsed.status, 503);
    assert_eq!(parsed.bytes, Some(2326));
    assert_eq!(parsed.to_string(), line);
}

proptest! {
    /// Every line the generator writes either parses (and prints back as itself) or
    /// is one it broke on purpose; the scan's counts agree with the generator's, in
    /// every format.
    #[test]
    fn generated_logs_scan_to_the_generators_counts(
        seed in any::<u64>(), lines in 0u64..400, every in proptest::option::of(1u64..50),
        format in proptest::sample::select(Format::ALL.to_vec()),
    ) {
        let sample = SampleLog { lines, seed, malformed_every: every, ids: 100, format };
        let mut log = Vec::new();
        let written = sample.write_to(&mut log).expect("writing to memory works");
        let mut seen = Vec::new();
        let report = scan(&name(), &log[..], format, &Selection::default(), |failed| {
            seen.push(failed);
            ControlFlow::Continue(())
        }).expect("reading memory works");
        prop_assert_eq!(report.lines, written.lines);
        prop_assert_eq!(report.chosen, written.five_xx);
        prop_assert_eq!(report.malformed, written.malformed);
        prop_assert_eq!(seen.len() as u64, written.five_xx);
        // The malformed lines are exactly the every-k-th ones, by number.
        let expected: Vec<u64> = match every {
            Some(k) => (1..=lines).filter(|n| n.is_multiple_of(k)).take(MALFORMED_KEPT).collect(),
            None => vec![],
        };
        let numbers: Vec<u64> = report.first_malformed.iter().map(|(n, _)| *n).collect();
        prop_assert_eq!(numbers, expected);
        let text = String::from_utf8(log).expect("the generator writes UTF-8");
        for (n, line) in text.lines().enumerate() {
            if let Ok(parsed) = parse(line, format) {
                prop_assert_eq!(parsed.to_string(), line);
            } else {
                prop_assert!(every.is_some_and(|k| (n as u64 + 1).is_multiple_of(k)), "line {}", n + 1);
            }
        }
    }
}

#[test]
fn bad_bytes_and_crlf_endings() {
    let ok = |target: &str, status: u16| {
        format!(
            "h - - [23/Nov/2026:13:55:36 +0000] \"GET {target} HTTP/1.1\" {status} 1"
        )
    };
    let mut log = format!("{}\r\n", ok("/a", 503)).into_bytes();
    log.extend_from_slice(b"\xff\xfe\n");
    log.extend_from_slice(ok("/b", 500).as_bytes()); // no newline at the very end
    let mut targets = Vec::new();
    let report =
        scan(&name(), &log[..], Format::Common, &Selection::default(), |f| {
            targets.push(f.target);
            ControlFlow::Continue(())
        })
        .expect("memory");
    assert_eq!(targets, ["/a", "/b"]);
    assert_eq!(report.first_malformed, vec![(2, Malformed::NotUtf8)]);
}

#[test]
fn a_million_lines_stream_through() {
    const LINE: &[u8] =
        b"10.0.0.1 - - [23/Nov/2026:13:55:36 +0000] \"GET /items/1 HTTP/1.1\" 503 12\n";
    let log = Endless::new(LINE, 1_000_000);
    let mut found = 0u64;
    let report = scan(
        &name(),
        BufReader::new(log),
        Format::Common,
        &Selection::default(),
        |_| {
            found += 1;
            ControlFlow::Continue(())
        },
    )
    .expect("memory");
    assert_eq!(report.lines, 1_000_000);
    assert_eq!(found, 1_000_000);
}

#[test]
fn a_line_too_long_is_malformed_and_not_held_whole() {
    // One line of 100 MB (made as it is read, never stored), then a good one.
    const HUGE: u64 = 100 * 1024 * 1024;
    let good = b"\nh - - [23/Nov/2026:13:55:36 +0000] \"GET /a HTTP/1.1\" 503 1\n";
    let log = std::io::repeat(b'x').take(HUGE).chain(&good[..]);
    let mut found = 0;
    let report = scan(
        &name(),
        BufReader::new(log),
        Format::Common,
        &Selection::default(),
        |_| {
            found += 1;
            ControlFlow::Continue(())
        },
    )
    .expect("memory");
    assert_eq!(report.first_malformed, vec![(1, Malformed::TooLong)]);
    assert!(report.malformed_samples[0].len() <= 300);
    assert_eq!((report.lines, found), (2, 1));
    assert!((MAX_LINE as u64) < HUGE);
}

#[test]
fn a_consumer_can_stop_the_scan() {
    let log = Endless::new(
        b"h - - [23/Nov/2026:13:55:36 +0000] \"GET /a HTTP/1.1\" 503 1\n",
        1_000,
    );
    let mut reader = BufReader::new(log);
    let mut taken = 0;
    let report =
        scan(&name(), &mut reader, Format::Common, &Selection::default(), |_| {
            taken += 1;
            if taken == 10 {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        })
        .expect("memory");
    assert!(report.stopped_early);
    assert_eq!(report.lines, 10);
    assert!(
        !reader.fill_buf().expect("memory").is_empty(),
        "the rest is left unread"
    );
}
