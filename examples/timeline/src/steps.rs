//! [`StepPlot`]: a count over time (jobs in flight, items queued, jobs
//! started) drawn as stepped lines, in the same style as [`crate::Timeline`].

use std::fmt::Write as _;
use std::time::Duration;

use crate::svg::{
    CHAR_WIDTH_12, LEFT_MARGIN, LEGEND_BASELINE, PALETTE, Svg, check_id, describe,
    escape, num,
};

/// Left edge of the plotting area (room for the count's tick labels) and its right
/// edge.
const PLOT_LEFT: f64 = 56.0;
const PLOT_RIGHT: f64 = 696.0;
/// Baseline of the name of what is counted, written above the count axis.
const Y_NAME_BASELINE: f64 = 62.0;
const PLOT_TOP: f64 = 72.0;
const PLOT_HEIGHT: f64 = 150.0;
/// Room below the plot for the time axis' labels.
const BELOW_PLOT: f64 = 30.0;
/// Line colours, one per series (the fourth series takes the first again).
const SERIES_COLOURS: [&str; 3] = [PALETTE[0], PALETTE[1], PALETTE[4]];
/// Most intervals on the time axis.
const TIME_INTERVALS: u64 = 10;
/// Most intervals on the count axis.
const COUNT_INTERVALS: u64 = 5;
/// From this length on, the time axis counts whole seconds.
const SECONDS_FROM_MS: u64 = 10_000;

/// One stepped line: a count that changes at the given times.
#[derive(Debug, Clone)]
struct Series {
    label: String,
    points: Vec<(Duration, usize)>,
}

/// A dashed straight line: a limit or a bound.
#[derive(Debug, Clone)]
struct Guide {
    label: String,
    from: (Duration, f64),
    to: (Duration, f64),
}

/// A step plot of counts over time, rendered as SVG with [`StepPlot::to_svg`].
///
/// Each series is a count that holds until it changes: a line runs level to
/// the next change, then straight up or down to the new value, and goes on to
/// the end of the time axis after the last change. Guides are dashed straight
/// lines (a limit, or a bound that grows with time), drawn over the series so
/// that a series running along a limit does not hide it.
///
/// The SVG follows the same rules as a [`crate::Timeline`]'s: inlinable in an
/// mdBook page, `role="img"` with a `<title>` and a `<desc>` (the
/// [alt text](StepPlot::alt) followed by a summary of both axes), ids
/// prefixed with the plot's id, `currentColor` for text, axes and grid, and
/// the same output for the same input.
///
/// Time runs from 0 to a whole number of steps (1, 2 or 5 times a power of
/// ten) past the last change or guide end, at most ten of them, in
/// milliseconds, or in whole seconds from 10 s on. The count runs from 0 to a
/// nice number at or above the largest value, in at most five steps.
///
/// ```
/// use std::time::Duration;
/// use timeline::{StepPlot, cumulative};
///
/// let ms = Duration::from_millis;
/// let svg = StepPlot::new("in-flight", "Jobs in flight", "jobs in flight")
///     .alt("Three jobs start at once and end 100 ms apart.")
///     .series("jobs", vec![(ms(0), 3), (ms(100), 2), (ms(200), 1), (ms(300), 0)])
///     .series("started", cumulative(&[ms(0), ms(0), ms(0)]))
///     .guide("the limit, 3", (ms(0), 3.0), (ms(300), 3.0))
///     .to_svg();
/// assert!(svg.contains("<desc id=\"in-flight-desc\">Three jobs start at once and end 100 ms \
///                       apart. Time runs from 0 to 300 ms; the count from 0 to 3.</desc>"));
/// ```
#[derive(Debug, Clone)]
pub struct StepPlot {
    id: String,
    title: String,
    alt: String,
    y_name: String,
    series: Vec<Series>,
    guides: Vec<Guide>,
}

impl StepPlot {
    /// Makes an empty plot; add lines with [`StepPlot::series`] and
    /// [`StepPlot::guide`].
    ///
    /// `id` and `title` are as for [`crate::Timeline::new`]; `y_name` says
    /// what is counted ("jobs in flight") and is written above the count axis.
    ///
    /// # Panics
    ///
    /// If `id` is empty or has characters other than `a`–`z`, `0`–`9` and
    /// `-`.
    pub fn new(id: &str, title: &str, y_name: &str) -> Self {
        check_id(id);
        StepPlot {
            id: id.to_string(),
            title: title.to_string(),
            alt: String::new(),
            y_name: y_name.to_string(),
            series: Vec::new(),
            guides: Vec::new(),
        }
    }

    /// Sets the text that screen readers read for the picture; it goes first
    /// in the SVG's `<desc>`, before the summary of the axes.
    pub fn alt(mut self, text: &str) -> Self {
        self.alt = text.to_string();
        self
    }

    /// Adds a stepped line named `label` (in the legend and its tooltip):
    /// `points` are `(when, new value)`, such as a gauge's changes. They are
    /// taken in time order; changes at the same instant (one job ends as the
    /// next starts) count as one, the last one given, so the plot shows what
    /// held between instants, not a dip of no width. The line starts at the
    /// first point; a series with none is only named in the legend.
    pub fn series(mut self, label: &str, points: Vec<(Duration, usize)>) -> Self {
        self.series.push(Series { label: label.to_string(), points });
        self
    }

    /// Adds a dashed straight line named `label` from `from` to `to`, each a
    /// `(time, count)`: a limit, or a bound.
    pub fn guide(
        mut self,
        label: &str,
        from: (Duration, f64),
        to: (Duration, f64),
    ) -> Self {
        self.guides.push(Guide { label: label.to_string(), from, to });
        self
    }

    /// Renders the plot as SVG; see [`StepPlot`] for what it guarantees.
    pub fn to_svg(&self) -> String {
        let series: Vec<Vec<(Duration, usize)>> =
            self.series.iter().map(|s| merged(&s.points)).collect();
        let scales = Scales::covering(&series, &self.guides);
        let bottom = PLOT_TOP + PLOT_HEIGHT;
        let (unit, axis_length) = scales.time_text(scales.axis_ms);
        let summary = format!(
            "Time runs from 0 to {axis_length} {unit}; the count from 0 to {}.",
            scales.y_top
        );
        let mut svg = Svg::open(
            &self.id,
            &self.title,
            &describe(&self.alt, &summary),
            bottom + BELOW_PLOT,
        );

        // Legend: a short line per series, a dashed one per guide; then the
        // name of what is counted.
        svg.line("<g fill=\"currentColor\">");
        let mut lx = PLOT_LEFT;
        let entries = self
            .series
            .iter()
            .enumerate()
            .map(|(i, s)| (s.label.as_str(), colour(i), false))
            .chain(
                self.guides
                    .iter()
                    .map(|g| (g.label.as_str(), "currentColor", true)),
            );
        for (label, colour, dashed) in entries {
            let dash = if dashed { " stroke-dasharray=\"4 3\"" } else { "" };
            svg.line(&format!(
                "<line x1=\"{}\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\" stroke=\"{colour}\" stroke-width=\"2\"{dash}/>",
                num(lx),
                num(lx + 18.0),
                y = num(LEGEND_BASELINE - 4.0),
            ));
            svg.line(&format!(
                "<text x=\"{}\" y=\"{}\">{}</text>",
                num(lx + 24.0),
                num(LEGEND_BASELINE),
                escape(label)
            ));
            lx += 24.0 + CHAR_WIDTH_12 * label.chars().count() as f64 + 20.0;
        }
        svg.line(&format!(
            "<text x=\"{}\" y=\"{}\">{}</text>",
            num(LEFT_MARGIN),
            num(Y_NAME_BASELINE),
            escape(&self.y_name)
        ));
        svg.line("</g>");

        // Grid lines at each count tick.
        svg.line("<g stroke=\"currentColor\" stroke-opacity=\"0.18\" stroke-width=\"1\">");
        for v in scales.count_ticks() {
            svg.line(&format!(
                "<line x1=\"{}\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\"/>",
                num(PLOT_LEFT),
                num(PLOT_RIGHT),
                y = num(scales.y(v as f64)),
            ));
        }
        svg.line("</g>");

        // The series: level to each change, then up or down to the new value.
        let axis_end = Duration::from_millis(scales.axis_ms);
        for (i, points) in series.iter().enumerate() {
            if points.is_empty() {
                // Nothing to draw (and a path must start with a move); the legend
                // still names it.
                continue;
            }
            let mut d = String::new();
            for (k, &(t, v)) in points.iter().enumerate() {
                let (x, y) = (num(scales.x(t)), num(scales.y(v as f64)));
                // Writing to a String cannot fail.
                let _ = if k == 0 {
                    write!(d, "M{x} {y}")
                } else {
                    write!(d, " H{x} V{y}")
                };
            }
            let _ = write!(d, " H{}", num(scales.x(axis_end)));
            svg.line(&format!(
                "<path d=\"{d}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\"><title>{}</title></path>",
                colour(i),
                escape(&self.series[i].label)
            ));
        }
        // The guides, dashed, on top so that a series along a limit does not hide
        // it.
        for guide in &self.guides {
            svg.line(&format!(
                "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"currentColor\" stroke-width=\"1.5\" stroke-dasharray=\"4 3\"><title>{}</title></line>",
                num(scales.x(guide.from.0)),
                num(scales.y(guide.from.1)),
                num(scales.x(guide.to.0)),
                num(scales.y(guide.to.1)),
                escape(&guide.label)
            ));
        }

        // Axes with their ticks and labels.
        svg.line("<g stroke=\"currentColor\">");
        svg.line(&format!(
            "<line x1=\"{}\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\"/>",
            num(PLOT_LEFT),
            num(PLOT_RIGHT),
            y = num(bottom),
        ));
        svg.line(&format!(
            "<line x1=\"{x}\" y1=\"{}\" x2=\"{x}\" y2=\"{}\"/>",
            num(PLOT_TOP),
            num(bottom),
            x = num(PLOT_LEFT),
        ));
        svg.line("</g>");
        svg.line("<g fill=\"currentColor\" text-anchor=\"middle\">");
        for t in scales.time_ticks() {
            svg.line(&format!(
                "<text x=\"{}\" y=\"{}\">{}</text>",
                num(scales.x(Duration::from_millis(t))),
                num(bottom + 16.0),
                scales.time_text(t).1
            ));
        }
        svg.line(&format!(
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{unit}</text>",
            num(PLOT_LEFT - 8.0),
            num(bottom + 16.0)
        ));
        for v in scales.count_ticks() {
            svg.line(&format!(
                "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{v}</text>",
                num(PLOT_LEFT - 8.0),
                num(scales.y(v as f64) + 4.0)
            ));
        }
        svg.line("</g>");
        svg.close()
    }
}

/// The running count of `starts`, as points for [`StepPlot::series`]: 0 at
/// time zero, then after each start time how many have started so far (the
/// starts need not be sorted).
pub fn cumulative(starts: &[Duration]) -> Vec<(Duration, usize)> {
    let mut sorted = starts.to_vec();
    sorted.sort();
    let mut points = vec![(Duration::ZERO, 0)];
    points.extend(sorted.iter().enumerate().map(|(i, &t)| (t, i + 1)));
    merged(&points)
}

/// The points of a series in time order, changes at the same instant merged
/// into one that keeps the last value.
fn merged(points: &[(Duration, usize)]) -> Vec<(Duration, usize)> {
    let mut sorted = points.to_vec();
    // Stable: at one instant, the order given decides which value is last.
    sorted.sort_by_key(|&(t, _)| t);
    let mut out: Vec<(Duration, usize)> = Vec::new();
    for (t, v) in sorted {
        match out.last_mut() {
            Some(last) if last.0 == t => last.1 = v,
            _ => out.push((t, v)),
        }
    }
    out
}

fn colour(series: usize) -> &'static str {
    SERIES_COLOURS[series % SERIES_COLOURS.len()]
}

/// The two axes of a step plot: where a time and a count go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Scales {
    /// The time axis, from 0 to `axis_ms` in steps of `step_ms`.
    axis_ms: u64,
    step_ms: u64,
    /// Whether the time axis is labelled in seconds instead of milliseconds.
    in_seconds: bool,
    /// The count axis, from 0 to `y_top` in steps of `y_step`.
    y_top: u64,
    y_step: u64,
}

impl Scales {
    /// Axes that cover every point and guide, with room for at least one
    /// millisecond and a count of one.
    fn covering(series: &[Vec<(Duration, usize)>], guides: &[Guide]) -> Self {
        // The time axis: 0 to a whole number of nice steps past the last change.
        let end_ms = series
            .iter()
            .flatten()
            .map(|&(t, _)| t)
            .chain(guides.iter().flat_map(|g| [g.from.0, g.to.0]))
            .max()
            .unwrap_or_default()
            .as_millis()
            .max(1);
        let end_ms = u64::try_from(end_ms).unwrap_or(u64::MAX);
        let in_seconds = end_ms >= SECONDS_FROM_MS;
        let mut step_ms = nice(end_ms.div_ceil(TIME_INTERVALS));
        if in_seconds {
            step_ms = step_ms.max(1000);
        }
        let axis_ms = end_ms.div_ceil(step_ms) * step_ms;
        // The count axis: 0 to a nice number at or above the largest value.
        let top = series
            .iter()
            .flatten()
            .map(|&(_, v)| v as f64)
            .chain(guides.iter().flat_map(|g| [g.from.1, g.to.1]))
            .fold(1.0, f64::max)
            .ceil() as u64;
        let y_step = nice(top.div_ceil(COUNT_INTERVALS));
        let y_top = top.div_ceil(y_step) * y_step;
        Scales { axis_ms, step_ms, in_seconds, y_top, y_step }
    }

    fn x(&self, t: Duration) -> f64 {
        PLOT_LEFT
            + (PLOT_RIGHT - PLOT_LEFT) * (t.as_secs_f64() * 1000.0)
                / self.axis_ms as f64
    }

    fn y(&self, v: f64) -> f64 {
        PLOT_TOP + PLOT_HEIGHT * (1.0 - v / self.y_top as f64)
    }

    /// The time ticks, in milliseconds.
    fn time_ticks(&self) -> impl Iterator<Item = u64> {
        (0..=self.axis_ms).step_by(step(self.step_ms))
    }

    fn count_ticks(&self) -> impl Iterator<Item = u64> {
        (0..=self.y_top).step_by(step(self.y_step))
    }

    /// The unit of the time axis, and `ms` milliseconds written in it (a
    /// tick, so a whole number of that unit).
    fn time_text(&self, ms: u64) -> (&'static str, u64) {
        if self.in_seconds { ("s", ms / 1000) } else { ("ms", ms) }
    }
}

/// A step as an iterator step (steps are small: a tenth of the axis at most).
fn step(by: u64) -> usize {
    usize::try_from(by).unwrap_or(usize::MAX)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::svg::checks::{assert_inlinable, attr, texts};

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    fn in_flight() -> StepPlot {
        StepPlot::new("in-flight", "Jobs in flight", "jobs in flight")
            .alt("Three at once.")
            .series("no limit", vec![(ms(0), 3), (ms(100), 2), (ms(300), 0)])
            .series(
                "limit <2> & 'more'",
                vec![(ms(0), 1), (ms(0), 2), (ms(200), 1), (ms(400), 0)],
            )
            .guide("the limit, 2", (ms(0), 2.0), (ms(400), 2.0))
    }

    fn paths(svg: &str) -> Vec<&str> {
        svg.lines()
            .filter(|l| l.starts_with("<path"))
            .map(|l| attr(l, "d"))
            .collect()
    }

    #[test]
    fn svg_is_inlinable_and_escaped() {
        let svg = in_flight().to_svg();
        assert_inlinable(&svg);
        assert!(svg.contains("<title>limit &lt;2&gt; &amp; 'more'</title>"));
        assert!(
            svg.contains(
                "<desc id=\"in-flight-desc\">Three at once. \
                 Time runs from 0 to 400 ms; the count from 0 to 3.</desc>"
            ),
            "{svg}"
        );
        let empty = StepPlot::new("empty", "Nothing", "items")
            .series("none", Vec::new())
            .to_svg();
        assert_inlinable(&empty);
        assert!(
            empty.contains(
                ">Time runs from 0 to 1 ms; the count from 0 to 1.</desc>"
            )
        );
        assert!(!empty.contains("<path"));
    }

    #[test]
    fn steps_go_level_then_up_or_down_to_the_end_of_the_axis() {
        let svg = in_flight().to_svg();
        // 400 ms over 640 units: 1.6 units a millisecond; counts 0 to 3 over 150.
        assert_eq!(
            paths(&svg),
            [
                "M56.0 72.0 H216.0 V122.0 H536.0 V222.0 H696.0",
                // Two changes at 0 ms count as one: no dip to 1 is drawn.
                "M56.0 122.0 H376.0 V172.0 H696.0 V222.0 H696.0",
            ]
        );
        // The points may come in any order.
        let plot = |points| {
            StepPlot::new("p", "P", "jobs").series("jobs", points).to_svg()
        };
        assert_eq!(
            plot(vec![(ms(300), 0), (ms(0), 3), (ms(100), 2)]),
            plot(vec![(ms(0), 3), (ms(100), 2), (ms(300), 0)])
        );
    }

    #[test]
    fn long_runs_are_counted_in_seconds() {
        let starts: Vec<Duration> = (0..50).map(|i| ms(i * 1000)).collect();
        let svg = StepPlot::new("rate", "Starts", "jobs started")
            .series("one a second", cumulative(&starts))
            .to_svg();
        let texts = texts(&svg);
        assert!(texts.ends_with(&[
            "0", "5", "10", "15", "20", "25", "30", "35", "40", "45", "50", "s",
            "0", "10", "20", "30", "40", "50"
        ]));
        assert!(
            svg.contains(
                ">Time runs from 0 to 50 s; the count from 0 to 50.</desc>"
            )
        );
    }

    #[test]
    fn running_count_of_starts() {
        assert_eq!(
            cumulative(&[ms(20), ms(0), ms(20), ms(5)]),
            [(ms(0), 1), (ms(5), 2), (ms(20), 4)]
        );
        assert_eq!(cumulative(&[]), [(ms(0), 0)]);
    }

    #[test]
    fn nice_steps() {
        let got: Vec<u64> = [0, 1, 2, 3, 6, 11, 40, 501].map(nice).to_vec();
        assert_eq!(got, [1, 1, 2, 5, 10, 20, 50, 1000]);
    }

    #[test]
    #[should_panic(expected = "must be non-empty")]
    fn bad_id_is_refused() {
        let _ = StepPlot::new("In flight", "Jobs", "jobs");
    }
}
