//! The one SVG writer of the workspace: what every picture shares (size, margins,
//! colours, the accessible header) and the one function that escapes text.
//! [`crate::Timeline`] and [`crate::StepPlot`] only decide what to draw; this
//! module writes it.

/// Width of every picture in user units (pixels at 100 %).
pub(crate) const WIDTH: f64 = 720.0;
/// Left margin of the title (and of a timeline's lane labels).
pub(crate) const LEFT_MARGIN: f64 = 8.0;
/// Baseline of the title, and of the first legend row.
pub(crate) const TITLE_BASELINE: f64 = 22.0;
pub(crate) const LEGEND_BASELINE: f64 = 44.0;
/// Rough average width of one character at font-size 12 and 11, used to size
/// label columns and legends and to decide whether a label fits in a bar.
/// Generous, so that text measured with it does fit in common sans-serif fonts.
pub(crate) const CHAR_WIDTH_12: f64 = 6.8;
pub(crate) const CHAR_WIDTH_11: f64 = 6.2;

/// Mid-tone colours (Tableau 10) that stand out on both a white and a
/// near-black page; black text on any of them has a contrast above 4.5:1.
/// A timeline gives one to each thread (thread 11 takes the first again).
pub(crate) const PALETTE: [&str; 10] = [
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1",
    "#ff9da7", "#9c755f", "#bab0ac",
];
/// Colour of text drawn on a bar.
pub(crate) const TEXT_ON_BAR: &str = "#000";

/// Checks a picture id: it prefixes every element id in the SVG, so it must
/// be unique on its page and safe in an attribute.
///
/// # Panics
///
/// If `id` is empty or has characters other than `a`–`z`, `0`–`9` and `-`:
/// ids are written by the book's authors, and a bad one is a bug.
pub(crate) fn check_id(id: &str) {
    assert!(
        !id.is_empty()
            && id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
        "timeline id {id:?} must be non-empty and use only a-z, 0-9 and -"
    );
}

/// The text of a `<desc>`: the author's alt text, then the automatic summary.
pub(crate) fn describe(alt: &str, summary: &str) -> String {
    let alt = alt.trim();
    if alt.is_empty() { summary.to_string() } else { format!("{alt} {summary}") }
}

/// Collects the SVG one line at a time, each ending in `\n`.
///
/// Every picture is made to be inlined in an mdBook page: no XML prolog, no
/// blank line (a blank line would end the HTML block in Markdown), the opening
/// `<svg …>` tag alone on the first line, `role="img"` with a `<title>` and a
/// `<desc>`, ids prefixed with the picture's id, and `max-width:100%` so it
/// scales down on narrow screens.
#[derive(Default)]
pub(crate) struct Svg {
    out: String,
}

impl Svg {
    /// Starts a picture `height` units tall: the opening tag, `<title>`,
    /// `<desc>` and the visible title. `title` and `desc` are plain text.
    pub(crate) fn open(id: &str, title: &str, desc: &str, height: f64) -> Self {
        let mut svg = Svg::default();
        svg.line(&format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" \
             height=\"{h}\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" \
             style=\"max-width:100%;height:auto\" font-family=\"system-ui, sans-serif\" \
             font-size=\"12\">",
            // Whole numbers: the picture's size in pixels at 100 %.
            w = WIDTH.ceil() as u32,
            h = height.ceil() as u32,
        ));
        svg.line(&format!("<title id=\"{id}-title\">{}</title>", escape(title)));
        svg.line(&format!("<desc id=\"{id}-desc\">{}</desc>", escape(desc)));
        svg.line(&format!(
            "<text x=\"{}\" y=\"{}\" font-size=\"14\" font-weight=\"600\" fill=\"currentColor\">{}</text>",
            num(LEFT_MARGIN),
            num(TITLE_BASELINE),
            escape(title)
        ));
        svg
    }

    /// Adds one line of markup (already escaped).
    pub(crate) fn line(&mut self, markup: &str) {
        self.out.push_str(markup);
        self.out.push('\n');
    }

    /// Closes the `<svg>` element and returns the picture.
    pub(crate) fn close(mut self) -> String {
        self.line("</svg>");
        self.out
    }
}

/// A coordinate with one decimal, so output never depends on printing
/// floating-point noise.
pub(crate) fn num(value: f64) -> String {
    format!("{value:.1}")
}

/// Escapes text for XML content and for attributes, which are all quoted
/// with `"` (so `'` needs no escape). Control characters (line breaks
/// included) become spaces so the output keeps one element per line and
/// never gets a blank line; braces are escaped so that no label can form an
/// mdBook `{{#…}}` directive in the page that includes the SVG.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '{' => out.push_str("&#123;"),
            '}' => out.push_str("&#125;"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Checks shared by the tests of every kind of picture.
#[cfg(test)]
pub(crate) mod checks {
    /// Checks that `svg` is well-formed XML as far as this writer can
    /// produce it: tags nest and close, text has no raw `<` or stray `&`.
    pub(crate) fn assert_well_formed(svg: &str) {
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
                let name =
                    tag.split(' ').next().expect("split yields at least one item");
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
                ["&amp;", "&lt;", "&gt;", "&quot;", "&#123;", "&#125;"]
                    .iter()
                    .any(|e| entity.starts_with(e)),
                "stray & in {text:?}"
            );
        }
    }

    /// Checks what makes an SVG inlinable in a page; see [`super::Svg`].
    pub(crate) fn assert_inlinable(svg: &str) {
        assert!(
            svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" "),
            "{svg}"
        );
        assert!(!svg.contains("<?xml"));
        assert!(svg.ends_with("</svg>\n"));
        // The opening tag is complete and alone on the first line.
        let first = svg.lines().next().expect("svg has lines");
        assert!(first.ends_with('>') && first.matches('<').count() == 1, "{first}");
        assert!(!svg.lines().any(|l| l.trim().is_empty()), "blank line in\n{svg}");
        assert!(first.contains(" role=\"img\""));
        assert!(first.contains(" viewBox=\"0 0 720 "));
        assert!(first.contains(" width=\"720\""));
        assert!(first.contains(" style=\"max-width:100%;height:auto\""));
        assert_well_formed(svg);
    }

    /// The text of every `<text>` element, in document order.
    pub(crate) fn texts(svg: &str) -> Vec<&str> {
        svg.lines()
            .filter(|l| l.starts_with("<text"))
            .map(|l| {
                let start = l.find('>').expect("tag closes") + 1;
                let end = l.rfind("</text>").expect("text closes");
                &l[start..end]
            })
            .collect()
    }

    /// The value of attribute `name` in one line of markup.
    pub(crate) fn attr<'a>(line: &'a str, name: &str) -> &'a str {
        let key = format!(" {name}=\"");
        let start =
            line.find(&key).unwrap_or_else(|| panic!("no {name} in {line}"))
                + key.len();
        let len = line[start..].find('"').expect("attribute closes");
        &line[start..start + len]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_makes_text_safe_in_content_and_attributes() {
        assert_eq!(
            escape("<b>\"fetch\" & 'parse'</b>"),
            "&lt;b&gt;&quot;fetch&quot; &amp; 'parse'&lt;/b&gt;"
        );
        assert_eq!(
            escape("two\n\nlines {{#include x}}"),
            "two  lines &#123;&#123;#include x&#125;&#125;"
        );
        assert_eq!(escape("10 + t × 10 / 10 s"), "10 + t × 10 / 10 s");
    }

    #[test]
    fn desc_joins_alt_and_summary() {
        assert_eq!(describe("  It waits. ", "2 spans."), "It waits. 2 spans.");
        assert_eq!(describe(" ", "No spans."), "No spans.");
    }

    #[test]
    fn header_is_accessible_and_escaped() {
        let svg = Svg::open("p-1", "A < B", "Tom & Jerry", 99.5).close();
        checks::assert_inlinable(&svg);
        assert!(svg.contains(" height=\"100\" "));
        assert!(svg.contains("<title id=\"p-1-title\">A &lt; B</title>"));
        assert!(svg.contains("<desc id=\"p-1-desc\">Tom &amp; Jerry</desc>"));
    }

    #[test]
    #[should_panic(expected = "must be non-empty")]
    fn bad_id_is_refused() {
        check_id("Pool 1");
    }
}
