//! The `serve` binary: a port of your choice, faults from the command line, a
//! summary on Ctrl-C.
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use reqwest::StatusCode;

const SERVE: &str = env!("CARGO_BIN_EXE_serve");

#[tokio::test]
async fn serve_answers_with_the_faults_it_was_given_and_reports_on_ctrl_c() {
    let mut child = Command::new(SERVE)
        .args([
            "--port",
            "0",
            "--latency-ms",
            "1",
            "--status",
            "13=500",
            "--fail-times",
            "5=1",
        ])
        .stdout(Stdio::piped())
        .spawn()
        .expect("serve starts");
    let mut stdout = BufReader::new(child.stdout.take().expect("piped"));
    let mut first = String::new();
    stdout.read_line(&mut first).expect("serve prints its address");
    let url = first
        .strip_prefix("serving ")
        .and_then(|rest| rest.split(' ').next())
        .expect("serving http://127.0.0.1:PORT")
        .to_owned();
    let client = reqwest::Client::builder().no_proxy().build().expect("a client");
    let status = |path: &'static str| {
        let request = client.get(format!("{url}{path}"));
        async move { request.send().await.expect("an answer").status() }
    };
    assert_eq!(status("/items/13").await, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(status("/items/5").await, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(status("/items/5").await, StatusCode::OK);
    assert_eq!(status("/items/1").await, StatusCode::OK);

    let sent =
        Command::new("kill").args(["-INT", &child.id().to_string()]).status();
    assert!(sent.expect("kill runs").success());
    let mut rest = String::new();
    stdout.read_line(&mut rest).expect("the summary");
    assert_eq!(
        rest.trim(),
        "served 4 requests, 0 refused with 429, at most 1 at once"
    );
    assert!(child.wait().expect("serve ends").success());
}

#[test]
fn bad_flags_are_refused() {
    for args in [["--status", "13"], ["--rate", "0"], ["--port", "http"]] {
        let out = Command::new(SERVE).args(args).output().expect("serve starts");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
    }
}
