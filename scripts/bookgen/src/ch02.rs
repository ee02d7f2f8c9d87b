//! Chapter 2's measured table: the chapter's echo servers under many clients at once.
//!
//! Each server runs alone in a child process (`bookgen ch02-echo-server VERSION N`), so the
//! peak memory it reports is its own. This process plays the clients with the chapter's own
//! client threads (`echo::clients`): all N connected at once, each sending ROUNDS messages
//! of MESSAGE bytes and checking every echo.

use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Write};
use std::net::SocketAddr;
use std::process::{Command, Stdio};
use std::time::Duration;

use ch01_concurrent_vs_parallel::bench::cores;
use ch02_generators_to_coroutines::echo::{self, Serve};
use ch02_generators_to_coroutines::listings::{echo_async, echo_readiness, echo_tokio};

const OUT: &str = "book/ch02-generators-to-coroutines/measured/echo.md";
const CLIENTS: [usize; 3] = [100, 1_000, 10_000];
const ROUNDS: usize = 10;
const MESSAGE: usize = 1024;

const SERVERS: [(&str, &str, Serve); 4] = [
    ("threads", "a thread per connection", echo::threads::serve),
    (
        "readiness",
        "mio by hand, one thread",
        echo_readiness::serve,
    ),
    (
        "our-loop",
        "our loop and reactor, one thread",
        echo_async::serve,
    ),
    ("tokio", "tokio, multi-threaded", echo_tokio::serve),
];

pub fn bench() -> Result<(), String> {
    let mut table = format!(
        "Measured by `scripts/bench` on a machine with {} core(s), release build: N clients \
         connect, and once all are connected each sends {ROUNDS} messages of {MESSAGE} \
         bytes and reads every echo (up to {} client threads share the connections, on the same \
         machine). Time is from the moment all are connected to the last echo. Memory is \
         the server process's peak resident size.\n\n\
         | server | clients | time | echoes per second | peak memory |\n\
         |---|---:|---:|---:|---:|\n",
        cores(),
        echo::clients::MAX_THREADS
    );
    for clients in CLIENTS {
        for (version, label, _) in SERVERS {
            eprintln!("ch02 echo: {label}, {clients} clients");
            let (time, peak_kib) = measure(version, clients)
                .map_err(|e| format!("{label}, {clients} clients: {e}"))?;
            let per_second = (clients * ROUNDS) as f64 / time.as_secs_f64();
            let _ = writeln!(
                table,
                "| {label} | {clients} | {:.0} ms | {per_second:.0} | {:.1} MiB |",
                time.as_secs_f64() * 1e3,
                peak_kib as f64 / 1024.0
            );
        }
    }
    crate::write(OUT, &table)
}

/// `bookgen ch02-echo-server VERSION N`: serves N connections with one server version, then
/// prints its peak resident memory.
pub fn server(version: &str, clients: &str) -> Result<(), String> {
    let serve = SERVERS
        .iter()
        .find(|(name, _, _)| *name == version)
        .map(|(_, _, serve)| *serve)
        .ok_or_else(|| format!("unknown server version {version:?}"))?;
    let clients: usize = clients
        .parse()
        .map_err(|_| format!("N must be a whole number, not {clients:?}"))?;
    let listener = echo::listen("127.0.0.1:0")?;
    let port = listener.local_addr().map_err(|e| e.to_string())?.port();
    println!("port {port}");
    std::io::stdout().flush().map_err(|e| e.to_string())?;
    let served = serve(listener, clients).map_err(|e| format!("{version}: {e}"))?;
    if !served.errors.is_empty() {
        return Err(format!("{version}: {}", served.errors.join("; ")));
    }
    println!("peak_kib {}", peak_kib().unwrap_or(0));
    Ok(())
}

/// Runs one server version in a child process under `clients` clients.
fn measure(version: &str, clients: usize) -> Result<(Duration, u64), String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let mut child = Command::new(exe)
        .args(["ch02-echo-server", version, &clients.to_string()])
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start the {version} server: {e}"))?;
    let mut lines = BufReader::new(child.stdout.take().expect("stdout is piped")).lines();
    let mut next = || lines.next().and_then(Result::ok).unwrap_or_default();
    let first = next();
    let port: u16 = first
        .strip_prefix("port ")
        .and_then(|p| p.parse().ok())
        .ok_or_else(|| format!("the {version} server said {first:?}, not its port"))?;
    let time = drive(SocketAddr::from(([127, 0, 0, 1], port)), clients)?;
    let last = next();
    let status = child.wait().map_err(|e| e.to_string())?;
    let peak = last.strip_prefix("peak_kib ").and_then(|k| k.parse().ok());
    match peak {
        Some(peak) if status.success() => Ok((time, peak)),
        _ => Err(format!(
            "the {version} server ended with {status}: {last:?}"
        )),
    }
}

/// Runs `clients` clients, all connected at once; returns the time from when all
/// were connected to the last echo.
fn drive(addr: SocketAddr, clients: usize) -> Result<Duration, String> {
    let messages = vec![vec![b'x'; MESSAGE]; ROUNDS];
    Ok(echo::clients::run_clients(addr, clients, &messages)?.exchange)
}

/// The process's peak resident memory in KiB (Linux's `VmHWM`), if the OS says.
fn peak_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
