//! Not a step of the loop: the recorder behind the chapter's step-through traces.
//!
//! The loop's own code calls the hooks below (from lines the book hides), so a trace
//! is what the shown loop really did, not a second copy of it. Recording is off
//! unless [`record`] is running on this thread; then every loop made on this thread
//! notes each scheduling event with the loop's time. When off, each hook is one
//! thread-local look-up.
use std::cell::RefCell;
use std::collections::HashMap;
use std::future::Future;
use std::panic::Location;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

#[cfg(feature = "traces")]
use serde::Serialize;

use ch02_generators_to_coroutines::event_loop::tasks::TaskId;
use ch02_generators_to_coroutines::event_loop::timers::RUNNING;

/// Who called a task's waker, as far as the loop can tell.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "traces", derive(Serialize))]
#[cfg_attr(feature = "traces", serde(rename_all = "snake_case"))]
pub enum Cause {
    /// A timer went off (`Timers::wake_due`).
    Timer,
    /// The reactor saw a socket ready (`Reactor::wait`).
    Socket,
    /// The task with this id, while it was being polled: a channel send, a `spawn`
    /// that wakes, or the task waking itself (`yield_now`).
    Task(TaskId),
    /// None of those: code outside the loop's polls and waits, on the loop's thread
    /// (say, the program before `run`).
    Outside,
}

/// One scheduling event.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "traces", derive(Serialize))]
#[cfg_attr(feature = "traces", serde(tag = "event", rename_all = "snake_case"))]
pub enum Event {
    /// The task was handed to the loop (it is polled at the loop's next turn).
    Spawned { task: TaskId },
    /// The loop began to poll the task.
    Polled { task: TaskId },
    /// The poll returned Pending. `site` is where the task last called `sleep`
    /// (none if it waits on something else, such as a socket).
    Pending {
        task: TaskId,
        #[cfg_attr(
            feature = "traces",
            serde(skip_serializing_if = "Option::is_none")
        )]
        site: Option<Site>,
    },
    /// The task being polled set a timer (`Timers::add`) for `deadline_us`, from the
    /// `sleep` called at `site`.
    TimerSet {
        task: TaskId,
        deadline_us: u64,
        #[cfg_attr(
            feature = "traces",
            serde(skip_serializing_if = "Option::is_none")
        )]
        site: Option<Site>,
    },
    /// A chooser (`event_loop::choose`, the scheduler game) picked this task from
    /// `options`, the live ready tasks in queue order, to be polled next.
    Chose { task: TaskId, options: Vec<TaskId> },
    /// The task being polled printed `text` with [`say`].
    Said { task: TaskId, text: String },
    /// The task's waker put it back on the ready queue. Wakes from another thread
    /// are not seen.
    Woken { task: TaskId, by: Cause },
    /// The poll returned Ready: the task is done.
    Ready { task: TaskId },
    /// The poll panicked (the loop catches it and drops the task).
    Panicked { task: TaskId },
    /// The loop dropped the task's future.
    Dropped { task: TaskId },
}

/// A line of source: where a task called `sleep`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "traces", derive(Serialize))]
pub struct Site {
    pub file: &'static str,
    pub line: u32,
}

/// An event and the loop's time then, in microseconds.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "traces", derive(Serialize))]
pub struct Record {
    pub t_us: u64,
    #[cfg_attr(feature = "traces", serde(flatten))]
    pub event: Event,
}

#[derive(Default)]
struct Recorder {
    records: Vec<Record>,
    /// The loop's time when it last told us (the clock is not always readable).
    now: Duration,
    /// Who is calling wakers now: the task being polled, or the timers or the reactor.
    cause: Option<Cause>,
    /// Where each task called the `sleep` it waits in, until its timer goes off.
    sleeps: HashMap<TaskId, Site>,
}

thread_local! {
    static RECORDER: RefCell<Option<Recorder>> = const { RefCell::new(None) };
}

/// Runs `f`, recording every event of every loop it runs on this thread.
pub fn record<R>(f: impl FnOnce() -> R) -> (R, Vec<Record>) {
    /// Turns recording off again even if `f` panics.
    struct Off;
    impl Drop for Off {
        fn drop(&mut self) {
            RECORDER.set(None);
        }
    }
    RECORDER.with_borrow_mut(|recorder| {
        assert!(recorder.is_none(), "already recording on this thread");
        *recorder = Some(Recorder::default());
    });
    let off = Off;
    let result = f();
    let records = RECORDER
        .with_borrow_mut(|recorder| recorder.take())
        .map(|recorder| recorder.records)
        .unwrap_or_default();
    drop(off);
    (result, records)
}

/// The records as JSON, one event a line, so that a stale trace diffs readably.
/// Each `site` also carries its line of source (`code`, trimmed), so that a page
/// can find that line in the listing it shows.
#[cfg(feature = "traces")]
pub fn to_json(records: &[Record]) -> String {
    format!("[\n  {}\n]\n", to_json_lines(records).join(",\n  "))
}

/// Each record as one line of JSON, its `site` with its line of source.
#[cfg(feature = "traces")]
pub fn to_json_lines(records: &[Record]) -> Vec<String> {
    records
        .iter()
        .map(|r| {
            let mut value =
                serde_json::to_value(r).expect("a record is plain data");
            if let (Some(site), Some(code)) =
                (value.get_mut("site"), r.event.site().map(source_line))
            {
                site["code"] = serde_json::Value::String(code);
            }
            value.to_string()
        })
        .collect()
}

/// The trimmed text of the line `site` names. Its file is relative to the
/// workspace root, as `Location::file` gives it for the workspace's own crates.
#[cfg(feature = "traces")]
fn source_line(site: Site) -> String {
    let crate_dir = std::env::var_os("CARGO_MANIFEST_DIR").expect(
        "traces are made under cargo (cargo test), which sets CARGO_MANIFEST_DIR",
    );
    let root = std::path::Path::new(&crate_dir).join("../..");
    let path = root.join(site.file);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let line = usize::try_from(site.line).expect("a line number fits in usize");
    text.lines()
        .nth(line - 1)
        .unwrap_or_else(|| panic!("{} has no line {line}", path.display()))
        .trim()
        .to_owned()
}

impl Event {
    /// The line of source the event came from, if the recorder knows it.
    pub fn site(&self) -> Option<Site> {
        match self {
            Event::Pending { site, .. } | Event::TimerSet { site, .. } => *site,
            _ => None,
        }
    }
}

/// Does `f` with the recorder, if one is on; updates its time when `now` is known.
fn with_recorder(now: Option<Duration>, f: impl FnOnce(&mut Recorder)) {
    RECORDER.with_borrow_mut(|recorder| {
        if let Some(recorder) = recorder {
            if let Some(now) = now {
                recorder.now = now;
            }
            f(recorder);
        }
    });
}

/// A time in whole microseconds, as the traces keep it.
fn micros(time: Duration) -> u64 {
    u64::try_from(time.as_micros()).unwrap_or(u64::MAX)
}

impl Recorder {
    fn note(&mut self, event: Event) {
        let t_us = micros(self.now);
        self.records.push(Record { t_us, event });
    }

    /// The task being polled now, if any.
    fn polled_task(&self) -> Option<TaskId> {
        match self.cause {
            Some(Cause::Task(id)) => Some(id),
            _ => None,
        }
    }
}

fn is_on() -> bool {
    RECORDER.with_borrow(Option::is_some)
}

/// The running loop's time, if its clock can be read now (not while the loop
/// itself holds its timers, as during `wake_due`).
fn loop_time() -> Option<Duration> {
    RUNNING.with_borrow(|running| {
        running
            .as_ref()
            .and_then(|timers| timers.try_borrow().ok().map(|t| t.clock.now()))
    })
}

/// Hook in `EventLoop::adopt`: notes the spawn and, when recording, wraps the task
/// so that its polls and its drop are noted too. Off: returns `task` as it is.
pub fn watch(
    id: TaskId,
    task: Pin<Box<dyn Future<Output = ()>>>,
) -> Pin<Box<dyn Future<Output = ()>>> {
    if !is_on() {
        return task;
    }
    with_recorder(loop_time(), |r| r.note(Event::Spawned { task: id }));
    Box::pin(Watched { id, task })
}

/// Hook in `TaskWaker::wake`: the task's waker was called, by whoever is waking now.
pub fn woken(id: TaskId) {
    with_recorder(loop_time(), |r| {
        let by = r.cause.unwrap_or(Cause::Outside);
        if by == Cause::Timer {
            // Its sleep is over: until it calls `sleep` again, it waits on something
            // else, if it waits at all.
            r.sleeps.remove(&id);
        }
        r.note(Event::Woken { task: id, by });
    });
}

/// Hook in `Timers::wake_due` and `Reactor::wait`: wakes from now until the guard
/// is dropped are by `cause`; `now` is the loop's time, if known.
#[must_use]
pub fn waking(cause: Cause, now: Option<Duration>) -> Waking {
    let mut before = None;
    with_recorder(now, |r| before = Some(r.cause.replace(cause)));
    Waking { before }
}

/// Puts back who was waking before (see [`waking`]).
pub struct Waking {
    before: Option<Option<Cause>>,
}

impl Drop for Waking {
    fn drop(&mut self) {
        if let Some(before) = self.before {
            with_recorder(None, |r| r.cause = before);
        }
    }
}

/// Hook in `sleep` (which is `#[track_caller]`): the task being polled called
/// `sleep` at `site`.
pub fn sleep_called(site: &'static Location<'static>) {
    with_recorder(None, |r| {
        if let Some(Cause::Task(id)) = r.cause {
            r.sleeps.insert(id, Site { file: site.file(), line: site.line() });
        }
    });
}

/// Hook in `Timers::add`: the task being polled set a timer for `deadline`; `now`
/// is the loop's time (the loop holds its timers, so the recorder cannot read it).
pub fn timer_set(now: Duration, deadline: Duration) {
    with_recorder(Some(now), |r| {
        if let Some(task) = r.polled_task() {
            let site = r.sleeps.get(&task).copied();
            let deadline_us = micros(deadline);
            r.note(Event::TimerSet { task, deadline_us, site });
        }
    });
}

/// Hook in `choose::next`: a chooser picked `task` from the ready `options`.
pub fn chose(task: TaskId, options: Vec<TaskId>) {
    with_recorder(loop_time(), |r| r.note(Event::Chose { task, options }));
}

/// Prints `text` as a line, as `println!` does; while a recording is on and a task is
/// being polled, notes it in the recording (with that task) instead. The traced
/// programs print with this, so a step-through shows their output as it appeared.
pub fn say(text: impl Into<String>) {
    let text = text.into();
    let mut unsaid = Some(text);
    with_recorder(loop_time(), |r| {
        if let Some(task) = r.polled_task() {
            let text = unsaid.take().expect("said once");
            r.note(Event::Said { task, text });
        }
    });
    if let Some(text) = unsaid {
        println!("{text}");
    }
}

/// A task the loop polls while recording: notes each poll, its outcome, and the
/// drop.
struct Watched {
    id: TaskId,
    task: Pin<Box<dyn Future<Output = ()>>>,
}

impl Future for Watched {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        /// Notes a panic, and ends the poll's turn as the waker's cause, even when
        /// the poll unwinds.
        struct Polling(TaskId, Option<Cause>);
        impl Drop for Polling {
            fn drop(&mut self) {
                with_recorder(loop_time(), |r| {
                    if std::thread::panicking() {
                        r.note(Event::Panicked { task: self.0 });
                    }
                    r.cause = self.1;
                });
            }
        }
        let id = self.id;
        let mut before = None;
        with_recorder(loop_time(), |r| {
            r.note(Event::Polled { task: id });
            before = r.cause.replace(Cause::Task(id));
        });
        let polling = Polling(id, before);
        let poll = self.task.as_mut().poll(cx);
        with_recorder(loop_time(), |r| match poll {
            Poll::Pending => {
                let site = r.sleeps.get(&id).copied();
                r.note(Event::Pending { task: id, site });
            }
            Poll::Ready(()) => r.note(Event::Ready { task: id }),
        });
        drop(polling);
        poll
    }
}

impl Drop for Watched {
    fn drop(&mut self) {
        let id = self.id;
        with_recorder(loop_time(), |r| r.note(Event::Dropped { task: id }));
    }
}
