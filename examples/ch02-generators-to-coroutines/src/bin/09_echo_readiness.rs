//! One thread, many sockets: mio says which are ready, a callback serves each.
use std::collections::HashMap;
use std::io::{self, ErrorKind, Read, Write};
use std::net::TcpListener;
use std::process::ExitCode;

use ch02_generators_to_coroutines::echo::{self, Served};
use mio::net::TcpStream;
use mio::{Events, Interest, Poll, Token};

// ANCHOR: state
/// The listener's token. Connection `n` (counting from 1) gets `Token(n)`.
const LISTENER: Token = Token(0);

/// One client: its socket, and the bytes read from it but not yet written back.
struct Connection {
    stream: TcpStream,
    unsent: Vec<u8>,
}

/// What a connection's callback leaves it as.
enum Status {
    /// Waiting for its next event.
    Open,
    /// The client has closed its side: everything it sent has been echoed.
    Closed,
}
// ANCHOR_END: state

// ANCHOR: loop
/// Serves `connections` connections on this one thread, then returns, once all
/// have come and gone: nothing is left registered.
pub fn serve(listener: TcpListener, connections: usize) -> io::Result<Served> {
    listener.set_nonblocking(true)?; // mio's sockets never block
    let mut listener = mio::net::TcpListener::from_std(listener);
    let mut poll = Poll::new()?;
    poll.registry().register(&mut listener, LISTENER, Interest::READABLE)?;
    let mut open: HashMap<Token, Connection> = HashMap::new();
    let (mut accepted, mut served) = (0, Served::default());
    let mut events = Events::with_capacity(256);
    let mut buf = vec![0; 64 * 1024]; // one read buffer for every connection
    while accepted < connections || !open.is_empty() {
        match poll.poll(&mut events, None) {
            Err(error) if error.kind() == ErrorKind::Interrupted => continue,
            result => result?, // slept until at least one socket was ready
        }
        for event in &events {
            let token = event.token();
            if token == LISTENER {
                accept(&listener, &poll, &mut open, &mut accepted, connections)?;
                continue;
            }
            // Not found: it closed earlier in this batch of events.
            let Some(conn) = open.get_mut(&token) else { continue };
            match on_ready(conn, &mut buf, &mut served.bytes) {
                Ok(Status::Open) => {} // wait for its next event
                ended => close(&poll, &mut open, token, ended, &mut served),
            }
        }
    }
    Ok(served)
}
// ANCHOR_END: loop

// ANCHOR: accept
/// The listener's callback. mio reports edges ("it became ready"), so accept
/// until the OS says `WouldBlock`, or until we have all we want.
fn accept(
    listener: &mio::net::TcpListener,
    poll: &Poll,
    open: &mut HashMap<Token, Connection>,
    accepted: &mut usize,
    wanted: usize,
) -> io::Result<()> {
    while *accepted < wanted {
        let mut stream = match listener.accept() {
            Ok((stream, _peer)) => stream,
            Err(error) if error.kind() == ErrorKind::WouldBlock => return Ok(()),
            // The client gave up before we took it (macOS and the BSDs say so).
            Err(error) if error.kind() == ErrorKind::ConnectionAborted => continue,
            Err(error) => return Err(error),
        };
        *accepted += 1;
        let token = Token(*accepted);
        // Once, for both directions: `on_ready` decides what to do with each event.
        poll.registry().register(
            &mut stream,
            token,
            Interest::READABLE | Interest::WRITABLE,
        )?;
        open.insert(token, Connection { stream, unsent: Vec::new() });
    }
    Ok(())
}
// ANCHOR_END: accept

// ANCHOR: on_ready
/// A connection's callback, whatever the event: write back what is unsent, then
/// read more, until the OS says `WouldBlock`. It reads only while nothing is
/// unsent, so a client that stops reading fills only its own buffers.
fn on_ready(
    conn: &mut Connection,
    buf: &mut [u8],
    echoed: &mut u64,
) -> io::Result<Status> {
    loop {
        while !conn.unsent.is_empty() {
            match conn.stream.write(&conn.unsent) {
                Ok(0) => return Err(ErrorKind::WriteZero.into()),
                Ok(n) => {
                    conn.unsent.drain(..n); // a partial write keeps the rest
                    *echoed += n as u64;
                }
                Err(e) if e.kind() == ErrorKind::WouldBlock => {
                    return Ok(Status::Open);
                }
                Err(e) => return Err(e),
            }
        }
        conn.unsent.shrink_to_fit(); // all sent: an idle client costs no buffer
        match conn.stream.read(buf) {
            Ok(0) => return Ok(Status::Closed), // the client closed its side
            Ok(n) => conn.unsent.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == ErrorKind::WouldBlock => return Ok(Status::Open),
            Err(e) => return Err(e),
        }
    }
}
// ANCHOR_END: on_ready

// ANCHOR: close
/// Forgets a connection that has ended, by a close or an error (one line in
/// `served`). Dropping the socket closes our side.
fn close(
    poll: &Poll,
    open: &mut HashMap<Token, Connection>,
    token: Token,
    ended: io::Result<Status>,
    served: &mut Served,
) {
    let mut conn = open.remove(&token).expect("only open connections get here");
    // It cannot fail for a registered socket; closing it would remove it anyway.
    let _ = poll.registry().deregister(&mut conn.stream);
    served.connections += 1;
    if let Err(error) = ended {
        served.errors.push(format!("connection {}: {error}", token.0));
    }
}
// ANCHOR_END: close

fn main() -> ExitCode {
    echo::demo("09_echo_readiness", serve)
}
