//! Parsing and scanning: the generator's lines parse back, malformed lines are counted with
//! their numbers, and a scan streams: a million lines pass through one line of memory.
use std::io::{BufRead, BufReader};
use std::ops::ControlFlow;

use ch07_putting_it_together::clf::{Malformed, parse};
use ch07_putting_it_together::generate::SampleLog;
use ch07_putting_it_together::scan::{MALFORMED_KEPT, scan};
use proptest::prelude::*;

mod common;
use common::Endless;

#[test]
fn the_example_line_parses() {
    let line =
        r#"127.0.0.1 - - [23/Nov/2026:13:55:36 +0000] "GET /items/17?src=feed HTTP/1.1" 503 2326"#;
    let parsed = parse(line).expect("the page's example is a good line");
    assert_eq!(parsed.host, "127.0.0.1");
    assert_eq!(parsed.time, "23/Nov/2026:13:55:36 +0000");
    assert_eq!(parsed.method, "GET");
    assert_eq!(parsed.target, "/items/17?src=feed");
    assert_eq!(parsed.protocol, "HTTP/1.1");
    assert_eq!(parsed.status, 503);
    assert_eq!(parsed.bytes, Some(2326));
    assert_eq!(parsed.to_string(), line);
}

#[test]
fn broken_lines_say_why() {
    let ok = r#"h - - [t] "GET /x HTTP/1.1" 200 -"#;
    assert_eq!(parse(ok).map(|l| l.bytes), Ok(None));
    for (line, why) in [
        ("", Malformed::Empty),
        ("-- log rotated --", Malformed::NoTime),
        (r#"h - - [t "GET /x HTTP/1.1" 200 1"#, Malformed::NoTime),
        ("h - - [t] GET /x HTTP/1.1 200 1", Malformed::NoRequest),
        (r#"h - - [t] "GET /x" 200 1"#, Malformed::BadRequestLine),
        (
            r#"h - - [t] "GET x HTTP/1.1" 200 1"#,
            Malformed::BadRequestLine,
        ),
        (
            r#"h - - [t] "GET /x HTTP/1.1" 2000 1"#,
            Malformed::BadStatus,
        ),
        (r#"h - - [t] "GET /x HTTP/1.1" 700 1"#, Malformed::BadStatus),
        (r#"h - - [t] "GET /x HTTP/1.1" 200"#, Malformed::BadBytes),
        (
            r#"h - - [t] "GET /x HTTP/1.1" 200 lots"#,
            Malformed::BadBytes,
        ),
        (
            r#"h - - [t] "GET /x HTTP/1.1" 200 1 extra"#,
            Malformed::TrailingText,
        ),
    ] {
        assert_eq!(parse(line), Err(why), "{line:?}");
    }
}

proptest! {
    /// Every line the generator writes either parses (and prints back as itself) or is one
    /// it broke on purpose; the scan's counts agree with the generator's.
    #[test]
    fn generated_logs_scan_to_the_generators_counts(
        seed in any::<u64>(), lines in 0u64..400, every in proptest::option::of(1u64..50),
    ) {
        let sample = SampleLog { lines, seed, malformed_every: every, ids: 100 };
        let mut log = Vec::new();
        let written = sample.write_to(&mut log).expect("writing to memory works");
        let mut seen = Vec::new();
        let report = scan(&log[..], |failed| {
            seen.push(failed);
            ControlFlow::Continue(())
        }).expect("reading memory works");
        prop_assert_eq!(report.lines, written.lines);
        prop_assert_eq!(report.failed, written.five_xx);
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
            if let Ok(parsed) = parse(line) {
                prop_assert_eq!(parsed.to_string(), line);
            } else {
                prop_assert!(every.is_some_and(|k| (n as u64 + 1).is_multiple_of(k)), "line {}", n + 1);
            }
        }
        for failed in &seen {
            prop_assert!((500..600).contains(&failed.status));
        }
    }
}

#[test]
fn bad_bytes_and_crlf_endings() {
    let log =
        b"h - - [t] \"GET /a HTTP/1.1\" 503 1\r\n\xff\xfe\nh - - [t] \"GET /b HTTP/1.1\" 500 -";
    let mut targets = Vec::new();
    let report = scan(&log[..], |f| {
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
    let report = scan(BufReader::new(log), |_| {
        found += 1;
        ControlFlow::Continue(())
    })
    .expect("memory");
    assert_eq!(report.lines, 1_000_000);
    assert_eq!(found, 1_000_000);
}

#[test]
fn a_consumer_can_stop_the_scan() {
    let log = Endless::new(b"h - - [t] \"GET /a HTTP/1.1\" 503 1\n", 1_000);
    let mut reader = BufReader::new(log);
    let mut taken = 0;
    let report = scan(&mut reader, |_| {
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
