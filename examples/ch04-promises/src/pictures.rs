//! The chapter's timelines, drawn on tokio's paused clock from the listings
//! themselves, so they are exact: `tests/pictures.rs` fails when a committed SVG is
//! not what the code draws.

use std::time::Duration;

use timeline::{Picture, Span, Timeline, on_paused_clock};

use crate::listings::define_now_run_later::{self, Run};

/// Where the pictures live, relative to the workspace root.
pub const DIR: &str = "book/ch04-promises/pictures";

/// How long listing 3 lets the ten defined promises sit before it awaits them.
pub const IDLE: Duration = Duration::from_millis(50);

fn spans(runs: Vec<Run>) -> Vec<Span> {
    // One thread runs everything (a current-thread runtime), so every bar has one
    // colour.
    runs.into_iter()
        .map(|(id, began, ended)| {
            Span::new(format!("job {id}"), "main", began, ended)
        })
        .collect()
}

/// Every picture of the chapter (all of them exact).
pub fn exact() -> Vec<Picture> {
    let report = on_paused_clock(define_now_run_later::define_then_run(10, IDLE));
    vec![Picture {
        file: "define-now-run-later.svg",
        svg: Timeline::new(
            "define-now-run-later",
            "Ten promises, defined at 0 ms and awaited together at 50 ms",
            spans(report.runs),
        )
        .alt("Ten bars, one per job, that all start at 50 ms and end at 150 ms. From 0 to 50 ms the promises exist but nothing runs.")
        .to_svg(),
    }]
}
