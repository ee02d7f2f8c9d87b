//! Not a step of the loop: lets the book's scheduler game choose which ready task
//! the loop polls next, instead of the first in the queue.
//!
//! The loop's `poll_task` asks [`next`] (from a line the book hides) before each
//! poll. Unless [`follow`] is running on this thread, [`next`] returns the task the
//! loop took off the queue, so the loop is first come, first served as shown.
//! Under [`follow`], whenever two or more live tasks are ready, a script of choices
//! decides which one goes first; the others keep their order in the queue.
use std::cell::RefCell;
use std::sync::mpsc::{Receiver, Sender};

use ch02_generators_to_coroutines::event_loop::tasks::TaskId;
use ch02_generators_to_coroutines::event_loop::trace;

/// One decision: the live ready tasks, in queue order, and the index of the one
/// polled.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decision {
    pub options: Vec<TaskId>,
    pub chosen: usize,
}

/// Why a run under [`follow`] was stopped: it made more decisions than allowed
/// (a schedule that may never end).
#[derive(Debug)]
pub struct TooManyDecisions;

struct Chooser {
    script: Vec<usize>,
    made: Vec<Decision>,
    most: usize,
}

thread_local! {
    static CHOOSER: RefCell<Option<Chooser>> = const { RefCell::new(None) };
}

/// Runs `f` with the loop's choices taken from `script` (an index into the ready
/// tasks at each decision; past its end, the first ready task, as the loop would).
/// Returns what `f` returned and every decision made, or `Err` if the run needed
/// more than `most` decisions (the run is then abandoned by unwinding).
pub fn follow<R>(
    script: &[usize],
    most: usize,
    f: impl FnOnce() -> R,
) -> Result<(R, Vec<Decision>), TooManyDecisions> {
    /// Ends the scripted run even if `f` unwinds.
    struct Off;
    impl Drop for Off {
        fn drop(&mut self) {
            CHOOSER.set(None);
        }
    }
    CHOOSER.with_borrow_mut(|chooser| {
        assert!(chooser.is_none(), "already following a script on this thread");
        *chooser =
            Some(Chooser { script: script.to_vec(), made: Vec::new(), most });
    });
    let off = Off;
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    let made = CHOOSER
        .with_borrow_mut(|chooser| chooser.take())
        .map(|chooser| chooser.made)
        .unwrap_or_default();
    drop(off);
    match result {
        Ok(value) => Ok((value, made)),
        Err(payload) if payload.is::<TooManyDecisions>() => Err(TooManyDecisions),
        Err(payload) => std::panic::resume_unwind(payload),
    }
}

/// Hook in `EventLoop::poll_task`: the loop took `first` off the ready queue; returns
/// the task to poll instead (the others go back on the queue, in order). `live`
/// says whether a task id is still one of the loop's tasks.
pub fn next(
    first: TaskId,
    ready_tx: &Sender<TaskId>,
    ready_rx: &Receiver<TaskId>,
    live: impl Fn(TaskId) -> bool,
) -> TaskId {
    let decided = CHOOSER.with_borrow_mut(|chooser| {
        let chooser = chooser.as_mut()?;
        let mut queue = vec![first];
        queue.extend(ready_rx.try_iter());
        let mut options: Vec<TaskId> = Vec::new();
        for &id in &queue {
            if live(id) && !options.contains(&id) {
                options.push(id);
            }
        }
        let chosen = if options.len() < 2 {
            None
        } else if chooser.made.len() == chooser.most {
            std::panic::resume_unwind(Box::new(TooManyDecisions));
        } else {
            let at = chooser.script.get(chooser.made.len()).copied().unwrap_or(0);
            assert!(at < options.len(), "the script chose {at} of {options:?}");
            chooser.made.push(Decision { options: options.clone(), chosen: at });
            Some((options[at], options))
        };
        let pick = chosen.as_ref().map_or(first, |(id, _)| *id);
        let at =
            queue.iter().position(|&id| id == pick).expect("picked from the queue");
        queue.remove(at);
        for id in queue {
            let _ = ready_tx.send(id);
        }
        Some((pick, chosen.map(|(_, options)| options)))
    });
    match decided {
        None => first,
        Some((pick, options)) => {
            if let Some(options) = options {
                trace::chose(pick, options);
            }
            pick
        }
    }
}
