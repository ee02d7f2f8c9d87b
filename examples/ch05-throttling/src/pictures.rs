//! The chapter's pictures, drawn on tokio's paused clock from the listings themselves, so they
//! are exact: `tests/pictures.rs` fails when a committed SVG is not what the code draws.
//!
//! Besides `timeline`'s bars, this chapter needs a *step plot*: a count (jobs in flight, items
//! queued, jobs started) over time. [`StepPlot`] draws one in the same style as `timeline`:
//! inline SVG, `currentColor` for text and axes, `role="img"` with `<title>` and `<desc>`.

use std::fmt::Write as _;
use std::time::Duration;

use timeline::{Picture, Span, Timeline, on_paused_clock};

use crate::listings::{backpressure, in_flight, rate};

/// Where the pictures live, relative to the workspace root.
pub const DIR: &str = "book/ch05-throttling/pictures";

const WIDTH: f64 = 720.0;
const LEFT_MARGIN: f64 = 8.0;
/// Left edge of the plotting area (room for the y tick labels) and its right edge.
const PLOT_LEFT: f64 = 56.0;
const PLOT_RIGHT: f64 = 696.0;
const TITLE_BASELINE: f64 = 22.0;
const LEGEND_BASELINE: f64 = 44.0;
const Y_NAME_BASELINE: f64 = 62.0;
const PLOT_TOP: f64 = 72.0;
const PLOT_HEIGHT: f64 = 150.0;
/// Line colours (the first two of `timeline`'s palette), one per series.
const PALETTE: [&str; 3] = ["#4e79a7", "#f28e2b", "#59a14f"];

/// One stepped line: a count that changes at the given times, `(when, new value)`.
#[derive(Debug, Clone)]
pub struct Series {
    pub label: String,
    pub points: Vec<(Duration, usize)>,
}

/// A dashed straight line from `(t, y)` to `(t, y)`: a limit or a bound.
#[derive(Debug, Clone)]
pub struct Guide {
    pub label: String,
    pub from: (Duration, f64),
    pub to: (Duration, f64),
}

/// A step plot of counts over time.
#[derive(Debug, Clone)]
pub struct StepPlot {
    pub id: &'static str,
    pub title: &'static str,
    pub alt: &'static str,
    /// What is counted, written above the y axis ("jobs in flight").
    pub y_name: &'static str,
    pub series: Vec<Series>,
    pub guides: Vec<Guide>,
}

/// Steps at the same instant (one job ends as the next starts) are merged, keeping the last
/// value, so the plot shows what held between instants, not a zero-width dip.
fn merged(points: &[(Duration, usize)]) -> Vec<(Duration, usize)> {
    let mut out: Vec<(Duration, usize)> = Vec::new();
    for &(t, v) in points {
        match out.last_mut() {
            Some(last) if last.0 == t => last.1 = v,
            _ => out.push((t, v)),
        }
    }
    out
}

/// The cumulative count of starts: after each start time, how many have started so far.
pub fn cumulative(starts: &[Duration]) -> Vec<(Duration, usize)> {
    let mut sorted = starts.to_vec();
    sorted.sort();
    let mut points = vec![(Duration::ZERO, 0)];
    points.extend(sorted.iter().enumerate().map(|(i, &t)| (t, i + 1)));
    merged(&points)
}

/// The smallest of 1, 2, 5 × 10^k that is at least `at_least`.
fn nice(at_least: u64) -> u64 {
    let mut power = 1u64;
    loop {
        for m in [1, 2, 5] {
            if m * power >= at_least {
                return m * power;
            }
        }
        power *= 10;
    }
}

fn num(x: f64) -> String {
    format!("{x:.1}")
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

impl StepPlot {
    /// The SVG, deterministic for the same input.
    pub fn to_svg(&self) -> String {
        let series: Vec<Vec<(Duration, usize)>> =
            self.series.iter().map(|s| merged(&s.points)).collect();
        // The time axis: 0 to a whole number of nice steps past the last change.
        let end_ms = series
            .iter()
            .flatten()
            .map(|&(t, _)| t)
            .chain(self.guides.iter().flat_map(|g| [g.from.0, g.to.0]))
            .max()
            .unwrap_or_default()
            .as_millis()
            .max(1);
        let end_ms = u64::try_from(end_ms).unwrap_or(u64::MAX);
        let in_seconds = end_ms >= 10_000;
        let mut step_ms = nice(end_ms.div_ceil(10));
        if in_seconds {
            step_ms = step_ms.max(1000);
        }
        let axis_ms = end_ms.div_ceil(step_ms) * step_ms;
        // The count axis: 0 to a nice number at or above the largest value.
        let top = series
            .iter()
            .flatten()
            .map(|&(_, v)| v as f64)
            .chain(self.guides.iter().flat_map(|g| [g.from.1, g.to.1]))
            .fold(1.0, f64::max)
            .ceil() as u64;
        let y_step = nice(top.div_ceil(5));
        let y_top = top.div_ceil(y_step) * y_step;

        let x = |t: Duration| {
            PLOT_LEFT + (PLOT_RIGHT - PLOT_LEFT) * (t.as_secs_f64() * 1000.0) / axis_ms as f64
        };
        let y = |v: f64| PLOT_TOP + PLOT_HEIGHT * (1.0 - v / y_top as f64);
        let bottom = PLOT_TOP + PLOT_HEIGHT;
        let height = bottom + 30.0;
        let axis_end = Duration::from_millis(axis_ms);

        let mut svg = String::new();
        let mut line = |s: String| {
            svg.push_str(&s);
            svg.push('\n');
        };
        let id = self.id;
        line(format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" \
             height=\"{h}\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" \
             style=\"max-width:100%;height:auto\" font-family=\"system-ui, sans-serif\" \
             font-size=\"12\">",
            w = WIDTH as u32,
            h = height.ceil() as u32,
        ));
        line(format!(
            "<title id=\"{id}-title\">{}</title>",
            escape(self.title)
        ));
        let unit = if in_seconds { "s" } else { "ms" };
        let summary = format!(
            "Time runs from 0 to {} {unit}; the count from 0 to {y_top}.",
            if in_seconds { axis_ms / 1000 } else { axis_ms }
        );
        line(format!(
            "<desc id=\"{id}-desc\">{} {summary}</desc>",
            escape(self.alt.trim())
        ));
        line(format!(
            "<text x=\"{}\" y=\"{}\" font-size=\"14\" font-weight=\"600\" fill=\"currentColor\">{}</text>",
            num(LEFT_MARGIN),
            num(TITLE_BASELINE),
            escape(self.title)
        ));
        // Legend: a short line per series, a dashed one per guide.
        line("<g fill=\"currentColor\">".to_string());
        let mut lx = PLOT_LEFT;
        let entries = self
            .series
            .iter()
            .enumerate()
            .map(|(i, s)| (s.label.as_str(), PALETTE[i % PALETTE.len()], false))
            .chain(
                self.guides
                    .iter()
                    .map(|g| (g.label.as_str(), "currentColor", true)),
            );
        for (label, colour, dashed) in entries {
            let dash = if dashed {
                " stroke-dasharray=\"4 3\""
            } else {
                ""
            };
            line(format!(
                "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{colour}\" stroke-width=\"2\"{dash}/>",
                num(lx),
                num(LEGEND_BASELINE - 4.0),
                num(lx + 18.0),
                num(LEGEND_BASELINE - 4.0)
            ));
            line(format!(
                "<text x=\"{}\" y=\"{}\">{}</text>",
                num(lx + 24.0),
                num(LEGEND_BASELINE),
                escape(label)
            ));
            lx += 24.0 + 6.8 * label.chars().count() as f64 + 20.0;
        }
        line(format!(
            "<text x=\"{}\" y=\"{}\">{}</text>",
            num(LEFT_MARGIN),
            num(Y_NAME_BASELINE),
            escape(self.y_name)
        ));
        line("</g>".to_string());
        // Grid lines at each count tick.
        line("<g stroke=\"currentColor\" stroke-opacity=\"0.18\" stroke-width=\"1\">".to_string());
        for v in (0..=y_top).step_by(y_step as usize) {
            let yv = y(v as f64);
            line(format!(
                "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>",
                num(PLOT_LEFT),
                num(yv),
                num(PLOT_RIGHT),
                num(yv)
            ));
        }
        line("</g>".to_string());
        // The series: horizontal to each change, then vertical to the new value.
        for (i, points) in series.iter().enumerate() {
            let mut d = String::new();
            for (k, &(t, v)) in points.iter().enumerate() {
                if k == 0 {
                    let _ = write!(d, "M{} {}", num(x(t)), num(y(v as f64)));
                } else {
                    let _ = write!(d, " H{} V{}", num(x(t)), num(y(v as f64)));
                }
            }
            let _ = write!(d, " H{}", num(x(axis_end)));
            line(format!(
                "<path d=\"{d}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\"><title>{}</title></path>",
                PALETTE[i % PALETTE.len()],
                escape(&self.series[i].label)
            ));
        }
        // The guides, dashed, on top so that a series along a limit does not hide it.
        for guide in &self.guides {
            line(format!(
                "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"currentColor\" stroke-width=\"1.5\" stroke-dasharray=\"4 3\"><title>{}</title></line>",
                num(x(guide.from.0)),
                num(y(guide.from.1)),
                num(x(guide.to.0)),
                num(y(guide.to.1)),
                escape(&guide.label)
            ));
        }
        // Axes with their ticks and labels.
        line("<g stroke=\"currentColor\">".to_string());
        line(format!(
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>",
            num(PLOT_LEFT),
            num(bottom),
            num(PLOT_RIGHT),
            num(bottom)
        ));
        line(format!(
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>",
            num(PLOT_LEFT),
            num(PLOT_TOP),
            num(PLOT_LEFT),
            num(bottom)
        ));
        line("</g>".to_string());
        line("<g fill=\"currentColor\" text-anchor=\"middle\">".to_string());
        for t in (0..=axis_ms).step_by(step_ms as usize) {
            let label = if in_seconds { t / 1000 } else { t };
            line(format!(
                "<text x=\"{}\" y=\"{}\">{label}</text>",
                num(x(Duration::from_millis(t))),
                num(bottom + 16.0)
            ));
        }
        line(format!(
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{unit}</text>",
            num(PLOT_LEFT - 8.0),
            num(bottom + 16.0)
        ));
        for v in (0..=y_top).step_by(y_step as usize) {
            line(format!(
                "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{v}</text>",
                num(PLOT_LEFT - 8.0),
                num(y(v as f64) + 4.0)
            ));
        }
        line("</g>".to_string());
        line("</svg>".to_string());
        svg
    }
}

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
    let in_flight_plot = StepPlot {
        id: "in-flight",
        title: "Jobs in flight over time: no limit, and a Semaphore of 3",
        alt: "With no limit all 10 jobs are in flight at 0 ms and the count falls to 0 by 400 ms. \
              With the semaphore the count rises to 3 at once, stays at 3 until 600 ms, and \
              never goes above the dashed line at 3; the last job ends at 800 ms.",
        y_name: "jobs in flight",
        series: vec![
            Series {
                label: "no limit".into(),
                points: free,
            },
            Series {
                label: "Semaphore::new(3)".into(),
                points: limited,
            },
        ],
        guides: vec![Guide {
            label: "the limit, 3".into(),
            from: (Duration::ZERO, LIMIT as f64),
            to: (ms(800), LIMIT as f64),
        }],
    };
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
        let leaky = rate::leaky_bucket(rate::JOBS, rate::MAX_RATE, rate::PERIOD).await;
        let ticked = rate::ticks(rate::JOBS, rate::MAX_RATE, rate::PERIOD).await;
        (leaky, ticked)
    });
    let starts_plot = StepPlot {
        id: "rate-starts",
        title: "50 jobs at 10 per 10 s: how many have started",
        alt: "The leaky bucket starts 10 jobs at 0 s, then one a second, and its last job at \
              40 s; its staircase stays under the dashed bound, 10 plus one job per second. The \
              interval starts one job a second from 0 s, and its last at 49 s.",
        y_name: "jobs started",
        series: vec![
            Series {
                label: "leaky bucket (and governor)".into(),
                points: cumulative(&leaky),
            },
            Series {
                label: "interval of 1 s".into(),
                points: cumulative(&ticked),
            },
        ],
        guides: vec![Guide {
            label: "bound: 10 + t × 10 / 10 s".into(),
            from: (Duration::ZERO, 10.0),
            to: (Duration::from_secs(40), 50.0),
        }],
    };

    // Queue length: a bounded channel against an unbounded one.
    let (bounded, unbounded) = on_paused_clock(async {
        use backpressure::{CAPACITY, ITEMS, QueueLength, WORK};
        let bounded = QueueLength::new();
        backpressure::bounded(ITEMS, CAPACITY, WORK, &bounded).await;
        let unbounded = QueueLength::new();
        backpressure::unbounded(ITEMS, WORK, &unbounded).await;
        (bounded.changes(), unbounded.changes())
    });
    let queue_plot = StepPlot {
        id: "queue-length",
        title: "Items waiting in the channel: bounded(4) and unbounded",
        alt: "Unbounded, all 20 items are sent at 0 ms; the consumer takes the first at once, \
              so 19 wait, and they drain one every 100 ms. Bounded, the queue fills to 4 at \
              once and stays at 4 until the producer's last send at 1500 ms, then drains; it \
              never passes the dashed capacity line at 4.",
        y_name: "items queued",
        series: vec![
            Series {
                label: "bounded(4)".into(),
                points: bounded,
            },
            Series {
                label: "unbounded".into(),
                points: unbounded,
            },
        ],
        guides: vec![Guide {
            label: "capacity, 4".into(),
            from: (Duration::ZERO, backpressure::CAPACITY as f64),
            to: (ms(2000), backpressure::CAPACITY as f64),
        }],
    };

    vec![
        Picture {
            file: "in-flight.svg",
            svg: in_flight_plot.to_svg(),
        },
        Picture {
            file: "semaphore-jobs.svg",
            svg: semaphore_timeline,
        },
        Picture {
            file: "rate-starts.svg",
            svg: starts_plot.to_svg(),
        },
        Picture {
            file: "queue-length.svg",
            svg: queue_plot.to_svg(),
        },
    ]
}
