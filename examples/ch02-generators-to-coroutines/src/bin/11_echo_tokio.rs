//! The same echo server on tokio: a listener, and a task per connection.
use std::io;
use std::process::ExitCode;

use ch02_generators_to_coroutines::echo::{self, Served};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinSet;

// ANCHOR: server
/// Reads like the handler on our own loop: tokio's reactor does the waiting.
pub async fn echo(mut stream: TcpStream) -> io::Result<u64> {
    let mut buf = [0; 16 * 1024];
    let mut echoed = 0;
    loop {
        let n = stream.read(&mut buf).await?;
        if n == 0 {
            return Ok(echoed);
        }
        stream.write_all(&buf[..n]).await?;
        echoed += n as u64;
    }
}

/// Accepts `connections` connections, a task each, and waits for them all.
async fn serve_tokio(
    listener: TcpListener,
    connections: usize,
) -> io::Result<Served> {
    let mut tasks = JoinSet::new();
    for id in 1..=connections {
        let (stream, _peer) = listener.accept().await?;
        tasks.spawn(async move { (id, echo(stream).await) });
    }
    let mut served = Served::default();
    while let Some(joined) = tasks.join_next().await {
        let (id, result) = joined.map_err(io::Error::other)?; // a task panicked
        echo::record(&mut served, id, result);
    }
    Ok(served)
}
// ANCHOR_END: server

/// Matches `echo::Serve`: a multi-threaded runtime with its IO driver on.
pub fn serve(
    listener: std::net::TcpListener,
    connections: usize,
) -> io::Result<Served> {
    let runtime =
        tokio::runtime::Builder::new_multi_thread().enable_io().build()?;
    runtime.block_on(async {
        listener.set_nonblocking(true)?;
        serve_tokio(TcpListener::from_std(listener)?, connections).await
    })
}

fn main() -> ExitCode {
    echo::demo("11_echo_tokio", serve)
}
