//! The scheduler game: every schedule of a small program, each one run on the
//! chapter's event loop with the loop's choices scripted (`event_loop::choose`),
//! recorded (`event_loop::trace`), and written out for the page to replay.
//!
//! Schedules are enumerated depth first: run with no script (the loop's own order),
//! then, at the last decision that has an untried option, try the next option, and
//! so on until every decision has tried every option.
use crate::event_loop::Report;
use crate::event_loop::TaskId;
use crate::event_loop::choose::{self, Decision};
use crate::event_loop::trace::{self, Event, Record};
use crate::stepped;

/// The most decisions one run may take; a run that needs more is reported as
/// cut off (none of the book's programs comes close).
pub const MOST_DECISIONS: usize = 12;

/// One schedule of a program and what happened under it.
#[derive(Debug, Clone, PartialEq)]
pub struct Schedule {
    /// The decisions, in order: the ready tasks and which one went first.
    pub decisions: Vec<Decision>,
    /// What the tasks printed (`say`), in order.
    pub output: Vec<String>,
    /// The tasks that never finished: nothing was left that could wake them.
    pub stuck: Vec<TaskId>,
    /// Every event of the run.
    pub records: Vec<Record>,
}

impl Schedule {
    /// The task chosen at each decision.
    pub fn picks(&self) -> Vec<TaskId> {
        self.decisions.iter().map(|d| d.options[d.chosen]).collect()
    }
}

/// Runs `program` under the choices in `script`, recording it.
pub fn run_under(program: fn() -> Report, script: &[usize]) -> Schedule {
    let ((report, records), decisions) =
        choose::follow(script, MOST_DECISIONS, || trace::record(program))
            .unwrap_or_else(|choose::TooManyDecisions| {
                panic!("a schedule took more than {MOST_DECISIONS} decisions")
            });
    let output = records
        .iter()
        .filter_map(|r| match &r.event {
            Event::Said { text, .. } => Some(text.clone()),
            _ => None,
        })
        .collect();
    Schedule { decisions, output, stuck: report.stuck, records }
}

/// Every schedule of `program`, in depth-first order of the choices.
pub fn every_schedule(program: fn() -> Report) -> Vec<Schedule> {
    let mut found = Vec::new();
    let mut script: Vec<usize> = Vec::new();
    loop {
        let schedule = run_under(program, &script);
        let chosen: Vec<usize> =
            schedule.decisions.iter().map(|d| d.chosen).collect();
        assert!(chosen.starts_with(&script), "the run followed its script");
        let next =
            schedule.decisions.iter().rposition(|d| d.chosen + 1 < d.options.len());
        found.push(schedule);
        let Some(at) = next else { return found };
        script = chosen[..at].to_vec();
        script.push(chosen[at] + 1);
    }
}

/// A game: a program's name on the page, and each variant with its schedules.
pub struct Game {
    pub file: &'static str,
    pub variants: Vec<(&'static str, Vec<Schedule>)>,
}

/// The games the book shows.
pub fn games() -> Vec<Game> {
    vec![
        Game {
            file: "writers",
            variants: vec![("as written", every_schedule(stepped::writers))],
        },
        Game {
            file: "handoff",
            variants: vec![
                ("as written", every_schedule(stepped::handoff)),
                (
                    "without the wake()",
                    with_forgotten_wake(|| every_schedule(stepped::handoff)),
                ),
            ],
        },
    ]
}

/// Runs `f` with `Signal::set` forgetting to wake the waiter.
pub fn with_forgotten_wake<R>(f: impl FnOnce() -> R) -> R {
    struct Reset;
    impl Drop for Reset {
        fn drop(&mut self) {
            stepped::FORGET_WAKE.set(false);
        }
    }
    stepped::FORGET_WAKE.set(true);
    let _reset = Reset;
    f()
}

/// The game as JSON for the page's widget (`--features traces`): each variant's schedules, each with its
/// picks, output, stuck tasks and events (one event a line).
#[cfg(feature = "traces")]
pub fn to_json(game: &Game) -> String {
    let variants: Vec<String> = game
        .variants
        .iter()
        .map(|(name, schedules)| {
            let schedules: Vec<String> = schedules
                .iter()
                .map(|s| {
                    let head = serde_json::json!({
                        "picks": s.picks(),
                        "output": s.output,
                        "stuck": s.stuck,
                    });
                    let head = head.to_string();
                    let events = trace::to_json_lines(&s.records).join(",\n      ");
                    format!(
                        "{},\n    \"events\": [\n      {events}\n    ]}}",
                        head.trim_end_matches('}')
                    )
                })
                .collect();
            format!(
                "{{\"variant\": {}, \"schedules\": [\n    {}\n  ]}}",
                serde_json::Value::from(*name),
                schedules.join(",\n    ")
            )
        })
        .collect();
    format!("[\n  {}\n]\n", variants.join(",\n  "))
}

#[cfg(test)]
mod tests {
    use std::future::poll_fn;
    use std::task::Poll;

    use super::*;
    use crate::event_loop::{Clock, EventLoop};

    fn outputs(schedules: &[Schedule]) -> Vec<(Vec<String>, Vec<TaskId>)> {
        let mut found: Vec<_> =
            schedules.iter().map(|s| (s.output.clone(), s.stuck.clone())).collect();
        found.sort();
        found.dedup();
        found
    }

    fn lines(text: &[&str]) -> Vec<String> {
        text.iter().map(|line| (*line).to_owned()).collect()
    }

    /// Each enumerated schedule is what running the program under its choices
    /// gives, event for event.
    #[test]
    fn every_schedule_is_a_run_of_the_program() {
        for game in games() {
            for (variant, schedules) in &game.variants {
                for schedule in schedules {
                    let script: Vec<usize> =
                        schedule.decisions.iter().map(|d| d.chosen).collect();
                    let again = if *variant == "as written" {
                        run_under(stepped_program(game.file), &script)
                    } else {
                        with_forgotten_wake(|| {
                            run_under(stepped_program(game.file), &script)
                        })
                    };
                    assert_eq!(&again, schedule, "{} {variant}", game.file);
                }
            }
        }
    }

    fn stepped_program(file: &str) -> fn() -> Report {
        match file {
            "writers" => stepped::writers,
            "handoff" => stepped::handoff,
            other => panic!("no program {other}"),
        }
    }

    /// The loop's own order is the schedule that always takes the first option.
    #[test]
    fn with_no_script_the_loop_keeps_its_own_order() {
        let (_, plain) = trace::record(stepped::writers);
        let first = &every_schedule(stepped::writers)[0];
        let without_choices: Vec<&Record> = first
            .records
            .iter()
            .filter(|r| !matches!(r.event, Event::Chose { .. }))
            .collect();
        assert_eq!(without_choices, plain.iter().collect::<Vec<_>>());
        assert!(first.decisions.iter().all(|d| d.chosen == 0));
    }

    /// What the page says: two writers have 4 schedules and 2 outcomes, one of
    /// them a lost update; the handoff has 2 schedules and 1 outcome, and without
    /// the wake() the waiter never finishes when it goes first.
    #[test]
    fn the_games_have_the_schedules_and_outcomes_the_page_states() {
        let writers = every_schedule(stepped::writers);
        assert_eq!(writers.len(), 4);
        assert_eq!(
            outputs(&writers),
            vec![
                (lines(&["a wrote 1", "b wrote 2"]), vec![]),
                (lines(&["b wrote 1", "a wrote 1"]), vec![]),
            ]
        );
        for s in &writers {
            let a_first_at_1_ms = s.picks()[1] == 0;
            assert_eq!(
                s.output[1] == "b wrote 2",
                a_first_at_1_ms,
                "{:?}",
                s.picks()
            );
        }

        let handoff = every_schedule(stepped::handoff);
        assert_eq!(handoff.len(), 2);
        let both = lines(&["setter: signal set", "waiter: got the signal"]);
        assert_eq!(outputs(&handoff), vec![(both.clone(), vec![])]);

        let forgot = with_forgotten_wake(|| every_schedule(stepped::handoff));
        assert_eq!(forgot.len(), 2);
        assert_eq!(forgot[0].picks(), vec![0]);
        assert_eq!(
            forgot[0].stuck,
            vec![0],
            "the waiter, polled first, waits forever"
        );
        assert_eq!(forgot[0].output, lines(&["setter: signal set"]));
        assert_eq!(forgot[1].picks(), vec![1]);
        assert_eq!(
            (forgot[1].output.clone(), forgot[1].stuck.clone()),
            (both, vec![])
        );
        assert!(!stepped::FORGET_WAKE.get(), "the toggle is off again");
    }

    /// Two tasks that wake themselves forever need endless decisions: the run is
    /// cut off at the bound, not left to hang.
    #[test]
    fn a_schedule_past_the_bound_is_cut_off() {
        fn spinners() -> Report {
            let mut event_loop = EventLoop::new(Clock::virtual_time());
            for _ in 0..2 {
                event_loop.spawn(poll_fn(|cx| {
                    cx.waker().wake_by_ref();
                    Poll::<()>::Pending
                }));
            }
            event_loop.run()
        }
        let cut = choose::follow(&[], MOST_DECISIONS, spinners);
        assert!(cut.is_err());
        // And the chooser is off again: a plain run of a finite program works.
        assert_eq!(every_schedule(stepped::handoff).len(), 2);
    }
}
