//! Every schedule of the scheduler game's two programs (`writers`, and `handoff`
//! with and without its `wake()`), each run on the chapter's event loop with its
//! choices scripted: which ready task you chose, and what the run printed.
use std::collections::BTreeSet;

use ch02_generators_to_coroutines::event_loop::trace::{Event, Record};
use ch02_generators_to_coroutines::game::{Schedule, games};

/// "task 0 at 0 ms, then task 1 at 1 ms": each choice, with the loop's time then.
fn choices(schedule: &Schedule) -> String {
    let times = schedule.records.iter().filter_map(|r: &Record| match r.event {
        Event::Chose { .. } => Some(r.t_us / 1000),
        _ => None,
    });
    let picks = schedule.picks().into_iter().zip(times);
    let said: Vec<String> =
        picks.map(|(id, ms)| format!("task {id} at {ms} ms")).collect();
    said.join(", then ")
}

/// What the run printed, and which tasks never finished.
fn outcome(schedule: &Schedule) -> String {
    let mut parts = schedule.output.clone();
    parts.extend(
        schedule.stuck.iter().map(|id| format!("task {id} never finished")),
    );
    parts.join(" / ")
}

fn main() {
    if std::env::args().len() > 1 {
        eprintln!("usage: 12_schedules (it takes no arguments)");
        std::process::exit(2);
    }
    for game in games() {
        for (variant, mut schedules) in game.variants {
            schedules.sort_by_key(Schedule::picks);
            let outcomes: BTreeSet<_> =
                schedules.iter().map(|s| (&s.output, &s.stuck)).collect();
            let plural = if outcomes.len() == 1 { "" } else { "s" };
            println!(
                "{} ({variant}): {} schedules, {} outcome{plural}",
                game.file,
                schedules.len(),
                outcomes.len()
            );
            for schedule in &schedules {
                println!("  {}  ->  {}", choices(schedule), outcome(schedule));
            }
        }
    }
}
