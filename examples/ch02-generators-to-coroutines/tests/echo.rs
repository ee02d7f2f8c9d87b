//! Every echo server in the chapter, put through the same cases on real sockets
//! (127.0.0.1, a free port): many clients at once, a client that stops reading, a
//! client that leaves mid-message, a client that resets, and the errors of
//! `listen` and the clients. Each server runs on its own thread and is joined at
//! the end; every wait has a limit, so a server that hangs fails its test.
//! Nothing here measures time.
use std::io::{self, ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::mpsc::{self, Receiver};
use std::thread;
use std::time::Duration;

use ch02_generators_to_coroutines::echo::clients::{self, ClientStats};
use ch02_generators_to_coroutines::echo::{self, Serve, Served};
use ch02_generators_to_coroutines::listings;

/// The servers under test, by name.
const SERVERS: &[(&str, Serve)] = &[
    ("threads", echo::threads::serve),
    ("readiness", listings::echo_readiness::serve),
    ("our loop", listings::echo_async::serve),
    ("tokio", listings::echo_tokio::serve),
];

/// Far longer than any case needs; reaching it means something hangs.
const LIMIT: Duration = Duration::from_secs(60);

/// Runs `f` on its own thread and returns what it returns, or fails the test after
/// `LIMIT`.
fn within<T: Send + 'static>(
    what: &str,
    f: impl FnOnce() -> T + Send + 'static,
) -> T {
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(LIMIT)
        .unwrap_or_else(|_| panic!("{what} did not finish within {LIMIT:?}"))
}

/// A server serving `connections` connections on its own thread.
struct Running {
    name: &'static str,
    addr: SocketAddr,
    result: Receiver<io::Result<Served>>,
}

fn start(name: &'static str, serve: Serve, connections: usize) -> Running {
    let listener = echo::listen("127.0.0.1:0").expect("loopback has free ports");
    let addr = listener.local_addr().expect("a bound listener has an address");
    let (tx, result) = mpsc::channel();
    thread::spawn(move || {
        let _ = tx.send(serve(listener, connections));
    });
    Running { name, addr, result }
}

impl Running {
    /// Waits (up to `LIMIT`) for the server to return, which it does only once
    /// every connection it accepted has closed.
    fn finish(self) -> Served {
        let name = self.name;
        self.result
            .recv_timeout(LIMIT)
            .unwrap_or_else(|_| {
                panic!("{name}: the server did not return within {LIMIT:?}")
            })
            .unwrap_or_else(|error| panic!("{name}: the server failed: {error}"))
    }

    /// Runs `count` of the demo's clients (each sends every demo message) against
    /// the server, with a limit.
    fn run_demo_clients(&self, count: usize) -> ClientStats {
        let (name, addr) = (self.name, self.addr);
        within(&format!("{name}: {count} clients"), move || {
            clients::run_clients(addr, count, &echo::demo_messages())
        })
        .unwrap_or_else(|error| panic!("{name}: {error}"))
    }
}

/// The bytes a client sends in one message of the demo, over all messages.
fn demo_bytes_per_client() -> u64 {
    echo::DEMO_SIZES.iter().sum::<usize>() as u64
}

#[test]
fn many_clients_each_get_their_own_bytes_back_in_order() {
    for &(name, serve) in SERVERS {
        let server = start(name, serve, 50);
        let stats = server.run_demo_clients(50);
        let served = server.finish();
        let bytes = 50 * demo_bytes_per_client();
        assert_eq!((stats.clients, stats.bytes), (50, bytes), "{name}");
        assert_eq!(
            served,
            Served { connections: 50, bytes, errors: vec![] },
            "{name}"
        );
    }
}

/// The pattern the hog in the next test sends: its byte at position `at`.
fn hog_byte(at: usize) -> u8 {
    (at % 251) as u8
}

#[test]
fn a_client_that_stops_reading_does_not_stall_the_others() {
    const HOG: usize = 16 << 20; // more than the socket buffers hold
    const CHUNK: usize = 64 << 10;
    for &(name, serve) in SERVERS {
        let server = start(name, serve, 21);
        // The hog sends all it has on a thread of its own, and reads nothing yet.
        let hog = TcpStream::connect(server.addr).unwrap();
        let mut hog_writer = hog.try_clone().unwrap();
        let writer = thread::spawn(move || {
            for start in (0..HOG).step_by(CHUNK) {
                let chunk: Vec<u8> = (start..start + CHUNK).map(hog_byte).collect();
                hog_writer.write_all(&chunk)?; // blocks once the buffers are full
            }
            io::Result::Ok(())
        });
        // Twenty more clients come and go while the hog still is not reading.
        let stats = server.run_demo_clients(20);
        assert_eq!(stats.bytes, 20 * demo_bytes_per_client(), "{name}");
        // Now the hog reads everything back, and leaves.
        let read = within(&format!("{name}: the hog's reads"), move || {
            let mut echo = Vec::with_capacity(HOG);
            (&hog).take(HOG as u64).read_to_end(&mut echo).map(|_| echo)
        })
        .unwrap();
        assert_eq!(
            read.len(),
            HOG,
            "{name}: the hog got {} bytes back",
            read.len()
        );
        assert!(
            read.iter().enumerate().all(|(at, &b)| b == hog_byte(at)),
            "{name}"
        );
        writer.join().expect("the hog's writer does not panic").unwrap();
        let served = server.finish();
        let bytes = stats.bytes + HOG as u64;
        assert_eq!(
            served,
            Served { connections: 21, bytes, errors: vec![] },
            "{name}"
        );
    }
}

/// Connects, sends part of what it has (as much as goes without blocking, up to
/// `limit`), waits until some echo has arrived and is still unread, then drops the
/// socket. Unread data makes Linux close with a reset (RST) rather than a FIN, so
/// the server sees "Connection reset by peer" for sure. Returns the bytes sent.
fn send_some_then_reset(addr: SocketAddr, limit: usize) -> usize {
    let mut stream = TcpStream::connect(addr).expect("the server is listening");
    stream.set_nonblocking(true).expect("a TCP socket can be made non-blocking");
    let data: Vec<u8> = (0..limit).map(|at| (at % 253) as u8).collect();
    let mut sent = 0;
    while sent < limit {
        match stream.write(&data[sent..]) {
            Ok(n) => sent += n,
            Err(error) if error.kind() == ErrorKind::WouldBlock => break,
            Err(error) if error.kind() == ErrorKind::Interrupted => {}
            Err(error) => panic!("cannot send: {error}"),
        }
    }
    stream.set_nonblocking(false).expect("and blocking again");
    let mut byte = [0; 1];
    // Blocks until at least one byte of echo is there; it stays unread.
    let peeked = stream.peek(&mut byte).expect("the server echoes what it got");
    assert_eq!(peeked, 1, "the server closed instead of echoing");
    sent
}

/// Checks that the server recorded one error, the reset, in one line.
fn assert_one_reset(name: &str, served: &Served) {
    assert_eq!(served.errors.len(), 1, "{name}: {:?}", served.errors);
    let line = &served.errors[0];
    assert!(line.starts_with("connection "), "{name}: {line}");
    assert!(
        line.ends_with("Connection reset by peer (os error 104)"),
        "{name}: {line}"
    );
    assert!(!line.contains('\n'), "{name}: {line}");
}

#[test]
fn a_client_that_leaves_mid_message_is_cleaned_up() {
    for &(name, serve) in SERVERS {
        let server = start(name, serve, 11);
        let addr = server.addr;
        // Half of an 8 MiB message, or as much of it as goes through before the
        // buffers fill; the server may still be echoing it when the client goes.
        let sent = within("the leaving client", move || {
            send_some_then_reset(addr, 4 << 20)
        });
        assert!(sent > 0, "{name}");
        let stats = server.run_demo_clients(10);
        // The server returns only once all 11 connections have closed and (for
        // the readiness server) its map of connections is empty again.
        let served = server.finish();
        assert_eq!(served.connections, 11, "{name}");
        assert!(served.bytes >= stats.bytes, "{name}: {served:?}");
        assert_one_reset(name, &served);
    }
}

#[test]
fn a_client_that_resets_is_one_error_line_and_the_others_are_fine() {
    for &(name, serve) in SERVERS {
        let server = start(name, serve, 11);
        let addr = server.addr;
        within("the resetting client", move || send_some_then_reset(addr, 1000));
        let stats = server.run_demo_clients(10);
        let bytes = 10 * demo_bytes_per_client();
        assert_eq!((stats.clients, stats.bytes), (10, bytes), "{name}");
        let served = server.finish();
        assert_eq!(served.connections, 11, "{name}");
        assert!(served.bytes >= stats.bytes, "{name}: {served:?}");
        assert_one_reset(name, &served);
    }
}

#[test]
fn listening_on_a_taken_port_is_one_line_naming_the_address() {
    let taken = echo::listen("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let error = echo::listen(&addr).unwrap_err();
    assert!(error.starts_with(&format!("cannot listen on {addr}: ")), "{error}");
    assert!(error.contains("Address already in use"), "{error}");
    assert!(!error.contains('\n'), "{error}");
}

#[test]
fn connecting_to_a_closed_port_is_one_line_naming_the_address() {
    // A port that was free a moment ago, and is closed again.
    let addr = echo::listen("127.0.0.1:0").unwrap().local_addr().unwrap();
    let error = within("refused clients", move || {
        clients::run_clients(addr, 3, &echo::demo_messages())
    })
    .unwrap_err();
    assert!(error.starts_with(&format!("cannot connect to {addr}: ")), "{error}");
    assert!(error.contains("Connection refused"), "{error}");
    assert!(!error.contains('\n'), "{error}");
}
