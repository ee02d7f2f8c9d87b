//! The tool as a user meets it: a real process, real files, a real server. Ctrl-C leaves a
//! retry log of whole lines; bad input is reported, not fatal; bad paths and flags are
//! one clear error.
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use ch07_putting_it_together::refire::Record;
use local_server::{Config, LocalServer};

const TOOL: &str = env!("CARGO_BIN_EXE_05_retry_tool");

/// A file path of this test's own, in a new temporary folder removed at the end.
struct TempFile {
    path: PathBuf,
    _dir: tempfile::TempDir,
}

impl TempFile {
    fn new(name: &str) -> TempFile {
        let dir = tempfile::Builder::new()
            .prefix("ch07-cli-")
            .tempdir()
            .expect("the temporary folder is writable");
        TempFile {
            path: dir.path().join(name),
            _dir: dir,
        }
    }

    fn arg(&self) -> String {
        self.path.to_string_lossy().into_owned()
    }
}

fn five_xx_lines(n: u64) -> String {
    (1..=n)
        .map(|id| {
            format!(
                "10.0.0.1 - - [23/Nov/2026:13:55:36 +0000] \"GET /items/{id} HTTP/1.1\" 503 12\n"
            )
        })
        .collect()
}

/// Runs the tool to the end on the blocking pool, so the test's server keeps serving.
async fn tool(args: Vec<String>) -> Output {
    tokio::task::spawn_blocking(move || {
        Command::new(TOOL)
            .args(args)
            .output()
            .expect("the tool's binary starts")
    })
    .await
    .expect("the waiting task does not panic")
}

fn records(path: &TempFile) -> (String, Vec<Record>) {
    let text = std::fs::read_to_string(&path.path).expect("the retry log exists");
    let records = text
        .lines()
        .map(|l| Record::parse(l).unwrap_or_else(|| panic!("a partial or bad line: {l:?}")))
        .collect();
    (text, records)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ctrl_c_leaves_whole_lines_and_says_how_many() {
    let server = LocalServer::start(Config::default().with_latency(Duration::from_millis(300)))
        .await
        .expect("a loopback server");
    let input = TempFile::new("sigint-access.log");
    let output = TempFile::new("sigint-retry.log");
    std::fs::write(&input.path, five_xx_lines(200)).expect("a temporary file");

    let child = Command::new(TOOL)
        .args(["--input", &input.arg(), "--output", &output.arg()])
        .args(["--server", &server.url(""), "--concurrency", "2"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the tool's binary starts");
    // Wait until a few requests are done, then interrupt, as Ctrl-C would.
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let done = std::fs::read_to_string(&output.path).map_or(0, |t| t.lines().count());
        if done >= 3 {
            break;
        }
        assert!(Instant::now() < deadline, "no progress in 30 s");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success());
    let finished = tokio::task::spawn_blocking(move || child.wait_with_output())
        .await
        .expect("the waiting task does not panic")
        .expect("the tool ends");

    assert_eq!(finished.status.code(), Some(130), "{finished:?}");
    let stderr = String::from_utf8_lossy(&finished.stderr);
    let (text, records) = records(&output);
    assert!(text.ends_with('\n'), "the last line is cut: {text:?}");
    assert!(records.len() < 200, "it should have stopped early");
    assert!(
        stderr.contains(&format!(
            "interrupted: {} requests refired and logged",
            records.len()
        )),
        "{stderr}"
    );
    // Each line is a different request of the log.
    let mut lines: Vec<u64> = records.iter().map(|r| r.line_no).collect();
    lines.sort_unstable();
    lines.dedup();
    assert_eq!(lines.len(), records.len());
    // The summary on stdout counts the same lines.
    let stdout = String::from_utf8_lossy(&finished.stdout);
    assert!(
        stdout.contains(&format!("({} lines)", records.len())),
        "{stdout}"
    );
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_lines_are_reported_by_number_and_the_rest_refired() {
    let server = LocalServer::start(Config::default().with_latency(Duration::from_millis(1)))
        .await
        .expect("a loopback server");
    let input = TempFile::new("malformed-access.log");
    let output = TempFile::new("malformed-retry.log");
    let mut log = five_xx_lines(3);
    log.push_str("-- log rotated --\n");
    log.push_str(&five_xx_lines(2));
    log.push_str("10.0.0.1 - - [23/Nov/2026:13:55:36 +0000] \"GET /items/9 HTTP/1.1\"\n");
    std::fs::write(&input.path, log).expect("a temporary file");

    let out = tool(vec![
        "--input".into(),
        input.arg(),
        "--output".into(),
        output.arg(),
        "--server".into(),
        server.url(""),
    ])
    .await;

    assert!(out.status.success(), "{out:?}");
    assert!(out.stderr.is_empty(), "{out:?}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("read 7 lines: 5 with a 5xx status, 2 malformed"),
        "{stdout}"
    );
    assert!(stdout.contains("malformed line 4: no [time]"), "{stdout}");
    assert!(
        stdout.contains("malformed line 7: no quoted request"),
        "{stdout}"
    );
    let (_, records) = records(&output);
    assert_eq!(records.len(), 5);
    server.shutdown().await;
}

fn one_line_error(out: &Output) -> String {
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
    assert!(stderr.starts_with("error: "), "{stderr}");
    stderr
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_input_is_one_line_and_writes_nothing() {
    let output = TempFile::new("missing-retry.log");
    let out = tool(vec![
        "--input".into(),
        "/no-such-folder/access.log".into(),
        "--output".into(),
        output.arg(),
        "--server".into(),
        "http://127.0.0.1:9".into(),
    ])
    .await;
    let stderr = one_line_error(&out);
    assert!(
        stderr.contains("cannot open /no-such-folder/access.log"),
        "{stderr}"
    );
    assert!(!output.path.exists());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unwritable_output_is_one_line_and_sends_nothing() {
    let server = LocalServer::start(Config::default())
        .await
        .expect("a loopback server");
    let input = TempFile::new("unwritable-access.log");
    std::fs::write(&input.path, five_xx_lines(5)).expect("a temporary file");
    let out = tool(vec![
        "--input".into(),
        input.arg(),
        "--output".into(),
        "/no-such-folder/retry.log".into(),
        "--server".into(),
        server.url(""),
    ])
    .await;
    let stderr = one_line_error(&out);
    assert!(
        stderr.contains("cannot create /no-such-folder/retry.log"),
        "{stderr}"
    );
    assert_eq!(server.stats().requests, 0);
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_flag_values_are_refused_by_name() {
    for (flag, value) in [
        ("--concurrency", "0"),
        ("--concurrency", "many"),
        ("--rate", "-1"),
        ("--rate", "0"),
        ("--timeout", "0"),
        ("--timeout", "-2"),
        ("--max-attempts", "0"),
    ] {
        let out = tool(vec!["--demo".into(), flag.into(), value.into()]).await;
        assert_eq!(out.status.code(), Some(2), "{flag} {value}: {out:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains(&format!("invalid value '{value}' for '{flag}")),
            "{flag} {value}: {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
    // --per needs --rate.
    let out = tool(vec!["--demo".into(), "--per".into(), "2".into()]).await;
    assert_eq!(out.status.code(), Some(2));
}
