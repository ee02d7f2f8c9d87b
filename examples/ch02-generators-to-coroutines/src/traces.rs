//! The chapter's step-through traces: every scheduling event of a real run of a
//! listing, recorded by the loop itself (see `event_loop::trace`).
//!
//! They come from runs on the virtual clock, so they are exact: `scripts/regen`
//! rewrites them and `tests/pictures.rs` fails when one is stale.

use crate::event_loop::trace::{self, Record};
use crate::listings::event_loop;
use crate::{game, stepped};

/// Where this chapter's traces live, relative to the workspace root.
pub const DIR: &str = "book/ch02-generators-to-coroutines/traces";

/// Each folder of traces (next to the page that shows them), with each trace's
/// file name and JSON.
pub fn exact() -> Vec<(&'static str, Vec<(String, String)>)> {
    let json = |run: fn() -> crate::event_loop::Report| {
        trace::to_json(&trace::record(run).1)
    };
    let mut here =
        vec![("06-event-loop-demo.json".to_owned(), trace::to_json(&demo()))];
    for game in game::games() {
        here.push((format!("game-{}.json", game.file), game::to_json(&game)));
    }
    vec![
        (DIR, here),
        (
            "book/ch01-concurrent-vs-parallel/traces",
            vec![("blocked.json".to_owned(), json(stepped::blocked))],
        ),
        (
            "book/ch03-futures-and-tasks/traces",
            vec![("race.json".to_owned(), json(stepped::race))],
        ),
    ]
}

/// Listing 06's `demo` (three sleepers and a task that panics), as recorded.
pub fn demo() -> Vec<Record> {
    // (Its panicking task prints Rust's panic message; the loop catches it.)
    trace::record(event_loop::demo).1
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event_loop::tasks::LOSE_NEXT_WAKE_OF;
    use crate::event_loop::trace::{Cause, Event};

    const FILE: &str = "06-event-loop-demo.json";

    /// Breaks the executor (task 1's timer wake is lost) and checks that the trace
    /// tells: the wake the healthy run records is missing, the task is never polled
    /// again, and the stale check of the stored trace fails.
    #[test]
    fn a_lost_wake_changes_the_trace_and_the_stale_check_fails() {
        let healthy = demo();
        let woken_1 = Event::Woken { task: 1, by: Cause::Timer };
        assert!(
            healthy.iter().any(|r| r.event == woken_1 && r.t_us == 10_000),
            "the recorder sees the timer wake task 1 at 10 ms"
        );

        LOSE_NEXT_WAKE_OF.set(Some(1));
        let (report, broken) = trace::record(event_loop::demo);
        LOSE_NEXT_WAKE_OF.set(None);
        assert_eq!(report.stuck, vec![1], "task 1 never finishes");
        assert!(!broken.iter().any(|r| r.event == woken_1));
        assert!(!broken.iter().any(|r| r.event == Event::Ready { task: 1 }));
        let polls_of_1 =
            broken.iter().filter(|r| r.event == Event::Polled { task: 1 }).count();
        assert_eq!(polls_of_1, 1, "polled once, then never again");

        let (healthy, broken) = (trace::to_json(&healthy), trace::to_json(&broken));
        assert_ne!(healthy, broken);
        // The same check the test command runs, on the stored trace (unless this
        // run rewrites snapshots: then it must not write the broken one).
        if std::env::var("SNAPSHOTS").is_ok_and(|v| v == "overwrite") {
            return;
        }
        let dir = listing_check::workspace_dir(DIR);
        let stored = std::fs::read_to_string(dir.join(FILE))
            .expect("the stored trace exists (scripts/regen writes it)");
        assert_eq!(stored, healthy, "the stored trace is fresh");
        let stale = std::panic::catch_unwind(|| {
            listing_check::check_generated(&dir, [(FILE, broken)]);
        });
        assert!(stale.is_err(), "the stale check fails for the broken executor");
    }

    /// A task that slept, then waits on something else, is not told as waiting in
    /// its old `sleep`: the site goes when the timer does.
    #[test]
    fn a_sleep_site_lasts_until_its_timer_goes_off() {
        use std::rc::Rc;
        use std::time::Duration;

        use crate::event_loop::{Clock, EventLoop, sleep};
        use crate::stepped::Signal;

        const MS: Duration = Duration::from_millis(1);
        let (_, records) = trace::record(|| {
            let signal = Rc::new(Signal::default());
            let mut event_loop = EventLoop::new(Clock::virtual_time());
            let waiting = Rc::clone(&signal);
            event_loop.spawn(async move {
                sleep(MS).await;
                waiting.wait().await;
            });
            event_loop.spawn(async move {
                sleep(2 * MS).await;
                signal.set();
            });
            event_loop.run()
        });
        let told: Vec<bool> = records
            .iter()
            .filter_map(|r| match &r.event {
                Event::Pending { task: 0, site } => Some(site.is_some()),
                _ => None,
            })
            .collect();
        assert_eq!(told, [true, false], "in sleep, then in the signal's wait");
    }

    /// Off by default: a loop run without `record` notes nothing, and a later
    /// recording starts empty.
    #[test]
    fn recording_is_off_unless_asked() {
        let _ = event_loop::demo();
        let ((), records) = trace::record(|| ());
        assert!(records.is_empty());
    }
}
