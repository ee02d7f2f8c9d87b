//! Runs the book's local server on a port of your choice, with its faults and rate
//! limit set from the command line, until Ctrl-C; then says what it served.
//!
//! `cargo run -p local-server --bin serve -- --port 3000 --status 13=500 --stall 77
//! --rate 20`
use std::net::{Ipv4Addr, SocketAddr};
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use local_server::{Config, Fault, LocalServer};

/// The book's local server on 127.0.0.1: `GET /items/{id}` answers after a latency,
/// except for the items told to fail.
#[derive(Debug, Parser)]
#[command(name = "serve")]
struct Args {
    /// The port on 127.0.0.1 (0: any free one).
    #[arg(long, default_value_t = 3000)]
    port: u16,
    /// How long each answer takes, in milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 50)]
    latency_ms: u64,
    /// Item ID always answers with status CODE (500, 503, …).
    #[arg(long, value_name = "ID=CODE", value_parser = id_and::<u16>)]
    status: Vec<(u64, u16)>,
    /// Item ID answers 503 to its first N requests, then 200.
    #[arg(long, value_name = "ID=N", value_parser = id_and::<u32>)]
    fail_times: Vec<(u64, u32)>,
    /// Item ID never answers.
    #[arg(long, value_name = "ID")]
    stall: Vec<u64>,
    /// Item ID answers 200 with a body that is not JSON.
    #[arg(long, value_name = "ID")]
    malformed: Vec<u64>,
    /// At most N requests per --per seconds; beyond that, 429 with Retry-After.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    rate: Option<u32>,
    /// The period of --rate, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 1, requires = "rate",
          value_parser = clap::value_parser!(u64).range(1..))]
    per: u64,
}

/// `ID=VALUE`.
fn id_and<T: std::str::FromStr>(text: &str) -> Result<(u64, T), String> {
    let (id, value) = text.split_once('=').ok_or("expected ID=VALUE")?;
    let id = id.parse().map_err(|_| format!("{id:?} is not an item id"))?;
    let value = value.parse().map_err(|_| format!("{value:?} is not a number"))?;
    Ok((id, value))
}

fn config(args: &Args) -> Config {
    let mut config =
        Config::default().with_latency(Duration::from_millis(args.latency_ms));
    let faults = (args.status.iter().map(|&(id, code)| (id, Fault::Status(code))))
        .chain(args.fail_times.iter().map(|&(id, n)| (id, Fault::FailTimes(n))))
        .chain(args.stall.iter().map(|&id| (id, Fault::Stall)))
        .chain(args.malformed.iter().map(|&id| (id, Fault::Malformed)));
    for (id, fault) in faults {
        config = config.with_fault(id, fault);
    }
    if let Some(rate) = args.rate {
        config = config.with_rate_limit(rate, Duration::from_secs(args.per));
    }
    config
}

#[tokio::main]
async fn main() -> ExitCode {
    // A bad flag is one line and status 2; --help prints the usage, status 0.
    let args: Args = one_line_cli::parse();
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, args.port));
    let server = match LocalServer::start_at(config(&args), addr).await {
        Ok(server) => server,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    println!("serving http://{} (Ctrl-C to stop)", server.addr());
    if let Err(e) = tokio::signal::ctrl_c().await {
        eprintln!("error: cannot listen for Ctrl-C: {e}");
    }
    let stats = server.stats();
    println!(
        "served {} requests, {} refused with 429, at most {} at once",
        stats.requests, stats.rate_limited, stats.peak_in_flight
    );
    server.shutdown().await;
    ExitCode::SUCCESS
}
