//! Records which job ran when, on which thread, and draws it as an SVG
//! picture for the book.
//!
//! The book explains concurrency with pictures of real runs: one bar per job,
//! placed on a time axis and coloured by the OS thread that ran it, or a count
//! (jobs in flight, items queued) stepping up and down over time. This crate
//! has what a chapter needs to make those pictures:
//!
//! - [`Span`]: one job's run (label, thread, start, end). The book's listings
//!   return `(job id, thread, start, end)` tuples, which convert with
//!   [`Span::from`].
//! - [`Recorder`]: collects spans from code that is not a self-contained
//!   listing, timing blocking closures ([`Recorder::record`]) and futures
//!   ([`Recorder::record_async`]). It reads tokio's clock, so inside a runtime
//!   started with a paused clock every time it records is exact and the same
//!   on every run.
//! - [`Timeline`]: turns spans into an SVG meant to be *inlined* into an
//!   mdBook page (through `{{#include}}`), readable in light and dark themes.
//! - [`StepPlot`]: draws counts over time as stepped lines, in the same style
//!   (and [`cumulative`] turns start times into a running count).
//! - [`on_paused_clock`] runs a future on tokio's paused clock, so what it
//!   records is exact; a chapter's tests use it too. [`Picture`] names a
//!   drawn SVG and the file it is committed as.
//!
//! Rendering is deterministic: the same input gives byte-identical SVG, so CI
//! can check that the committed pictures are current. Span order in the input
//! does not matter either (spans are sorted first, see [`Timeline`]).
//!
//! ```
//! use std::time::Duration;
//! use timeline::{Lanes, Span, Timeline};
//!
//! let ms = Duration::from_millis;
//! // What a listing returns: (job id, thread, start, end).
//! let runs = vec![
//!     (1, "ThreadId(2)".to_string(), ms(0), ms(40)),
//!     (2, "ThreadId(3)".to_string(), ms(0), ms(35)),
//!     (3, "ThreadId(2)".to_string(), ms(40), ms(70)),
//! ];
//! let spans: Vec<Span> = runs.into_iter().map(Span::from).collect();
//! let svg = Timeline::new("pool", "Three jobs on two threads", spans)
//!     .lanes(Lanes::PerThread)
//!     .alt("Jobs 1 and 3 share thread 1; job 2 runs on thread 2 at the same time.")
//!     .to_svg();
//! assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
//! assert!(svg.contains("thread 2"));
//! ```
//!
//! The crate's modules: `layout` decides the order of spans, lanes, the time
//! axis and where everything goes; `render` draws a [`Timeline`] from that;
//! `steps` is the [`StepPlot`]; `svg` is the one SVG writer (and the one
//! escaping function) that both kinds of picture use.

use std::time::Duration;

mod layout;
mod picture;
mod recorder;
mod render;
mod steps;
mod svg;

pub use picture::{Picture, on_paused_clock};
pub use recorder::Recorder;
pub use render::Timeline;
pub use steps::{StepPlot, cumulative};

/// How a [`Timeline`] groups spans into horizontal lanes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lanes {
    /// One lane per distinct label, in order of each label's earliest start;
    /// labels that start together are ordered naturally (`"job 2"` before
    /// `"job 10"`). Several spans with one label share its lane. Bars are
    /// coloured by thread. Best for "which job ran when".
    #[default]
    PerLabel,
    /// One lane per thread ("thread 1", "thread 2", …, numbered in order of
    /// first appearance) holding every span that ran on it; each bar carries
    /// its span's label when the label fits inside. Best for "what did each
    /// thread do".
    PerThread,
}

/// One run of one job: what ran (`label`), where (`thread`) and when.
///
/// Times are offsets from the start of the run being pictured (time zero),
/// not wall-clock instants. A span whose `end` is before its `start` is drawn
/// as if it had zero length.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Span {
    /// The job or task name shown in the picture, such as `"job 3"`.
    pub label: String,
    /// Any string that identifies the OS thread the job ran on, typically
    /// `format!("{:?}", std::thread::current().id())`. It is never shown:
    /// pictures number threads "thread 1", "thread 2", … in order of first
    /// appearance, because raw thread ids differ from run to run.
    pub thread: String,
    /// When the job started, counted from time zero.
    pub start: Duration,
    /// When the job ended, counted from time zero.
    pub end: Duration,
}

impl Span {
    /// Makes a span from its four parts.
    pub fn new(
        label: impl Into<String>,
        thread: impl Into<String>,
        start: Duration,
        end: Duration,
    ) -> Self {
        Span { label: label.into(), thread: thread.into(), start, end }
    }
}

/// Converts the `(job id, thread, start, end)` tuple that the book's listings
/// return; the label becomes `"job {id}"`.
impl From<(u32, String, Duration, Duration)> for Span {
    fn from((id, thread, start, end): (u32, String, Duration, Duration)) -> Self {
        Span { label: format!("job {id}"), thread, start, end }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tuple_becomes_job_label() {
        let span = Span::from((
            7,
            "ThreadId(4)".to_string(),
            Duration::ZERO,
            Duration::from_millis(3),
        ));
        assert_eq!(span.label, "job 7");
        assert_eq!(span.thread, "ThreadId(4)");
        assert_eq!(span.end, Duration::from_millis(3));
    }
}
