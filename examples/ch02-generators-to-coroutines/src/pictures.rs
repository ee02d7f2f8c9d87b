//! The chapter's picture of a real run: which connection our loop served when.
//!
//! It comes from a real run on 127.0.0.1 with wall-clock pacing, so it varies a
//! little from run to run: `scripts/regen` redraws it, and `tests/pictures.rs`
//! checks that it exists.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::thread;
use std::time::Duration;

use timeline::{Picture, Span, Timeline};

use crate::echo;
use crate::event_loop::{Clock, EventLoop};
use crate::listings::echo_async;

/// Where the pictures live, relative to the workspace root.
pub const DIR: &str = "book/ch02-generators-to-coroutines/pictures";

/// The clients of the picture, in the order they connect (so client `k` is
/// connection `k`): what each does, and its lane's label.
const CLIENTS: [(Client, &str); 4] = [
    (Client::Every(10), "1: a message every 10 ms"),
    (Client::Every(40), "2: a message every 40 ms"),
    (Client::Idle, "3: connected, silent"),
    (Client::Bulk(4 << 20), "4: one 4 MiB message, halfway"),
];

/// How long the busy clients keep sending.
const RUN: Duration = Duration::from_millis(200);

#[derive(Clone, Copy)]
enum Client {
    /// Sends 100 bytes every so many milliseconds and reads each echo.
    Every(u64),
    /// Sends nothing until the others are done.
    Idle,
    /// Sleeps half the run, then sends this many bytes and reads them back.
    Bulk(usize),
}

/// Pictures from real runs: they vary a little from run to run.
pub fn measured() -> Vec<Picture> {
    let spans = echo_polls().expect("the picture's echo run works on 127.0.0.1");
    vec![Picture {
        file: "echo-polls.svg",
        svg: Timeline::new(
            "echo-polls",
            "Which connection our loop polled when (one tick per poll)",
            spans,
        )
        .alt(
            "Five lanes on one thread. The 10 ms client's lane has a tick every \
             10 ms, the 40 ms client's every 40 ms. The silent connection has a tick \
             when it is accepted and one when it closes, nothing between. The 4 MiB \
             client's lane is a short run of a few ticks halfway through, one of \
             them wide: a long poll during which no other task ran.",
        )
        .to_svg(),
    }]
}

/// Runs listing 10's server on a loop that records its polls, against the
/// clients above, and returns one span per poll of each task.
fn echo_polls() -> Result<Vec<Span>, String> {
    let listener = echo::listen("127.0.0.1:0")?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let clients = thread::spawn(move || run_clients(addr));
    let mut event_loop = EventLoop::new(Clock::real());
    event_loop.record_poll_times();
    let served = echo_async::serve_on(&mut event_loop, listener, CLIENTS.len())
        .map_err(|e| format!("the server failed: {e}"))?;
    clients.join().map_err(|_| "a client panicked".to_string())??;
    if let Some(error) = served.errors.first() {
        return Err(error.clone());
    }
    // Task 0 accepts; the task of connection k is the k-th one it spawned.
    let label = |id: usize| match id {
        0 => "listener".to_string(),
        k => CLIENTS[k - 1].1.to_string(),
    };
    let thread = format!("{:?}", thread::current().id());
    Ok(event_loop
        .poll_times()
        .iter()
        .map(|&(id, start, end)| Span::new(label(id), thread.clone(), start, end))
        .collect())
}

/// Connects the clients one after another, then runs each on a thread of its own.
fn run_clients(addr: SocketAddr) -> Result<(), String> {
    let mut streams = Vec::new();
    for _ in CLIENTS {
        streams.push(TcpStream::connect(addr).map_err(|e| e.to_string())?);
        // Let the loop accept it before the next one comes, so the order holds.
        thread::sleep(Duration::from_millis(5));
    }
    let handles: Vec<_> = streams
        .into_iter()
        .zip(CLIENTS)
        .map(|(stream, (client, _))| {
            thread::spawn(move || run_client(stream, client))
        })
        .collect();
    for handle in handles {
        handle.join().map_err(|_| "a client panicked".to_string())??;
    }
    Ok(())
}

fn run_client(mut stream: TcpStream, client: Client) -> Result<(), String> {
    let io = |e: std::io::Error| e.to_string();
    match client {
        Client::Every(ms) => {
            for _ in 0..RUN.as_millis() as u64 / ms {
                thread::sleep(Duration::from_millis(ms));
                stream.write_all(&[b'x'; 100]).map_err(io)?;
                stream.read_exact(&mut [0; 100]).map_err(io)?;
            }
        }
        Client::Idle => thread::sleep(RUN + Duration::from_millis(20)),
        Client::Bulk(bytes) => {
            thread::sleep(RUN / 2);
            let mut reader = stream.try_clone().map_err(io)?;
            let echo = thread::spawn(move || {
                let mut back = vec![0; bytes];
                reader.read_exact(&mut back).map(|()| back)
            });
            stream.write_all(&vec![b'y'; bytes]).map_err(io)?;
            let back =
                echo.join().map_err(|_| "the reader panicked")?.map_err(io)?;
            if back.iter().any(|&b| b != b'y') {
                return Err("the bulk echo came back different".to_string());
            }
        }
    }
    Ok(())
}
