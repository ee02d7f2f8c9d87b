//! Turns the book's markdown into one doctest per Rust block.
//!
//! This file is compiled four ways: by `build.rs` (through `#[path = "src/expand.rs"]`), which
//! writes `$OUT_DIR/book_blocks.rs`; by `scripts/playground-check/build.rs` the same way, which
//! writes only the blocks that get a Run button; by `lib.rs` under `#[cfg(test)]`, so that the
//! unit tests in `src/tests.rs` exercise exactly the code the build scripts run; and by the
//! tests under `tests/` that read the book. Its one dependency is `pulldown-cmark`, the
//! markdown parser mdBook and rustdoc use.
//!
//! The steps, in order:
//!
//! 1. [`expand_markdown`] expands mdBook's `{{#include}}`, `{{#rustdoc_include}}` and
//!    `{{#title}}` directives the way mdBook 0.5's `links` preprocessor does
//!    (`mdbook-driver/src/builtin_preprocessors/links.rs`), remembering which line of the
//!    markdown file each piece of the expanded text came from. (mdBook's own preprocessor only
//!    logs a missing file, leaves a missing anchor empty, and says nothing about lines; see
//!    `lib.rs` for why this copy is kept.)
//! 2. [`find_blocks`] finds the fenced code blocks of the expanded text with pulldown-cmark,
//!    parsing as mdBook does ([`markdown_parser`]).
//! 3. [`rustdoc_treats_as_rust`] keeps the blocks rustdoc would compile, or [`has_run_button`]
//!    the ones mdBook gives a Run button ([`Doctests`] says which).
//! 4. [`generate`] writes one empty module per block, named by [`module_name`], whose doc
//!    attribute is the block.

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};

/// mdBook stops expanding includes nested this deep (`MAX_LINK_NESTED_DEPTH`).
const MAX_LINK_NESTED_DEPTH: usize = 10;

// ---------------------------------------------------------------------------------------------
// Directives
// ---------------------------------------------------------------------------------------------

/// Which lines of a file a directive selects, as mdBook parses `path:N:M` / `path:anchor`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selection {
    /// Lines `start..end`, 0-based, end exclusive; `None` is unbounded (`path:N:M` is
    /// `Lines { start: Some(N - 1), end: Some(M) }`).
    Lines {
        start: Option<usize>,
        end: Option<usize>,
    },
    /// The lines between `ANCHOR: name` and `ANCHOR_END: name`.
    Anchor(String),
}

impl Selection {
    /// Every line.
    pub const ALL: Selection = Selection::Lines {
        start: None,
        end: None,
    };

    /// Parses what follows the first `:` of an include path, like mdBook's
    /// `parse_range_or_anchor`.
    pub fn parse(spec: Option<&str>) -> Selection {
        let mut parts = spec.unwrap_or("").splitn(3, ':');
        let first = parts.next();
        let start = match first {
            Some(value) => match value.parse::<usize>() {
                // Line numbers in directives begin at 1.
                Ok(n) => Some(n.saturating_sub(1)),
                Err(_) if value.is_empty() => None,
                Err(_) => return Selection::Anchor(value.to_owned()),
            },
            None => None,
        };
        // A missing end selects the single line `start`; an end that is empty or not a number
        // leaves the range open.
        let end = parts.next().map(str::parse::<usize>);
        match (start, end) {
            (Some(start), Some(Ok(end))) => Selection::Lines {
                start: Some(start),
                end: Some(end),
            },
            (Some(start), Some(Err(_))) => Selection::Lines {
                start: Some(start),
                end: None,
            },
            (Some(start), None) => Selection::Lines {
                start: Some(start),
                end: Some(start + 1),
            },
            (None, Some(Ok(end))) => Selection::Lines {
                start: None,
                end: Some(end),
            },
            (None, None | Some(Err(_))) => Selection::ALL,
        }
    }

    fn contains(start: Option<usize>, end: Option<usize>, index: usize) -> bool {
        start.is_none_or(|s| index >= s) && end.is_none_or(|e| index < e)
    }
}

/// One directive found in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Directive<'a> {
    /// `\{{#...}}`: printed without the backslash, never expanded.
    Escaped,
    /// `{{#include path[:selection]}}`.
    Include(&'a str, Selection),
    /// `{{#rustdoc_include path[:selection]}}`.
    RustdocInclude(&'a str, Selection),
    /// `{{#playground ...}}` or the older `{{#playpen ...}}`.
    Playground(&'a str),
    /// `{{#title ...}}`: sets the page title, leaves nothing in the text.
    Title,
}

/// A match of mdBook's link regex: `start..end` of the text, and the directive if the match is
/// one (mdBook skips matches such as `{{#unknown x}}` without touching them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link<'a> {
    pub start: usize,
    pub end: usize,
    pub directive: Option<Directive<'a>>,
}

impl Link<'_> {
    /// The directive's own text, e.g. `{{#include x.rs:main}}`.
    pub fn text<'s>(&self, s: &'s str) -> &'s str {
        &s[self.start..self.end]
    }
}

/// Finds the matches of mdBook's link regex, in order:
///
/// ```text
/// \\\{\{\#.*\}\}  |  \{\{\s*\#([a-zA-Z0-9_]+)\s+([^}]+)\}\}
/// ```
pub fn find_links(s: &str) -> Vec<Link<'_>> {
    let mut links = Vec::new();
    let mut pos = 0;
    while pos < s.len() {
        let rest = &s[pos..];
        let Some(offset) = rest.find(['\\', '{']) else {
            break;
        };
        let at = pos + offset;
        let matched = if s[at..].starts_with("\\{{#") {
            match_escaped(s, at)
        } else if s[at..].starts_with("{{") {
            match_directive(s, at)
        } else {
            None
        };
        match matched {
            Some(link) => {
                pos = link.end;
                links.push(link);
            }
            // Every character we look for is one byte long.
            None => pos = at + 1,
        }
    }
    links
}

/// `\\\{\{\#.*\}\}`: `.` stops at a newline and `.*` is greedy, so the match runs to the last
/// `}}` on the line.
fn match_escaped(s: &str, at: usize) -> Option<Link<'_>> {
    let body_start = at + "\\{{#".len();
    let line_end = s[body_start..]
        .find('\n')
        .map_or(s.len(), |n| body_start + n);
    let close = s[body_start..line_end].rfind("}}")?;
    Some(Link {
        start: at,
        end: body_start + close + 2,
        directive: Some(Directive::Escaped),
    })
}

/// `\{\{\s*\#([a-zA-Z0-9_]+)\s+([^}]+)\}\}`, then mdBook's `Link::from_capture`.
fn match_directive(s: &str, at: usize) -> Option<Link<'_>> {
    let after_braces = &s[at + 2..];
    let after_space = after_braces.trim_start();
    let after_hash = after_space.strip_prefix('#')?;
    let kind_len = after_hash
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(after_hash.len());
    if kind_len == 0 {
        return None;
    }
    let kind = &after_hash[..kind_len];
    let args_start = &after_hash[kind_len..];
    // `\s+([^}]+)` ends at the first `}`, which must start `}}`.
    let close = args_start.find('}')?;
    if !args_start[close..].starts_with("}}") {
        return None;
    }
    let between = &args_start[..close];
    if !between.starts_with(char::is_whitespace) {
        return None;
    }
    let trimmed = between.trim_start();
    // `\s+` is greedy but must leave at least one character to `[^}]+`.
    let args = if trimmed.is_empty() {
        let last = between.chars().next_back()?;
        if between.len() == last.len_utf8() {
            return None;
        }
        &between[between.len() - last.len_utf8()..]
    } else {
        trimmed
    };
    let end = s.len() - args_start.len() + close + 2;
    let file = args.split_whitespace().next();
    let directive = match (kind, file) {
        ("title", _) => Some(Directive::Title),
        ("include", Some(file)) => {
            let (path, spec) = split_path(file);
            Some(Directive::Include(path, Selection::parse(spec)))
        }
        ("rustdoc_include", Some(file)) => {
            let (path, spec) = split_path(file);
            Some(Directive::RustdocInclude(path, Selection::parse(spec)))
        }
        ("playground" | "playpen", Some(file)) => Some(Directive::Playground(file)),
        _ => None,
    };
    Some(Link {
        start: at,
        end,
        directive,
    })
}

fn split_path(file: &str) -> (&str, Option<&str>) {
    match file.split_once(':') {
        Some((path, spec)) => (path, Some(spec)),
        None => (file, None),
    }
}

// ---------------------------------------------------------------------------------------------
// Selecting lines (mdBook's take_lines.rs)
// ---------------------------------------------------------------------------------------------

/// The anchor name that `marker` (`ANCHOR:` or `ANCHOR_END:`) introduces in `line`, like the
/// regex `MARKER\s*([\w_-]+)`.
fn anchor_in<'l>(line: &'l str, marker: &str) -> Option<&'l str> {
    line.match_indices(marker).find_map(|(i, _)| {
        let rest = line[i + marker.len()..].trim_start();
        let len = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
            .unwrap_or(rest.len());
        (len > 0).then(|| &rest[..len])
    })
}

fn anchor_start(line: &str) -> Option<&str> {
    anchor_in(line, "ANCHOR:")
}

fn anchor_end(line: &str) -> Option<&str> {
    anchor_in(line, "ANCHOR_END:")
}

/// Lines `start..end` (0-based), joined with `\n` and no final newline.
pub fn take_lines(s: &str, start: Option<usize>, end: Option<usize>) -> String {
    let start = start.unwrap_or(0);
    let lines = s.lines().skip(start);
    match end {
        Some(end) => lines
            .take(end.saturating_sub(start))
            .collect::<Vec<_>>()
            .join("\n"),
        None => lines.collect::<Vec<_>>().join("\n"),
    }
}

/// The lines between `ANCHOR: anchor` and `ANCHOR_END: anchor`, without the lines that hold
/// any anchor marker; `None` if the anchor never starts.
pub fn take_anchored_lines(s: &str, anchor: &str) -> Option<String> {
    let mut retained = Vec::new();
    let mut found = false;
    let mut inside = false;
    for line in s.lines() {
        if inside {
            match anchor_end(line) {
                Some(name) if name == anchor => break,
                Some(_) => {}
                None if anchor_start(line).is_none() => retained.push(line),
                None => {}
            }
        } else if anchor_start(line) == Some(anchor) {
            found = true;
            inside = true;
        }
    }
    found.then(|| retained.join("\n"))
}

/// The whole file, with the lines outside `start..end` hidden behind `# `.
pub fn take_rustdoc_include_lines(s: &str, start: Option<usize>, end: Option<usize>) -> String {
    let mut out = String::with_capacity(s.len());
    for (index, line) in s.lines().enumerate() {
        if !Selection::contains(start, end, index) {
            out.push_str("# ");
        }
        out.push_str(line);
        out.push('\n');
    }
    out.pop();
    out
}

/// The whole file without its anchor lines, with the lines outside the anchor hidden behind
/// `# `; `None` if the anchor never starts.
pub fn take_rustdoc_include_anchored_lines(s: &str, anchor: &str) -> Option<String> {
    let mut out = String::with_capacity(s.len());
    let mut found = false;
    let mut inside = false;
    for line in s.lines() {
        if inside {
            match anchor_end(line) {
                Some(name) if name == anchor => inside = false,
                Some(_) => {}
                None if anchor_start(line).is_none() => {
                    out.push_str(line);
                    out.push('\n');
                }
                None => {}
            }
        } else if let Some(name) = anchor_start(line) {
            if name == anchor {
                found = true;
                inside = true;
            }
        } else if anchor_end(line).is_none() {
            out.push_str("# ");
            out.push_str(line);
            out.push('\n');
        }
    }
    out.pop();
    found.then_some(out)
}

// ---------------------------------------------------------------------------------------------
// Expanding a markdown file
// ---------------------------------------------------------------------------------------------

/// A chapter with its directives expanded.
#[derive(Debug)]
pub struct Expanded {
    /// The text mdBook renders.
    pub text: String,
    /// Every file a directive named, resolved against the directory it is relative to.
    pub includes: Vec<PathBuf>,
    /// The directives that could not be expanded, which `text` holds as they were.
    pub errors: Vec<LineError>,
    /// Where each stretch of `text` came from, in order of `out_start`.
    segments: Vec<Segment>,
    /// Byte offset of the start of each line of the original markdown.
    line_starts: Vec<usize>,
}

#[derive(Debug)]
struct Segment {
    out_start: usize,
    /// Offset in the original markdown: of the text itself, or of the directive that produced it.
    src_start: usize,
    from_directive: bool,
}

/// Where a piece of expanded text came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Origin {
    /// 1-based line in the markdown file.
    pub line: usize,
    /// The text was produced by the directive on `line` (an included markdown file, say).
    pub from_directive: bool,
}

impl Expanded {
    /// The line of the original markdown that expanded byte `offset` comes from.
    pub fn origin(&self, offset: usize) -> Origin {
        let index = self
            .segments
            .partition_point(|segment| segment.out_start <= offset)
            .saturating_sub(1);
        let (src, from_directive) = match self.segments.get(index) {
            Some(seg) if seg.from_directive => (seg.src_start, true),
            Some(seg) => (seg.src_start + (offset - seg.out_start), false),
            None => (0, false),
        };
        let line = self.line_starts.partition_point(|&start| start <= src);
        Origin {
            line: line.max(1),
            from_directive,
        }
    }
}

/// An error in a markdown file: its 1-based line and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    pub line: usize,
    pub message: String,
}

fn line_of(s: &str, offset: usize) -> usize {
    s[..offset].matches('\n').count() + 1
}

/// Expands the directives of a markdown file whose directory is `base`, like mdBook's `links`
/// preprocessor, but a directive mdBook would leave unexpanded (missing file, missing anchor,
/// `{{#playground}}`, includes nested too deep) is an error here: it goes to `errors`, and the
/// text keeps the directive, as mdBook's does.
pub fn expand_markdown(src: &str, base: &Path) -> Expanded {
    let mut out = Expanded {
        text: String::with_capacity(src.len()),
        includes: Vec::new(),
        errors: Vec::new(),
        segments: Vec::new(),
        line_starts: std::iter::once(0)
            .chain(src.match_indices('\n').map(|(i, _)| i + 1))
            .collect(),
    };
    let mut previous_end = 0;
    for link in find_links(src) {
        let Some(directive) = &link.directive else {
            continue;
        };
        out.segments.push(Segment {
            out_start: out.text.len(),
            src_start: previous_end,
            from_directive: false,
        });
        out.text.push_str(&src[previous_end..link.start]);
        match render(link.text(src), directive, base, 0, &mut out.includes) {
            Ok(content) => {
                out.segments.push(Segment {
                    out_start: out.text.len(),
                    src_start: link.start,
                    from_directive: true,
                });
                out.text.push_str(&content);
                previous_end = link.end;
            }
            Err(message) => {
                out.errors.push(LineError {
                    line: line_of(src, link.start),
                    message,
                });
                previous_end = link.start;
            }
        }
    }
    out.segments.push(Segment {
        out_start: out.text.len(),
        src_start: previous_end,
        from_directive: false,
    });
    out.text.push_str(&src[previous_end..]);
    out
}

/// Expands the directives of included text (mdBook's `replace_all` at `depth > 0`).
fn expand_nested(
    s: &str,
    base: &Path,
    depth: usize,
    includes: &mut Vec<PathBuf>,
) -> Result<String, String> {
    let mut out = String::with_capacity(s.len());
    let mut previous_end = 0;
    for link in find_links(s) {
        let Some(directive) = &link.directive else {
            continue;
        };
        out.push_str(&s[previous_end..link.start]);
        out.push_str(&render(link.text(s), directive, base, depth, includes)?);
        previous_end = link.end;
    }
    out.push_str(&s[previous_end..]);
    Ok(out)
}

/// What a directive at nesting `depth` turns into, its own directives expanded.
fn render(
    text: &str,
    directive: &Directive<'_>,
    base: &Path,
    depth: usize,
    includes: &mut Vec<PathBuf>,
) -> Result<String, String> {
    let (path, selection, rustdoc) = match directive {
        Directive::Escaped => return Ok(text[1..].to_owned()),
        Directive::Title => return Ok(String::new()),
        Directive::Playground(_) => {
            return Err(format!(
                "`{text}`: this book does not use {{{{#playground}}}}; put the code in a \
                 ```rust fence holding {{{{#include ...}}}} or {{{{#rustdoc_include ...}}}}, \
                 which book-tests can test"
            ));
        }
        Directive::Include(path, selection) => (path, selection, false),
        Directive::RustdocInclude(path, selection) => (path, selection, true),
    };
    let target = base.join(path);
    includes.push(target.clone());
    if depth >= MAX_LINK_NESTED_DEPTH {
        return Err(format!(
            "`{text}`: includes are nested more than {MAX_LINK_NESTED_DEPTH} deep; \
             is a file including itself?"
        ));
    }
    let contents = fs::read_to_string(&target).map_err(|e| {
        format!(
            "`{text}`: cannot read {}: {e}",
            tidy_path(&target).display()
        )
    })?;
    let selected = match (selection, rustdoc) {
        (Selection::Lines { start, end }, false) => Some(take_lines(&contents, *start, *end)),
        (Selection::Lines { start, end }, true) => {
            Some(take_rustdoc_include_lines(&contents, *start, *end))
        }
        (Selection::Anchor(anchor), false) => take_anchored_lines(&contents, anchor),
        (Selection::Anchor(anchor), true) => take_rustdoc_include_anchored_lines(&contents, anchor),
    };
    let Some(selected) = selected else {
        let anchor = match selection {
            Selection::Anchor(anchor) => anchor.as_str(),
            Selection::Lines { .. } => "",
        };
        return Err(format!(
            "`{text}`: {} has no `ANCHOR: {anchor}` line",
            tidy_path(&target).display()
        ));
    };
    // mdBook expands the included text relative to the included file's directory.
    let nested_base = target.parent().unwrap_or(base);
    expand_nested(&selected, nested_base, depth + 1, includes)
        .map_err(|e| format!("in `{text}`: {e}"))
}

/// Points book-tests at another book directory (absolute, or relative to the workspace
/// root), for example one chapter's folder while writing it.
pub const BOOK_DIR_VAR: &str = "BOOK_TESTS_BOOK_DIR";

/// The workspace root, from book-tests' own manifest directory (`scripts/book-tests`).
pub fn workspace_root(manifest_dir: &Path) -> PathBuf {
    tidy_path(&manifest_dir.join("../.."))
}

/// The book's sources: `book/`, or the directory [`BOOK_DIR_VAR`] names (then `true`). The
/// build script and the tests that read the book use this one rule, so they read the same
/// pages.
pub fn book_dir(workspace_root: &Path) -> (PathBuf, bool) {
    match std::env::var_os(BOOK_DIR_VAR) {
        Some(dir) if !dir.is_empty() => (workspace_root.join(dir), true),
        _ => (workspace_root.join("book"), false),
    }
}

/// `path` with its `.` and `..` components resolved without looking at the disk, for messages.
pub fn tidy_path(path: &Path) -> PathBuf {
    let mut tidy = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir
                if matches!(tidy.components().next_back(), Some(Component::Normal(_))) =>
            {
                tidy.pop();
            }
            other => tidy.push(other),
        }
    }
    tidy
}

// ---------------------------------------------------------------------------------------------
// Fenced code blocks
// ---------------------------------------------------------------------------------------------

/// A pulldown-cmark parser with the extensions mdBook 0.5 turns on (`new_cmark_parser` in
/// `mdbook-markdown`, with its default options), so that the book is read as mdBook reads it.
pub fn markdown_parser(text: &str) -> Parser<'_> {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_DEFINITION_LIST
        | Options::ENABLE_GFM;
    Parser::new_ext(text, options)
}

/// A fenced code block of the expanded text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// Byte offset of the opening fence in the expanded text.
    pub offset: usize,
    /// The info string: "rust,noplayground".
    pub info: String,
    /// The content, each line ending in `\n`, without the indentation and `>` markers that
    /// belong to the surrounding markdown.
    pub code: String,
}

impl Block {
    /// The block as a markdown document of its own, as rustdoc gets it: a fence long enough
    /// that no line of the code closes it (tildes if the info string holds a backtick).
    pub fn markdown(&self) -> String {
        self.markdown_with_info(&self.info)
    }

    /// The same, with another info string.
    pub fn markdown_with_info(&self, info: &str) -> String {
        let ch = if info.contains('`') { '~' } else { '`' };
        let mut longest = 0;
        let mut run = 0;
        for c in self.code.chars() {
            run = if c == ch { run + 1 } else { 0 };
            longest = longest.max(run);
        }
        let fence = ch.to_string().repeat((longest + 1).max(3));
        format!("{fence}{info}\n{}{fence}\n", self.code)
    }
}

/// The fenced code blocks of a markdown text, found by pulldown-cmark. Indented code blocks
/// are left out: the book writes every listing in a fence, with its info string.
pub fn find_blocks(text: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut open: Option<Block> = None;
    for (event, range) in markdown_parser(text).into_offset_iter() {
        match (event, &mut open) {
            (Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))), _) => {
                open = Some(Block {
                    offset: range.start,
                    info: info.trim().to_owned(),
                    code: String::new(),
                });
            }
            (Event::Text(text), Some(block)) => block.code.push_str(&text),
            (Event::End(TagEnd::CodeBlock), _) => blocks.extend(open.take()),
            _ => {}
        }
    }
    blocks
}

// ---------------------------------------------------------------------------------------------
// Classifying blocks
// ---------------------------------------------------------------------------------------------

/// Whether rustdoc compiles a block with this info string (`LangString::parse` in
/// `librustdoc/html/markdown.rs`, on stable): no info string, or one with `rust`, or one made
/// only of rustdoc's own attributes. `{.class}` and `{key=value}` attributes are skipped.
pub fn rustdoc_treats_as_rust(info: &str) -> bool {
    let mut seen_rust_tags = false;
    let mut seen_other_tags = false;
    let mut seen_custom_tag = false;
    for token in info
        .split([',', ' ', '\t', '{', '}'])
        .filter(|t| !t.is_empty() && !t.starts_with('.') && !t.contains('='))
    {
        match token {
            "should_panic" | "no_run" | "ignore" => seen_rust_tags = !seen_other_tags,
            t if t.starts_with("ignore-") => seen_rust_tags = !seen_other_tags,
            "rust" => seen_rust_tags = true,
            "custom" => seen_custom_tag = true,
            "test_harness" | "compile_fail" | "standalone_crate" => {
                seen_rust_tags = !seen_other_tags || seen_rust_tags;
            }
            t if t.starts_with("edition") => {}
            _ => seen_other_tags = true,
        }
    }
    !seen_custom_tag && (!seen_other_tags || seen_rust_tags)
}

/// A block that mdBook highlights as Rust (its first word is `rust`) but that rustdoc skips:
/// such a block would silently go untested, so the build refuses it.
pub fn shown_as_rust_but_untested(info: &str) -> bool {
    info.split([',', ' ', '\t']).find(|w| !w.is_empty()) == Some("rust")
        && !rustdoc_treats_as_rust(info)
}

/// Whether mdBook shows a Run button on a block with this info string (`update_code_blocks` in
/// `mdbook-html/src/html/tree.rs`, with `output.html.playground.runnable` left on): the first
/// word is `rust`, and the block is not `ignore`/`noplayground`/`noplaypen`, or it is
/// `mdbook-runnable`.
pub fn has_run_button(info: &str) -> bool {
    let mut words = info.split([' ', '\t', ',']).filter(|w| !w.is_empty());
    if words.next() != Some("rust") {
        return false;
    }
    let words: Vec<&str> = words.collect();
    let has = |word: &str| words.contains(&word);
    (!has("ignore") && !has("noplayground") && !has("noplaypen")) || has("mdbook-runnable")
}

/// The info string under which a block with a Run button is compiled as the Playground would
/// build it: `rust,no_run` (compiled, not run: book-tests runs it), keeping `compile_fail`, its
/// error codes and an `editionXXXX`, and dropping the rest (an `ignore` that
/// `mdbook-runnable` overrides, `should_panic`, mdBook's own words).
pub fn playground_info(info: &str) -> String {
    let mut words = vec!["rust", "no_run"];
    words.extend(info.split([',', ' ', '\t']).filter(|w| {
        *w == "compile_fail"
            || w.starts_with("edition")
            || (w.len() == 5 && w.starts_with('E') && w[1..].chars().all(|c| c.is_ascii_digit()))
    }));
    words.join(",")
}

// ---------------------------------------------------------------------------------------------
// Generating the doctests
// ---------------------------------------------------------------------------------------------

/// Which blocks [`generate`] makes doctests of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Doctests {
    /// Every block rustdoc compiles, under its own info string (book-tests, whose
    /// dependencies are every crate the book uses).
    Every,
    /// Every block that gets a Run button, under [`playground_info`] (playground-check, whose
    /// only dependencies are crates the Rust Playground has).
    RunButtons,
}

impl Doctests {
    /// The crate whose build script generates them, for the generated files' comments.
    pub fn generator(self) -> &'static str {
        match self {
            Doctests::Every => "book-tests",
            Doctests::RunButtons => "playground-check",
        }
    }
}

/// The module name for the block whose opening fence is on `line` of the markdown file at
/// `relative` (to the book directory): `ch01-concurrent-vs-parallel/index.md`, 42 gives
/// `ch01_concurrent_vs_parallel__index_md__line_42`.
pub fn module_name(relative: &Path, line: usize) -> String {
    let mut name = String::new();
    for (i, component) in relative.iter().enumerate() {
        if i > 0 {
            name.push_str("__");
        }
        name.extend(component.to_string_lossy().chars().map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        }));
    }
    if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        name.insert(0, '_');
    }
    let _ = write!(name, "__line_{line}");
    name
}

/// `s` as a raw string literal, with enough `#`s that nothing in `s` can end it.
pub fn raw_string_literal(s: &str) -> String {
    let mut longest = 0;
    let mut run = 0;
    for c in s.chars() {
        run = if c == '#' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let hashes = "#".repeat(longest + 1);
    format!("r{hashes}\"{s}\"{hashes}")
}

/// Every `*.md` file under `dir`, sorted; directories whose name starts with `.` are skipped.
pub fn markdown_files(dir: &Path) -> io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in fs::read_dir(&dir)? {
            let path = entry?.path();
            let hidden = path
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'));
            if path.is_dir() {
                if !hidden {
                    pending.push(path);
                }
            } else if path.extension().is_some_and(|e| e == "md") {
                files.push(path);
            }
        }
    }
    files.sort();
    Ok(files)
}

/// What [`generate`] produced.
#[derive(Debug, Default)]
pub struct Generated {
    /// The contents of `book_blocks.rs`: an `include!` of each file of `blocks`.
    pub index: String,
    /// One file per block: its name (`<module name>.rs`, to be written to the `book_blocks`
    /// directory next to `book_blocks.rs`) and its contents.
    pub blocks: Vec<(String, String)>,
    /// The markdown files and every file a directive names, for `cargo:rerun-if-changed`.
    pub inputs: Vec<PathBuf>,
}

/// The file that holds one block's module: its doc attribute (`markdown`, the block as a
/// document of its own) starts on line `line`, the line of the block's opening fence in the
/// markdown, so rustdoc's "(line N)" and the line numbers of compiler errors in the block are
/// lines of the markdown file.
pub fn block_file(
    generator: &str,
    name: &str,
    location: &str,
    line: usize,
    markdown: &str,
) -> String {
    let comment = format!(
        "// {location}: generated by the build script of {generator}, with the block on the line \
         it has there"
    );
    let mut file = String::new();
    if line > 1 {
        file.push_str(&comment);
        file.push_str(&"\n".repeat(line - 1));
    }
    let _ = writeln!(
        file,
        "#[doc = {}]\npub mod {name} {{}}",
        raw_string_literal(markdown)
    );
    if line <= 1 {
        file.push_str(&comment);
        file.push('\n');
    }
    file
}

/// Reads every markdown file under `book_dir` and writes one module per block that `which`
/// selects. Errors name the file (relative to `book_dir`'s parent, so `book/...`) and the line.
pub fn generate(book_dir: &Path, which: Doctests) -> Result<Generated, Vec<String>> {
    let display_root = book_dir.parent().unwrap_or(book_dir);
    let files = markdown_files(book_dir)
        .map_err(|e| vec![format!("cannot list {}: {e}", book_dir.display())])?;
    let mut generated = Generated {
        index: format!(
            "// Generated by the build script of {}: one module per Rust block of the book,\n\
             // whose doc is the block, so rustdoc runs each block as a doctest. Do not edit.\n",
            which.generator()
        ),
        ..Generated::default()
    };
    let mut errors = Vec::new();
    let mut chapters = Vec::new();
    for file in files {
        let shown = file.strip_prefix(display_root).unwrap_or(&file).to_owned();
        generated.inputs.push(file.clone());
        match fs::read_to_string(&file) {
            Ok(src) => {
                let base = file.parent().unwrap_or(book_dir);
                let expanded = expand_markdown(&src.replace("\r\n", "\n"), base);
                generated.inputs.extend(expanded.includes.iter().cloned());
                chapters.push((file, shown, expanded));
            }
            Err(e) => errors.push(format!("{}: cannot read: {e}", shown.display())),
        }
    }
    // A markdown file that another one includes is a part of that one: its blocks are tested
    // there, where the reader sees them.
    let canonical = |path: &Path| fs::canonicalize(path).unwrap_or_else(|_| path.to_owned());
    let parts: Vec<PathBuf> = chapters
        .iter()
        .flat_map(|(_, _, expanded)| &expanded.includes)
        .filter(|path| path.extension().is_some_and(|e| e == "md"))
        .map(|path| canonical(path))
        .collect();
    let mut names: Vec<String> = Vec::new();
    for (file, shown, expanded) in &chapters {
        let relative = file.strip_prefix(book_dir).unwrap_or(file);
        let mut file_errors = expanded.errors.clone();
        let blocks = if parts.contains(&canonical(file)) {
            Vec::new()
        } else {
            find_blocks(&expanded.text)
        };
        for block in blocks {
            let origin = expanded.origin(block.offset);
            let markdown = match which {
                Doctests::Every if rustdoc_treats_as_rust(&block.info) => block.markdown(),
                Doctests::Every => {
                    if shown_as_rust_but_untested(&block.info) {
                        file_errors.push(LineError {
                            line: origin.line,
                            message: format!(
                                "this ```{} block is shown as Rust, but rustdoc would not \
                                 compile it: an mdBook word (editable, noplayground...) placed \
                                 before a rustdoc one (should_panic, no_run, ignore) makes \
                                 rustdoc skip the block. Put the rustdoc words first, e.g. \
                                 ```rust,should_panic,editable",
                                block.info
                            ),
                        });
                    }
                    continue;
                }
                Doctests::RunButtons if has_run_button(&block.info) => {
                    block.markdown_with_info(&playground_info(&block.info))
                }
                Doctests::RunButtons => continue,
            };
            let via = if origin.from_directive {
                " (in text that the directive on this line includes)"
            } else {
                ""
            };
            let location = format!("{}:{}{via}", shown.display(), origin.line);
            let mut name = module_name(relative, origin.line);
            let mut n = 2;
            while names.contains(&name) {
                name = format!("{}__block_{n}", module_name(relative, origin.line));
                n += 1;
            }
            names.push(name.clone());
            let _ = writeln!(
                generated.index,
                "include!(\"book_blocks/{name}.rs\"); // {location}"
            );
            let contents = block_file(which.generator(), &name, &location, origin.line, &markdown);
            generated.blocks.push((format!("{name}.rs"), contents));
        }
        file_errors.sort_by_key(|e| e.line);
        errors.extend(
            file_errors
                .iter()
                .map(|e| format!("{}:{}: {}", shown.display(), e.line, e.message)),
        );
    }
    if errors.is_empty() {
        Ok(generated)
    } else {
        Err(errors)
    }
}
