//! The reactor of the chapter's loop (`src/event_loop/reactor.rs`): it wakes only the
//! tasks whose sockets are ready, a timer can end a wait for a quiet socket, and nothing is
//! left registered or parked when sockets and waits are dropped.
use std::cell::RefCell;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::rc::Rc;
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use ch02_generators_to_coroutines::event_loop::{Async, Clock, EventLoop, sleep};
use ch02_generators_to_coroutines::listings::echo_async;
use futures::future::{Either, select};

/// Runs `f` on its own thread and fails the test if it takes more than 30 s: a lost wake
/// or a stale waker would otherwise hang the test instead of failing it.
fn within_time_limit<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> T {
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(Duration::from_secs(30))
        .expect("the event loop did not finish within 30 s (a hang)")
}

fn listener() -> TcpListener {
    TcpListener::bind("127.0.0.1:0").expect("bind to a free port on 127.0.0.1")
}

#[test]
fn an_idle_connection_is_not_polled_while_another_is_busy() {
    const ROUND_TRIPS: usize = 300;
    let listener = listener();
    let addr = listener.local_addr().expect("a bound listener has an address");
    let server = thread::spawn(move || {
        let mut event_loop = EventLoop::new(Clock::real());
        let served = echo_async::serve_on(&mut event_loop, listener, 2);
        // Task 0 accepts; tasks 1 and 2 serve the connections, in the order accepted.
        (served, event_loop.polls(1), event_loop.polls(2), event_loop.sockets())
    });
    let clients = within_time_limit(move || -> std::io::Result<()> {
        let mut idle = TcpStream::connect(addr)?;
        let mut busy = TcpStream::connect(addr)?;
        let mut back = [0; 5];
        for _ in 0..ROUND_TRIPS {
            busy.write_all(b"hello")?;
            busy.read_exact(&mut back)?;
            assert_eq!(&back, b"hello");
        }
        idle.write_all(b"bye!!")?;
        idle.read_exact(&mut back)?;
        assert_eq!(&back, b"bye!!");
        Ok(())
    });
    clients.expect("the clients talk to the server");
    let (served, idle_polls, busy_polls, sockets) = within_time_limit(move || {
        server.join().expect("the server thread does not panic")
    });
    let served = served.expect("the server serves both connections");
    assert_eq!((served.connections, served.bytes), (2, 5 * ROUND_TRIPS as u64 + 5));
    // The idle connection: polled at its start, for its one message, and for the
    // hang-up, however many round trips the busy one made meanwhile. (How often the
    // busy one is polled depends on timing: one poll may find two messages waiting.)
    assert!(
        idle_polls <= 4,
        "the idle connection was polled {idle_polls} times (the busy one {busy_polls})"
    );
    assert_eq!(sockets, 0, "a socket was left registered with the reactor");
}

#[test]
fn a_timer_ends_the_wait_for_a_quiet_socket_and_the_dropped_wait_leaves_nothing() {
    let listener = listener();
    let addr = listener.local_addr().expect("a bound listener has an address");
    let client = TcpStream::connect(addr).expect("connect to our own listener");
    let (stream, _) = listener.accept().expect("accept our own connection");
    stream.set_nonblocking(true).expect("a socket can be made non-blocking");
    let (report, sockets_kept, sockets_dropped) = within_time_limit(move || {
        let mut event_loop = EventLoop::new(Clock::real());
        // The socket outlives its task, so that its own `Drop` cannot tidy up after the
        // dropped wait.
        let kept = Rc::new(RefCell::new(None));
        let keep = Rc::clone(&kept);
        event_loop.spawn(async move {
            let mut socket = Async::new(mio::net::TcpStream::from_std(stream))
                .expect("register");
            let mut buf = [0; 16];
            {
                let read = std::pin::pin!(socket.read(&mut buf));
                let timer = std::pin::pin!(sleep(Duration::from_millis(20)));
                // The client never writes: the timer wins and the read is dropped.
                assert!(matches!(select(read, timer).await, Either::Right(_)));
            }
            *keep.borrow_mut() = Some(socket);
        });
        // Had the dropped wait left its waker with the reactor, the loop would block in
        // the OS forever here, waiting for a socket no task waits for.
        let report = event_loop.run();
        let sockets_kept = event_loop.sockets();
        drop(kept);
        (report, sockets_kept, event_loop.sockets())
    });
    drop(client);
    assert_eq!(report.failed, vec![], "the task's assertion failed");
    assert_eq!(report.finished.len(), 1);
    assert!(
        report.finished[0].1 >= Duration::from_millis(20),
        "woke before the timer"
    );
    assert_eq!(sockets_kept, 1, "the kept socket is registered");
    assert_eq!(sockets_dropped, 0, "the dropped socket is still registered");
}

/// A socket that becomes ready while a timer is pending is served when it is
/// ready: an event that woke no task (here, the new connection being writable,
/// while its task waits to read) must not make the loop sleep until the timer.
#[test]
fn a_socket_ready_before_the_next_timer_is_served_first() {
    let order = within_time_limit(|| {
        let listener = listener();
        let addr = listener.local_addr().expect("a bound listener has an address");
        let client = thread::spawn(move || -> std::io::Result<()> {
            let mut stream = TcpStream::connect(addr)?;
            thread::sleep(Duration::from_millis(50)); // once the reader has parked
            stream.write_all(b"hi")
        });
        let order = Rc::new(RefCell::new(Vec::new()));
        let mut event_loop = EventLoop::new(Clock::real());
        let timer_order = Rc::clone(&order);
        event_loop.spawn(async move {
            sleep(Duration::from_secs(1)).await;
            timer_order.borrow_mut().push("timer");
        });
        let socket_order = Rc::clone(&order);
        event_loop.spawn(async move {
            listener.set_nonblocking(true).expect("non-blocking");
            let listener = mio::net::TcpListener::from_std(listener);
            let mut listener = Async::new(listener).expect("register the listener");
            let mut stream = listener.accept().await.expect("accept the client");
            let mut buf = [0; 2];
            stream.read(&mut buf).await.expect("read what the client sent");
            socket_order.borrow_mut().push("socket");
        });
        event_loop.run();
        client
            .join()
            .expect("the client does not panic")
            .expect("the client sends");
        order.take()
    });
    assert_eq!(order, ["socket", "timer"]);
}

/// The size of the future an async fn returns, read from its type alone.
fn future_size<A, F: std::future::Future>(_: fn(A) -> F) -> usize {
    std::mem::size_of::<F>()
}

/// The measured table's reading: the handler's 16 KiB buffer is used across an
/// `.await`, so it lives inside every connection's future, on our loop and on tokio.
#[test]
fn the_handlers_buffer_lives_in_every_task() {
    use ch02_generators_to_coroutines::listings::echo_tokio;
    assert!(future_size(echo_async::echo) > 16 * 1024);
    assert!(future_size(echo_tokio::echo) > 16 * 1024);
}
