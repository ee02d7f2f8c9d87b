//! [`Timeline`]: draws spans as an SVG that is inlined into a book page. Where
//! things go is decided in [`crate::layout`]; this module only draws.

use std::time::Duration;

use crate::layout::{
    BAR_HEIGHT, EMPTY_HEIGHT, Geometry, LANE_HEIGHT, Layout, RIGHT_MARGIN,
    format_ms, format_ms_short, label_fits, shorten,
};
use crate::svg::{
    LEFT_MARGIN, PALETTE, Svg, TEXT_ON_BAR, WIDTH, check_id, describe, escape, num,
};
use crate::{Lanes, Span};

/// A picture of spans on a time axis, rendered as SVG with
/// [`Timeline::to_svg`].
///
/// The SVG is made to be inlined in an mdBook page (with `{{#include}}`),
/// not loaded through `<img>`:
///
/// - it has no XML prolog and no blank lines (a blank line would end the
///   HTML block in Markdown), and its opening `<svg …>` tag is alone on the
///   first line;
/// - it is accessible: `role="img"`, with a `<title>` (the title) and a
///   `<desc>` (the [alt text](Timeline::alt) followed by a summary such as
///   "10 spans on 1 thread, from 0 ms to 50 ms.");
/// - every element id starts with the timeline's id, so several pictures can
///   share a page;
/// - text, axis and grid use `currentColor`, so they take the page's text
///   colour in light and dark themes; bars use a fixed mid-tone palette, one
///   colour per thread, explained by a legend;
/// - it scales down on narrow screens (`max-width:100%`).
///
/// Threads are shown as "thread 1", "thread 2", … in order of first
/// appearance, never as raw thread ids, which differ between runs. Time runs
/// left to right from 0 to the latest end, with "nice" ticks (1, 2 or 5 times
/// a power of ten) in milliseconds.
///
/// Output is deterministic: the same spans, in any order, give byte-identical
/// SVG. The spans are first sorted by start, label (natural order), end and
/// thread; "first appearance" of a thread means in that order. A run on
/// tokio's paused clock is reproducible in its times, but which OS thread runs
/// which task may still vary on a multi-thread runtime, so only a picture that
/// does not depend on it (or a current-thread runtime) is byte-stable.
#[derive(Debug, Clone)]
pub struct Timeline {
    id: String,
    title: String,
    alt: String,
    lanes: Lanes,
    spans: Vec<Span>,
}

impl Timeline {
    /// Makes a timeline of `spans` with [`Lanes::PerLabel`] and no alt text.
    ///
    /// `id` prefixes every element id in the SVG, so it must be unique on the
    /// page; `title` is shown at the top and is the picture's accessible name.
    /// The title is not wrapped: about 75 characters fit on the picture.
    ///
    /// # Panics
    ///
    /// If `id` is empty or has characters other than `a`–`z`, `0`–`9` and
    /// `-`: ids are written by the book's authors, and a bad one is a bug.
    pub fn new(id: &str, title: &str, spans: Vec<Span>) -> Self {
        check_id(id);
        Timeline {
            id: id.to_string(),
            title: title.to_string(),
            alt: String::new(),
            lanes: Lanes::default(),
            spans,
        }
    }

    /// Chooses how spans are grouped into lanes (default [`Lanes::PerLabel`]).
    pub fn lanes(mut self, lanes: Lanes) -> Self {
        self.lanes = lanes;
        self
    }

    /// Sets the text that screen readers read for the picture: a sentence
    /// or two saying what it shows ("The four jobs run one after another on
    /// one thread."). It goes first in the SVG's `<desc>`, before the
    /// automatic summary of span count, threads and time range.
    pub fn alt(mut self, text: &str) -> Self {
        self.alt = text.to_string();
        self
    }

    /// Renders the picture as SVG; see [`Timeline`] for what it guarantees.
    pub fn to_svg(&self) -> String {
        let layout = Layout::new(self.spans.clone(), self.lanes);
        if layout.spans.is_empty() {
            self.render_empty(&layout)
        } else {
            self.render(&layout, &Geometry::new(&layout))
        }
    }

    fn desc(&self, layout: &Layout) -> String {
        let summary = if layout.spans.is_empty() {
            "No spans.".to_string()
        } else {
            format!(
                "{} on {}, from {} ms to {} ms.",
                plural(layout.spans.len(), "span"),
                plural(layout.thread_count, "thread"),
                format_ms_short(layout.min_start()),
                format_ms_short(layout.max_end()),
            )
        };
        describe(&self.alt, &summary)
    }

    fn render_empty(&self, layout: &Layout) -> String {
        let mut svg =
            Svg::open(&self.id, &self.title, &self.desc(layout), EMPTY_HEIGHT);
        svg.line(&format!(
            "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"currentColor\" \
             fill-opacity=\"0.7\">no spans</text>",
            num(WIDTH / 2.0),
            num(52.0)
        ));
        svg.close()
    }

    fn render(&self, layout: &Layout, geo: &Geometry) -> String {
        let mut svg =
            Svg::open(&self.id, &self.title, &self.desc(layout), geo.height);

        // Legend.
        svg.line("<g>");
        for item in &geo.legend {
            svg.line(&format!(
                "<rect x=\"{}\" y=\"{}\" width=\"10\" height=\"10\" fill=\"{}\"/>",
                num(item.x),
                num(item.y - 9.0),
                color(item.thread)
            ));
            svg.line(&format!(
                "<text x=\"{}\" y=\"{}\" fill=\"currentColor\">{}</text>",
                num(item.x + 14.0),
                num(item.y),
                escape(&item.text)
            ));
        }
        svg.line("</g>");

        // Lane stripes (every other lane, faint) and lane labels.
        svg.line("<g fill=\"currentColor\">");
        for (i, lane) in layout.lanes.iter().enumerate() {
            let top = geo.lane_top(i);
            if i % 2 == 1 {
                svg.line(&format!(
                    "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill-opacity=\"0.06\"/>",
                    num(LEFT_MARGIN / 2.0),
                    num(top),
                    num(WIDTH - RIGHT_MARGIN - LEFT_MARGIN / 2.0),
                    num(LANE_HEIGHT)
                ));
            }
            svg.line(&format!(
                "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
                num(geo.gutter - LEFT_MARGIN),
                num(top + LANE_HEIGHT / 2.0 + 4.0),
                escape(&shorten(&lane.name, geo.max_label_chars))
            ));
        }
        svg.line("</g>");

        // Grid: a faint vertical line at each tick.
        let ticks = geo.axis.ticks();
        svg.line("<g stroke=\"currentColor\" stroke-opacity=\"0.18\" stroke-width=\"1\">");
        for &tick in &ticks {
            svg.line(&format!(
                "<line x1=\"{x}\" y1=\"{}\" x2=\"{x}\" y2=\"{}\"/>",
                num(geo.lanes_top),
                num(geo.axis_y),
                x = num(geo.x_of(tick))
            ));
        }
        svg.line("</g>");

        // Bars, with a faint outline so light colours stay visible on white.
        svg.line("<g stroke=\"currentColor\" stroke-opacity=\"0.3\" stroke-width=\"0.5\">");
        for (i, lane) in layout.lanes.iter().enumerate() {
            for &b in &lane.bars {
                let span = &layout.spans[b];
                let thread = layout.thread_of[b];
                let bar = geo.bar(i, span);
                let corner = if bar.width >= 6.0 { " rx=\"2\"" } else { "" };
                svg.line(&format!(
                    "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"{corner} fill=\"{}\">\
                     <title>{}</title></rect>",
                    num(bar.x),
                    num(bar.top),
                    num(bar.width),
                    num(BAR_HEIGHT),
                    color(thread),
                    escape(&tooltip(span, thread))
                ));
                if self.lanes == Lanes::PerThread
                    && label_fits(&span.label, bar.width)
                {
                    svg.line(&format!(
                        "<text x=\"{}\" y=\"{}\" font-size=\"11\" fill=\"{TEXT_ON_BAR}\" \
                         stroke=\"none\">{}</text>",
                        num(bar.x + 4.0),
                        num(bar.top + BAR_HEIGHT / 2.0 + 4.0),
                        escape(&span.label)
                    ));
                }
            }
        }
        svg.line("</g>");

        // Time axis: base line, tick marks, tick labels and the unit.
        svg.line("<g stroke=\"currentColor\">");
        svg.line(&format!(
            "<line x1=\"{}\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\"/>",
            num(geo.plot_left()),
            num(geo.plot_left() + geo.plot_width),
            y = num(geo.axis_y)
        ));
        for &tick in &ticks {
            svg.line(&format!(
                "<line x1=\"{x}\" y1=\"{}\" x2=\"{x}\" y2=\"{}\"/>",
                num(geo.axis_y),
                num(geo.axis_y + 4.0),
                x = num(geo.x_of(tick))
            ));
        }
        svg.line("</g>");
        svg.line("<g fill=\"currentColor\" text-anchor=\"middle\">");
        for &tick in &ticks {
            svg.line(&format!(
                "<text x=\"{}\" y=\"{}\">{}</text>",
                num(geo.x_of(tick)),
                num(geo.tick_label_y),
                format_ms(tick, geo.axis.decimals)
            ));
        }
        svg.line(&format!(
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">ms</text>",
            num(geo.gutter - LEFT_MARGIN),
            num(geo.tick_label_y)
        ));
        svg.line("</g>");
        svg.close()
    }
}

fn color(thread: usize) -> &'static str {
    PALETTE[thread % PALETTE.len()]
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 { format!("1 {word}") } else { format!("{n} {word}s") }
}

/// The hover text of a bar: "job 3, thread 2: 10 ms to 60 ms". A span that
/// ends before it starts is shown as ending at its start, as it is drawn.
fn tooltip(span: &Span, thread: usize) -> String {
    let end: Duration = span.end.max(span.start);
    format!(
        "{}, thread {}: {} ms to {} ms",
        span.label,
        thread + 1,
        format_ms_short(span.start),
        format_ms_short(end)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::svg::checks::{assert_inlinable, assert_well_formed, attr, texts};

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    fn span(label: &str, thread: &str, start: u64, end: u64) -> Span {
        Span::new(label, thread, ms(start), ms(end))
    }

    /// Ten 5 ms jobs one after another on one thread.
    fn sequential() -> Vec<Span> {
        (0..10u32)
            .map(|i| {
                let start = u64::from(i) * 5;
                Span::from((
                    i + 1,
                    "ThreadId(1)".to_string(),
                    ms(start),
                    ms(start + 5),
                ))
            })
            .collect()
    }

    /// Four jobs on two threads, given out of order.
    fn pool() -> Vec<Span> {
        vec![
            span("job 4", "ThreadId(12)", 30, 55),
            span("job 1", "ThreadId(12)", 0, 30),
            span("job 10", "ThreadId(3)", 0, 20),
            span("job 2", "ThreadId(3)", 20, 40),
        ]
    }

    fn bars(svg: &str) -> Vec<&str> {
        svg.lines()
            .filter(|l| l.starts_with("<rect") && l.contains("<title>"))
            .collect()
    }

    #[test]
    fn same_spans_give_the_same_svg_whatever_their_order() {
        let a = Timeline::new("t", "Pool", pool()).to_svg();
        let b = Timeline::new("t", "Pool", pool()).to_svg();
        assert_eq!(a, b);
        let mut reversed = pool();
        reversed.reverse();
        assert_eq!(a, Timeline::new("t", "Pool", reversed).to_svg());
        let per_thread = |spans| {
            Timeline::new("t", "Pool", spans).lanes(Lanes::PerThread).to_svg()
        };
        assert_eq!(
            per_thread(pool()),
            per_thread(pool().into_iter().rev().collect())
        );
    }

    #[test]
    fn svg_is_inlinable() {
        for timeline in [
            Timeline::new("seq", "Sequential", sequential())
                .alt("One after another."),
            Timeline::new("pool", "Pool", pool()).lanes(Lanes::PerThread),
            Timeline::new("none", "Nothing", Vec::new()),
        ] {
            assert_inlinable(&timeline.to_svg());
        }
    }

    #[test]
    fn ids_are_prefixed_and_referenced() {
        let svg = Timeline::new("ch01-pool", "Pool", pool()).to_svg();
        let ids: Vec<&str> = svg
            .lines()
            .filter(|l| l.contains(" id=\""))
            .map(|l| attr(l, "id"))
            .collect();
        assert_eq!(ids, ["ch01-pool-title", "ch01-pool-desc"]);
        let first = svg.lines().next().expect("svg has lines");
        assert_eq!(
            attr(first, "aria-labelledby"),
            "ch01-pool-title ch01-pool-desc"
        );
        assert!(svg.contains("<title id=\"ch01-pool-title\">Pool</title>"));
        // Another picture on the same page uses other ids.
        let other = Timeline::new("ch01-seq", "Seq", sequential()).to_svg();
        assert!(!other.contains("ch01-pool"));
    }

    #[test]
    #[should_panic(expected = "must be non-empty")]
    fn bad_id_is_refused() {
        let _ = Timeline::new("Pool 1", "Pool", pool());
    }

    #[test]
    fn text_is_escaped() {
        let spans = vec![
            span("<b>\"fetch\" & 'parse'</b>", "T", 0, 10),
            span("two\n\nlines {{#include x}}", "T", 10, 20),
        ];
        let svg = Timeline::new("esc", "A < B & \"C\"", spans)
            .alt("Tom & Jerry's <race>")
            .lanes(Lanes::PerLabel)
            .to_svg();
        assert!(svg.contains("&lt;b&gt;&quot;fetch&quot; &amp; 'parse'&lt;/b&gt;"));
        assert!(svg.contains(
            "<title id=\"esc-title\">A &lt; B &amp; &quot;C&quot;</title>"
        ));
        assert!(svg.contains("Tom &amp; Jerry's &lt;race&gt;"));
        assert!(svg.contains("two  lines &#123;&#123;#include x&#125;&#125;"));
        assert!(!svg.contains("<b>") && !svg.contains("{{"));
        assert!(!svg.lines().any(|l| l.trim().is_empty()));
        assert_well_formed(&svg);
    }

    #[test]
    fn desc_has_alt_text_and_summary() {
        let svg = Timeline::new("seq", "Sequential", sequential())
            .alt("Each job waits for the one before.")
            .to_svg();
        assert!(
            svg.contains(
                "<desc id=\"seq-desc\">Each job waits for the one before. \
                 10 spans on 1 thread, from 0 ms to 50 ms.</desc>"
            ),
            "{svg}"
        );
        let svg = Timeline::new("pool", "Pool", pool()).to_svg();
        assert!(svg.contains(">4 spans on 2 threads, from 0 ms to 55 ms.</desc>"));
    }

    #[test]
    fn per_label_draws_one_lane_per_label_in_order() {
        let svg = Timeline::new("pool", "Pool", pool()).to_svg();
        let texts = texts(&svg);
        // Title, legend, then lane labels: first start, ties in natural order.
        assert_eq!(
            texts[..7],
            ["Pool", "thread 1", "thread 2", "job 1", "job 10", "job 2", "job 4"]
        );
        assert_eq!(bars(&svg).len(), 4);
        // Bars are not labelled in this mode: the gutter names the lane.
        assert_eq!(texts.iter().filter(|t| t.starts_with("job")).count(), 4);
    }

    #[test]
    fn per_thread_draws_one_lane_per_thread() {
        let svg =
            Timeline::new("pool", "Pool", pool()).lanes(Lanes::PerThread).to_svg();
        let texts = texts(&svg);
        // Title, legend, lane labels, then the labels inside the bars.
        assert_eq!(
            texts[..5],
            ["Pool", "thread 1", "thread 2", "thread 1", "thread 2"]
        );
        assert_eq!(texts[5..9], ["job 1", "job 4", "job 10", "job 2"]);
        assert!(!svg.contains("ThreadId"), "raw thread ids leak:\n{svg}");
        // The two lanes are at different heights, each holding two bars.
        let bars = bars(&svg);
        let ys: Vec<&str> = bars.iter().map(|b| attr(b, "y")).collect();
        assert_eq!(ys[0], ys[1]);
        assert_eq!(ys[2], ys[3]);
        assert_ne!(ys[0], ys[2]);
    }

    #[test]
    fn bar_labels_only_where_they_fit() {
        let spans = vec![
            span("a long label that cannot fit", "T", 0, 1),
            span("fits", "T", 1, 100),
        ];
        let svg =
            Timeline::new("fit", "Fit", spans).lanes(Lanes::PerThread).to_svg();
        let texts = texts(&svg);
        assert!(texts.contains(&"fits"));
        assert!(!texts.contains(&"a long label that cannot fit"));
        // Still in the tooltip.
        assert!(svg.contains(
            "<title>a long label that cannot fit, thread 1: 0 ms to 1 ms</title>"
        ));
    }

    #[test]
    fn bars_are_coloured_by_thread_in_order_of_appearance() {
        let svg = Timeline::new("pool", "Pool", pool()).to_svg();
        let fills: Vec<&str> = bars(&svg).iter().map(|b| attr(b, "fill")).collect();
        // Lanes job 1, job 10, job 2, job 4 ran on threads 1, 2, 2, 1.
        assert_eq!(fills, [PALETTE[0], PALETTE[1], PALETTE[1], PALETTE[0]]);
        // The legend maps the same colours to the thread names.
        let legend: Vec<&str> = svg
            .lines()
            .filter(|l| l.starts_with("<rect") && l.contains("width=\"10\""))
            .map(|l| attr(l, "fill"))
            .collect();
        assert_eq!(legend, [PALETTE[0], PALETTE[1]]);
    }

    #[test]
    fn text_and_lines_follow_the_page_colour() {
        let svg = Timeline::new("pool", "Pool", pool()).to_svg();
        // No fixed colour other than the palette and the text on bars.
        for line in svg.lines() {
            for key in ["fill", "stroke"] {
                if line.contains(&format!(" {key}=\"")) {
                    let value = attr(line, key);
                    assert!(
                        value == "currentColor"
                            || value == "none"
                            || value == TEXT_ON_BAR
                            || PALETTE.contains(&value),
                        "{key}={value} in {line}"
                    );
                }
            }
        }
        assert!(svg.contains("<g stroke=\"currentColor\" stroke-opacity=\"0.18\""));
    }

    #[test]
    fn axis_covers_the_latest_end_with_nice_ticks() {
        let svg = Timeline::new("seq", "Sequential", sequential()).to_svg();
        let texts = texts(&svg);
        let ticks: Vec<&str> = texts[texts.len() - 7..].to_vec();
        assert_eq!(ticks, ["0", "10", "20", "30", "40", "50", "ms"]);
        // The last bar ends exactly at the last tick.
        let last_bar = *bars(&svg).last().expect("ten bars");
        let x: f64 = attr(last_bar, "x").parse().expect("x is a number");
        let w: f64 = attr(last_bar, "width").parse().expect("width is a number");
        assert!(
            (x + w - (WIDTH - RIGHT_MARGIN)).abs() < 0.11,
            "bar ends at {}",
            x + w
        );
    }

    #[test]
    fn zero_length_spans_stay_visible() {
        let spans = vec![span("blink", "T", 10, 10), span("long", "T", 0, 100)];
        let svg = Timeline::new("zero", "Zero", spans).to_svg();
        let blink = bars(&svg)
            .into_iter()
            .find(|b| b.contains("<title>blink"))
            .expect("blink is drawn");
        assert_eq!(attr(blink, "width"), "1.5");
        // Only zero-length spans: still drawn, on a 1 ms axis.
        let svg =
            Timeline::new("zero", "Zero", vec![span("x", "T", 0, 0)]).to_svg();
        assert_eq!(attr(bars(&svg)[0], "width"), "1.5");
        assert!(texts(&svg).contains(&"1.0"));
    }

    #[test]
    fn empty_timeline_says_no_spans() {
        let svg = Timeline::new("empty", "Nothing ran", Vec::new()).to_svg();
        assert!(texts(&svg).contains(&"no spans"));
        assert!(svg.contains("<desc id=\"empty-desc\">No spans.</desc>"));
        assert_well_formed(&svg);
    }

    #[test]
    fn many_threads_are_all_named_in_full() {
        let spans: Vec<Span> = (0..14u32)
            .map(|i| {
                Span::from((
                    i + 1,
                    format!("T{i}"),
                    ms(u64::from(i)),
                    ms(u64::from(i) + 3),
                ))
            })
            .collect();
        let svg =
            Timeline::new("many", "Many", spans).lanes(Lanes::PerThread).to_svg();
        let texts = texts(&svg);
        // Legend and lane labels both name every thread.
        for n in 1..=14 {
            let name = format!("thread {n}");
            assert_eq!(texts.iter().filter(|t| **t == name).count(), 2, "{name}");
        }
        assert!(!svg.contains('…'));
        // Colours repeat after ten threads.
        let fills: Vec<&str> = bars(&svg).iter().map(|b| attr(b, "fill")).collect();
        assert_eq!(fills[10], fills[0]);
    }

    #[test]
    fn long_lane_labels_are_shortened() {
        let long = "x".repeat(100);
        let svg =
            Timeline::new("long", "Long", vec![span(&long, "T", 0, 10)]).to_svg();
        let label = texts(&svg)
            .into_iter()
            .find(|t| t.starts_with('x'))
            .expect("lane label drawn");
        assert!(label.ends_with('…') && label.chars().count() < 40, "{label}");
    }
}
