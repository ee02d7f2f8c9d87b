//! A tiny event loop: many tasks on one thread, a ready queue, and timers ordered by deadline.
use std::cell::RefCell;
use std::cmp::{Ordering, Reverse};
use std::collections::{BinaryHeap, HashMap};
use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::Pin;
use std::rc::Rc;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::task::{Context, Poll, Wake, Waker};
use std::thread;
use std::time::{Duration, Instant};

const MS: Duration = Duration::from_millis(1);

/// Tasks are numbered in the order they were spawned.
pub type TaskId = usize;

// ANCHOR: clock
/// Where the loop gets its time. Times are durations since the clock started.
pub enum Clock {
    /// Wall-clock time: waiting for a deadline really sleeps the thread.
    Real(Instant),
    /// Virtual time: waiting jumps straight to the deadline (tokio's paused clock).
    Virtual(Duration),
}

impl Clock {
    pub fn real() -> Self {
        Clock::Real(Instant::now())
    }

    pub fn virtual_time() -> Self {
        Clock::Virtual(Duration::ZERO)
    }

    fn now(&self) -> Duration {
        match self {
            Clock::Real(start) => start.elapsed(),
            Clock::Virtual(now) => *now,
        }
    }

    fn wait_until(&mut self, deadline: Duration) {
        match self {
            Clock::Real(start) => thread::sleep(deadline.saturating_sub(start.elapsed())),
            Clock::Virtual(now) => *now = (*now).max(deadline),
        }
    }
}
// ANCHOR_END: clock

// ANCHOR: timers
/// An alarm: at `deadline`, call `waker`. Timers with equal deadlines go off in the order
/// they were set (`seq`), so the loop is deterministic.
struct Timer {
    deadline: Duration,
    seq: u64,
    waker: Waker,
}

/// The loop's timekeeping: its clock and a heap of timers, earliest deadline on top
/// (asyncio's `loop._scheduled`, a `heapq` of `TimerHandle`s).
struct Timers {
    clock: Clock,
    heap: BinaryHeap<Reverse<Timer>>,
    next_seq: u64,
}

impl Timers {
    fn add(&mut self, deadline: Duration, waker: Waker) {
        let seq = self.next_seq;
        self.next_seq += 1;
        self.heap.push(Reverse(Timer {
            deadline,
            seq,
            waker,
        }));
    }

    /// Waits until the earliest deadline, then wakes every task whose timer has gone off,
    /// earliest first. Returns false if there was no timer to wait for.
    fn wait_for_next(&mut self) -> bool {
        let Some(Reverse(next)) = self.heap.peek() else {
            return false;
        };
        self.clock.wait_until(next.deadline);
        let now = self.clock.now();
        while self.heap.peek().is_some_and(|Reverse(t)| t.deadline <= now) {
            if let Some(Reverse(timer)) = self.heap.pop() {
                timer.waker.wake(); // puts its task back on the ready queue
            }
        }
        true
    }
}

// ANCHOR_END: timers

// ANCHOR: running
thread_local! {
    /// The timers of the loop running on this thread, so that `sleep` can find them
    /// (asyncio's `get_running_loop()`).
    static RUNNING: RefCell<Option<Rc<RefCell<Timers>>>> = const { RefCell::new(None) };
}

fn with_timers<R>(f: impl FnOnce(&mut Timers) -> R) -> R {
    RUNNING.with_borrow(|running| {
        let timers = running
            .as_ref()
            .expect("only a task of a running EventLoop can use timers");
        f(&mut timers.borrow_mut())
    })
}
// ANCHOR_END: running

/// Like `asyncio.sleep(seconds)`: Pending until the loop's clock reaches the deadline.
pub fn sleep(duration: Duration) -> Sleep {
    Sleep {
        duration,
        deadline: None,
        registered: None,
    }
}

// ANCHOR: sleep
/// The future `sleep(duration)` returns.
pub struct Sleep {
    duration: Duration,
    deadline: Option<Duration>, // set at the first poll
    registered: Option<Waker>,  // the waker our timer will wake
}

impl Future for Sleep {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let this = self.get_mut();
        with_timers(|timers| {
            let now = timers.clock.now();
            let deadline = *this.deadline.get_or_insert(now + this.duration);
            if now >= deadline {
                return Poll::Ready(());
            }
            // Register once: a timer is already set unless this is the first poll or the
            // future has moved to another task (a different waker).
            if !this
                .registered
                .as_ref()
                .is_some_and(|w| w.will_wake(cx.waker()))
            {
                timers.add(deadline, cx.waker().clone()); // asyncio: loop.call_later(...)
                this.registered = Some(cx.waker().clone());
            }
            Poll::Pending
        })
    }
}

/// The loop's time, like asyncio's `loop.time()`.
pub fn now() -> Duration {
    with_timers(|timers| timers.clock.now())
}
// ANCHOR_END: sleep

// ANCHOR: task
/// A spawned task: a boxed future that the loop polls until it is Ready. It need not be
/// `Send`: it never leaves this thread.
type Task = Pin<Box<dyn Future<Output = ()>>>;

/// Waking a task puts its id back on the ready queue (asyncio: `call_soon(task.__wakeup)`).
/// A waker must be `Send`: anyone, on any thread, may call it. So the queue is a channel.
struct TaskWaker {
    id: TaskId,
    ready: Sender<TaskId>,
}

impl Wake for TaskWaker {
    fn wake(self: Arc<Self>) {
        let _ = self.ready.send(self.id); // fails only if the loop is gone: nothing to do
    }
}
// ANCHOR_END: task

/// What a run did.
#[derive(Debug, Default, PartialEq)]
pub struct Report {
    /// The tasks that ran to the end, in the order they finished, with the loop's time then.
    pub finished: Vec<(TaskId, Duration)>,
    /// The tasks that panicked, with the loop's time then and the panic's message. The loop
    /// dropped them and went on.
    pub failed: Vec<(TaskId, Duration, String)>,
    /// The tasks still waiting when nothing was left that could wake them.
    pub stuck: Vec<TaskId>,
}

// ANCHOR: loop
/// Many tasks, one thread.
pub struct EventLoop {
    /// Each task with its one waker, made once at spawn: a future that kept an earlier
    /// waker can tell with `will_wake` that it is still the same task's.
    tasks: HashMap<TaskId, (Task, Waker)>,
    next_id: TaskId,
    ready_tx: Sender<TaskId>,
    ready_rx: Receiver<TaskId>,
    timers: Rc<RefCell<Timers>>,
}

impl EventLoop {
    pub fn new(clock: Clock) -> Self {
        let (ready_tx, ready_rx) = channel();
        let timers = Timers {
            clock,
            heap: BinaryHeap::new(),
            next_seq: 0,
        };
        let timers = Rc::new(RefCell::new(timers));
        EventLoop {
            tasks: HashMap::new(),
            next_id: 0,
            ready_tx,
            ready_rx,
            timers,
        }
    }

    /// Like `asyncio.create_task`: the task starts at the loop's next turn, not now.
    pub fn spawn(&mut self, future: impl Future<Output = ()> + 'static) -> TaskId {
        let id = self.next_id;
        self.next_id += 1;
        let waker = Waker::from(Arc::new(TaskWaker {
            id,
            ready: self.ready_tx.clone(),
        }));
        self.tasks.insert(id, (Box::pin(future), waker));
        self.ready_tx
            .send(id)
            .expect("the loop holds the receiving end");
        id
    }
}
// ANCHOR_END: loop

// ANCHOR: run
impl EventLoop {
    /// Runs until every task has finished, panicked, or can never be woken.
    pub fn run(&mut self) -> Report {
        RUNNING.set(Some(Rc::clone(&self.timers)));
        let mut report = Report::default();
        loop {
            // 1. Poll every ready task, in the order they became ready.
            while let Ok(id) = self.ready_rx.try_recv() {
                let Some((task, waker)) = self.tasks.get_mut(&id) else {
                    continue; // woken after it finished: nothing to do
                };
                let mut cx = Context::from_waker(waker);
                // A task that panics must not take the loop (and every other task) down.
                let result = catch_unwind(AssertUnwindSafe(|| task.as_mut().poll(&mut cx)));
                let now = self.timers.borrow().clock.now();
                match result {
                    Ok(Poll::Pending) => {} // it kept the waker somewhere: a timer, say
                    Ok(Poll::Ready(())) => {
                        self.tasks.remove(&id);
                        report.finished.push((id, now));
                    }
                    Err(panic) => {
                        self.tasks.remove(&id);
                        report.failed.push((id, now, panic_message(panic.as_ref())));
                    }
                }
            }
            // 2. Nothing is ready: wait for the next timer. With no timers left, no task
            //    can ever be woken again.
            if !self.timers.borrow_mut().wait_for_next() {
                break;
            }
        }
        RUNNING.set(None);
        report.stuck = self.tasks.keys().copied().collect();
        report.stuck.sort();
        report
    }
}
// ANCHOR_END: run

/// The text a task panicked with: `panic!` makes a `&str` or a `String`.
fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    if let Some(text) = panic.downcast_ref::<&str>() {
        text.to_string()
    } else if let Some(text) = panic.downcast_ref::<String>() {
        text.clone()
    } else {
        "a panic without a message".to_string()
    }
}

// Timers are ordered by deadline, then by the order they were set; the waker plays no part.
impl Ord for Timer {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.deadline, self.seq).cmp(&(other.deadline, other.seq))
    }
}
impl PartialOrd for Timer {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl PartialEq for Timer {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Timer {}

// ANCHOR: demo
/// Three sleepers and a task that panics, on a virtual clock: they finish in deadline
/// order, at exact times, and the panic is reported instead of ending the loop.
pub fn demo() -> Report {
    let mut event_loop = EventLoop::new(Clock::virtual_time());
    for (name, ms) in [("slow", 30), ("fast", 10), ("medium", 20)] {
        event_loop.spawn(async move {
            sleep(ms * MS).await;
            println!("at {:>2} ms: {name} woke up", now().as_millis());
        });
    }
    event_loop.spawn(async {
        sleep(15 * MS).await;
        panic!("out of coffee");
    });
    event_loop.run()
}
// ANCHOR_END: demo

// ANCHOR: scale
/// How long task `i` of `many_sleepers` sleeps: 1 to 100 ms, scrambled so that spawn order
/// is not deadline order.
pub fn nap(i: TaskId) -> Duration {
    MS * (i * 37 % 100 + 1) as u32
}

/// `count` tasks on one loop, task `i` sleeping `nap(i)`.
pub fn many_sleepers(clock: Clock, count: usize) -> Report {
    let mut event_loop = EventLoop::new(clock);
    for i in 0..count {
        event_loop.spawn(sleep(nap(i)));
    }
    event_loop.run()
}

fn main() {
    // The loop reports panics itself; keep Rust's default panic message off stderr.
    std::panic::set_hook(Box::new(|_| {}));

    println!("Four tasks on a virtual clock:");
    let report = demo();
    for (id, at, message) in &report.failed {
        println!("task {id} panicked at {} ms: {message}", at.as_millis());
    }
    let order: Vec<TaskId> = report.finished.iter().map(|&(id, _)| id).collect();
    println!("finished: tasks {order:?}");

    println!("\n10000 tasks sleeping 1 to 100 ms, on one thread and a real clock:");
    let start = Instant::now();
    let report = many_sleepers(Clock::real(), 10_000);
    let elapsed = start.elapsed();
    let early = report
        .finished
        .iter()
        .filter(|&&(id, at)| at < nap(id))
        .count();
    let (done, failed) = (report.finished.len(), report.failed.len());
    println!("{done} finished, {failed} failed, {early} woke before their deadline");
    println!("all done after {} ms of real time", elapsed.as_millis());
}
// ANCHOR_END: scale
