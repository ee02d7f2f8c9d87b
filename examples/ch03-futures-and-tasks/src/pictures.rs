//! The chapter's timelines, drawn on tokio's paused clock from the listings
//! themselves, so they are exact: `tests/pictures.rs` fails when a committed SVG is
//! not what the code draws.

use timeline::{Picture, Span, Timeline, on_paused_clock};

use crate::listings::gather;

/// Where the pictures live, relative to the workspace root.
pub const DIR: &str = "book/ch03-futures-and-tasks/pictures";

fn spans(raw: Vec<gather::Span>) -> Vec<Span> {
    raw.into_iter().map(Span::from).collect()
}

/// Every picture of the chapter (all of them exact).
pub fn exact() -> Vec<Picture> {
    let one_by_one = on_paused_clock(gather::sequential(gather::WAITS));
    let joined = on_paused_clock(gather::joined(gather::WAITS));
    vec![
        Picture {
            file: "sequential.svg",
            svg: Timeline::new("gather-sequential", "Three jobs awaited one after another", spans(one_by_one))
                .alt("A staircase: job 1 runs from 0 to 100 ms, job 2 from 100 to 300 ms, job 3 from 300 to 600 ms.")
                .to_svg(),
        },
        Picture {
            file: "joined.svg",
            svg: Timeline::new("gather-joined", "The same three jobs with join!", spans(joined))
                .alt("Three bars that all start at 0 ms and end at 100, 200 and 300 ms: joined, the jobs take as long as the longest.")
                .to_svg(),
        },
    ]
}
