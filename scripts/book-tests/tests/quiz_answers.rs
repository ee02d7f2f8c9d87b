//! The book's quizzes (mdbook-quiz TOML files, shown with `{{#quiz quizzes/<name>.toml}}`) are
//! honest: an answer that quotes a program's output quotes its real output.
//!
//! Each question says where its answer comes from, in a comment line in its `[[questions]]`
//! table:
//!
//! ```toml
//! [[questions]]
//! # output: examples/ch03-futures-and-tasks/outputs/06_errors.txt
//! id = "ch03-try-join-all-returns"
//! type = "MultipleChoice"
//! prompt.prompt = "When does `try_join_all` return, and with what?"
//! prompt.distractors = ['`300 ms: try_join_all returned Err("job 2 failed")`']
//! answer.answer = '`200 ms: try_join_all returned Err("job 2 failed")`'
//! ```
//!
//! Then every `code` span (or fenced block) of the answer must appear in that file, and no
//! distractor may appear there whole (it would be right too). The output files are the
//! programs' real output: each chapter's `tests/outputs.rs` (listing-check) fails when a
//! program no longer prints what its file says. Whitespace runs compare as one space, so an
//! answer need not copy the column alignment. A question about something else says
//! `# output: none, because <why>`.
//!
//! Also checked: every quiz file a page names exists and every quiz file is on a page (mdBook
//! only validates those), every question has a unique `id` (without one, mdbook-quiz writes one
//! into the file during the build), and a chapter with quizzes asks at least three questions.
//!
//! The TOML is read by a small parser for what quiz files use (tables, arrays of tables,
//! dotted keys, strings in all four forms, arrays, booleans, numbers), so that this crate
//! needs no new dependency; it rejects anything else, naming the line.

#[allow(dead_code)] // this test uses only a few of the build script's helpers
#[path = "../src/expand.rs"]
mod expand;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use expand::{markdown_files, tidy_path};

/// Questions a chapter with quizzes must ask, at least.
const MIN_QUESTIONS_PER_CHAPTER: usize = 3;

/// The repository's root: `scripts/book-tests/../..`.
fn workspace_root() -> PathBuf {
    expand::workspace_root(Path::new(env!("CARGO_MANIFEST_DIR")))
}

/// The book's sources, as `build.rs` finds them.
fn book_dir() -> PathBuf {
    expand::book_dir(&workspace_root()).0
}

// ---------------------------------------------------------------------------------------------
// A small TOML reader, for quiz files
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq)]
enum Value {
    Str(String),
    Array(Vec<Value>),
    /// A boolean or a number: quiz files use them, this test does not.
    Other,
}

/// One `[[questions]]` table: its keys (dotted, `prompt.prompt`), its `# output:` comment, and
/// the line it starts on.
#[derive(Debug, Default)]
struct Question {
    line: usize,
    keys: BTreeMap<String, Value>,
    output: Option<String>,
}

struct Reader<'a> {
    text: &'a str,
    pos: usize,
}

impl Reader<'_> {
    fn line(&self) -> usize {
        self.text[..self.pos].matches('\n').count() + 1
    }

    fn rest(&self) -> &str {
        &self.text[self.pos..]
    }

    fn error<T>(&self, message: impl AsRef<str>) -> Result<T, String> {
        Err(format!("line {}: {}", self.line(), message.as_ref()))
    }

    /// Skips spaces and tabs (not newlines).
    fn blanks(&mut self) {
        let skipped = self.rest().len() - self.rest().trim_start_matches([' ', '\t']).len();
        self.pos += skipped;
    }

    /// Skips blanks, newlines and comments; returns the comments' text.
    fn gaps(&mut self) -> Vec<String> {
        let mut comments = Vec::new();
        loop {
            let before = self.pos;
            let skipped = self.rest().len()
                - self
                    .rest()
                    .trim_start_matches([' ', '\t', '\r', '\n'])
                    .len();
            self.pos += skipped;
            if self.rest().starts_with('#') {
                let end = self.rest().find('\n').unwrap_or(self.rest().len());
                comments.push(self.rest()[1..end].trim().to_owned());
                self.pos += end;
            }
            if self.pos == before {
                return comments;
            }
        }
    }

    fn key(&mut self) -> Result<String, String> {
        let mut parts = Vec::new();
        loop {
            self.blanks();
            let part = if self.rest().starts_with('"') || self.rest().starts_with('\'') {
                match self.value()? {
                    Value::Str(s) => s,
                    _ => return self.error("a key must be a string"),
                }
            } else {
                let len = self
                    .rest()
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
                    .unwrap_or(self.rest().len());
                if len == 0 {
                    return self.error("expected a key");
                }
                let part = self.rest()[..len].to_owned();
                self.pos += len;
                part
            };
            parts.push(part);
            self.blanks();
            if self.rest().starts_with('.') {
                self.pos += 1;
            } else {
                return Ok(parts.join("."));
            }
        }
    }

    fn value(&mut self) -> Result<Value, String> {
        self.blanks();
        let rest = self.rest();
        if let Some(body) = rest.strip_prefix("\"\"\"") {
            let Some(end) = find_closing(body, "\"\"\"", true) else {
                return self.error("unclosed \"\"\" string");
            };
            let raw = body[..end]
                .strip_prefix('\n')
                .unwrap_or(&body[..end])
                .to_owned();
            self.pos += 3 + end + 3;
            return unescape(&trim_line_ending_backslashes(&raw))
                .map(Value::Str)
                .or_else(|e| self.error(e));
        }
        if let Some(body) = rest.strip_prefix("'''") {
            let Some(end) = body.find("'''") else {
                return self.error("unclosed ''' string");
            };
            // Up to two quotes may close the content: ''''x'''' is "'x'".
            let end = end
                + body[end + 3..]
                    .chars()
                    .take_while(|&c| c == '\'')
                    .count()
                    .min(2);
            let raw = body[..end]
                .strip_prefix('\n')
                .unwrap_or(&body[..end])
                .to_owned();
            self.pos += 3 + end + 3;
            return Ok(Value::Str(raw));
        }
        if let Some(body) = rest.strip_prefix('"') {
            let Some(end) = find_closing(body, "\"", false) else {
                return self.error("unclosed \" string");
            };
            let raw = body[..end].to_owned();
            self.pos += 1 + end + 1;
            return unescape(&raw).map(Value::Str).or_else(|e| self.error(e));
        }
        if let Some(body) = rest.strip_prefix('\'') {
            let Some(end) = body
                .find(['\'', '\n'])
                .filter(|&e| body[e..].starts_with('\''))
            else {
                return self.error("unclosed ' string");
            };
            let raw = body[..end].to_owned();
            self.pos += 1 + end + 1;
            return Ok(Value::Str(raw));
        }
        if rest.starts_with('[') {
            self.pos += 1;
            let mut items = Vec::new();
            loop {
                self.gaps();
                if self.rest().starts_with(']') {
                    self.pos += 1;
                    return Ok(Value::Array(items));
                }
                items.push(self.value()?);
                self.gaps();
                if self.rest().starts_with(',') {
                    self.pos += 1;
                } else if !self.rest().starts_with(']') {
                    return self.error("expected , or ] in an array");
                }
            }
        }
        if rest.starts_with('{') {
            return self.error("inline tables are not supported here: write `answer.answer = …`");
        }
        let len = rest
            .find(|c: char| c.is_whitespace() || c == ',' || c == ']' || c == '#')
            .unwrap_or(rest.len());
        let word = &rest[..len];
        let plain = word == "true"
            || word == "false"
            || (!word.is_empty()
                && word
                    .chars()
                    .all(|c| c.is_ascii_digit() || "+-._eE".contains(c)));
        if !plain {
            return self.error(format!("unsupported value `{word}`"));
        }
        self.pos += len;
        Ok(Value::Other)
    }
}

/// Where `close` first ends the string `body` (escapes skipped when `escapes`); for `"""`,
/// up to two extra quotes belong to the content.
fn find_closing(body: &str, close: &str, multiline: bool) -> Option<usize> {
    let bytes = body.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'\n' if !multiline => return None,
            _ if bytes[i..].starts_with(close.as_bytes()) => {
                let extra = if multiline {
                    bytes[i + close.len()..]
                        .iter()
                        .take_while(|&&b| b == b'"')
                        .count()
                        .min(2)
                } else {
                    0
                };
                return Some(i + extra);
            }
            _ => i += 1,
        }
    }
    None
}

/// A `\` at the end of a line in a `"""` string joins it to the next non-blank text.
fn trim_line_ending_backslashes(raw: &str) -> String {
    let mut out = String::new();
    let mut lines = raw.split('\n').peekable();
    let mut joining = false;
    while let Some(line) = lines.next() {
        let line = if joining { line.trim_start() } else { line };
        if joining && line.is_empty() && lines.peek().is_some() {
            continue;
        }
        let trimmed = line.trim_end();
        let backslashes = trimmed.len() - trimmed.trim_end_matches('\\').len();
        if backslashes % 2 == 1 {
            out.push_str(&trimmed[..trimmed.len() - 1]);
            joining = true;
        } else {
            out.push_str(line);
            joining = false;
            if lines.peek().is_some() {
                out.push('\n');
            }
        }
    }
    out
}

fn unescape(raw: &str) -> Result<String, String> {
    let mut out = String::new();
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('"') => out.push('"'),
            Some('\\') => out.push('\\'),
            Some(u @ ('u' | 'U')) => {
                let digits: String = chars.by_ref().take(if u == 'u' { 4 } else { 8 }).collect();
                let c = u32::from_str_radix(&digits, 16)
                    .ok()
                    .and_then(char::from_u32)
                    .ok_or(format!("bad escape \\{u}{digits}"))?;
                out.push(c);
            }
            other => return Err(format!("unsupported escape \\{}", other.unwrap_or(' '))),
        }
    }
    Ok(out)
}

/// The `[[questions]]` of a quiz file.
fn read_quiz(text: &str) -> Result<Vec<Question>, String> {
    let mut reader = Reader { text, pos: 0 };
    let mut questions: Vec<Question> = Vec::new();
    // The key prefix inside the current table, and whether it belongs to a question.
    let mut prefix = String::new();
    let mut in_question = false;
    loop {
        let comments = reader.gaps();
        if in_question && let Some(question) = questions.last_mut() {
            for comment in comments {
                if let Some(output) = comment.strip_prefix("output:") {
                    if question.output.is_some() {
                        return reader.error("a question has two `# output:` lines");
                    }
                    question.output = Some(output.trim().to_owned());
                }
            }
        }
        if reader.rest().is_empty() {
            return Ok(questions);
        }
        if reader.rest().starts_with("[[") {
            reader.pos += 2;
            let name = reader.key()?;
            reader.blanks();
            if !reader.rest().starts_with("]]") {
                return reader.error("expected ]]");
            }
            reader.pos += 2;
            if name != "questions" {
                return reader.error(format!("unexpected [[{name}]]"));
            }
            questions.push(Question {
                line: reader.line(),
                ..Question::default()
            });
            in_question = true;
            prefix.clear();
        } else if reader.rest().starts_with('[') {
            reader.pos += 1;
            let name = reader.key()?;
            reader.blanks();
            if !reader.rest().starts_with(']') {
                return reader.error("expected ]");
            }
            reader.pos += 1;
            match name.strip_prefix("questions.") {
                Some(sub) if !questions.is_empty() => {
                    in_question = true;
                    prefix = format!("{sub}.");
                }
                _ => {
                    in_question = false; // [multipart] and the like
                    prefix.clear();
                }
            }
        } else {
            let key = reader.key()?;
            reader.blanks();
            if !reader.rest().starts_with('=') {
                return reader.error(format!("expected = after `{key}`"));
            }
            reader.pos += 1;
            let value = reader.value()?;
            reader.blanks();
            if !(reader.rest().is_empty() || reader.rest().starts_with(['\n', '\r', '#'])) {
                return reader.error("expected the end of the line");
            }
            match questions.last_mut() {
                Some(question) if in_question => {
                    question.keys.insert(format!("{prefix}{key}"), value);
                }
                None => return reader.error(format!("`{key}` outside a [[questions]] table")),
                Some(_) => {}
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// What an answer quotes
// ---------------------------------------------------------------------------------------------

/// The quoted output in a Markdown text: each fenced code block's contents and each `code`
/// span, in order.
fn quoted(markdown: &str) -> Vec<String> {
    let mut quotes = Vec::new();
    let mut prose = String::new();
    let mut fence: Option<(String, Vec<&str>)> = None;
    for line in markdown.lines() {
        let trimmed = line.trim_start();
        match &mut fence {
            Some((marker, body)) => {
                if trimmed.starts_with(marker.as_str())
                    && trimmed
                        .trim_matches(marker.chars().next().unwrap_or('`'))
                        .is_empty()
                {
                    quotes.push(body.join("\n"));
                    fence = None;
                } else {
                    body.push(line);
                }
            }
            None => {
                let ticks = trimmed.len() - trimmed.trim_start_matches('`').len();
                let tildes = trimmed.len() - trimmed.trim_start_matches('~').len();
                if ticks >= 3 || tildes >= 3 {
                    let marker = trimmed[..ticks.max(tildes)].to_owned();
                    fence = Some((marker, Vec::new()));
                } else {
                    prose.push_str(line);
                    prose.push('\n');
                }
            }
        }
    }
    // Code spans: a run of n backticks up to the next run of exactly n. (Backticks are ASCII,
    // so every index sliced at below is a character boundary.)
    let bytes = prose.as_bytes();
    let run = |at: usize| bytes[at..].iter().take_while(|&&b| b == b'`').count();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'`' {
            i += 1;
            continue;
        }
        let n = run(i);
        let start = i + n;
        let mut j = start;
        let mut end = None;
        while j < bytes.len() {
            if bytes[j] == b'`' {
                let m = run(j);
                if m == n {
                    end = Some(j);
                    break;
                }
                j += m;
            } else {
                j += 1;
            }
        }
        match end {
            Some(end) => {
                let span = &prose[start..end];
                let span = if span.len() > 2 && span.starts_with(' ') && span.ends_with(' ') {
                    &span[1..span.len() - 1]
                } else {
                    span
                };
                quotes.push(span.replace('\n', " "));
                i = end + n;
            }
            None => i = start,
        }
    }
    quotes
}

/// Text with each run of blanks made one space, and each line trimmed.
fn normalized(text: &str) -> String {
    text.lines()
        .map(|line| line.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join("\n")
        .trim_matches('\n')
        .to_owned()
}

fn strings(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::Str(s)) => vec![s.clone()],
        Some(Value::Array(items)) => items.iter().flat_map(|v| strings(Some(v))).collect(),
        _ => Vec::new(),
    }
}

/// The answers a question accepts, as Markdown.
fn answers(question: &Question) -> Vec<String> {
    let mut all = strings(question.keys.get("answer.answer"));
    all.extend(strings(question.keys.get("answer.alternatives")));
    all.extend(strings(question.keys.get("answer.stdout")));
    all
}

/// What must appear in the output file for `markdown` to be in it: its quotes, or for a short
/// answer or a traced stdout with no quotes, the whole text.
fn checked_parts(markdown: &str, whole_if_unquoted: bool) -> Vec<String> {
    let parts = quoted(markdown);
    if parts.is_empty() && whole_if_unquoted {
        vec![markdown.to_owned()]
    } else {
        parts
    }
}

// ---------------------------------------------------------------------------------------------
// The checks
// ---------------------------------------------------------------------------------------------

/// The `{{#quiz path}}` directives of a page, resolved against its folder.
fn quiz_directives(page: &Path, src: &str) -> Vec<PathBuf> {
    let base = page.parent().unwrap_or(page);
    src.match_indices("{{#quiz ")
        .filter_map(|(at, _)| {
            let rest = &src[at + "{{#quiz ".len()..];
            let end = rest.find("}}")?;
            Some(tidy_path(&base.join(rest[..end].trim())))
        })
        .collect()
}

/// Every `*.toml` in a folder named `quizzes` under `dir`.
fn quiz_files(dir: &Path, found: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            quiz_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "toml")
            && dir.file_name().is_some_and(|n| n == "quizzes")
        {
            found.push(path);
        }
    }
}

#[test]
fn quiz_answers_match_the_programs_real_output() {
    let root = workspace_root();
    let book = book_dir();
    let shown = |path: &Path| {
        path.strip_prefix(&root)
            .unwrap_or(path)
            .display()
            .to_string()
    };
    let mut problems = Vec::new();

    // Which quiz files the pages show.
    let mut shown_quizzes = Vec::new();
    for page in markdown_files(&book).expect("the book's folder can be listed") {
        let src = fs::read_to_string(&page).expect("a page can be read");
        for quiz in quiz_directives(&page, &src) {
            if !quiz.is_file() {
                problems.push(format!(
                    "{} shows {}, which does not exist",
                    shown(&page),
                    shown(&quiz)
                ));
            }
            shown_quizzes.push(quiz);
        }
    }
    let mut files = Vec::new();
    quiz_files(&book, &mut files);
    files.extend(shown_quizzes.iter().filter(|q| q.is_file()).cloned());
    files.sort();
    files.dedup();

    let mut ids: BTreeMap<String, String> = BTreeMap::new();
    let mut per_chapter: BTreeMap<String, usize> = BTreeMap::new();
    let mut checked = 0;
    for file in &files {
        let name = shown(file);
        if !shown_quizzes.contains(file) {
            problems.push(format!(
                "{name}: no page shows this quiz (add {{{{#quiz …}}}} to a page, or delete it)"
            ));
        }
        let text = fs::read_to_string(file).expect("a quiz file can be read");
        let questions = match read_quiz(&text) {
            Ok(questions) => questions,
            Err(e) => {
                problems.push(format!("{name}: {e}"));
                continue;
            }
        };
        if let Some(chapter) = file
            .strip_prefix(&book)
            .ok()
            .and_then(|p| p.iter().next())
            .filter(|_| file.parent().and_then(Path::parent) != Some(book.as_path()))
        {
            *per_chapter
                .entry(chapter.to_string_lossy().into_owned())
                .or_default() += questions.len();
        }
        for question in &questions {
            let at = format!("{name}:{}", question.line);
            match question.keys.get("id") {
                Some(Value::Str(id)) => {
                    if let Some(first) = ids.insert(id.clone(), at.clone()) {
                        problems.push(format!("{at}: id \"{id}\" is also used at {first}"));
                    }
                }
                _ => problems.push(format!(
                    "{at}: no `id = \"…\"` (mdbook-quiz would write a random one into the file at each build)"
                )),
            }
            let Some(output) = &question.output else {
                problems.push(format!(
                    "{at}: say where the answer comes from: `# output: examples/<crate>/outputs/<file>.txt`, \
                     or `# output: none, because …`"
                ));
                continue;
            };
            if output.starts_with("none") {
                if !output.contains("because") {
                    problems.push(format!(
                        "{at}: `# output: none` needs a reason: `# output: none, because …`"
                    ));
                }
                continue;
            }
            let path = root.join(output);
            let Ok(real) = fs::read_to_string(&path) else {
                problems.push(format!(
                    "{at}: `# output: {output}` names a file that does not exist"
                ));
                continue;
            };
            let real = normalized(&real);
            let kind = match question.keys.get("type") {
                Some(Value::Str(kind)) => kind.as_str(),
                _ => "",
            };
            let whole = kind != "MultipleChoice";
            let accepted = answers(question);
            if accepted.is_empty() {
                problems.push(format!("{at}: no answer to check"));
            }
            for answer in &accepted {
                let parts = checked_parts(answer, whole);
                if parts.is_empty() {
                    problems.push(format!(
                        "{at}: the answer quotes no output: put what the program prints in `code`"
                    ));
                }
                for part in parts {
                    checked += 1;
                    if !real.contains(&normalized(&part)) {
                        problems.push(format!(
                            "{at}: the answer says `{part}`, which {output} does not contain"
                        ));
                    }
                }
            }
            for distractor in strings(question.keys.get("prompt.distractors")) {
                let parts = checked_parts(&distractor, false);
                if !parts.is_empty() && parts.iter().all(|p| real.contains(&normalized(p))) {
                    problems.push(format!(
                        "{at}: the wrong choice `{}` is in {output} too, so it is not wrong",
                        parts.join("` `")
                    ));
                }
            }
        }
    }
    for (chapter, count) in &per_chapter {
        if *count < MIN_QUESTIONS_PER_CHAPTER {
            problems.push(format!(
                "book/{chapter}: its quizzes ask {count} question(s); a chapter with quizzes asks at least {MIN_QUESTIONS_PER_CHAPTER}"
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "{} problem(s) with the quizzes:\n  {}",
        problems.len(),
        problems.join("\n  ")
    );
    println!(
        "{} quiz files, {checked} quoted answers checked against real output",
        files.len()
    );
}

#[test]
fn reads_the_toml_that_quizzes_use() {
    let text = r#"
# a comment
[[questions]]
# output: examples/x/outputs/a.txt
id = "q1"
type = "MultipleChoice"
prompt.prompt = """
Two "quotes" and a \
joined line
"""
prompt.distractors = [
  "`a`", # trailing comment
  '`b "c"`',
]
answer.answer = '''
```text
line 1
line  2
```
'''
context = "tab\there"

[[questions]]
id = 'q2'
type = "ShortAnswer"
answer.answer = "42"
prompt.prompt = "x"
[questions.answer]
alternatives = ["forty-two"]
"#;
    let questions = read_quiz(text).expect("parses");
    assert_eq!(questions.len(), 2);
    let q1 = &questions[0];
    assert_eq!(q1.output.as_deref(), Some("examples/x/outputs/a.txt"));
    assert_eq!(
        q1.keys.get("prompt.prompt"),
        Some(&Value::Str("Two \"quotes\" and a joined line\n".into()))
    );
    assert_eq!(
        strings(q1.keys.get("prompt.distractors")),
        ["`a`", "`b \"c\"`"]
    );
    assert_eq!(quoted(&answers(q1)[0]), ["line 1\nline  2"]);
    assert_eq!(normalized("  a   b \n c"), "a b\nc");
    assert_eq!(answers(&questions[1]), ["42", "forty-two"]);
    assert_eq!(quoted("say `x` and ``y ` z``"), ["x", "y ` z"]);
    for bad in [
        "x = 1",
        "[[questions]]\nanswer = { answer = \"x\" }",
        "[[questions]]\nid = \"open",
        "[[questions]]\nid = nope",
    ] {
        assert!(read_quiz(bad).is_err(), "{bad}");
    }
}
