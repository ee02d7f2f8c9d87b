//! Clients for the echo servers, on std's blocking `TcpStream`: each sends its
//! messages and checks that exactly its own bytes come back, in order.
//!
//! Threads: clients are dealt out to groups, and each group is two threads, one
//! writing to every connection of the group and one reading from every one of
//! them, in the same order. Writing and reading on different threads is what lets
//! a message bigger than the socket buffers go through without a deadlock; the
//! groups cap the threads (`max_threads`). No group sends a byte before every
//! group has connected, so all the connections are open at the same time.
//! [`run_clients`] uses up to [`MAX_THREADS`]: 100 clients get a writer and a
//! reader each; 10,000 clients share them, 100 per group.
use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::sync::Barrier;
use std::thread;
use std::time::{Duration, Instant};

/// What a run of clients did.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct ClientStats {
    /// Clients that sent all their messages and got them back intact.
    pub clients: usize,
    /// Bytes that came back (the same number went out), over all clients.
    pub bytes: u64,
    /// From the moment every client was connected to the last echo: the time
    /// the server took to serve them all, without the time to connect.
    pub exchange: Duration,
}

/// The most threads [`run_clients`] starts.
pub const MAX_THREADS: usize = 200;

/// Runs `count` clients against the echo server at `addr`, all connected at once,
/// each sending every message in `messages` (mixed with bytes of its own, see
/// [`message_for`]) and reading each back. The error is one line, the first
/// group's that failed, e.g. `cannot connect to 127.0.0.1:8080: Connection
/// refused (os error 111)`.
pub fn run_clients(
    addr: SocketAddr,
    count: usize,
    messages: &[Vec<u8>],
) -> Result<ClientStats, String> {
    run_clients_with(addr, count, messages, MAX_THREADS)
}

/// [`run_clients`] with at most `max_threads` threads (at least 2): `count`
/// clients in `max_threads / 2` groups, a writer and a reader each.
pub fn run_clients_with(
    addr: SocketAddr,
    count: usize,
    messages: &[Vec<u8>],
    max_threads: usize,
) -> Result<ClientStats, String> {
    let groups = (max_threads / 2).clamp(1, count.max(1));
    let connected = Barrier::new(groups);
    let results: Vec<Result<Exchange, String>> = thread::scope(|scope| {
        let handles: Vec<_> = (0..groups)
            .map(|group| {
                let ids: Vec<usize> = (group..count).step_by(groups).collect();
                let connected = &connected;
                scope.spawn(move || run_group(addr, &ids, messages, connected))
            })
            .collect();
        handles
            .into_iter()
            .map(|handle| handle.join().expect("a client thread does not panic"))
            .collect()
    });
    let mut stats = ClientStats { clients: count, ..ClientStats::default() };
    let (mut first, mut last) = (None::<Instant>, None::<Instant>);
    for result in results {
        let group = result?;
        stats.bytes += group.bytes;
        first = Some(first.map_or(group.start, |at| at.min(group.start)));
        last = Some(last.map_or(group.end, |at| at.max(group.end)));
    }
    if let (Some(first), Some(last)) = (first, last) {
        stats.exchange = last - first;
    }
    Ok(stats)
}

/// The bytes client `id` sends for `template`: each byte mixed with the client's
/// own key and its position, so that a byte that reaches the wrong client, or
/// comes back out of order, does not match.
pub fn message_for(id: usize, template: &[u8]) -> Vec<u8> {
    // Multiplying by an odd number gives every client a different key.
    let key = (id as u64).wrapping_add(1).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    let mix = |at: usize| (key >> (8 * (at % 8))) as u8 ^ (at / 8) as u8;
    template.iter().enumerate().map(|(at, byte)| byte ^ mix(at)).collect()
}

/// What one group did: the bytes that came back intact, and when it started
/// sending and got its last echo.
struct Exchange {
    bytes: u64,
    start: Instant,
    end: Instant,
}

/// One group of clients: connect them all, wait until every group has, then
/// write on a second thread while this one reads.
fn run_group(
    addr: SocketAddr,
    ids: &[usize],
    messages: &[Vec<u8>],
    connected: &Barrier,
) -> Result<Exchange, String> {
    let streams: Result<Vec<_>, String> = ids
        .iter()
        .map(|_| {
            TcpStream::connect(addr)
                .map_err(|error| format!("cannot connect to {addr}: {error}"))
        })
        .collect();
    connected.wait(); // a group that failed waits too, or the others never start
    let streams = streams?;
    let start = Instant::now();
    let bytes = thread::scope(|scope| {
        let writer = scope.spawn(|| {
            let wrote = write_all(&streams, ids, messages);
            if wrote.is_err() {
                stop(&streams); // the reader would wait forever
            }
            wrote
        });
        let read = read_all(&streams, ids, messages);
        if read.is_err() {
            stop(&streams); // the writer could be stuck on a full buffer
        }
        // A writer's error (say, a reset) explains a reader's better than the other
        // way round.
        writer.join().expect("a writer thread does not panic")?;
        read
    })?;
    let end = Instant::now();
    Ok(Exchange { bytes, start, end })
    // Returning drops every socket of the group: each client closes.
}

/// Shuts both directions of every socket, waking a thread blocked on one.
fn stop(streams: &[TcpStream]) {
    for stream in streams {
        let _ = stream.shutdown(Shutdown::Both); // it may be closed already
    }
}

/// Sends message 0 to each client of the group, then message 1, and so on.
fn write_all(
    streams: &[TcpStream],
    ids: &[usize],
    messages: &[Vec<u8>],
) -> Result<(), String> {
    for template in messages {
        // `&TcpStream` can write (and read), so both threads share the sockets.
        for (mut stream, &id) in streams.iter().zip(ids) {
            stream
                .write_all(&message_for(id, template))
                .map_err(|error| format!("client {id}: cannot send: {error}"))?;
        }
    }
    Ok(())
}

/// Reads the echoes in the order `write_all` sent them, and checks each.
fn read_all(
    streams: &[TcpStream],
    ids: &[usize],
    messages: &[Vec<u8>],
) -> Result<u64, String> {
    let mut bytes = 0;
    let mut echo = Vec::new();
    for (index, template) in messages.iter().enumerate() {
        for (mut stream, &id) in streams.iter().zip(ids) {
            echo.resize(template.len(), 0);
            stream.read_exact(&mut echo).map_err(|error| {
                format!(
                    "client {id}: cannot read the echo of message {index}: {error}"
                )
            })?;
            let sent = message_for(id, template);
            if let Some(at) = sent.iter().zip(&echo).position(|(a, b)| a != b) {
                return Err(format!(
                    "client {id}: message {index} came back different at byte {at}"
                ));
            }
            bytes += echo.len() as u64;
        }
    }
    Ok(bytes)
}
