//! The baseline: a thread per connection, each blocking on its own socket.
use std::io::{self, ErrorKind, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::thread;

use ch02_generators_to_coroutines::echo::{Served, record};

/// Accepts `connections` connections, serves each on a thread of its own with
/// blocking reads and writes, and waits for them all. Connections are numbered
/// from 1, in the order they were accepted.
pub fn serve(listener: TcpListener, connections: usize) -> io::Result<Served> {
    let mut handles = Vec::with_capacity(connections);
    for id in 1..=connections {
        let stream = loop {
            match listener.accept() {
                Ok((stream, _peer)) => break stream,
                Err(error) if error.kind() == ErrorKind::Interrupted => continue,
                Err(error) => return Err(error),
            }
        };
        handles.push((id, thread::Builder::new().spawn(move || echo(stream))?));
    }
    let mut served = Served::default();
    for (id, handle) in handles {
        let result = handle.join().expect("an echo thread does not panic");
        record(&mut served, id, result);
    }
    Ok(served)
}

// ANCHOR: echo
/// One connection: read, write it all back, until the client closes. Returns the
/// bytes echoed.
fn echo(mut stream: TcpStream) -> io::Result<u64> {
    let mut buf = vec![0; 64 * 1024];
    let mut echoed = 0;
    loop {
        let n = match stream.read(&mut buf) {
            Ok(0) => return Ok(echoed), // the client closed its side
            Ok(n) => n,
            Err(error) if error.kind() == ErrorKind::Interrupted => continue,
            Err(error) => return Err(error),
        };
        stream.write_all(&buf[..n])?; // blocks while the client does not read
        echoed += n as u64;
    }
}
// ANCHOR_END: echo
