//! Everything about a timeline that is not drawing: the order of spans, thread
//! numbers, lanes, the time axis and where each part of the picture goes.
//! Kept apart from the SVG code ([`crate::render`]) so tests can check these
//! decisions directly; this module draws nothing.

use std::cmp::Ordering;
use std::time::Duration;

use crate::svg::{
    CHAR_WIDTH_11, CHAR_WIDTH_12, LEFT_MARGIN, LEGEND_BASELINE, WIDTH,
};
use crate::{Lanes, Span};

/// Compares strings in "natural" order: runs of digits compare as numbers, so
/// `"job 2" < "job 10"`. Strings that only differ in leading zeros (`"01"`,
/// `"1"`) fall back to plain byte order, so the order is total.
pub(crate) fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (mut x, mut y) = (a.as_bytes(), b.as_bytes());
    loop {
        match (x.first(), y.first()) {
            (None, None) => return a.cmp(b),
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(p), Some(q)) if p.is_ascii_digit() && q.is_ascii_digit() => {
                let (dx, rx) = split_digits(x);
                let (dy, ry) = split_digits(y);
                let (nx, ny) = (trim_zeros(dx), trim_zeros(dy));
                // More significant digits means a bigger number; equal length
                // compares digit by digit.
                let by_value = nx.len().cmp(&ny.len()).then_with(|| nx.cmp(ny));
                if by_value != Ordering::Equal {
                    return by_value;
                }
                (x, y) = (rx, ry);
            }
            (Some(p), Some(q)) => {
                if p != q {
                    return p.cmp(q);
                }
                (x, y) = (&x[1..], &y[1..]);
            }
        }
    }
}

fn split_digits(s: &[u8]) -> (&[u8], &[u8]) {
    let n = s.iter().take_while(|c| c.is_ascii_digit()).count();
    s.split_at(n)
}

fn trim_zeros(digits: &[u8]) -> &[u8] {
    let n = digits.iter().take_while(|&&c| c == b'0').count();
    &digits[n..]
}

/// The canonical order of spans: by start, then label (natural order), then
/// end, then thread (natural order). Every picture and [`crate::Recorder::spans`]
/// use it, so the order spans were collected in never shows.
pub(crate) fn canonical_cmp(a: &Span, b: &Span) -> Ordering {
    a.start
        .cmp(&b.start)
        .then_with(|| natural_cmp(&a.label, &b.label))
        .then_with(|| a.end.cmp(&b.end))
        .then_with(|| natural_cmp(&a.thread, &b.thread))
}

/// One horizontal row of the picture.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Lane {
    /// Text in the left gutter: the span label, or "thread N".
    pub name: String,
    /// Indices into [`Layout::spans`] of the bars drawn in this lane.
    pub bars: Vec<usize>,
}

/// The spans of a picture, sorted, with threads numbered and lanes assigned.
#[derive(Debug, Clone)]
pub(crate) struct Layout {
    /// The spans in canonical order.
    pub spans: Vec<Span>,
    /// For each span (same index), its thread number counted from 0
    /// (shown as "thread 1" for 0).
    pub thread_of: Vec<usize>,
    /// How many distinct threads there are.
    pub thread_count: usize,
    pub lanes: Vec<Lane>,
}

impl Layout {
    pub(crate) fn new(mut spans: Vec<Span>, lanes: Lanes) -> Self {
        spans.sort_by(canonical_cmp);

        // Threads are numbered in order of first appearance in canonical order.
        let mut threads: Vec<&str> = Vec::new();
        let mut thread_of = Vec::with_capacity(spans.len());
        for span in &spans {
            let n = match threads.iter().position(|t| *t == span.thread) {
                Some(n) => n,
                None => {
                    threads.push(&span.thread);
                    threads.len() - 1
                }
            };
            thread_of.push(n);
        }
        let thread_count = threads.len();

        let lanes = match lanes {
            Lanes::PerLabel => {
                // Labels appear in canonical order at their earliest start,
                // ties broken by natural label order: exactly the lane order.
                let mut lanes: Vec<Lane> = Vec::new();
                for (i, span) in spans.iter().enumerate() {
                    match lanes.iter_mut().find(|l| l.name == span.label) {
                        Some(lane) => lane.bars.push(i),
                        None => lanes
                            .push(Lane { name: span.label.clone(), bars: vec![i] }),
                    }
                }
                lanes
            }
            Lanes::PerThread => (0..thread_count)
                .map(|t| Lane {
                    name: format!("thread {}", t + 1),
                    bars: (0..spans.len()).filter(|&i| thread_of[i] == t).collect(),
                })
                .collect(),
        };

        Layout { spans, thread_of, thread_count, lanes }
    }

    /// The latest end of any span (zero when there are none).
    pub(crate) fn max_end(&self) -> Duration {
        self.spans.iter().map(|s| s.end.max(s.start)).max().unwrap_or_default()
    }

    /// The earliest start of any span (zero when there are none).
    pub(crate) fn min_start(&self) -> Duration {
        self.spans.first().map(|s| s.start).unwrap_or_default()
    }
}

/// The time axis: ticks every `step_ns` from 0 to `end_ns` inclusive.
///
/// Computed in whole nanoseconds so that the numbers, and hence the SVG, do
/// not depend on floating-point rounding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Axis {
    /// Distance between ticks: 1, 2 or 5 times a power of ten nanoseconds.
    pub step_ns: u128,
    /// The right end of the axis: the first multiple of `step_ns` at or
    /// after the latest end.
    pub end_ns: u128,
    /// Decimals needed to write a tick in milliseconds exactly.
    pub decimals: usize,
}

/// Most intervals the axis may have; the nice step chosen is the smallest
/// that keeps within it, which always gives 4 to 8 intervals (5 to 9 ticks).
const MAX_INTERVALS: u128 = 8;

/// The shortest axis, in nanoseconds.
const MIN_AXIS_NS: u128 = 1_000;

impl Axis {
    /// A nice axis from 0 to at least `max_end`. The axis is at least one
    /// microsecond long (ticks finer than 200 ns would need fractions of a
    /// nanosecond), and an axis for zero length covers one millisecond, so
    /// zero-length spans are drawn on a familiar scale.
    pub(crate) fn covering(max_end: Duration) -> Self {
        let max = match max_end.as_nanos() {
            0 => 1_000_000,
            n => n.max(MIN_AXIS_NS),
        };
        let mut power: u128 = 1; // 10^exponent
        let mut exponent: usize = 0;
        loop {
            for m in [1, 2, 5] {
                let step = m * power;
                let intervals = max.div_ceil(step);
                if intervals <= MAX_INTERVALS {
                    return Axis {
                        step_ns: step,
                        end_ns: intervals * step,
                        // A step of m·10^k ns is m·10^(k-6) ms.
                        decimals: 6usize.saturating_sub(exponent),
                    };
                }
            }
            // `max` is below 2^128 < 10^39, so a step is found before this
            // could overflow.
            power *= 10;
            exponent += 1;
        }
    }

    /// The tick positions in nanoseconds, from 0 to `end_ns`.
    pub(crate) fn ticks(&self) -> Vec<u128> {
        (0..=self.end_ns / self.step_ns).map(|i| i * self.step_ns).collect()
    }
}

/// Writes `ns` nanoseconds as milliseconds with exactly `decimals` decimals
/// (at most 6, which is exact), using integers only.
pub(crate) fn format_ms(ns: u128, decimals: usize) -> String {
    let decimals = decimals.min(6);
    let whole = ns / 1_000_000;
    if decimals == 0 {
        return whole.to_string();
    }
    let frac = format!("{:06}", ns % 1_000_000);
    format!("{whole}.{}", &frac[..decimals])
}

/// Writes a duration in milliseconds rounded to the microsecond, without
/// trailing zeros: `50 ms` gives "50", `12.5 ms` gives "12.5".
pub(crate) fn format_ms_short(d: Duration) -> String {
    let micros = (d.as_nanos() + 500) / 1000;
    let text = format_ms(micros * 1000, 3);
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    }
}

/// Space right of the time axis, so the last tick label is not cut off.
pub(crate) const RIGHT_MARGIN: f64 = 24.0;
/// Height of one lane, and of the bar drawn in it.
pub(crate) const LANE_HEIGHT: f64 = 22.0;
pub(crate) const BAR_HEIGHT: f64 = 16.0;
/// Bars shorter than this (including zero-length spans) are drawn this wide.
pub(crate) const MIN_BAR_WIDTH: f64 = 1.5;
/// Bounds on the width of the lane labels' column; longer labels are cut
/// short with "…" (the full label is in each bar's tooltip).
const GUTTER_MIN: f64 = 64.0;
const GUTTER_MAX: f64 = 220.0;
/// Height of one legend row.
const LEGEND_ROW: f64 = 18.0;
/// Height of the picture of no spans: the title and a line of text.
pub(crate) const EMPTY_HEIGHT: f64 = 72.0;

/// One legend entry: a swatch for a thread, with its name, whose text
/// baseline is at `(x + 14, y)`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct LegendItem {
    pub x: f64,
    pub y: f64,
    /// The thread number counted from 0.
    pub thread: usize,
    /// "thread 1", …
    pub text: String,
}

/// Where a bar goes: its left edge, top and width.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Bar {
    pub x: f64,
    pub top: f64,
    pub width: f64,
}

/// Where each part of a timeline of at least one span goes, in user units.
#[derive(Debug, Clone)]
pub(crate) struct Geometry {
    /// Width of the lane labels' column; the plot starts at its right edge.
    pub gutter: f64,
    /// Most characters of a lane label that are shown before it is cut.
    pub max_label_chars: usize,
    pub plot_width: f64,
    pub axis: Axis,
    /// One entry per thread, wrapping onto more rows if needed.
    pub legend: Vec<LegendItem>,
    /// Top of the first lane.
    pub lanes_top: f64,
    /// The time axis' base line, its tick labels' baseline, and the bottom
    /// of the picture.
    pub axis_y: f64,
    pub tick_label_y: f64,
    pub height: f64,
}

impl Geometry {
    pub(crate) fn new(layout: &Layout) -> Self {
        // Horizontal geometry.
        let longest =
            layout.lanes.iter().map(|l| l.name.chars().count()).max().unwrap_or(0);
        // The label column fits the longest lane label, up to GUTTER_MAX.
        // Counted in whole characters, so no rounding can cut a label that
        // was measured to fit.
        let max_label_chars =
            ((GUTTER_MAX - 2.0 * LEFT_MARGIN) / CHAR_WIDTH_12) as usize;
        let label_chars = longest.min(max_label_chars);
        let gutter = (2.0 * LEFT_MARGIN + label_chars as f64 * CHAR_WIDTH_12)
            .max(GUTTER_MIN);
        let plot_left = gutter;
        let plot_width = WIDTH - RIGHT_MARGIN - plot_left;
        let axis = Axis::covering(layout.max_end());

        // Legend: one swatch per thread, wrapping onto more rows if needed.
        let mut legend = Vec::with_capacity(layout.thread_count);
        let (mut x, mut y) = (plot_left, LEGEND_BASELINE);
        for thread in 0..layout.thread_count {
            let text = format!("thread {}", thread + 1);
            let item_width =
                14.0 + text.chars().count() as f64 * CHAR_WIDTH_12 + 14.0;
            if x > plot_left && x + item_width > WIDTH - RIGHT_MARGIN {
                x = plot_left;
                y += LEGEND_ROW;
            }
            legend.push(LegendItem { x, y, thread, text });
            x += item_width;
        }

        // Vertical geometry.
        let lanes_top = y + 12.0;
        let lanes_bottom = lanes_top + layout.lanes.len() as f64 * LANE_HEIGHT;
        let axis_y = lanes_bottom + 4.0;
        let tick_label_y = axis_y + 16.0;
        let height = tick_label_y + 10.0;

        Geometry {
            gutter,
            max_label_chars,
            plot_width,
            axis,
            legend,
            lanes_top,
            axis_y,
            tick_label_y,
            height,
        }
    }

    /// Left edge of the plot, where time zero is.
    pub(crate) fn plot_left(&self) -> f64 {
        self.gutter
    }

    /// The x of `ns` nanoseconds after time zero.
    pub(crate) fn x_of(&self, ns: u128) -> f64 {
        self.plot_left() + self.plot_width * (ns as f64 / self.axis.end_ns as f64)
    }

    /// Top of lane `i` (counted from 0).
    pub(crate) fn lane_top(&self, i: usize) -> f64 {
        self.lanes_top + i as f64 * LANE_HEIGHT
    }

    /// The bar of `span` in lane `i`, centred in the lane; at least
    /// [`MIN_BAR_WIDTH`] wide, so zero-length spans stay visible.
    pub(crate) fn bar(&self, i: usize, span: &Span) -> Bar {
        let end = span.end.max(span.start);
        let x = self.x_of(span.start.as_nanos());
        Bar {
            x,
            top: self.lane_top(i) + (LANE_HEIGHT - BAR_HEIGHT) / 2.0,
            width: (self.x_of(end.as_nanos()) - x).max(MIN_BAR_WIDTH),
        }
    }
}

/// Whether `label` fits inside a bar `width` wide (at font-size 11, with
/// room on either side).
pub(crate) fn label_fits(label: &str, width: f64) -> bool {
    label.chars().count() as f64 * CHAR_WIDTH_11 + 8.0 <= width
}

/// Cuts `text` to at most `max` characters, ending in "…" when cut.
pub(crate) fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let kept: String = text.chars().take(max.saturating_sub(1)).collect();
        format!("{kept}…")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    fn span(label: &str, thread: &str, start: u64, end: u64) -> Span {
        Span::new(label, thread, ms(start), ms(end))
    }

    #[test]
    fn natural_order_compares_numbers_by_value() {
        let mut labels =
            vec!["job 10", "job 2", "job 1", "job 02", "alpha", "job 9"];
        labels.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(
            labels,
            ["alpha", "job 1", "job 02", "job 2", "job 9", "job 10"]
        );
        assert_eq!(natural_cmp("ThreadId(3)", "ThreadId(12)"), Ordering::Less);
        assert_eq!(natural_cmp("a", "a"), Ordering::Equal);
        assert_eq!(natural_cmp("a", "a1"), Ordering::Less);
    }

    #[test]
    fn per_label_lanes_follow_first_start_then_natural_label() {
        let spans = vec![
            span("job 10", "T1", 0, 10),
            span("late", "T1", 30, 40),
            span("job 2", "T2", 0, 10),
            span("job 1", "T1", 5, 10),
            // A second run of job 10 stays in job 10's lane.
            span("job 10", "T2", 20, 25),
        ];
        let layout = Layout::new(spans, Lanes::PerLabel);
        let names: Vec<&str> =
            layout.lanes.iter().map(|l| l.name.as_str()).collect();
        assert_eq!(names, ["job 2", "job 10", "job 1", "late"]);
        assert_eq!(layout.lanes[1].bars.len(), 2);
    }

    #[test]
    fn per_thread_lanes_one_per_distinct_thread() {
        let spans = vec![
            span("a", "ThreadId(9)", 0, 10),
            span("b", "ThreadId(4)", 2, 10),
            span("c", "ThreadId(9)", 10, 20),
            span("d", "ThreadId(5)", 12, 20),
            span("e", "ThreadId(4)", 14, 20),
        ];
        let layout = Layout::new(spans, Lanes::PerThread);
        assert_eq!(layout.thread_count, 3);
        let lanes: Vec<(&str, Vec<&str>)> = layout
            .lanes
            .iter()
            .map(|l| {
                let labels = l
                    .bars
                    .iter()
                    .map(|&i| layout.spans[i].label.as_str())
                    .collect();
                (l.name.as_str(), labels)
            })
            .collect();
        assert_eq!(
            lanes,
            [
                ("thread 1", vec!["a", "c"]),
                ("thread 2", vec!["b", "e"]),
                ("thread 3", vec!["d"]),
            ]
        );
    }

    #[test]
    fn threads_numbered_by_first_appearance_not_input_order() {
        // ThreadId(7) starts first, so it is thread 1 although ThreadId(3)
        // comes first in the input and sorts first by name.
        let spans = vec![
            span("job 2", "ThreadId(3)", 10, 20),
            span("job 1", "ThreadId(7)", 0, 10),
        ];
        let layout = Layout::new(spans, Lanes::PerLabel);
        assert_eq!(layout.spans[0].thread, "ThreadId(7)");
        assert_eq!(layout.thread_of, [0, 1]);

        // Equal starts: the label breaks the tie, so job 2 numbers its thread
        // before job 10 does, whatever the input order.
        let a = vec![span("job 10", "X", 0, 5), span("job 2", "Y", 0, 5)];
        let b = vec![span("job 2", "Y", 0, 5), span("job 10", "X", 0, 5)];
        for spans in [a, b] {
            let layout = Layout::new(spans, Lanes::PerLabel);
            assert_eq!(layout.spans[0].thread, "Y");
            assert_eq!(layout.thread_of, [0, 1]);
        }
    }

    /// 1, 2 or 5 followed by zeros.
    fn is_nice(step_ns: u128) -> bool {
        let digits = step_ns.to_string();
        matches!(digits.trim_end_matches('0'), "1" | "2" | "5")
    }

    #[test]
    fn ticks_are_nice_and_cover_the_latest_end() {
        let ends_ns: Vec<u128> = vec![
            1,
            7,
            999,
            1_000,
            123_456,
            1_000_000,
            1_500_000,
            9_999_999,
            50_000_000,
            50_000_001,
            100_000_000,
            101_000_000,
            333_333_333,
            2_000_000_000,
            86_400_000_000_000,
        ];
        for end in ends_ns {
            let d = Duration::from_nanos(
                u64::try_from(end).expect("test values fit in u64"),
            );
            let axis = Axis::covering(d);
            let ticks = axis.ticks();
            assert!(is_nice(axis.step_ns), "step {} for end {end}", axis.step_ns);
            assert_eq!(ticks.first(), Some(&0));
            assert_eq!(ticks.last(), Some(&axis.end_ns));
            assert!(
                axis.end_ns >= end,
                "axis {} does not cover {end}",
                axis.end_ns
            );
            // The last interval is needed: one tick fewer would not cover.
            let shown = end.max(MIN_AXIS_NS);
            assert!(axis.end_ns - axis.step_ns < shown, "axis too long for {end}");
            assert!(
                (5..=9).contains(&ticks.len()),
                "{} ticks for {end}",
                ticks.len()
            );
            assert!(ticks.windows(2).all(|w| w[1] - w[0] == axis.step_ns));
        }
    }

    #[test]
    fn tick_labels_are_exact() {
        let axis = Axis::covering(ms(50));
        assert_eq!(axis.step_ns, 10_000_000);
        let labels: Vec<String> =
            axis.ticks().iter().map(|&t| format_ms(t, axis.decimals)).collect();
        assert_eq!(labels, ["0", "10", "20", "30", "40", "50"]);

        let axis = Axis::covering(Duration::from_micros(1_700));
        let labels: Vec<String> =
            axis.ticks().iter().map(|&t| format_ms(t, axis.decimals)).collect();
        assert_eq!(labels, ["0.0", "0.5", "1.0", "1.5", "2.0"]);

        // Zero length gets a one-millisecond axis.
        let axis = Axis::covering(Duration::ZERO);
        assert_eq!(axis.end_ns, 1_000_000);
    }

    #[test]
    fn short_millisecond_text() {
        assert_eq!(format_ms_short(ms(50)), "50");
        assert_eq!(format_ms_short(Duration::ZERO), "0");
        assert_eq!(format_ms_short(Duration::from_micros(12_500)), "12.5");
        assert_eq!(format_ms_short(Duration::from_nanos(1_234_567)), "1.235");
    }
}
