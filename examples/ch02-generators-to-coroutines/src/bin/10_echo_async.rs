//! The echo server again, as async tasks on the chapter's own event loop: the
//! reactor does the waiting, and each handler reads like blocking code.
use std::cell::RefCell;
use std::io;
use std::net::TcpListener;
use std::process::ExitCode;
use std::rc::Rc;

use ch02_generators_to_coroutines::echo::{self, Served};
use ch02_generators_to_coroutines::event_loop::{Async, Clock, EventLoop, spawn};
use mio::net::TcpStream;

// ANCHOR: handler
/// One connection: read what the client sent, write it back, until it hangs up.
/// It looks like blocking code, but every `.await` that is not ready gives the
/// thread back to the loop.
pub async fn echo(mut stream: Async<TcpStream>) -> io::Result<u64> {
    let mut buf = [0; 16 * 1024];
    let mut echoed = 0;
    loop {
        let n = stream.read(&mut buf).await?;
        if n == 0 {
            return Ok(echoed); // the client closed its side
        }
        stream.write_all(&buf[..n]).await?;
        echoed += n as u64;
    }
}
// ANCHOR_END: handler

// ANCHOR: serve
/// Accepts `connections` connections, each served by a task of its own, all on
/// `event_loop`'s one thread.
pub fn serve_on(
    event_loop: &mut EventLoop,
    listener: TcpListener,
    connections: usize,
) -> io::Result<Served> {
    listener.set_nonblocking(true)?;
    let listener = mio::net::TcpListener::from_std(listener);
    let served = Rc::new(RefCell::new(Served::default()));
    let accept_result = Rc::new(RefCell::new(Ok(())));
    let (total, result) = (Rc::clone(&served), Rc::clone(&accept_result));
    event_loop.spawn(async move {
        *result.borrow_mut() = accept(listener, connections, total).await;
    });
    event_loop.run();
    accept_result.replace(Ok(()))?;
    Ok(served.take())
}

async fn accept(
    listener: mio::net::TcpListener,
    connections: usize,
    served: Rc<RefCell<Served>>,
) -> io::Result<()> {
    let mut listener = Async::new(listener)?;
    for id in 1..=connections {
        let stream = listener.accept().await?;
        let served = Rc::clone(&served);
        spawn(async move {
            let result = echo(stream).await;
            echo::record(&mut served.borrow_mut(), id, result);
        });
    }
    Ok(())
}
// ANCHOR_END: serve

/// Matches `echo::Serve`: a loop on the real clock, on this thread.
pub fn serve(listener: TcpListener, connections: usize) -> io::Result<Served> {
    serve_on(&mut EventLoop::new(Clock::real()), listener, connections)
}

fn main() -> ExitCode {
    echo::demo("10_echo_async", serve)
}
