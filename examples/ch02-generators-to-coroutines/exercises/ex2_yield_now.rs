//! Exercise 2 (starter): write `yield_now`, a future that lets every other ready task go first.
use std::cell::RefCell;
use std::collections::HashMap;
use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::Pin;
use std::rc::Rc;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::task::{Context, Poll, Wake, Waker};

// ANCHOR: todo
/// Like `asyncio.sleep(0)`: steps aside once, so that the other ready tasks take a
/// step.
pub fn yield_now() -> YieldNow {
    YieldNow { yielded: false }
}

pub struct YieldNow {
    yielded: bool,
}

impl Future for YieldNow {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let _ = (self.yielded, cx); // remove this line when you start
        todo!(
            "be Pending the first time (and make sure this task is polled again), then Ready"
        )
    }
}
// ANCHOR_END: todo

/// Two tasks that log `rounds` steps each, yielding after every step. Returns the
/// log and the loop's report.
pub fn ping_pong(rounds: u32) -> (Vec<String>, Report) {
    let log = Rc::new(RefCell::new(Vec::new()));
    let mut event_loop = EventLoop::new();
    for name in ["ping", "pong"] {
        let log = Rc::clone(&log);
        event_loop.spawn(async move {
            for round in 1..=rounds {
                log.borrow_mut().push(format!("{name} {round}"));
                yield_now().await;
            }
        });
    }
    let report = event_loop.run();
    let log = log.borrow().clone();
    (log, report)
}

fn main() {
    let (log, report) = ping_pong(3);
    for line in log {
        println!("{line}");
    }
    println!("finished: tasks {:?}", report.finished);
    for (id, message) in &report.failed {
        println!("task {id} panicked: {message}");
    }
    if !report.stuck.is_empty() {
        println!("stuck, never woken again: tasks {:?}", report.stuck);
    }
}

// The event loop of listing 06, without its timers: tasks and a ready queue.

type TaskId = usize;
type Task = Pin<Box<dyn Future<Output = ()>>>;

/// Waking a task puts its id back on the ready queue.
struct TaskWaker {
    id: TaskId,
    ready: Sender<TaskId>,
}

impl Wake for TaskWaker {
    fn wake(self: Arc<Self>) {
        let _ = self.ready.send(self.id);
    }
}

/// What a run did: tasks that finished (in order), panicked, or were never woken
/// again.
#[derive(Debug, Default, PartialEq)]
pub struct Report {
    pub finished: Vec<TaskId>,
    pub failed: Vec<(TaskId, String)>,
    pub stuck: Vec<TaskId>,
}

struct EventLoop {
    tasks: HashMap<TaskId, Task>,
    next_id: TaskId,
    ready_tx: Sender<TaskId>,
    ready_rx: Receiver<TaskId>,
}

impl EventLoop {
    fn new() -> Self {
        let (ready_tx, ready_rx) = channel();
        EventLoop { tasks: HashMap::new(), next_id: 0, ready_tx, ready_rx }
    }

    fn spawn(&mut self, future: impl Future<Output = ()> + 'static) -> TaskId {
        let id = self.next_id;
        self.next_id += 1;
        self.tasks.insert(id, Box::pin(future));
        self.ready_tx.send(id).expect("the loop holds the receiving end");
        id
    }

    /// Polls ready tasks, in the order they became ready, until none is ready.
    fn run(&mut self) -> Report {
        let mut report = Report::default();
        while let Ok(id) = self.ready_rx.try_recv() {
            let Some(task) = self.tasks.get_mut(&id) else {
                continue;
            };
            let waker = Waker::from(Arc::new(TaskWaker {
                id,
                ready: self.ready_tx.clone(),
            }));
            let mut cx = Context::from_waker(&waker);
            match catch_unwind(AssertUnwindSafe(|| task.as_mut().poll(&mut cx))) {
                Ok(Poll::Pending) => {}
                Ok(Poll::Ready(())) => {
                    self.tasks.remove(&id);
                    report.finished.push(id);
                }
                Err(panic) => {
                    self.tasks.remove(&id);
                    let message = match panic.downcast::<String>() {
                        Ok(text) => *text,
                        Err(panic) => {
                            panic.downcast_ref::<&str>().unwrap_or(&"?").to_string()
                        }
                    };
                    report.failed.push((id, message));
                }
            }
        }
        report.stuck = self.tasks.keys().copied().collect();
        report.stuck.sort();
        report
    }
}
