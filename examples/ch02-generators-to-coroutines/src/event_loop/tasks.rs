//! Step 4: tasks, their wakers, and the loop that polls them.
use std::cell::RefCell;
use std::collections::HashMap;
use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::Pin;
use std::rc::Rc;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::task::{Context, Poll, Wake, Waker};
use std::time::Duration;

use ch02_generators_to_coroutines::event_loop::choose;
use ch02_generators_to_coroutines::event_loop::clock::Clock;
use ch02_generators_to_coroutines::event_loop::reactor::{
    REACTOR, Reactor, wait_for_events,
};
use ch02_generators_to_coroutines::event_loop::timers::{RUNNING, Timers};
use ch02_generators_to_coroutines::event_loop::trace;

/// Tasks are numbered in the order they were spawned.
pub type TaskId = usize;

// ANCHOR: task
/// A spawned task: a boxed future that the loop polls until it is Ready. It need
/// not be `Send`: it never leaves this thread.
type Task = Pin<Box<dyn Future<Output = ()>>>;

/// Waking a task puts its id back on the ready queue (asyncio:
/// `call_soon(task.__wakeup)`). A waker must be `Send + Sync`: anyone, on any
/// thread, may call it. So the queue is a channel.
struct TaskWaker {
    id: TaskId,
    ready: Sender<TaskId>,
}

impl Wake for TaskWaker {
    fn wake(self: Arc<Self>) {
        // ANCHOR_END: task
        if lost_by_fault(self.id) {
            return; // a test broke the executor: this wake is lost
        }
        trace::woken(self.id); // (for the step-through traces)
        // ANCHOR: task
        // fails only if the loop is gone: nothing to do
        let _ = self.ready.send(self.id);
    }
}
// ANCHOR_END: task

/// What a run did.
#[derive(Debug, Default, PartialEq)]
pub struct Report {
    /// The tasks that ran to the end, in the order they finished, with the loop's
    /// time then.
    pub finished: Vec<(TaskId, Duration)>,
    /// The tasks that panicked, with the loop's time then and the panic's message.
    /// The loop dropped them and went on.
    pub failed: Vec<(TaskId, Duration, String)>,
    /// The tasks still waiting when nothing was left that could wake them.
    pub stuck: Vec<TaskId>,
}

// ANCHOR: loop
/// Many tasks, one thread.
pub struct EventLoop {
    /// Each task with its one waker, made once at spawn: a future that kept an
    /// earlier waker can tell with `will_wake` that it is still the same task's.
    tasks: HashMap<TaskId, (Task, Waker)>,
    next_id: TaskId,
    ready_tx: Sender<TaskId>,
    ready_rx: Receiver<TaskId>,
    timers: Rc<RefCell<Timers>>,
    reactor: Rc<RefCell<Reactor>>, // sockets: the next page
    /// Tasks that running tasks spawned (`spawn` below), taken in after each poll.
    spawned: Rc<RefCell<Vec<Task>>>,
    polls: Polls, // (for the tests and the pictures)
}

impl EventLoop {
    /// Like `asyncio.create_task`: the task starts at the loop's next turn, not
    /// now.
    pub fn spawn(&mut self, future: impl Future<Output = ()> + 'static) -> TaskId {
        self.adopt(Box::pin(future))
    }

    fn adopt(&mut self, task: Task) -> TaskId {
        let id = self.next_id;
        self.next_id += 1;
        let waker =
            Waker::from(Arc::new(TaskWaker { id, ready: self.ready_tx.clone() }));
        // ANCHOR_END: loop
        let task = trace::watch(id, task); // (for the step-through traces)
        // ANCHOR: loop
        self.tasks.insert(id, (task, waker));
        self.ready_tx.send(id).expect("the loop holds the receiving end");
        id
    }
}
// ANCHOR_END: loop

// ANCHOR: run
impl EventLoop {
    /// Runs until every task has finished, panicked, or can never be woken.
    pub fn run(&mut self) -> Report {
        RUNNING.set(Some(Rc::clone(&self.timers)));
        REACTOR.set(Some(Rc::clone(&self.reactor)));
        SPAWNED.set(Some(Rc::clone(&self.spawned)));
        let mut report = Report::default();
        loop {
            // 1. Poll every ready task, in the order they became ready.
            while let Ok(id) = self.ready_rx.try_recv() {
                self.poll_task(id, &mut report);
            }
            // 2. Nothing is ready: wait for the next timer or a ready socket. With
            //    neither left to wait for, no task can ever be woken again.
            let (mut timers, mut reactor) =
                (self.timers.borrow_mut(), self.reactor.borrow_mut());
            if !wait_for_events(&mut timers, &mut reactor) {
                break;
            }
        }
        RUNNING.set(None);
        REACTOR.set(None);
        SPAWNED.set(None);
        report.stuck = self.tasks.keys().copied().collect();
        report.stuck.sort();
        report
    }
}
// ANCHOR_END: run

// ANCHOR: poll_task
impl EventLoop {
    /// Polls task `id` once, with its own waker, and notes in `report` if it ended.
    fn poll_task(&mut self, id: TaskId, report: &mut Report) {
        // ANCHOR_END: poll_task
        let tasks = &self.tasks; // (for the scheduler game: which ready task goes now)
        let id = choose::next(id, &self.ready_tx, &self.ready_rx, |id| {
            tasks.contains_key(&id)
        });
        // ANCHOR: poll_task
        let Some((task, waker)) = self.tasks.get_mut(&id) else {
            return; // woken after it finished: nothing to do
        };
        let started = self.timers.borrow().clock.now();
        let mut cx = Context::from_waker(waker);
        // A task that panics must not take the loop (and every other task) down.
        let result = catch_unwind(AssertUnwindSafe(|| task.as_mut().poll(&mut cx)));
        let now = self.timers.borrow().clock.now();
        self.polls.note(id, started, now); // for the tests and the pictures
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
        // Tasks it spawned start at the loop's next turn, like any new task.
        let spawned = std::mem::take(&mut *self.spawned.borrow_mut());
        for task in spawned {
            self.adopt(task);
        }
    }
}
// ANCHOR_END: poll_task

impl EventLoop {
    pub fn new(clock: Clock) -> Self {
        let (ready_tx, ready_rx) = channel();
        EventLoop {
            tasks: HashMap::new(),
            next_id: 0,
            ready_tx,
            ready_rx,
            timers: Rc::new(RefCell::new(Timers::new(clock))),
            reactor: Rc::new(RefCell::new(Reactor::new())),
            spawned: Rc::new(RefCell::new(Vec::new())),
            polls: Polls::default(),
        }
    }

    /// How many times task `id` was polled so far.
    pub fn polls(&self, id: TaskId) -> u64 {
        self.polls.counts.get(&id).copied().unwrap_or(0)
    }

    /// From now on, keeps when each poll began and ended (on the loop's clock),
    /// for [`EventLoop::poll_times`].
    pub fn record_poll_times(&mut self) {
        self.polls.times.get_or_insert_with(Vec::new);
    }

    /// Every poll since [`EventLoop::record_poll_times`]: the task, and when the
    /// poll began and ended, in the order they ran.
    pub fn poll_times(&self) -> &[(TaskId, Duration, Duration)] {
        self.polls.times.as_deref().unwrap_or_default()
    }

    /// How many sockets are registered with the loop's reactor now.
    pub fn sockets(&self) -> usize {
        self.reactor.borrow().registered()
    }

    /// How many timers the tasks have set so far.
    pub fn timers_set(&self) -> u64 {
        self.timers.borrow().set_so_far()
    }
}

/// What the loop notes about each poll: how many per task, and, when asked,
/// when each one ran.
#[derive(Default)]
struct Polls {
    counts: HashMap<TaskId, u64>,
    times: Option<Vec<(TaskId, Duration, Duration)>>,
}

impl Polls {
    fn note(&mut self, id: TaskId, started: Duration, ended: Duration) {
        *self.counts.entry(id).or_default() += 1;
        if let Some(times) = &mut self.times {
            times.push((id, started, ended));
        }
    }
}

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

#[cfg(test)]
thread_local! {
    /// A fault a test injects: the next wake of this task is lost (the executor is
    /// broken on purpose, to show that a trace would tell).
    pub(crate) static LOSE_NEXT_WAKE_OF: std::cell::Cell<Option<TaskId>> =
        const { std::cell::Cell::new(None) };
}

/// Whether this wake of task `id` is lost to an injected fault: never outside the
/// crate's own tests.
fn lost_by_fault(id: TaskId) -> bool {
    #[cfg(test)]
    if LOSE_NEXT_WAKE_OF.get() == Some(id) {
        LOSE_NEXT_WAKE_OF.set(None);
        return true;
    }
    let _ = id;
    false
}

thread_local! {
    /// Where `spawn` puts new tasks while a loop runs on this thread.
    static SPAWNED: RefCell<Option<Rc<RefCell<Vec<Task>>>>> = const { RefCell::new(None) };
}

// ANCHOR: spawn
/// Spawns a task from inside another one (asyncio's `create_task`, tokio's
/// `spawn`): the running loop takes it in after the current poll.
pub fn spawn(future: impl Future<Output = ()> + 'static) {
    SPAWNED.with_borrow(|spawned| {
        let spawned =
            spawned.as_ref().expect("only a running EventLoop's tasks spawn");
        spawned.borrow_mut().push(Box::pin(future));
    });
}
// ANCHOR_END: spawn
