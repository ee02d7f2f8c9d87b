//! Download → enrich → store for real: an HTTP API on 127.0.0.1, a CPU step and a
//! SQLite file; every id ends stored or reported with its error.
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use item_pipeline::{Api, Store, demo_faults, run};
use local_server::{Config, LocalServer};

const USAGE: &str = "usage: 06_download_enrich_store [--server URL] [--db PATH] [--ids N]

Downloads items 0 to N-1 (N is 100 by default) from the API at URL (default: a local server
started here, with a few items broken on purpose), enriches each, and stores it in the
SQLite file PATH (default: a scratch file, removed at the end).";

/// The command line: `[--server URL] [--db PATH] [--ids N]`.
struct Args {
    server: Option<String>,
    db: Option<PathBuf>,
    ids: u64,
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Args, String> {
    let mut parsed = Args { server: None, db: None, ids: 100 };
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--server" => parsed.server = Some(value()?),
            "--db" => parsed.db = Some(PathBuf::from(value()?)),
            "--ids" => {
                let text = value()?;
                parsed.ids = text.parse().map_err(|_| {
                    format!("--ids {text:?}: expected a whole number")
                })?;
            }
            other => {
                return Err(format!(
                    "unknown argument {other:?}; usage: [--server URL] [--db PATH] [--ids N] (see --help)"
                ));
            }
        }
    }
    Ok(parsed)
}

/// How long one request may take before it counts as failed.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(2);

async fn run_main(args: Args) -> Result<(), String> {
    // Without --server, start the workspace's local API, with a few ids broken on
    // purpose.
    let mut own_server = None;
    let base = match args.server {
        Some(url) => url,
        None => {
            let config = demo_faults()
                .into_iter()
                .fold(Config::default(), |config, (id, fault)| {
                    config.with_fault(id, fault)
                });
            let server = LocalServer::start(config)
                .await
                .map_err(|e| format!("cannot start the local server: {e}"))?;
            let url = server.url("");
            own_server = Some(server);
            url
        }
    };

    // ANCHOR: main
    let api = Api::new(&base, REQUEST_TIMEOUT)?;
    api.check().await?; // no server: stop here, nothing written
    // Without --db, a scratch database in a new temporary folder, removed at the
    // end.
    let scratch =
        tempfile::tempdir().map_err(|e| format!("no temporary folder: {e}"))?;
    let db = args.db.unwrap_or_else(|| scratch.path().join("items.sqlite"));
    let store = Store::open(&db)?; // no database: stop here, nothing fetched

    let report = run(&api, &store, 0..args.ids).await;

    println!("stored: {}", report.stored.len());
    println!("failed: {}", report.failed.len());
    for (id, failure) in &report.failed {
        println!("  id {id}: {failure}");
    }
    // ANCHOR_END: main
    let rows = store.rows().await?;
    let ours = rows.iter().filter(|row| row.id < args.ids).count();
    println!("rows for ids 0..{} in the database: {ours}", args.ids);
    if let Some(server) = own_server {
        server.shutdown().await;
    }
    Ok(())
}

#[tokio::main]
async fn main() -> ExitCode {
    if std::env::args().skip(1).any(|a| a == "-h" || a == "--help") {
        println!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(args) => args,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    match run_main(args).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}
