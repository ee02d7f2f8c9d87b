//! What a chapter crate needs around its pictures: a name for each drawn SVG,
//! and tokio's paused clock to draw it from.

use std::future::Future;

/// One picture a chapter shows: the SVG drawn now, and the file in the
/// chapter's `pictures/` folder that the book includes and that the chapter's
/// `tests/pictures.rs` compares it with.
///
/// ```
/// use timeline::{Picture, Timeline};
///
/// let picture = Picture {
///     file: "nothing.svg",
///     svg: Timeline::new("nothing", "Nothing ran", Vec::new()).to_svg(),
/// };
/// assert!(picture.svg.contains("no spans"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picture {
    /// The file name in the chapter's `pictures/` folder, such as
    /// `"sequential.svg"`.
    pub file: &'static str,
    /// The picture, as [`crate::Timeline::to_svg`] or [`crate::StepPlot::to_svg`]
    /// drew it.
    pub svg: String,
}

/// Runs `future` to completion on a new one-thread runtime whose clock is
/// paused (tokio's virtual time), and returns its output.
///
/// On the paused clock no time passes while tasks are busy, and when every
/// task waits, time jumps to the next timer: a 50 ms sleep takes exactly 50 ms
/// of virtual time, and no real time. So a timeline drawn from the run is
/// exact and the same on every run and machine, and a test of timing claims
/// can assert them exactly. [`crate::Recorder`]s made inside the future read
/// this clock.
///
/// The runtime has the time driver only (no I/O), like
/// `#[tokio::test(start_paused = true)]`; use it from synchronous code such as
/// a chapter's `pictures::exact()`, or from a test that needs a return value.
///
/// ```
/// use std::time::Duration;
/// use tokio::time::{Instant, sleep};
///
/// let waited = timeline::on_paused_clock(async {
///     let start = Instant::now();
///     sleep(Duration::from_secs(3600)).await;
///     start.elapsed()
/// });
/// assert_eq!(waited, Duration::from_secs(3600));
/// ```
///
/// # Panics
///
/// If called from inside a runtime (tokio cannot block a thread that drives
/// one), or if `future` panics.
pub fn on_paused_clock<F: Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .expect("a current-thread runtime can always be built")
        .block_on(future)
}
