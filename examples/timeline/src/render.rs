//! [`Timeline`]: draws spans as an SVG that is inlined into a book page.

use std::time::Duration;

use crate::Span;
use crate::layout::{Axis, Layout, format_ms, format_ms_short};

/// How spans are grouped into horizontal lanes.
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

/// Width of the picture in user units (pixels at 100 %).
const WIDTH: f64 = 720.0;
/// Space right of the time axis, so the last tick label is not cut off.
const RIGHT_MARGIN: f64 = 24.0;
/// Left margin of the title and of the lane labels' column.
const LEFT_MARGIN: f64 = 8.0;
/// Height of one lane, and of the bar drawn in it.
const LANE_HEIGHT: f64 = 22.0;
const BAR_HEIGHT: f64 = 16.0;
/// Bars shorter than this (including zero-length spans) are drawn this wide.
const MIN_BAR_WIDTH: f64 = 1.5;
/// Rough average width of one character at font-size 12 and 11, used to size
/// the label column and the legend and to decide whether a label fits in a bar.
/// Generous, so that text measured with it does fit in common sans-serif fonts.
const CHAR_WIDTH_12: f64 = 6.8;
const CHAR_WIDTH_11: f64 = 6.2;
/// Bounds on the width of the lane labels' column; longer labels are cut
/// short with "…" (the full label is in each bar's tooltip).
const GUTTER_MIN: f64 = 64.0;
const GUTTER_MAX: f64 = 220.0;
/// Baseline of the title, and of the first legend row.
const TITLE_BASELINE: f64 = 22.0;
const LEGEND_BASELINE: f64 = 44.0;
const LEGEND_ROW: f64 = 18.0;

/// Bar colours, one per thread (thread 11 takes the first colour again).
/// Mid-tone colours (Tableau 10) that stand out on both a white and a
/// near-black page; black text on any of them has a contrast above 4.5:1.
const PALETTE: [&str; 10] = [
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
    "#9c755f", "#bab0ac",
];
/// Colour of text drawn on a bar.
const TEXT_ON_BAR: &str = "#000";

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
        assert!(
            !id.is_empty()
                && id
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
            "timeline id {id:?} must be non-empty and use only a-z, 0-9 and -"
        );
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
        let mut svg = Svg::default();
        if layout.spans.is_empty() {
            self.render_empty(&mut svg);
        } else {
            self.render(&layout, &mut svg);
        }
        svg.out
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
        let alt = self.alt.trim();
        if alt.is_empty() {
            summary
        } else {
            format!("{alt} {summary}")
        }
    }

    /// The opening tag, `<title>`, `<desc>` and visible title.
    fn header(&self, svg: &mut Svg, layout: &Layout, height: f64) {
        let id = &self.id;
        svg.line(&format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" \
             height=\"{h}\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" \
             style=\"max-width:100%;height:auto\" font-family=\"system-ui, sans-serif\" \
             font-size=\"12\">",
            // Whole numbers: the picture's size in pixels at 100 %.
            w = WIDTH.ceil() as u32,
            h = height.ceil() as u32,
        ));
        svg.line(&format!(
            "<title id=\"{id}-title\">{}</title>",
            escape(&self.title)
        ));
        svg.line(&format!(
            "<desc id=\"{id}-desc\">{}</desc>",
            escape(&self.desc(layout))
        ));
        svg.line(&format!(
            "<text x=\"{}\" y=\"{}\" font-size=\"14\" font-weight=\"600\" fill=\"currentColor\">{}</text>",
            num(LEFT_MARGIN),
            num(TITLE_BASELINE),
            escape(&self.title)
        ));
    }

    fn render_empty(&self, svg: &mut Svg) {
        let layout = Layout::new(Vec::new(), self.lanes);
        let height = 72.0;
        self.header(svg, &layout, height);
        svg.line(&format!(
            "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"currentColor\" \
             fill-opacity=\"0.7\">no spans</text>",
            num(WIDTH / 2.0),
            num(52.0)
        ));
        svg.line("</svg>");
    }

    fn render(&self, layout: &Layout, svg: &mut Svg) {
        // Horizontal geometry.
        let longest = layout
            .lanes
            .iter()
            .map(|l| l.name.chars().count())
            .max()
            .unwrap_or(0);
        // The label column fits the longest lane label, up to GUTTER_MAX.
        // Counted in whole characters, so no rounding can cut a label that
        // was measured to fit.
        let max_label_chars = ((GUTTER_MAX - 2.0 * LEFT_MARGIN) / CHAR_WIDTH_12) as usize;
        let label_chars = longest.min(max_label_chars);
        let gutter = (2.0 * LEFT_MARGIN + label_chars as f64 * CHAR_WIDTH_12).max(GUTTER_MIN);
        let plot_left = gutter;
        let plot_width = WIDTH - RIGHT_MARGIN - plot_left;
        let axis = Axis::covering(layout.max_end());
        let x_of = |ns: u128| plot_left + plot_width * (ns as f64 / axis.end_ns as f64);

        // Legend: one swatch per thread, wrapping onto more rows if needed.
        let mut legend = Vec::with_capacity(layout.thread_count);
        let (mut x, mut y) = (plot_left, LEGEND_BASELINE);
        for t in 0..layout.thread_count {
            let text = format!("thread {}", t + 1);
            let item_width = 14.0 + text.chars().count() as f64 * CHAR_WIDTH_12 + 14.0;
            if x > plot_left && x + item_width > WIDTH - RIGHT_MARGIN {
                x = plot_left;
                y += LEGEND_ROW;
            }
            legend.push((x, y, t, text));
            x += item_width;
        }

        // Vertical geometry.
        let lanes_top = y + 12.0;
        let lanes_bottom = lanes_top + layout.lanes.len() as f64 * LANE_HEIGHT;
        let axis_y = lanes_bottom + 4.0;
        let tick_label_y = axis_y + 16.0;
        let height = tick_label_y + 10.0;

        self.header(svg, layout, height);

        // Legend.
        svg.line("<g>");
        for (x, y, t, text) in &legend {
            svg.line(&format!(
                "<rect x=\"{}\" y=\"{}\" width=\"10\" height=\"10\" fill=\"{}\"/>",
                num(*x),
                num(y - 9.0),
                color(*t)
            ));
            svg.line(&format!(
                "<text x=\"{}\" y=\"{}\" fill=\"currentColor\">{}</text>",
                num(x + 14.0),
                num(*y),
                escape(text)
            ));
        }
        svg.line("</g>");

        // Lane stripes (every other lane, faint) and lane labels.
        svg.line("<g fill=\"currentColor\">");
        for (i, lane) in layout.lanes.iter().enumerate() {
            let top = lanes_top + i as f64 * LANE_HEIGHT;
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
                num(gutter - LEFT_MARGIN),
                num(top + LANE_HEIGHT / 2.0 + 4.0),
                escape(&shorten(&lane.name, max_label_chars))
            ));
        }
        svg.line("</g>");

        // Grid: a faint vertical line at each tick.
        svg.line("<g stroke=\"currentColor\" stroke-opacity=\"0.18\" stroke-width=\"1\">");
        for &tick in &axis.ticks() {
            let x = x_of(tick);
            svg.line(&format!(
                "<line x1=\"{x}\" y1=\"{}\" x2=\"{x}\" y2=\"{}\"/>",
                num(lanes_top),
                num(axis_y),
                x = num(x)
            ));
        }
        svg.line("</g>");

        // Bars, with a faint outline so light colours stay visible on white.
        svg.line("<g stroke=\"currentColor\" stroke-opacity=\"0.3\" stroke-width=\"0.5\">");
        for (i, lane) in layout.lanes.iter().enumerate() {
            let top = lanes_top + i as f64 * LANE_HEIGHT + (LANE_HEIGHT - BAR_HEIGHT) / 2.0;
            for &b in &lane.bars {
                let span = &layout.spans[b];
                let thread = layout.thread_of[b];
                let end = span.end.max(span.start);
                let x = x_of(span.start.as_nanos());
                let width = (x_of(end.as_nanos()) - x).max(MIN_BAR_WIDTH);
                let corner = if width >= 6.0 { " rx=\"2\"" } else { "" };
                svg.line(&format!(
                    "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"{corner} fill=\"{}\">\
                     <title>{}</title></rect>",
                    num(x),
                    num(top),
                    num(width),
                    num(BAR_HEIGHT),
                    color(thread),
                    escape(&tooltip(span, thread, end))
                ));
                let label_width = span.label.chars().count() as f64 * CHAR_WIDTH_11 + 8.0;
                if self.lanes == Lanes::PerThread && label_width <= width {
                    svg.line(&format!(
                        "<text x=\"{}\" y=\"{}\" font-size=\"11\" fill=\"{TEXT_ON_BAR}\" \
                         stroke=\"none\">{}</text>",
                        num(x + 4.0),
                        num(top + BAR_HEIGHT / 2.0 + 4.0),
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
            num(plot_left),
            num(plot_left + plot_width),
            y = num(axis_y)
        ));
        for &tick in &axis.ticks() {
            svg.line(&format!(
                "<line x1=\"{x}\" y1=\"{}\" x2=\"{x}\" y2=\"{}\"/>",
                num(axis_y),
                num(axis_y + 4.0),
                x = num(x_of(tick))
            ));
        }
        svg.line("</g>");
        svg.line("<g fill=\"currentColor\" text-anchor=\"middle\">");
        for &tick in &axis.ticks() {
            svg.line(&format!(
                "<text x=\"{}\" y=\"{}\">{}</text>",
                num(x_of(tick)),
                num(tick_label_y),
                format_ms(tick, axis.decimals)
            ));
        }
        svg.line(&format!(
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">ms</text>",
            num(gutter - LEFT_MARGIN),
            num(tick_label_y)
        ));
        svg.line("</g>");
        svg.line("</svg>");
    }
}

/// Collects the SVG one line at a time, each ending in `\n`.
#[derive(Default)]
struct Svg {
    out: String,
}

impl Svg {
    fn line(&mut self, text: &str) {
        self.out.push_str(text);
        self.out.push('\n');
    }
}

/// A coordinate with one decimal, so output never depends on printing
/// floating-point noise.
fn num(value: f64) -> String {
    format!("{value:.1}")
}

fn color(thread: usize) -> &'static str {
    PALETTE[thread % PALETTE.len()]
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// The hover text of a bar: "job 3, thread 2: 10 ms to 60 ms".
fn tooltip(span: &Span, thread: usize, end: Duration) -> String {
    format!(
        "{}, thread {}: {} ms to {} ms",
        span.label,
        thread + 1,
        format_ms_short(span.start),
        format_ms_short(end)
    )
}

/// Cuts `text` to at most `max` characters, ending in "…" when cut.
fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let kept: String = text.chars().take(max.saturating_sub(1)).collect();
        format!("{kept}…")
    }
}

/// Escapes text for XML content and attributes. Control characters (line
/// breaks included) become spaces so the output keeps one element per line
/// and never gets a blank line; braces are escaped so that no label can form
/// an mdBook `{{#…}}` directive in the page that includes the SVG.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '{' => out.push_str("&#123;"),
            '}' => out.push_str("&#125;"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
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

    /// Ten 5 ms jobs one after another on one thread.
    fn sequential() -> Vec<Span> {
        (0..10u32)
            .map(|i| {
                let start = u64::from(i) * 5;
                Span::from((i + 1, "ThreadId(1)".to_string(), ms(start), ms(start + 5)))
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

    /// Checks that `svg` is well-formed XML as far as this renderer can
    /// produce it: tags nest and close, text has no raw `<` or stray `&`.
    fn assert_well_formed(svg: &str) {
        let mut stack: Vec<&str> = Vec::new();
        let mut rest = svg;
        while let Some(open) = rest.find('<') {
            assert_text_ok(&rest[..open]);
            let close = rest[open..].find('>').expect("every tag closes") + open;
            let tag = &rest[open + 1..close];
            assert!(!tag.contains('<'), "`<` inside tag {tag:?}");
            if let Some(name) = tag.strip_prefix('/') {
                assert_eq!(stack.pop(), Some(name), "mismatched </{name}>");
            } else if !tag.ends_with('/') {
                let name = tag
                    .split(' ')
                    .next()
                    .expect("split yields at least one item");
                stack.push(name);
            }
            // Attribute values must not hold raw quotes or ampersands.
            for value in tag.split('"').skip(1).step_by(2) {
                assert_text_ok(value);
            }
            rest = &rest[close + 1..];
        }
        assert_text_ok(rest);
        assert!(stack.is_empty(), "unclosed: {stack:?}");
    }

    fn assert_text_ok(text: &str) {
        assert!(!text.contains('>'), "raw `>` in {text:?}");
        for (i, _) in text.match_indices('&') {
            let entity = &text[i..];
            assert!(
                [
                    "&amp;", "&lt;", "&gt;", "&quot;", "&#39;", "&#123;", "&#125;"
                ]
                .iter()
                .any(|e| entity.starts_with(e)),
                "stray & in {text:?}"
            );
        }
    }

    /// The text of every `<text>` element, in document order.
    fn texts(svg: &str) -> Vec<&str> {
        svg.lines()
            .filter(|l| l.starts_with("<text"))
            .map(|l| {
                let start = l.find('>').expect("tag closes") + 1;
                let end = l.rfind("</text>").expect("text closes");
                &l[start..end]
            })
            .collect()
    }

    fn attr<'a>(line: &'a str, name: &str) -> &'a str {
        let key = format!(" {name}=\"");
        let start = line
            .find(&key)
            .unwrap_or_else(|| panic!("no {name} in {line}"))
            + key.len();
        let len = line[start..].find('"').expect("attribute closes");
        &line[start..start + len]
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
            Timeline::new("t", "Pool", spans)
                .lanes(Lanes::PerThread)
                .to_svg()
        };
        assert_eq!(
            per_thread(pool()),
            per_thread(pool().into_iter().rev().collect())
        );
    }

    #[test]
    fn svg_is_inlinable() {
        for timeline in [
            Timeline::new("seq", "Sequential", sequential()).alt("One after another."),
            Timeline::new("pool", "Pool", pool()).lanes(Lanes::PerThread),
            Timeline::new("none", "Nothing", Vec::new()),
        ] {
            let svg = timeline.to_svg();
            assert!(
                svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" "),
                "{svg}"
            );
            assert!(!svg.contains("<?xml"));
            assert!(svg.ends_with("</svg>\n"));
            // The opening tag is complete and alone on the first line.
            let first = svg.lines().next().expect("svg has lines");
            assert!(
                first.ends_with('>') && first.matches('<').count() == 1,
                "{first}"
            );
            assert!(
                !svg.lines().any(|l| l.trim().is_empty()),
                "blank line in\n{svg}"
            );
            assert!(first.contains(" role=\"img\""));
            assert!(first.contains(" viewBox=\"0 0 720 "));
            assert!(first.contains(" width=\"720\""));
            assert!(first.contains(" style=\"max-width:100%;height:auto\""));
            assert_well_formed(&svg);
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
        assert!(svg.contains("&lt;b&gt;&quot;fetch&quot; &amp; &#39;parse&#39;&lt;/b&gt;"));
        assert!(svg.contains("<title id=\"esc-title\">A &lt; B &amp; &quot;C&quot;</title>"));
        assert!(svg.contains("Tom &amp; Jerry&#39;s &lt;race&gt;"));
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
            [
                "Pool", "thread 1", "thread 2", "job 1", "job 10", "job 2", "job 4"
            ]
        );
        assert_eq!(bars(&svg).len(), 4);
        // Bars are not labelled in this mode: the gutter names the lane.
        assert_eq!(texts.iter().filter(|t| t.starts_with("job")).count(), 4);
    }

    #[test]
    fn per_thread_draws_one_lane_per_thread() {
        let svg = Timeline::new("pool", "Pool", pool())
            .lanes(Lanes::PerThread)
            .to_svg();
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
        let svg = Timeline::new("fit", "Fit", spans)
            .lanes(Lanes::PerThread)
            .to_svg();
        let texts = texts(&svg);
        assert!(texts.contains(&"fits"));
        assert!(!texts.contains(&"a long label that cannot fit"));
        // Still in the tooltip.
        assert!(
            svg.contains("<title>a long label that cannot fit, thread 1: 0 ms to 1 ms</title>")
        );
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
        let svg = Timeline::new("zero", "Zero", vec![span("x", "T", 0, 0)]).to_svg();
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
        let svg = Timeline::new("many", "Many", spans)
            .lanes(Lanes::PerThread)
            .to_svg();
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
        let svg = Timeline::new("long", "Long", vec![span(&long, "T", 0, 10)]).to_svg();
        let label = texts(&svg)
            .into_iter()
            .find(|t| t.starts_with('x'))
            .expect("lane label drawn");
        assert!(
            label.ends_with('…') && label.chars().count() < 40,
            "{label}"
        );
    }
}
