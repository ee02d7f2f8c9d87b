//! A JSON retry log reads back whatever its strings hold, so `--resume` recognises
//! every record it wrote, a Windows path or a quote in the log's name included.
use ch07_putting_it_together::record::{Outcome, Record};

#[test]
fn json_records_with_escapes_read_back() {
    for log in [r"C:\logs\access.log", "a \"quoted\" name.log", "plain.log"] {
        let record = Record {
            log: log.into(),
            line_no: 7,
            method: "GET".to_owned(),
            url: "/items/7?q=a%22b&retry=true".to_owned(),
            was: 503,
            time: "23/Nov/2026:13:55:36 +0000".to_owned(),
            outcome: Outcome::Status(200),
            attempts: 2,
        };
        let line = record.to_json();
        assert_eq!(Record::parse(&line), Some(record), "{line}");
    }
}
