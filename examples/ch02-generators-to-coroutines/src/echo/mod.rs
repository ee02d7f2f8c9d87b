//! What every echo server in the chapter shares: the [`Serve`] signature and its
//! [`Served`] report, [`listen`], the demo that listings 09 to 11 run, the test
//! clients ([`clients`]) and the thread-per-connection baseline ([`threads`]).
//!
//! A real server would run forever. Ours serve a given number of connections and
//! then return, so that the listings, the tests and the benchmark can stop them
//! cleanly and check what they did.
use std::io;
use std::net::TcpListener;
use std::process::ExitCode;
use std::thread;

pub mod clients;
pub mod threads;

/// What one run of an echo server did.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Served {
    /// Connections accepted and then closed (by the peer or by an error).
    pub connections: usize,
    /// Bytes echoed back, over all connections.
    pub bytes: u64,
    /// One line per connection that ended in an error, e.g. "connection 3:
    /// Connection reset by peer (os error 104)".
    pub errors: Vec<String>,
}

/// Every server version in the chapter: serve `connections` connections on
/// `listener`, then return (see the module's comment for why it returns).
pub type Serve = fn(std::net::TcpListener, usize) -> std::io::Result<Served>;

/// Adds one closed connection to `served`: the bytes it echoed, or a line for its
/// error. `id` is the connection's number, printed as it is.
pub fn record(served: &mut Served, id: usize, result: io::Result<u64>) {
    served.connections += 1;
    match result {
        Ok(bytes) => served.bytes += bytes,
        Err(error) => served.errors.push(format!("connection {id}: {error}")),
    }
}

/// Binds a listener, with an error of one line that names the address, e.g.
/// `cannot listen on 127.0.0.1:8080: Address already in use (os error 98)`.
pub fn listen(addr: &str) -> Result<TcpListener, String> {
    TcpListener::bind(addr)
        .map_err(|error| format!("cannot listen on {addr}: {error}"))
}

/// How many clients the demo runs.
pub const DEMO_CLIENTS: usize = 100;

/// The sizes of the messages each demo client sends, in order: from one byte to
/// more than a socket's buffers start with. (On loopback the kernel grows them to
/// megabytes, and the clients read as fast as the server writes, so the server's
/// writes are rarely partial here; the tests' client that stops reading makes
/// them partial for sure.)
pub const DEMO_SIZES: [usize; 10] =
    [1, 12, 100, 1_000, 4_096, 10_000, 65_536, 100_000, 262_144, 300_000];

/// The demo's messages: one of each size in [`DEMO_SIZES`]. (Each client mixes
/// them with bytes of its own; see [`clients::message_for`].)
pub fn demo_messages() -> Vec<Vec<u8>> {
    DEMO_SIZES
        .iter()
        .enumerate()
        .map(|(index, &size)| (0..size).map(|at| (at * 31 + index) as u8).collect())
        .collect()
}

/// The `main` of listings 09 to 11: refuses arguments (it takes none), runs
/// [`DEMO_CLIENTS`] clients on threads against `serve` on this thread, and prints
/// a summary that is the same on every run.
pub fn demo(listing: &str, serve: Serve) -> ExitCode {
    if std::env::args().len() > 1 {
        eprintln!("usage: {listing} (it takes no arguments)");
        return ExitCode::from(2);
    }
    match run_demo(serve) {
        Ok(lines) => {
            for line in lines {
                println!("{line}");
            }
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Runs the demo and returns the lines to print.
fn run_demo(serve: Serve) -> Result<Vec<String>, String> {
    let listener = listen("127.0.0.1:0")?;
    let addr = listener
        .local_addr()
        .map_err(|error| format!("cannot read the listener's address: {error}"))?;
    let clients = thread::Builder::new()
        .spawn(move || {
            let result = clients::run_clients(addr, DEMO_CLIENTS, &demo_messages());
            if let Err(message) = &result {
                // The server would wait for connections that never come: stop here.
                eprintln!("error: {message}");
                std::process::exit(1);
            }
            result
        })
        .map_err(|error| format!("cannot start the clients' thread: {error}"))?;
    let served = serve(listener, DEMO_CLIENTS)
        .map_err(|error| format!("the server failed: {error}"))?;
    let stats = clients.join().expect("the clients' thread does not panic")?;
    if let Some(error) = served.errors.first() {
        return Err(error.clone());
    }
    if served.bytes != stats.bytes {
        return Err(format!(
            "the server echoed {} bytes but the clients got {} back",
            served.bytes, stats.bytes
        ));
    }
    let (smallest, largest) = (DEMO_SIZES[0], DEMO_SIZES[DEMO_SIZES.len() - 1]);
    Ok(vec![
        format!(
            "{} clients, each sending {} messages of {smallest} to {largest} bytes",
            stats.clients,
            DEMO_SIZES.len()
        ),
        format!("served {} connections, with no errors", served.connections),
        format!(
            "echoed {} bytes: every client got its own bytes back, in order",
            served.bytes
        ),
    ])
}
