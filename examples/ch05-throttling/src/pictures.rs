//! The chapter's pictures, drawn on tokio's paused clock from the listings
//! themselves, so they are exact: `tests/pictures.rs` fails when a committed SVG is
//! not what the code draws.
//!
//! Besides a timeline of jobs, this chapter shows *step plots*: a count (jobs in
//! flight, items queued, jobs started) over time, drawn by `timeline`'s
//! [`StepPlot`]. This module only says which runs to record and what to call them.

use std::time::Duration;

use timeline::{Picture, Span, StepPlot, Timeline, cumulative, on_paused_clock};

use crate::listings::{backpressure, in_flight, rate};

/// Where the pictures live, relative to the workspace root.
pub const DIR: &str = "book/ch05-throttling/pictures";

/// Every picture of the chapter (all of them exact).
pub fn exact() -> Vec<Picture> {
    use in_flight::{Gauge, JOBS_MS, LIMIT};
    let ms = Duration::from_millis;

    // Jobs in flight: no limit against a semaphore of 3.
    let (free, limited, runs) = on_paused_clock(async {
        let free = Gauge::new();
        in_flight::unlimited(&JOBS_MS, &free).await;
        let limited = Gauge::new();
        let runs = in_flight::with_semaphore(&JOBS_MS, LIMIT, &limited).await;
        (free.changes(), limited.changes(), runs)
    });
    let in_flight_plot = StepPlot::new(
        "in-flight",
        "Jobs in flight over time: no limit, and a Semaphore of 3",
        "jobs in flight",
    )
    .alt(
        "With no limit all 10 jobs are in flight at 0 ms and the count falls to 0 by 400 ms. \
         With the semaphore the count rises to 3 at once, stays at 3 until 600 ms, and never \
         goes above the dashed line at 3; the last job ends at 800 ms.",
    )
    .series("no limit", free)
    .series("Semaphore::new(3)", limited)
    .guide(
        "the limit, 3",
        (Duration::ZERO, LIMIT as f64),
        (ms(800), LIMIT as f64),
    );
    let spans: Vec<Span> = runs
        .into_iter()
        .map(|(id, start, end)| Span::new(format!("job {id}"), "main", start, end))
        .collect();
    let semaphore_timeline = Timeline::new(
        "semaphore-jobs",
        "The same ten jobs under a Semaphore of 3",
        spans,
    )
    .alt(
        "Jobs 0, 1 and 2 start at 0 ms; each later job starts the moment an earlier one ends, \
          so three bars overlap at any time until the last job ends at 800 ms.",
    )
    .to_svg();

    // Starts over time: 50 jobs at 10 per 10 s.
    let (leaky, ticked) = on_paused_clock(async {
        let leaky =
            rate::leaky_bucket(rate::JOBS, rate::MAX_RATE, rate::PERIOD).await;
        let ticked = rate::ticks(rate::JOBS, rate::MAX_RATE, rate::PERIOD).await;
        (leaky, ticked)
    });
    let starts_plot = StepPlot::new(
        "rate-starts",
        "50 jobs at 10 per 10 s: how many have started",
        "jobs started",
    )
    .alt(
        "The leaky bucket starts 10 jobs at 0 s, then one a second, and its last job at 40 s; \
         its staircase stays under the dashed bound, 10 plus one job per second. The interval \
         starts one job a second from 0 s, and its last at 49 s.",
    )
    .series("leaky bucket (and governor)", cumulative(&leaky))
    .series("interval of 1 s", cumulative(&ticked))
    .guide(
        "bound: 10 + t × 10 / 10 s",
        (Duration::ZERO, 10.0),
        (Duration::from_secs(40), 50.0),
    );

    // Queue length: a bounded channel against an unbounded one.
    let (bounded, unbounded) = on_paused_clock(async {
        use backpressure::{CAPACITY, ITEMS, QueueLength, WORK};
        let bounded = QueueLength::new();
        backpressure::bounded(ITEMS, CAPACITY, WORK, &bounded).await;
        let unbounded = QueueLength::new();
        backpressure::unbounded(ITEMS, WORK, &unbounded).await;
        (bounded.changes(), unbounded.changes())
    });
    let queue_plot = StepPlot::new(
        "queue-length",
        "Items waiting in the channel: bounded(4) and unbounded",
        "items queued",
    )
    .alt(
        "Unbounded, all 20 items are sent at 0 ms; the consumer takes the first at once, so 19 \
         wait, and they drain one every 100 ms. Bounded, the queue fills to 4 at once and stays \
         at 4 until the producer's last send at 1500 ms, then drains; it never passes the \
         dashed capacity line at 4.",
    )
    .series("bounded(4)", bounded)
    .series("unbounded", unbounded)
    .guide(
        "capacity, 4",
        (Duration::ZERO, backpressure::CAPACITY as f64),
        (ms(2000), backpressure::CAPACITY as f64),
    );

    vec![
        Picture { file: "in-flight.svg", svg: in_flight_plot.to_svg() },
        Picture { file: "semaphore-jobs.svg", svg: semaphore_timeline },
        Picture { file: "rate-starts.svg", svg: starts_plot.to_svg() },
        Picture { file: "queue-length.svg", svg: queue_plot.to_svg() },
    ]
}
