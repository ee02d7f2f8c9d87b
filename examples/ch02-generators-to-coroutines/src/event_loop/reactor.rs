//! Step 5: the reactor. The loop learns to wait for sockets as well as timers: a
//! task whose socket is not ready leaves its waker with the reactor, and the loop
//! blocks in the operating system (epoll, kqueue) until a socket is ready or the
//! next timer is due.
use std::cell::RefCell;
use std::collections::HashMap;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use mio::event::{Event, Source};
use mio::{Events, Interest, Token};

use ch02_generators_to_coroutines::event_loop::timers::Timers;
use ch02_generators_to_coroutines::event_loop::trace::{self, Cause};

// ANCHOR: reactor
/// The sockets the loop watches, and the task waiting on each.
/// asyncio: the loop's `selector`, with a callback per registered socket.
pub struct Reactor {
    /// The OS's readiness queue, made when the first socket is registered.
    poll: Option<mio::Poll>,
    events: Events,
    /// For each socket a task waits on: what it waits for, and its waker.
    waiting: HashMap<Token, (Interest, Waker)>,
    registered: usize,
    next_token: usize,
}

impl Reactor {
    /// Watches `source` for both directions, once, for as long as it lives.
    pub fn register(&mut self, source: &mut impl Source) -> io::Result<Token> {
        if self.poll.is_none() {
            self.poll = Some(mio::Poll::new()?);
        }
        let poll = self.poll.as_ref().expect("made just above");
        let token = Token(self.next_token);
        let both = Interest::READABLE | Interest::WRITABLE;
        poll.registry().register(source, token, both)?;
        self.next_token += 1;
        self.registered += 1;
        Ok(token)
    }

    /// Parks a task: wake it when the socket under `token` is ready for `interest`.
    pub fn wait_for(&mut self, token: Token, interest: Interest, waker: Waker) {
        self.waiting.insert(token, (interest, waker));
    }
}
// ANCHOR_END: reactor

// ANCHOR: wait
impl Reactor {
    /// Blocks until a socket a task waits on is ready, or until `timeout` passes
    /// (`None`: no timer is set, wait as long as it takes). Wakes exactly the tasks
    /// whose sockets are ready, and returns how many.
    pub fn wait(&mut self, timeout: Option<Duration>) -> usize {
        // ANCHOR_END: wait
        let _by = trace::waking(Cause::Socket, None); // (for the traces)
        // ANCHOR: wait
        let Some(poll) = self.poll.as_mut() else { return 0 };
        match poll.poll(&mut self.events, timeout) {
            Ok(()) => {}
            // A signal cut the wait short: the loop will simply wait again.
            Err(e) if e.kind() == io::ErrorKind::Interrupted => return 0,
            Err(e) => panic!("waiting for sockets failed: {e}"),
        }
        let mut woken = 0;
        for event in &self.events {
            let token = event.token();
            let ready = match self.waiting.get(&token) {
                Some((interest, _)) => is_ready_for(event, *interest),
                None => false, // nobody waits: the task will try the socket first
            };
            if ready && let Some((_, waker)) = self.waiting.remove(&token) {
                waker.wake();
                woken += 1;
            }
        }
        woken
    }
}

/// Closed and failed sockets count as ready: the task's next try reports it.
fn is_ready_for(event: &Event, interest: Interest) -> bool {
    let readable = event.is_readable() || event.is_read_closed();
    let writable = event.is_writable() || event.is_write_closed();
    event.is_error()
        || (interest.is_readable() && readable)
        || (interest.is_writable() && writable)
}
// ANCHOR_END: wait

// ANCHOR: loop_wait
/// Waits until some task can go on: the next timer is due or a socket is ready,
/// whichever comes first (asyncio: `selector.select(timeout)` in `_run_once`).
/// Returns false when nothing is left that could ever wake a task.
pub fn wait_for_events(timers: &mut Timers, reactor: &mut Reactor) -> bool {
    let deadline = timers.next_deadline();
    if reactor.waiting.is_empty() {
        // No task waits on a socket: sleep (or jump) to the next timer.
        let Some(deadline) = deadline else { return false };
        timers.clock.wait_until(deadline);
    } else {
        // Block in the OS, but not past the next timer's deadline.
        let timeout = deadline.map(|deadline| timers.clock.time_until(deadline));
        let woken = reactor.wait(timeout);
        // Nobody woken and the next timer is due: a virtual clock, which did
        // not block, jumps to it. (Events no task waited for: just a new turn.)
        if woken == 0
            && let Some(deadline) = deadline
            && timers.clock.time_until(deadline).is_zero()
        {
            timers.clock.wait_until(deadline);
        }
    }
    timers.wake_due();
    true
}
// ANCHOR_END: loop_wait

impl Reactor {
    pub fn new() -> Self {
        Reactor {
            poll: None,
            events: Events::with_capacity(1024),
            waiting: HashMap::new(),
            registered: 0,
            next_token: 0,
        }
    }

    /// Stops watching `source`. Its task, if one waits, is dropped with it.
    pub fn deregister(&mut self, source: &mut impl Source, token: Token) {
        self.waiting.remove(&token);
        if let Some(poll) = &self.poll {
            // Fails only if it was never registered; closing the socket would
            // remove it from the OS's queue anyway.
            let _ = poll.registry().deregister(source);
            self.registered -= 1;
        }
    }

    /// How many sockets are registered now (the tests check none is leaked).
    pub fn registered(&self) -> usize {
        self.registered
    }

    /// Forgets a task's wait, if it still waits (its future was dropped).
    pub fn cancel(&mut self, token: Token) {
        self.waiting.remove(&token);
    }

    /// Whether a task still waits on `token` (false once its socket was ready).
    pub fn is_waiting(&self, token: Token) -> bool {
        self.waiting.contains_key(&token)
    }
}

impl Default for Reactor {
    fn default() -> Self {
        Reactor::new()
    }
}

thread_local! {
    /// The reactor of the loop running on this thread, so that sockets can find it
    /// (like `RUNNING` for the timers).
    pub static REACTOR: RefCell<Option<Rc<RefCell<Reactor>>>> =
        const { RefCell::new(None) };
}

fn running_reactor() -> Rc<RefCell<Reactor>> {
    REACTOR.with_borrow(|running| {
        Rc::clone(
            running
                .as_ref()
                .expect("only a task of a running EventLoop can use sockets"),
        )
    })
}

// ANCHOR: async
/// A non-blocking socket registered with the running loop's reactor (smol calls
/// this `Async<T>`; tokio's `TcpStream` holds the same thing inside).
pub struct Async<S: Source> {
    source: S,
    token: Token,
    reactor: Rc<RefCell<Reactor>>,
}

impl<S: Source> Async<S> {
    pub fn new(mut source: S) -> io::Result<Self> {
        let reactor = running_reactor();
        let token = reactor.borrow_mut().register(&mut source)?;
        Ok(Async { source, token, reactor })
    }

    /// Tries `op` on the socket; while it would block, waits until the reactor
    /// says the socket is ready for `interest`, then tries again.
    pub async fn io<R>(
        &mut self,
        interest: Interest,
        mut op: impl FnMut(&mut S) -> io::Result<R>,
    ) -> io::Result<R> {
        loop {
            match op(&mut self.source) {
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                    Ready { socket: &*self, interest, parked: false }.await
                }
                done => return done,
            }
        }
    }
}
// ANCHOR_END: async

// ANCHOR: ready
/// Pending until the reactor has seen the socket ready for `interest`.
struct Ready<'a, S: Source> {
    socket: &'a Async<S>,
    interest: Interest,
    parked: bool,
}

impl<S: Source> Future for Ready<'_, S> {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let (token, interest) = (self.socket.token, self.interest);
        let mut reactor = self.socket.reactor.borrow_mut();
        if self.parked && !reactor.is_waiting(token) {
            return Poll::Ready(()); // the reactor woke us: try the socket again
        }
        // First poll, or polled again before the socket was ready: (re)park,
        // with this poll's waker.
        reactor.wait_for(token, interest, cx.waker().clone());
        drop(reactor);
        self.parked = true;
        Poll::Pending
    }
}
// ANCHOR_END: ready

// ANCHOR: drop
impl<S: Source> Drop for Ready<'_, S> {
    /// A wait that is dropped before its socket was ready (say, it lost a race)
    /// must not leave its waker behind.
    fn drop(&mut self) {
        if self.parked {
            self.socket.reactor.borrow_mut().cancel(self.socket.token);
        }
    }
}

impl<S: Source> Drop for Async<S> {
    /// A socket that is dropped stops being watched, and its waiter is forgotten.
    fn drop(&mut self) {
        self.reactor.borrow_mut().deregister(&mut self.source, self.token);
    }
}
// ANCHOR_END: drop

// ANCHOR: tcp
impl Async<mio::net::TcpListener> {
    /// Waits for the next connection, like `await loop.sock_accept(sock)`.
    pub async fn accept(&mut self) -> io::Result<Async<mio::net::TcpStream>> {
        let (stream, _peer) = self.io(Interest::READABLE, |l| l.accept()).await?;
        Async::new(stream)
    }
}

impl Async<mio::net::TcpStream> {
    pub async fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.io(Interest::READABLE, |s| io::Read::read(s, buf)).await
    }

    pub async fn write_all(&mut self, mut buf: &[u8]) -> io::Result<()> {
        while !buf.is_empty() {
            let n =
                self.io(Interest::WRITABLE, |s| io::Write::write(s, buf)).await?;
            if n == 0 {
                return Err(io::ErrorKind::WriteZero.into());
            }
            buf = &buf[n..];
        }
        Ok(())
    }
}
// ANCHOR_END: tcp
