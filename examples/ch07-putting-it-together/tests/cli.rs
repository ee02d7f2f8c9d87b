//! The tool as a user meets it: a real process, real files, a real server. Ctrl-C
//! at any moment, then `--resume`, loses nothing and sends nothing twice; bad input
//! is refused in one line before the output is touched.
use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use ch07_putting_it_together::generate::SplitMix;
use ch07_putting_it_together::record::{Outcome, Record};
use local_server::{Config, Fault, LocalServer};

const TOOL: &str = env!("CARGO_BIN_EXE_05_retry_tool");

/// A new temporary folder for one test, removed at the end.
struct Dir(tempfile::TempDir);

impl Dir {
    fn new() -> Dir {
        Dir(tempfile::Builder::new()
            .prefix("ch07-cli-")
            .tempdir()
            .expect("a temporary folder"))
    }

    fn path(&self, name: &str) -> PathBuf {
        self.0.path().join(name)
    }

    fn arg(&self, name: &str) -> String {
        self.path(name).to_string_lossy().into_owned()
    }

    fn write(&self, name: &str, text: &str) -> String {
        std::fs::write(self.path(name), text).expect("a temporary file");
        self.arg(name)
    }
}

fn line(id: u64, status: u16) -> String {
    format!(
        "10.0.0.1 - - [23/Nov/2026:13:55:36 +0000] \"GET /items/{id} HTTP/1.1\" {status} 12 \"-\" \"curl/8.5.0\"\n"
    )
}

fn five_xx_lines(ids: impl IntoIterator<Item = u64>) -> String {
    ids.into_iter().map(|id| line(id, 503)).collect()
}

/// Runs the tool to the end on the blocking pool, so the test's server keeps
/// serving.
async fn tool(args: Vec<String>) -> Output {
    tokio::task::spawn_blocking(move || {
        Command::new(TOOL).args(args).output().expect("the tool's binary starts")
    })
    .await
    .expect("the waiting task does not panic")
}

fn args(list: &[&str]) -> Vec<String> {
    list.iter().map(|a| (*a).to_owned()).collect()
}

fn records(path: &PathBuf) -> (String, Vec<Record>) {
    let text = std::fs::read_to_string(path).expect("the retry log exists");
    assert!(
        text.is_empty() || text.ends_with('\n'),
        "the last line is cut: {text:?}"
    );
    let records = text
        .lines()
        .map(|l| {
            Record::parse(l)
                .unwrap_or_else(|| panic!("a partial or bad line: {l:?}"))
        })
        .collect();
    (text, records)
}

/// Status 2 and one line of error that names what was wrong.
fn refused(out: &Output, says: &str) {
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
    assert!(stderr.starts_with("error: "), "{stderr}");
    assert!(stderr.contains(says), "{says:?} in {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

/// Sends SIGINT, as Ctrl-C in a terminal does. The process may have ended just
/// before: then there is nobody to interrupt, and `kill` says so.
fn interrupt(pid: u32) {
    let _ = Command::new("kill")
        .args(["-INT", &pid.to_string()])
        .stderr(Stdio::null())
        .status();
}

/// A local server that answers every request after 1 ms.
async fn fast_server() -> LocalServer {
    LocalServer::start(Config::default().with_latency(Duration::from_millis(1)))
        .await
        .expect("a loopback server")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ctrl_c_at_random_moments_then_resume_loses_nothing_and_sends_nothing_twice()
 {
    let server = LocalServer::start(
        Config::default()
            .with_latency(Duration::from_millis(150))
            .with_fault(3, Fault::FailTimes(1))
            .with_fault(8, Fault::FailTimes(2))
            .with_fault(5, Fault::Status(500)),
    )
    .await
    .expect("a loopback server");
    let dir = Dir::new();
    // 60 requests, then 10 lines that repeat earlier ones.
    let log =
        dir.write("access.log", &(five_xx_lines(0..60) + &five_xx_lines(0..10)));
    let output = dir.arg("retry.log");
    let command = |server: &LocalServer| {
        let mut command = Command::new(TOOL);
        command
            .args(["--input", &log, "--output", &output, "--resume"])
            .args([
                "--server",
                &server.url(""),
                "--concurrency",
                "4",
                "--rate",
                "100",
            ])
            .args(["--timeout", "2", "--max-attempts", "3"])
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        command
    };
    let mut rng = SplitMix::new(20_261_123);
    let mut interrupted = 0;
    for round in 0..8 {
        let child = command(&server).spawn().expect("the tool starts");
        let pid = child.id();
        let first = Duration::from_millis(50 + rng.below(1200));
        let second =
            (rng.below(2) == 0).then(|| Duration::from_millis(rng.below(300)));
        tokio::time::sleep(first).await;
        interrupt(pid);
        if let Some(second) = second {
            tokio::time::sleep(second).await;
            interrupt(pid);
        }
        let out = tokio::task::spawn_blocking(move || child.wait_with_output())
            .await
            .expect("the waiting task does not panic")
            .expect("the tool ends");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "round {round}: {stderr}");
        match out.status.code() {
            Some(130) => {
                interrupted += 1;
                // What the page shows: one line per Ctrl-C, and one at the end.
                assert!(
                    stderr.starts_with("stopping: reading no more lines"),
                    "{stderr}"
                );
                let last = stderr.lines().last().unwrap_or_default();
                assert!(
                    last.starts_with("interrupted: the requests under way"),
                    "{stderr}"
                );
                if last.contains("abandoned") {
                    assert!(
                        stderr.contains("abandoning the requests under way"),
                        "{stderr}"
                    );
                }
            }
            Some(0 | 3) => {} // it finished before the Ctrl-C
            None => {} // killed before it listened for Ctrl-C: nothing sent yet
            other => panic!("round {round}: exit {other:?}: {stderr}"),
        }
    }
    assert!(interrupted >= 3, "only {interrupted} rounds were interrupted mid-run");
    // Then once more, to the end.
    let out = tokio::task::spawn_blocking({
        let mut command = command(&server);
        move || command.output()
    })
    .await
    .expect("the waiting task does not panic")
    .expect("the tool ends");
    // This run's status is about the requests it sent: 3 if item 5 was among them.
    assert!(matches!(out.status.code(), Some(0 | 3)), "{out:?}");

    let (_, records) = records(&dir.path("retry.log"));
    // Every chosen line has exactly one final record.
    let mut finals: BTreeMap<u64, &Record> = BTreeMap::new();
    for record in records.iter().filter(|r| r.outcome.is_final()) {
        assert!(
            finals.insert(record.line_no, record).is_none(),
            "two final records: {record}"
        );
    }
    assert_eq!(
        finals.keys().copied().collect::<Vec<_>>(),
        (1..=70).collect::<Vec<_>>()
    );
    // The server saw each item no more often than the records say (counting the
    // attempts of the interrupted ones), and at least as often as the final records
    // say.
    let mut said_max: BTreeMap<u64, u64> = BTreeMap::new();
    let mut said_min: BTreeMap<u64, u64> = BTreeMap::new();
    for record in &records {
        let id = record.line_no.checked_sub(1).map(|n| n % 60).unwrap_or(0);
        *said_max.entry(id).or_default() += u64::from(record.attempts);
        if record.outcome.is_final() {
            *said_min.entry(id).or_default() += u64::from(record.attempts);
        }
    }
    for id in 0..60 {
        let seen = server.requests_for(id);
        let (low, high) = (said_min[&id], said_max[&id]);
        assert!(
            (low..=high).contains(&seen),
            "item {id}: seen {seen}, records say {low}..={high}"
        );
    }
    for line in 61..=70 {
        assert_eq!(finals[&line].outcome, Outcome::Duplicate);
    }
    assert_eq!(finals[&6].outcome, Outcome::Status(500));
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_lines_are_reported_by_number_and_the_rest_refired() {
    let server = fast_server().await;
    let dir = Dir::new();
    let mut log = five_xx_lines(1..=3);
    log.push_str("-- log rotated --\n");
    log.push_str(&five_xx_lines(4..=5));
    log.push_str(
        "10.0.0.1 - - [23/Nov/2026:13:55:36 +0000] \"GET /items/9 HTTP/1.1\"\n",
    );
    let input = dir.write("access.log", &log);
    let output = dir.arg("retry.log");
    let out = tool(args(&[
        "--input",
        &input,
        "--output",
        &output,
        "--server",
        &server.url(""),
    ]))
    .await;

    assert!(out.status.success(), "{out:?}");
    assert!(out.stderr.is_empty(), "{out:?}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("7 lines, 2 malformed, 5 chosen"), "{stdout}");
    assert!(stdout.contains("line 4: no [time]"), "{stdout}");
    assert!(stdout.contains("line 7: status is not a number"), "{stdout}");
    assert_eq!(records(&dir.path("retry.log")).1.len(), 5);
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_log_mostly_malformed_fails_and_suggests_a_format() {
    let server = fast_server().await;
    let dir = Dir::new();
    // The first lines are combined; after them, 100 lines in common format.
    let common: String = (0..100)
        .map(|id| {
            format!(
                "10.0.0.1 - - [23/Nov/2026:13:55:36 +0000] \"GET /items/{id} HTTP/1.1\" 503 -\n"
            )
        })
        .collect();
    let input = dir.write("access.log", &(five_xx_lines(0..20) + &common));
    let out = tool(args(&[
        "--input",
        &input,
        "--output",
        &dir.arg("retry.log"),
        "--server",
        &server.url(""),
    ]))
    .await;
    refused(&out, "most lines of");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("(100 of 120)") && stderr.contains("try --format common"),
        "{stderr}"
    );
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn inputs_that_cannot_be_read_are_refused_before_the_output_is_touched() {
    let dir = Dir::new();
    let log = dir.write("access.log", &five_xx_lines(0..3));
    let output = dir.arg("retry.log");
    let server = "http://127.0.0.1:9";
    let cases = [
        (
            vec!["--input", "/no-such-folder/access.log"],
            "cannot open /no-such-folder/access.log",
        ),
        (
            vec!["--input", dir.0.path().to_str().expect("UTF-8")],
            "is a folder, not a log file",
        ),
        (vec!["--input", &log, "--format", "common"], "try --format combined"),
    ];
    for (input, says) in cases {
        let mut list = input.clone();
        list.extend(["--output", &output, "--server", server]);
        let out = tool(args(&list)).await;
        refused(&out, says);
        assert!(!dir.path("retry.log").exists(), "{says}: the output was created");
    }
    let binary = dir.write("binary.log", "\u{0}\u{1}\u{2} not a log\n");
    let out =
        tool(args(&["--input", &binary, "--output", &output, "--server", server]))
            .await;
    refused(&out, "cannot read");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_output_may_not_be_an_input_by_any_name() {
    let dir = Dir::new();
    let text = five_xx_lines(0..3);
    let log = dir.write("access.log", &text);
    std::fs::hard_link(dir.path("access.log"), dir.path("hard.log"))
        .expect("a hard link");
    #[cfg(unix)]
    std::os::unix::fs::symlink(dir.path("access.log"), dir.path("soft.log"))
        .expect("a link");
    let dotted = format!("{}/./access.log", dir.0.path().display());
    for output in [log.clone(), dotted, dir.arg("hard.log"), dir.arg("soft.log")] {
        if !PathBuf::from(&output).exists() {
            continue; // no symbolic links here
        }
        let out = tool(args(&[
            "--input",
            &log,
            "--output",
            &output,
            "--server",
            "http://127.0.0.1:9",
        ]))
        .await;
        refused(&out, "is also an input");
        assert_eq!(
            std::fs::read_to_string(&log).expect("the log"),
            text,
            "the input is intact"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_retry_log_is_never_replaced() {
    let server = fast_server().await;
    let dir = Dir::new();
    let log = dir.write("access.log", &five_xx_lines(0..3));
    let output = dir.arg("retry.log");
    let run = |resume: bool| {
        let mut list = args(&[
            "--input",
            &log,
            "--output",
            &output,
            "--server",
            &server.url(""),
        ]);
        if resume {
            list.push("--resume".into());
        }
        tool(list)
    };
    assert!(run(false).await.status.success());
    let (before, _) = records(&dir.path("retry.log"));
    // The same command again: refused, the file untouched.
    refused(&run(false).await, "already holds 3 records: add --resume");
    assert_eq!(records(&dir.path("retry.log")).0, before);
    // --resume: nothing left to send; the file is kept as it was.
    let requests = server.stats().requests;
    let out = run(true).await;
    assert!(out.status.success(), "{out:?}");
    assert!(
        String::from_utf8_lossy(&out.stdout)
            .contains("already recorded, not sent again: 3")
    );
    assert_eq!(records(&dir.path("retry.log")).0, before);
    assert_eq!(server.stats().requests, requests);
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_is_checked_before_the_output_is_touched() {
    let dir = Dir::new();
    let log = dir.write("access.log", &five_xx_lines(0..3));
    let output = dir.arg("retry.log");
    refused(
        &tool(args(&[
            "--input",
            &log,
            "--output",
            &output,
            "--server",
            "127.0.0.1:8766",
        ]))
        .await,
        "give the scheme too, as in http://127.0.0.1:8766",
    );
    // Nothing listens on a port we bound and let go of.
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a port")
        .port();
    let server = format!("http://127.0.0.1:{port}");
    let out =
        tool(args(&["--input", &log, "--output", &output, "--server", &server]))
            .await;
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with("error: cannot connect to 127.0.0.1:")
            && stderr.lines().count() == 1,
        "{stderr}"
    );
    assert!(!dir.path("retry.log").exists());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn when_every_attempt_cannot_connect_it_says_so_and_fails() {
    // A listener that takes the tool's first connection (its check), then goes
    // away.
    let listener = TcpListener::bind("127.0.0.1:0").expect("a port");
    let server = format!("http://{}", listener.local_addr().expect("an address"));
    let gone = std::thread::spawn(move || drop(listener.accept()));
    let dir = Dir::new();
    let log = dir.write("access.log", &five_xx_lines(0..3));
    let output = dir.arg("retry.log");
    let out = tool(args(&[
        "--input",
        &log,
        "--output",
        &output,
        "--server",
        &server,
        "--max-attempts",
        "2",
    ]))
    .await;
    gone.join().expect("the listener thread ends");
    assert_eq!(out.status.code(), Some(3), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("every request failed to connect"), "{stderr}");
    let (_, records) = records(&dir.path("retry.log"));
    assert!(
        records.iter().all(|r| r.outcome == Outcome::Connect && r.attempts == 2)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dry_run_lists_the_requests_and_sends_and_writes_nothing() {
    let server =
        LocalServer::start(Config::default()).await.expect("a loopback server");
    let dir = Dir::new();
    let mut log = five_xx_lines([1, 2, 1]);
    log.push_str(&line(4, 404));
    log.push_str(&line(5, 501));
    log.push_str(&line(6, 500).replace("GET", "POST"));
    let input = dir.write("access.log", &log);
    let out = tool(args(&[
        "--input",
        &input,
        "--output",
        &dir.arg("retry.log"),
        "--server",
        &server.url(""),
        "--dry-run",
    ]))
    .await;
    assert!(out.status.success(), "{out:?}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let base = server.url("");
    let base = base.trim_end_matches('/');
    let expected = format!(
        "GET {base}/items/1?retry=true  ({input} line 1)\nGET {base}/items/2?retry=true  ({input} line 2)\n"
    );
    assert!(stdout.starts_with(&expected), "{stdout}");
    assert!(
        stdout.contains(
            "would send 2 requests (not sending 1 duplicates, 1 skipped by method"
        ),
        "{stdout}"
    );
    assert_eq!(server.stats().requests, 0);
    assert!(!dir.path("retry.log").exists());
    server.shutdown().await;
}

/// A server that answers every request with a redirect, and hands back what it was
/// sent.
fn redirecting_server() -> (String, std::thread::JoinHandle<Vec<String>>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a port");
    let url = format!("http://{}", listener.local_addr().expect("an address"));
    let seen = std::thread::spawn(move || {
        let _ = listener.set_nonblocking(false);
        let mut requests = Vec::new();
        // The tool's check (a connection, no request), then the requests.
        for _ in 0..3 {
            let Ok((mut stream, _)) = listener.accept() else {
                break;
            };
            let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
            let mut request = Vec::new();
            let mut buf = [0; 4096];
            while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                match stream.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => request.extend_from_slice(&buf[..n]),
                }
            }
            if request.is_empty() {
                continue;
            }
            requests.push(String::from_utf8_lossy(&request).into_owned());
            let answer = "HTTP/1.1 301 Moved Permanently\r\nLocation: http://127.0.0.1:9/elsewhere\r\n\
                          Content-Length: 0\r\nConnection: close\r\n\r\n";
            let _ = stream.write_all(answer.as_bytes());
        }
        requests
    });
    (url, seen)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn headers_are_sent_and_redirects_not_followed() {
    let (server, seen) = redirecting_server();
    let dir = Dir::new();
    let log = dir.write("access.log", &five_xx_lines([7, 8]));
    let output = dir.arg("retry.log");
    let out = tool(args(&[
        "--input",
        &log,
        "--output",
        &output,
        "--server",
        &server,
        "--concurrency",
        "1",
        "--header",
        "Host: shop.example.com",
        "--header",
        "Authorization: Bearer s3cret",
        "--json",
    ]))
    .await;
    assert!(out.status.success(), "a 301 is an answer: {out:?}");
    let requests = seen.join().expect("the server thread ends");
    assert_eq!(
        requests.len(),
        2,
        "one request per line, no hop to the Location: {requests:?}"
    );
    for request in &requests {
        let lower = request.to_ascii_lowercase();
        assert!(lower.starts_with("get /items/"), "{request}");
        assert!(lower.contains("\r\nhost: shop.example.com\r\n"), "{request}");
        assert!(
            lower.contains("\r\nauthorization: bearer s3cret\r\n"),
            "{request}"
        );
        assert!(lower.contains("\r\nuser-agent: ch07-retry-tool/"), "{request}");
    }
    // --json: one object per line, read back as records.
    let (text, records) = records(&dir.path("retry.log"));
    assert!(text.starts_with('{'), "{text}");
    assert!(
        records
            .iter()
            .all(|r| r.outcome == Outcome::Status(301) && r.attempts == 1)
    );
    assert!(
        records
            .iter()
            .all(|r| r.time == "23/Nov/2026:13:55:36 +0000" && r.was == 503)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn trace_prints_a_span_per_request_and_attempt() {
    let server =
        LocalServer::start(Config::default().with_fault(2, Fault::FailTimes(1)))
            .await
            .expect("a loopback server");
    let dir = Dir::new();
    let log = dir.write("access.log", &five_xx_lines([1, 2]));
    let output = dir.arg("retry.log");
    let out = tool(args(&[
        "--input",
        &log,
        "--output",
        &output,
        "--server",
        &server.url(""),
        "--trace",
    ]))
    .await;
    assert!(out.status.success(), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let closes: Vec<&str> =
        stderr.lines().filter(|l| l.contains(": close time.busy=")).collect();
    let attempts = closes.iter().filter(|l| l.contains(":attempt{n=")).count();
    assert_eq!(attempts, 3, "item 2 fails once, so two attempts: {stderr}");
    assert_eq!(closes.len() - attempts, 2, "one span per request: {stderr}");
    assert!(
        !stderr.contains("hyper"),
        "the HTTP library's own events stay out: {stderr}"
    );
    assert!(stderr.contains("time.busy"), "{stderr}");
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_bad_flag_value_is_one_line_and_status_2() {
    let dir = Dir::new();
    let log = dir.write("access.log", &five_xx_lines(0..3));
    let output = dir.arg("retry.log");
    let base = ["--input", log.as_str(), "--output", output.as_str()];
    for (flag, value) in [
        ("--concurrency", "0"),
        ("--concurrency", "many"),
        ("--rate", "-1"),
        ("--rate", "0"),
        ("--per", "0"),
        ("--per", "forever"),
        ("--timeout", "0"),
        ("--timeout", "-2"),
        ("--timeout", "NaN"),
        ("--max-attempts", "0"),
        ("--max-attempts", "100"),
        ("--format", "json"),
        ("--status", "5xx"),
        ("--status", "600"),
        ("--status", "504-502"),
        ("--since", "yesterday"),
        ("--until", "2026-13-01"),
        ("--methods", "get"),
        ("--header", "no colon"),
        ("--header", "Bad Name: x"),
        ("--server", "127.0.0.1:8766"),
        ("--server", "https://example.com"),
        ("--server", "http://127.0.0.1:9/api"),
        ("--server", "http://"),
        ("--seed", "-1"),
        ("--concurrency", "-3"),
    ] {
        let mut list: Vec<&str> = base.to_vec();
        if flag != "--server" {
            list.extend(["--server", "http://127.0.0.1:9"]);
        }
        list.extend([flag, value]);
        let out = tool(args(&list)).await;
        refused(&out, &format!("invalid value '{value}' for '{flag}"));
        assert!(
            !dir.path("retry.log").exists(),
            "{flag} {value}: the output was created"
        );
    }
    for (list, says) in [
        (vec!["--input", log.as_str(), "--output", output.as_str()], "--server"),
        (
            vec!["--output", output.as_str(), "--server", "http://127.0.0.1:9"],
            "--input",
        ),
        (
            vec!["--input", log.as_str(), "--server", "http://127.0.0.1:9"],
            "--output",
        ),
        (vec!["--demo", "--input", log.as_str()], "cannot be used with"),
        (vec!["--no-such-flag"], "unexpected argument '--no-such-flag'"),
    ] {
        refused(&tool(args(&list)).await, says);
    }
}

#[test]
fn help_is_not_an_error() {
    let out = Command::new(TOOL).arg("--help").output().expect("the tool starts");
    assert!(out.status.success());
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(help.contains("--resume") && help.contains("--dry-run"), "{help}");
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(24))]

    /// Whatever the lines of the log, good ones mixed with arbitrary bytes, the
    /// real binary ends with a status it documents, never a panic.
    #[test]
    fn the_binary_never_panics_on_any_log(
        lines in proptest::collection::vec(
            proptest::prop_oneof![
                proptest::collection::vec(proptest::prelude::any::<u8>(), 0..120),
                proptest::strategy::Strategy::prop_map(0u64..50, |id| line(id, 503).into_bytes()),
            ],
            0..30,
        ),
    ) {
        let dir = Dir::new();
        let mut log = Vec::new();
        for line in &lines {
            log.extend_from_slice(line);
            log.push(b'\n');
        }
        std::fs::write(dir.path("access.log"), &log).expect("a temporary file");
        let out = Command::new(TOOL)
            .args(["--input", &dir.arg("access.log"), "--server", "http://127.0.0.1:9", "--dry-run"])
            .output()
            .expect("the tool starts");
        let stderr = String::from_utf8_lossy(&out.stderr);
        proptest::prop_assert!(!stderr.contains("panicked"), "{}", stderr);
        proptest::prop_assert!(matches!(out.status.code(), Some(0 | 2)), "{:?}", out);
    }
}
