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
//! The TOML is read by the `toml` crate; the `# output:` comments, which TOML drops, are read
//! from the lines under each `[[questions]]` header. Code spans and blocks are found by
//! pulldown-cmark.

#[allow(dead_code)] // this test uses only a few of the build script's helpers
#[path = "../src/expand.rs"]
mod expand;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use pulldown_cmark::{Event, Tag, TagEnd};
use serde::Deserialize;
use toml::Spanned;

use expand::{markdown_files, markdown_parser, tidy_path};

/// Questions a chapter with quizzes must ask, at least.
const MIN_QUESTIONS_PER_CHAPTER: usize = 3;

/// The repository's root: `scripts/book-tests/../..`.
fn workspace_root() -> PathBuf {
    // Read at run time (Cargo sets it for every test it runs), so a binary reused from a
    // shared target folder reads the checkout it runs in.
    let dir = std::env::var_os("CARGO_MANIFEST_DIR").expect("run by cargo test");
    expand::workspace_root(Path::new(&dir))
}

/// The book's sources, as `build.rs` finds them.
fn book_dir() -> PathBuf {
    expand::book_dir(&workspace_root()).0
}

// ---------------------------------------------------------------------------------------------
// Reading a quiz file
// ---------------------------------------------------------------------------------------------

/// A quiz file: the parts of mdbook-quiz's format that this test reads.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct QuizFile {
    questions: Vec<Spanned<QuestionToml>>,
    /// Context for multipart questions: allowed, not read.
    #[serde(rename = "multipart")]
    _multipart: Option<toml::Table>,
}

#[derive(Debug, Deserialize)]
struct QuestionToml {
    id: Option<String>,
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    prompt: Prompt,
    #[serde(default)]
    answer: Answer,
}

#[derive(Debug, Default, Deserialize)]
struct Prompt {
    #[serde(default)]
    distractors: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
struct Answer {
    answer: Option<OneOrMore>,
    #[serde(default)]
    alternatives: Vec<String>,
    stdout: Option<String>,
}

/// `answer.answer` is a string, or for a multiple choice with several right answers, a list.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum OneOrMore {
    One(String),
    More(Vec<String>),
}

/// One `[[questions]]` table, with its `# output:` comment and the line of its header.
#[derive(Debug)]
struct Question {
    line: usize,
    toml: QuestionToml,
    output: Option<String>,
}

/// The `[[questions]]` of a quiz file.
fn read_quiz(text: &str) -> Result<Vec<Question>, String> {
    let file: QuizFile = toml::from_str(text).map_err(|e| e.to_string())?;
    let starts: Vec<usize> = file.questions.iter().map(|q| q.span().start).collect();
    let mut questions = Vec::new();
    for (i, question) in file.questions.into_iter().enumerate() {
        // The question's own lines: from its header to the next question's.
        let start = question.span().start;
        let end = starts.get(i + 1).copied().unwrap_or(text.len());
        let line = text[..start].matches('\n').count() + 1;
        let mut outputs = text[start..end].lines().filter_map(|l| {
            let comment = l.trim_start().strip_prefix('#')?;
            Some(comment.trim().strip_prefix("output:")?.trim().to_owned())
        });
        let output = outputs.next();
        if outputs.next().is_some() {
            return Err(format!("line {line}: a question has two `# output:` lines"));
        }
        questions.push(Question {
            line,
            toml: question.into_inner(),
            output,
        });
    }
    Ok(questions)
}

// ---------------------------------------------------------------------------------------------
// What an answer quotes
// ---------------------------------------------------------------------------------------------

/// The quoted output in a Markdown text: each fenced code block's contents and each `code`
/// span, in order.
fn quoted(markdown: &str) -> Vec<String> {
    let mut quotes = Vec::new();
    let mut block: Option<String> = None;
    for event in markdown_parser(markdown) {
        match (event, &mut block) {
            (Event::Start(Tag::CodeBlock(_)), _) => block = Some(String::new()),
            (Event::Text(text), Some(code)) => code.push_str(&text),
            (Event::End(TagEnd::CodeBlock), _) => {
                quotes.extend(
                    block
                        .take()
                        .map(|code| code.trim_end_matches('\n').to_owned()),
                );
            }
            (Event::Code(span), None) => quotes.push(span.into_string()),
            _ => {}
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

/// The answers a question accepts, as Markdown.
fn answers(question: &QuestionToml) -> Vec<String> {
    let mut all = match &question.answer.answer {
        Some(OneOrMore::One(answer)) => vec![answer.clone()],
        Some(OneOrMore::More(answers)) => answers.clone(),
        None => Vec::new(),
    };
    all.extend(question.answer.alternatives.iter().cloned());
    all.extend(question.answer.stdout.iter().cloned());
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
            match &question.toml.id {
                Some(id) => {
                    if let Some(first) = ids.insert(id.clone(), at.clone()) {
                        problems.push(format!("{at}: id \"{id}\" is also used at {first}"));
                    }
                }
                None => problems.push(format!(
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
            let whole = question.toml.kind != "MultipleChoice";
            let accepted = answers(&question.toml);
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
            for distractor in &question.toml.prompt.distractors {
                let parts = checked_parts(distractor, false);
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
prompt.prompt = "x"
[questions.answer]
answer = "42"
alternatives = ["forty-two"]
"#;
    let questions = read_quiz(text).expect("parses");
    assert_eq!(questions.len(), 2);
    let q1 = &questions[0];
    assert_eq!((q1.line, questions[1].line), (3, 23));
    assert_eq!(q1.output.as_deref(), Some("examples/x/outputs/a.txt"));
    assert_eq!(questions[1].output, None);
    assert_eq!(q1.toml.prompt.distractors, ["`a`", "`b \"c\"`"]);
    assert_eq!(quoted(&answers(&q1.toml)[0]), ["line 1\nline  2"]);
    assert_eq!(normalized("  a   b \n c"), "a b\nc");
    assert_eq!(answers(&questions[1].toml), ["42", "forty-two"]);
    assert_eq!(quoted("say `x` and ``y ` z``"), ["x", "y ` z"]);
    assert_eq!(quoted("> ```\n> a\n> ```\n\n1. `b\nc`"), ["a", "b c"]);
    for bad in [
        "x = 1",
        "[[questions]]\ntype = \"ShortAnswer\"\nid = 7",
        "[[questions]]\nid = \"open",
        "[[questions]]\nid = nope",
        "[[questions]]\n# output: a.txt\n# output: b.txt\ntype = \"ShortAnswer\"",
    ] {
        assert!(read_quiz(bad).is_err(), "{bad}");
    }
    let error = read_quiz("[[questions]]\ntype = \"ShortAnswer\"\nid = nope\n").unwrap_err();
    assert!(error.contains("line 3"), "{error}");
}
