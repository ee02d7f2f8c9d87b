//! Logs as servers write them: Apache's and nginx's escapes, IPv6 clients, `-`
//! sizes, percent-encoded queries, HTTP/2.0; format detection; the selection flags;
//! and no panic on any line at all.
use std::collections::BTreeSet;
use std::io::Write;
use std::ops::ControlFlow;
use std::sync::Arc;

use ch07_putting_it_together::formats::{
    Format, Malformed, detect, parse, parse_time,
};
use ch07_putting_it_together::generate::SampleLog;
use ch07_putting_it_together::input;
use ch07_putting_it_together::scan::{Failed, scan};
use ch07_putting_it_together::select::{MethodSet, Selection, StatusSet, When};
use proptest::prelude::*;

/// One line as a server wrote it, and what it must parse to.
struct Case {
    format: Format,
    line: &'static str,
    method: &'static str,
    target: &'static str,
    status: u16,
}

const LINES: &[Case] = &[
    // Apache's upstream httpd.conf (`common`): `-` for no body.
    Case {
        format: Format::Common,
        line: r#"192.0.2.1 - frank [10/Oct/2026:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 503 -"#,
        method: "GET",
        target: "/apache_pb.gif",
        status: 503,
    },
    // nginx's default `combined`: IPv6 client, HTTP/2.0, a user agent with spaces
    // and parentheses, a referer with a query.
    Case {
        format: Format::Combined,
        line: r#"2001:db8:85a3::8a2e:370:7334 - - [23/Nov/2026:13:55:36 +0000] "GET /items/17?q=caf%C3%A9&sort=new HTTP/2.0" 502 157 "https://shop.example.com/search?q=caf%C3%A9" "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0""#,
        method: "GET",
        target: "/items/17?q=caf%C3%A9&sort=new",
        status: 502,
    },
    // nginx escapes a quote as \x22, in the user agent and in the request alike.
    Case {
        format: Format::Combined,
        line: r#"10.0.0.1 - - [23/Nov/2026:13:55:36 +0000] "GET /search?q=\x22hi\x22 HTTP/1.1" 500 0 "-" "probe/1.0 (say \x22hi\x22)""#,
        method: "GET",
        target: "/search?q=%22hi%22",
        status: 500,
    },
    // Apache (Debian's `combined`) escapes a quote as \" and a backslash as \\.
    Case {
        format: Format::Combined,
        line: r#"10.0.0.1 - - [23/Nov/2026:13:55:36 +0000] "GET /search?q=\"hi\"&p=a\\b HTTP/1.1" 500 0 "-" "probe/1.0 (say \"hi\")""#,
        method: "GET",
        target: "/search?q=%22hi%22&p=a%5Cb",
        status: 500,
    },
    // nginx writes a byte outside printable ASCII as \xHH: it comes back
    // percent-encoded.
    Case {
        format: Format::Combined,
        line: r#"10.0.0.1 - - [23/Nov/2026:13:55:36 +0000] "HEAD /caf\xC3\xA9 HTTP/1.1" 504 0 "-" "-""#,
        method: "HEAD",
        target: "/caf%C3%A9",
        status: 504,
    },
    // Debian's Apache, `vhost_combined`: host:port first, a referer with spaces.
    Case {
        format: Format::VhostCombined,
        line: r#"shop.example.com:443 [2001:db8::1] - alice [23/Nov/2026:14:55:36 +0100] "DELETE /items/9 HTTP/1.1" 503 312 "https://shop.example.com/a page" "curl/8.5.0""#,
        method: "DELETE",
        target: "/items/9",
        status: 503,
    },
];

#[test]
fn lines_as_servers_write_them_parse_to_method_target_and_status() {
    for case in LINES {
        let line = parse(case.line, case.format)
            .unwrap_or_else(|e| panic!("{e}: {}", case.line));
        assert_eq!(line.method, case.method, "{}", case.line);
        assert_eq!(line.target(), case.target, "{}", case.line);
        assert_eq!(line.status, case.status, "{}", case.line);
        assert_eq!(line.to_string(), case.line, "prints back as written");
        // Detection finds the format from the line alone.
        assert_eq!(
            detect([case.line]).map(|d| d.format),
            Some(case.format),
            "{}",
            case.line
        );
    }
}

#[test]
fn fields_come_out_whole() {
    let line = parse(LINES[5].line, Format::VhostCombined).expect("a good line");
    assert_eq!(line.vhost, Some("shop.example.com:443"));
    assert_eq!(line.client, "[2001:db8::1]");
    assert_eq!(line.user, "alice");
    assert_eq!(line.referer, Some("https://shop.example.com/a page"));
    assert_eq!(line.user_agent, Some("curl/8.5.0"));
    assert_eq!(line.protocol, "HTTP/1.1");
    assert_eq!(line.bytes, Some(312));
    let apache = parse(LINES[3].line, Format::Combined).expect("a good line");
    assert_eq!(
        apache.user_agent,
        Some(r#"probe/1.0 (say \"hi\")"#),
        "kept as written"
    );
    assert_eq!(parse(LINES[0].line, Format::Common).map(|l| l.bytes), Ok(None));
}

#[test]
fn times_are_read_with_their_offset() {
    let berlin = parse_time("23/Nov/2026:14:55:36 +0100").expect("a good time");
    let utc = parse_time("23/Nov/2026:13:55:36 +0000").expect("a good time");
    assert_eq!(berlin.utc(), utc.utc());
    assert_ne!(berlin.local, utc.local);
    assert_eq!(utc.utc(), 1_795_442_136); // `date -u -d 2026-11-23T13:55:36 +%s`
    for bad in [
        "",
        "23/Nov/2026:13:55:36",
        "31/Nov/2026:13:55:36 +0000",
        "23/Xyz/2026:13:55:36 +0000",
        "23/Nov/2026:24:00:00 +0000",
        "23/Nov/2026 13:55:36 +0000",
        "2x/Nov/2026:13:55:36 +0000",
    ] {
        assert_eq!(parse_time(bad), None, "{bad:?}");
    }
    assert!(parse_time("29/Feb/2028:00:00:00 +0000").is_some());
    assert!(parse_time("29/Feb/2026:00:00:00 +0000").is_none());
}

#[test]
fn the_wrong_format_says_why() {
    let combined = LINES[1].line;
    assert_eq!(parse(combined, Format::Common), Err(Malformed::TrailingText));
    assert_eq!(parse(LINES[0].line, Format::Combined), Err(Malformed::NoReferer));
    assert_eq!(parse(combined, Format::VhostCombined), Err(Malformed::NoTime));
    assert_eq!(parse(LINES[5].line, Format::Combined), Err(Malformed::NoTime));
    for (line, why) in [
        ("", Malformed::Empty),
        ("-- log rotated --", Malformed::NoTime),
        (r#"h - - [t] "GET /x HTTP/1.1" 200 1"#, Malformed::BadTime),
        (
            r#"h - - [23/Nov/2026:13:55:36 +0000] GET /x HTTP/1.1 200 1"#,
            Malformed::NoRequest,
        ),
        (
            r#"h - - [23/Nov/2026:13:55:36 +0000] "GET /x HTTP/1.1 200 1"#,
            Malformed::NoRequest,
        ),
        (
            r#"h - - [23/Nov/2026:13:55:36 +0000] "GET /x" 200 1"#,
            Malformed::BadRequestLine,
        ),
        (
            r#"h - - [23/Nov/2026:13:55:36 +0000] "\x16\x03\x01" 400 0"#,
            Malformed::BadRequestLine,
        ),
        (
            r#"h - - [23/Nov/2026:13:55:36 +0000] "GET x HTTP/1.1" 200 1"#,
            Malformed::BadRequestLine,
        ),
        (
            r#"h - - [23/Nov/2026:13:55:36 +0000] "GET /x HTTP/1.1" 2000 1"#,
            Malformed::BadStatus,
        ),
        (
            r#"h - - [23/Nov/2026:13:55:36 +0000] "GET /x HTTP/1.1""#,
            Malformed::BadStatus,
        ),
        (
            r#"h - - [23/Nov/2026:13:55:36 +0000] "GET /x HTTP/1.1" 200 lots"#,
            Malformed::BadBytes,
        ),
        (
            r#"h - - [23/Nov/2026:13:55:36 +0000] "GET /x HTTP/1.1" 200 1 x"#,
            Malformed::TrailingText,
        ),
    ] {
        assert_eq!(
            parse(line, Format::Common).map(|l| l.status),
            Err(why),
            "{line:?}"
        );
    }
}

/// Every chosen line of a log, as the scan finds it.
fn chosen(log: &[u8], format: Format, selection: &Selection) -> Vec<Failed> {
    let mut all = Vec::new();
    let name: Arc<str> = "access.log".into();
    let report = scan(&name, log, format, selection, |failed| {
        all.push(failed);
        ControlFlow::Continue(())
    })
    .expect("reading memory works");
    assert_eq!(report.chosen, all.len() as u64);
    all
}

/// What a refire needs of a line, without where it came from.
fn requests(found: &[Failed]) -> Vec<(u64, String, String, u16, String)> {
    found
        .iter()
        .map(|f| {
            (
                f.line_no,
                f.method.clone(),
                f.target.clone(),
                f.status,
                f.time.clone(),
            )
        })
        .collect()
}

#[test]
fn the_same_requests_in_each_format_are_the_same_refire_set() {
    let selection = Selection::default();
    let mut sets = Vec::new();
    for format in Format::ALL {
        let sample = SampleLog {
            lines: 3000,
            seed: 11,
            malformed_every: Some(97),
            format,
            ..SampleLog::default()
        };
        let mut log = Vec::new();
        sample.write_to(&mut log).expect("memory");
        // Detection, from the first lines, as the tool does it.
        let reader = Box::new(std::io::Cursor::new(log.clone()));
        let opened =
            input::from_reader("access.log", reader, None).expect("a readable log");
        assert_eq!(opened.format, format);
        sets.push(requests(&chosen(&log, format, &selection)));
    }
    assert!(sets[0].len() > 200, "a few hundred 5xx lines");
    assert_eq!(sets[0], sets[1]);
    assert_eq!(sets[1], sets[2]);
}

#[test]
fn the_selection_flags_choose_by_status_time_and_method() {
    let statuses: StatusSet = "500,502-504".parse().expect("valid");
    assert!(
        statuses.contains(502) && statuses.contains(504) && !statuses.contains(501)
    );
    assert_eq!(statuses.to_string(), "500,502-504");
    for bad in ["", "5xx", "600", "504-502", "500,,502", "99"] {
        assert!(bad.parse::<StatusSet>().is_err(), "{bad:?}");
    }
    assert!("GET,HEAD".parse::<MethodSet>().is_ok());
    assert!("get".parse::<MethodSet>().is_err());

    // Lines at 13:59:59, 14:00:00, 14:59:59 and 15:00:00 on a +0100 clock.
    let at = |clock: &str, status: u16| {
        format!(
            "h - - [23/Nov/2026:{clock} +0100] \"GET /{clock} HTTP/1.1\" {status} 1\n"
        )
    };
    let log: String = ["13:59:59", "14:00:00", "14:59:59", "15:00:00"]
        .iter()
        .map(|c| at(c, 503))
        .chain([at("14:30:00", 501), at("14:30:00", 404)])
        .collect();
    let hour = |since: &str, until: &str| {
        let selection = Selection {
            since: Some(since.parse().expect("a time")),
            until: Some(until.parse().expect("a time")),
            ..Selection::default()
        };
        let found = chosen(log.as_bytes(), Format::Common, &selection);
        found.into_iter().map(|f| f.target).collect::<Vec<_>>()
    };
    // Without a zone: the log's own clock. With one: the instant.
    assert_eq!(
        hour("2026-11-23T14:00", "2026-11-23T15:00"),
        ["/14:00:00", "/14:59:59"]
    );
    assert_eq!(
        hour("2026-11-23T13:00Z", "2026-11-23 14:00:00+00:00"),
        ["/14:00:00", "/14:59:59"]
    );
    assert_eq!(
        hour("23/Nov/2026:14:00:00 +0100", "2026-11-23T15:00+0100"),
        ["/14:00:00", "/14:59:59"]
    );
    assert_eq!(
        hour("2026-11-23", "2026-11-24"),
        ["/13:59:59", "/14:00:00", "/14:59:59", "/15:00:00"]
    );
    for bad in [
        "",
        "yesterday",
        "2026-11-31",
        "2026-11-23T25:00",
        "2026-11-23T13:00+2500",
        "2026-11-23X",
        "é2026-11-23",
    ] {
        assert!(bad.parse::<When>().is_err(), "{bad:?}");
    }
}

#[test]
fn format_detection_picks_the_format_most_lines_are_in() {
    let lines = [LINES[1].line, LINES[2].line, "garbage", LINES[0].line];
    let found = detect(lines).expect("a format");
    assert_eq!(
        (found.format, found.parsed, found.looked_at),
        (Format::Combined, 2, 4)
    );
    assert_eq!(detect(["garbage", ""]), None);
    // A log in one format, read as another: refused before anything happens, with a
    // hint.
    let reader =
        Box::new(std::io::Cursor::new(format!("{}\n", LINES[1].line).into_bytes()));
    let refused = input::from_reader("access.log", reader, Some(Format::Common))
        .expect_err("wrong");
    assert!(refused.contains("try --format combined"), "{refused}");
    let reader = Box::new(std::io::Cursor::new(b"{\"json\": true}\n".to_vec()));
    let refused =
        input::from_reader("app.log", reader, None).expect_err("not a log");
    assert!(
        refused.contains("cannot read app.log: none of its first 1 lines"),
        "{refused}"
    );
}

#[test]
fn gzip_logs_are_read_as_they_are() {
    let mut log = Vec::new();
    SampleLog { lines: 500, ..SampleLog::default() }
        .write_to(&mut log)
        .expect("memory");
    let mut gz =
        flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(&log).expect("memory");
    let gz = gz.finish().expect("memory");
    let reader = Box::new(std::io::Cursor::new(gz));
    let opened =
        input::from_reader("access.log.2.gz", reader, None).expect("a gzip log");
    assert!(opened.gzip);
    let name = opened.name.clone();
    let mut targets = BTreeSet::new();
    scan(&name, opened.reader, opened.format, &Selection::default(), |f| {
        targets.insert((f.line_no, f.target));
        ControlFlow::Continue(())
    })
    .expect("it decompresses");
    let plain: BTreeSet<_> = chosen(&log, Format::Combined, &Selection::default())
        .into_iter()
        .map(|f| (f.line_no, f.target))
        .collect();
    assert_eq!(targets, plain);
    // A gzip file cut short is an error reading it, not a panic nor a silent end.
    let mut gz =
        flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(&log).expect("memory");
    let mut cut = gz.finish().expect("memory");
    cut.truncate(cut.len() / 2);
    let opened =
        input::from_reader("cut.gz", Box::new(std::io::Cursor::new(cut)), None)
            .expect("its head is fine");
    let result = scan(
        &opened.name,
        opened.reader,
        opened.format,
        &Selection::default(),
        |_| ControlFlow::Continue(()),
    );
    assert!(result.is_err(), "{result:?}");
}

proptest! {
    /// No line makes the parser or the scan panic, whatever its bytes, in any
    /// format; and format detection neither.
    #[test]
    fn no_line_panics(lines in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..200), 0..20)) {
        let mut log = Vec::new();
        for line in &lines {
            log.extend_from_slice(line);
            log.push(b'\n');
        }
        for format in Format::ALL {
            let report = scan(&"x".into(), &log[..], format, &Selection::default(), |_| ControlFlow::Continue(()));
            prop_assert!(report.is_ok());
        }
        let text: Vec<String> = lines.iter().map(|l| String::from_utf8_lossy(l).into_owned()).collect();
        let _ = detect(text.iter().map(String::as_str));
        let _ = input::from_reader("x", Box::new(std::io::Cursor::new(log)), None);
    }

    /// Lines close to real ones (fields shuffled, quotes and backslashes sprinkled
    /// in) do not make it panic either: random bytes rarely get past the first
    /// field.
    #[test]
    fn no_near_miss_panics(
        picks in proptest::collection::vec(0usize..12, 0..14),
        extra in "[ \"\\\\\\[\\]x0-9/:+-]{0,6}",
    ) {
        const PIECES: [&str; 12] = ["h", " ", "-", "[23/Nov/2026:13:55:36 +0000]", "\"GET /a HTTP/1.1\"",
            "503", "\"", "\\", "\\x2", "é", "[", "\"\\\"\""];
        let mut line: String = picks.iter().map(|&i| PIECES[i]).collect();
        line.push_str(&extra);
        for format in Format::ALL {
            if let Ok(parsed) = parse(&line, format) {
                let _ = parsed.target();
                prop_assert_eq!(parsed.to_string(), line.clone());
            }
        }
    }

    /// `--since`/`--until` values never panic either.
    #[test]
    fn no_time_panics(text in "\\PC{0,30}") {
        let _ = text.parse::<When>();
        let _ = parse_time(&text);
    }
}

#[test]
fn the_pages_three_lines_are_one_request() {
    use ch07_putting_it_together::formats::describe;
    let [common, combined, vhost] = [
        r#"203.0.113.9 - - [23/Nov/2026:13:55:36 +0100] "GET /items/17?src=feed HTTP/1.1" 503 -"#,
        r#"2001:db8::7 - - [23/Nov/2026:12:55:36 +0000] "GET /items/17?src=feed HTTP/2.0" 503 197 "https://example.com/?q=a b" "Mozilla/5.0 (say \x22hi\x22)""#,
        r#"shop.example.com:443 203.0.113.9 - - [23/Nov/2026:13:55:36 +0100] "GET /items/17?src=feed HTTP/1.1" 503 0 "-" "curl/8.5.0 \"test\"""#,
    ]
    .map(describe);
    assert_eq!(
        common,
        "common         GET /items/17?src=feed -> 503 at 12:55:36 UTC"
    );
    assert_eq!(
        combined,
        "combined       GET /items/17?src=feed -> 503 at 12:55:36 UTC"
    );
    assert_eq!(
        vhost,
        "vhost_combined GET /items/17?src=feed -> 503 at 12:55:36 UTC"
    );
}
