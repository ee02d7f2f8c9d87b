// The retry tool's command line: every flag, its default, and how a bad value is
// refused (one line, exit status 2) before anything is read, sent or written.
use std::path::PathBuf;
use std::time::Duration;

use ch07_putting_it_together::select::{
    DEFAULT_METHODS, DEFAULT_STATUSES, MethodSet, StatusSet, When,
};
use clap::Parser;
use reqwest::header::{HeaderName, HeaderValue};

// ANCHOR: args
/// Fires again the requests of web server logs that failed (5xx), and appends one
/// line per request to a retry log.
#[derive(Debug, Parser)]
#[command(name = "05_retry_tool")]
pub struct Args {
    /// The logs to read, in order (`-`: standard input). Gzip files are read as
    /// they are.
    #[arg(long, value_name = "PATH", num_args = 1..,
          required_unless_present = "demo")]
    pub input: Vec<String>,
    /// The retry log, appended to (it must be new or empty, unless --resume).
    #[arg(long, value_name = "PATH",
          required_unless_present_any = ["demo", "dry_run"])]
    pub output: Option<PathBuf>,
    /// The server to fire at: scheme, host and port, e.g. http://127.0.0.1:3000.
    #[arg(long, value_name = "URL", value_parser = server_url,
          required_unless_present = "demo")]
    pub server: Option<reqwest::Url>,
    /// Continue the retry log: lines it already holds a final record for are not
    /// sent.
    #[arg(long)]
    pub resume: bool,
    /// List what would be sent, and send nothing, write nothing.
    #[arg(long)]
    pub dry_run: bool,
    // ANCHOR_END: args
    // ANCHOR: choose
    /// The logs' format: auto, common, combined or vhost_combined.
    #[arg(long, value_name = "FORMAT", default_value = "auto", value_parser = format)]
    pub format: FormatArg,
    /// The statuses to fire again, e.g. 500,502-504.
    #[arg(long, value_name = "LIST", default_value = DEFAULT_STATUSES)]
    pub status: StatusSet,
    /// Only lines logged at or after this time, e.g. 2026-11-23T13:00 (the log's
    /// own clock).
    #[arg(long, value_name = "TIME")]
    pub since: Option<When>,
    /// Only lines logged before this time, e.g. 2026-11-23T14:00.
    #[arg(long, value_name = "TIME")]
    pub until: Option<When>,
    /// The methods to send again; lines with others are recorded as skipped.
    #[arg(long, value_name = "LIST", default_value = DEFAULT_METHODS)]
    pub methods: MethodSet,
    /// Send a request again even when an earlier line asked for the same thing.
    #[arg(long)]
    pub keep_duplicates: bool,
    // ANCHOR_END: choose
    // ANCHOR: limits
    /// Attempts in flight at once, at most.
    #[arg(long, value_name = "N", default_value_t = 8,
          allow_negative_numbers = true,
          value_parser = clap::value_parser!(u16).range(1..))]
    pub concurrency: u16,
    /// At most R attempts start per --per seconds.
    #[arg(long, value_name = "R", default_value_t = 10,
          allow_negative_numbers = true,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub rate: u32,
    /// The period of --rate, in seconds.
    #[arg(long, value_name = "SECONDS", default_value = "1",
          allow_negative_numbers = true,
          value_parser = seconds)]
    pub per: Duration,
    /// How long one attempt may take, in seconds.
    #[arg(long, value_name = "SECONDS", default_value = "5",
          allow_negative_numbers = true,
          value_parser = seconds)]
    pub timeout: Duration,
    /// Attempts per request in all, the first included.
    #[arg(long, value_name = "N", default_value_t = 4,
          allow_negative_numbers = true,
          value_parser = clap::value_parser!(u32).range(1..=20))]
    pub max_attempts: u32,
    /// A header for every request, e.g. "Authorization: Bearer …" or "Host:
    /// shop.example.com".
    #[arg(long, value_name = "NAME: VALUE", value_parser = header)]
    pub header: Vec<(HeaderName, HeaderValue)>,
    // ANCHOR_END: limits
    /// Write each record as one JSON object.
    #[arg(long)]
    pub json: bool,
    /// Print a span for every request and attempt on stderr, with the time each
    /// took.
    #[arg(long)]
    pub trace: bool,
    /// Seeds the jitter of the waits between attempts.
    #[arg(long, default_value_t = 1, allow_negative_numbers = true)]
    pub seed: u64,
    /// Try it out: write a sample log and start a local server that still fails
    /// some requests, then fire at it (files go to a new temporary folder).
    #[arg(long, conflicts_with_all = ["input", "server"])]
    pub demo: bool,
}

// ANCHOR: server_url
/// `http://host:port`, and nothing after it: the log's targets are added to it as
/// they are.
pub fn server_url(text: &str) -> Result<reqwest::Url, String> {
    if !text.contains("://") {
        return Err(format!("give the scheme too, as in http://{text}"));
    }
    let url = reqwest::Url::parse(text).map_err(|e| format!("not a URL: {e}"))?;
    if url.scheme() != "http" {
        return Err(format!(
            "{}:// is not supported: this build speaks plain http \
             (the book's reqwest has no TLS)",
            url.scheme()
        ));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err("no host".to_owned());
    }
    let extra =
        url.path() != "/" || url.query().is_some() || url.fragment().is_some();
    if extra || !url.username().is_empty() || url.password().is_some() {
        return Err(
            "give only scheme, host and port: the log's paths are added to it"
                .to_owned(),
        );
    }
    Ok(url)
}
// ANCHOR_END: server_url

/// A number of seconds greater than zero, such as `2` or `0.25`.
pub fn seconds(text: &str) -> Result<Duration, String> {
    let value: f64 =
        text.parse().map_err(|_| format!("{text:?} is not a number"))?;
    if !(value > 0.0 && value <= 86_400.0) {
        return Err(format!("{text} s: must be more than 0 and at most 86400"));
    }
    Ok(Duration::from_secs_f64(value))
}

/// `Name: value`.
pub fn header(text: &str) -> Result<(HeaderName, HeaderValue), String> {
    let (name, value) = text.split_once(':').ok_or("expected NAME: VALUE")?;
    let name = HeaderName::from_bytes(name.trim().as_bytes())
        .map_err(|_| format!("{:?} is not a header name", name.trim()))?;
    let value = HeaderValue::from_str(value.trim())
        .map_err(|_| "the value holds a character a header cannot".to_owned())?;
    Ok((name, value))
}

// What every command line of the chapter shares: `--format`, and clap errors in
// one line.
pub use ch07_putting_it_together::args::{FormatArg, format, one_line, parse};
