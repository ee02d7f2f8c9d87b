//! Unit tests of `expand.rs`, the code the build scripts run.

use crate::expand::*;
use std::fs;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

/// A fresh folder under the system's temporary folder, removed on drop.
fn temp_dir() -> TempDir {
    tempfile::tempdir().expect("the system has a temporary folder")
}

trait WriteFile {
    /// Writes `contents` to `relative`, creating its directories.
    fn write(&self, relative: &str, contents: &str) -> PathBuf;
}

impl WriteFile for TempDir {
    fn write(&self, relative: &str, contents: &str) -> PathBuf {
        let path = self.path().join(relative);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, contents).unwrap();
        path
    }
}

const LISTING: &str = "\
use std::thread;

// ANCHOR: spawn
fn spawn_two() {
    // ANCHOR: inner
    let a = thread::spawn(|| 1);
    // ANCHOR_END: inner
    let b = thread::spawn(|| 2);
    assert_eq!(a.join().unwrap() + b.join().unwrap(), 3);
}
// ANCHOR_END: spawn

fn main() {
    spawn_two();
}
";

fn lines(start: Option<usize>, end: Option<usize>) -> Selection {
    Selection::Lines { start, end }
}

/// Expands `markdown` as the file `chapter.md` of a directory holding `files`.
fn expand_with(files: &[(&str, &str)], markdown: &str) -> Result<Expanded, Vec<LineError>> {
    let dir = temp_dir();
    for (name, contents) in files {
        dir.write(name, contents);
    }
    let expanded = expand_markdown(markdown, dir.path());
    if expanded.errors.is_empty() {
        Ok(expanded)
    } else {
        Err(expanded.errors)
    }
}

fn expand_ok(files: &[(&str, &str)], markdown: &str) -> String {
    expand_with(files, markdown).unwrap().text
}

// --- Parsing directives ----------------------------------------------------------------------

#[test]
fn selection_parses_like_mdbook() {
    assert_eq!(Selection::parse(None), Selection::ALL);
    assert_eq!(Selection::parse(Some("")), Selection::ALL);
    assert_eq!(Selection::parse(Some("3")), lines(Some(2), Some(3)));
    assert_eq!(Selection::parse(Some("3:5")), lines(Some(2), Some(5)));
    assert_eq!(Selection::parse(Some(":5")), lines(None, Some(5)));
    assert_eq!(Selection::parse(Some("3:")), lines(Some(2), None));
    assert_eq!(Selection::parse(Some("3:x")), lines(Some(2), None));
    assert_eq!(Selection::parse(Some("0")), lines(Some(0), Some(1)));
    assert_eq!(Selection::parse(Some(":")), Selection::ALL);
    assert_eq!(
        Selection::parse(Some("spawn")),
        Selection::Anchor("spawn".into())
    );
    assert_eq!(
        Selection::parse(Some("spawn:7")),
        Selection::Anchor("spawn".into())
    );
}

#[test]
fn finds_each_kind_of_directive() {
    let s = "a {{#include x.rs}} b {{#rustdoc_include y.rs:main}} c {{#include z.rs:2:4}} \
             {{#title T}} {{#playground p.rs editable}}";
    let found: Vec<_> = find_links(s)
        .into_iter()
        .map(|l| (l.text(s).to_owned(), l.directive))
        .collect();
    assert_eq!(
        found,
        [
            (
                "{{#include x.rs}}".to_owned(),
                Some(Directive::Include("x.rs", Selection::ALL))
            ),
            (
                "{{#rustdoc_include y.rs:main}}".to_owned(),
                Some(Directive::RustdocInclude(
                    "y.rs",
                    Selection::Anchor("main".into())
                ))
            ),
            (
                "{{#include z.rs:2:4}}".to_owned(),
                Some(Directive::Include("z.rs", lines(Some(1), Some(4))))
            ),
            ("{{#title T}}".to_owned(), Some(Directive::Title)),
            (
                "{{#playground p.rs editable}}".to_owned(),
                Some(Directive::Playground("p.rs"))
            ),
        ]
    );
}

#[test]
fn directive_syntax_corner_cases() {
    // Whitespace after `{{` and around the path; properties after the path are ignored.
    let s = "{{ #include  a.rs  }}";
    let links = find_links(s);
    assert_eq!(links.len(), 1);
    assert_eq!(
        links[0].directive,
        Some(Directive::Include("a.rs", Selection::ALL))
    );
    // Not directives at all.
    for s in [
        "{{#include}}",
        "{{#include    }}",
        "{{#}}",
        "{{}}",
        "{{#include x.rs",
        "{{#include x.rs}",
        "\\{{#include x.rs",
    ] {
        assert!(find_links(s).iter().all(|l| l.directive.is_none()), "{s:?}");
    }
    // An unknown directive is matched and skipped, like mdBook's regex does.
    let s = "{{#bogus a.rs}}{{#include b.rs}}";
    let links = find_links(s);
    assert_eq!(links.len(), 2);
    assert_eq!(links[0].directive, None);
    assert!(links[1].directive.is_some());
    // A directive may span lines.
    let s = "{{#include\n  a.rs\n}}";
    assert_eq!(
        find_links(s)[0].directive,
        Some(Directive::Include("a.rs", Selection::ALL))
    );
    // `{{{#include a.rs}}` has a directive starting at its second brace.
    let s = "{{{#include a.rs}}";
    assert_eq!(find_links(s)[0].start, 1);
}

#[test]
fn escaped_directive_runs_to_the_last_braces_on_its_line() {
    let s = "`\\{{#include a.rs}}` and {{#include b.rs}}\n{{#include c.rs}}";
    let links = find_links(s);
    assert_eq!(links.len(), 2);
    assert_eq!(
        links[0].text(s),
        "\\{{#include a.rs}}` and {{#include b.rs}}"
    );
    assert_eq!(links[0].directive, Some(Directive::Escaped));
    assert_eq!(links[1].text(s), "{{#include c.rs}}");
}

// --- Selecting lines -------------------------------------------------------------------------

#[test]
fn take_lines_matches_mdbook() {
    let s = "Lorem\nipsum\ndolor\nsit\namet";
    assert_eq!(take_lines(s, Some(1), Some(3)), "ipsum\ndolor");
    assert_eq!(take_lines(s, Some(3), None), "sit\namet");
    assert_eq!(take_lines(s, None, Some(3)), "Lorem\nipsum\ndolor");
    assert_eq!(take_lines(s, None, None), s);
    assert_eq!(take_lines(s, Some(4), Some(3)), "");
    assert_eq!(take_lines(s, None, Some(100)), s);
    // The final newline goes: the directive's own line break follows the text.
    assert_eq!(take_lines("a\nb\n", None, None), "a\nb");
}

#[test]
fn anchored_lines_drop_every_anchor_line() {
    assert_eq!(
        take_anchored_lines(LISTING, "spawn").unwrap(),
        "fn spawn_two() {\n    let a = thread::spawn(|| 1);\n    let b = thread::spawn(|| 2);\n    \
         assert_eq!(a.join().unwrap() + b.join().unwrap(), 3);\n}"
    );
    assert_eq!(
        take_anchored_lines(LISTING, "inner").unwrap(),
        "    let a = thread::spawn(|| 1);"
    );
    assert_eq!(take_anchored_lines(LISTING, "missing"), None);
    // mdBook's own cases.
    let s = "Lorem\nANCHOR:    test2\nipsum\nANCHOR: test\ndolor\nsit\namet\nANCHOR_END: test\n\
             lorem\nANCHOR_END:test2\nipsum";
    assert_eq!(
        take_anchored_lines(s, "test2").unwrap(),
        "ipsum\ndolor\nsit\namet\nlorem"
    );
    assert_eq!(take_anchored_lines(s, "test").unwrap(), "dolor\nsit\namet");
    // An anchor that never ends runs to the end of the file.
    assert_eq!(
        take_anchored_lines("a\nANCHOR: x\nb\nc", "x").unwrap(),
        "b\nc"
    );
    // An anchor name is a whole word: `spawn` is not `spawn_two`.
    assert_eq!(take_anchored_lines("ANCHOR: spawn_two\nx", "spawn"), None);
}

#[test]
fn rustdoc_include_lines_hides_the_rest() {
    let s = "Lorem\nipsum\ndolor\nsit\namet";
    assert_eq!(
        take_rustdoc_include_lines(s, Some(1), Some(3)),
        "# Lorem\nipsum\ndolor\n# sit\n# amet"
    );
    assert_eq!(
        take_rustdoc_include_lines(s, Some(3), None),
        "# Lorem\n# ipsum\n# dolor\nsit\namet"
    );
    assert_eq!(take_rustdoc_include_lines(s, None, None), s);
    assert_eq!(
        take_rustdoc_include_lines(s, Some(4), Some(3)),
        "# Lorem\n# ipsum\n# dolor\n# sit\n# amet"
    );
}

#[test]
fn rustdoc_include_anchor_hides_the_rest_and_drops_anchor_lines() {
    assert_eq!(
        take_rustdoc_include_anchored_lines(LISTING, "inner").unwrap(),
        "# use std::thread;\n# \n# fn spawn_two() {\n    let a = thread::spawn(|| 1);\n#     \
         let b = thread::spawn(|| 2);\n#     assert_eq!(a.join().unwrap() + b.join().unwrap(), \
         3);\n# }\n# \n# fn main() {\n#     spawn_two();\n# }"
    );
    assert_eq!(take_rustdoc_include_anchored_lines(LISTING, "nope"), None);
    let s = "Lorem\nipsum\nANCHOR: test\ndolor\nsit\namet\nANCHOR_END: test\nlorem\nipsum";
    assert_eq!(
        take_rustdoc_include_anchored_lines(s, "test").unwrap(),
        "# Lorem\n# ipsum\ndolor\nsit\namet\n# lorem\n# ipsum"
    );
}

// --- Expanding markdown ----------------------------------------------------------------------

#[test]
fn include_whole_file_anchor_and_ranges() {
    let files = [("listing.rs", LISTING), ("five.txt", "1\n2\n3\n4\n5\n")];
    let expand = |directive: &str| expand_ok(&files, &format!("```\n{directive}\n```\n"));
    assert_eq!(
        expand("{{#include listing.rs}}"),
        format!("```\n{}\n```\n", LISTING.trim_end())
    );
    assert_eq!(
        expand("{{#include listing.rs:inner}}"),
        "```\n    let a = thread::spawn(|| 1);\n```\n"
    );
    assert_eq!(expand("{{#include five.txt:2}}"), "```\n2\n```\n");
    assert_eq!(expand("{{#include five.txt:2:4}}"), "```\n2\n3\n4\n```\n");
    assert_eq!(expand("{{#include five.txt::2}}"), "```\n1\n2\n```\n");
    assert_eq!(expand("{{#include five.txt:4:}}"), "```\n4\n5\n```\n");
    assert_eq!(
        expand("{{#rustdoc_include five.txt:2:3}}"),
        "```\n# 1\n2\n3\n# 4\n# 5\n```\n"
    );
    assert_eq!(
        expand("{{#rustdoc_include listing.rs:inner}}"),
        format!(
            "```\n{}\n```\n",
            take_rustdoc_include_anchored_lines(LISTING, "inner").unwrap()
        )
    );
}

#[test]
fn paths_are_relative_to_the_markdown_file() {
    let dir = temp_dir();
    dir.write("listings/a.rs", "let a = 1;\n");
    let chapter = dir.write("ch01/index.md", "{{#include ../listings/a.rs}}\n");
    let src = fs::read_to_string(&chapter).unwrap();
    let expanded = expand_markdown(&src, chapter.parent().unwrap());
    assert_eq!(expanded.errors, []);
    assert_eq!(expanded.text, "let a = 1;\n");
    assert_eq!(
        expanded.includes,
        [dir.path().join("ch01/../listings/a.rs")]
    );
}

#[test]
fn nested_includes_are_relative_to_the_included_file() {
    let files = [
        ("parts/intro.md", "Intro {{#include code/x.rs}} end"),
        ("parts/code/x.rs", "X"),
    ];
    assert_eq!(
        expand_ok(&files, "{{#include parts/intro.md}}"),
        "Intro X end"
    );
}

#[test]
fn an_include_cycle_is_an_error() {
    let files = [("loop.md", "again {{#include loop.md}}")];
    let errors = expand_with(&files, "a\n{{#include loop.md}}\n").unwrap_err();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].line, 2);
    assert!(
        errors[0].message.contains("nested more than 10"),
        "{errors:?}"
    );
}

#[test]
fn escaped_include_is_left_alone_without_its_backslash() {
    let md = "Write `\\{{#include file.rs}}` to include a file.\n";
    assert_eq!(
        expand_ok(&[], md),
        "Write `{{#include file.rs}}` to include a file.\n"
    );
}

#[test]
fn title_directive_leaves_nothing() {
    assert_eq!(expand_ok(&[], "{{#title Hi}}\n# Ch"), "\n# Ch");
}

#[test]
fn missing_file_is_an_error_naming_the_line() {
    let errors = expand_with(&[], "# Title\n\n```rust\n{{#include nope.rs}}\n```\n").unwrap_err();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].line, 4);
    assert!(errors[0].message.contains("{{#include nope.rs}}"));
    assert!(errors[0].message.contains("cannot read"));
}

#[test]
fn missing_anchor_is_an_error_naming_the_line() {
    let files = [("listing.rs", LISTING)];
    let md = "x\n{{#include listing.rs:spawn}}\n{{#rustdoc_include listing.rs:spwan}}\n\
              {{#include listing.rs:nope}}\n";
    let errors = expand_with(&files, md).unwrap_err();
    let lines: Vec<usize> = errors.iter().map(|e| e.line).collect();
    assert_eq!(lines, [3, 4]);
    assert!(
        errors[0].message.contains("no `ANCHOR: spwan` line"),
        "{errors:?}"
    );
}

#[test]
fn playground_directive_is_an_error() {
    let errors = expand_with(&[("a.rs", "fn main() {}")], "{{#playground a.rs}}").unwrap_err();
    assert!(errors[0].message.contains("does not use {{#playground}}"));
}

#[test]
fn origin_maps_expanded_text_to_markdown_lines() {
    let files = [("five.txt", "1\n2\n3\n4\n5"), ("part.md", "p1\np2\np3")];
    let md = "l1\n{{#include five.txt}}\nl3\n{{#include part.md}}\nl5\n";
    let expanded = expand_with(&files, md).unwrap();
    let at = |needle: &str| expanded.origin(expanded.text.find(needle).unwrap());
    let plain = |line| Origin {
        line,
        from_directive: false,
    };
    let included = |line| Origin {
        line,
        from_directive: true,
    };
    assert_eq!(at("l1"), plain(1));
    assert_eq!(at("3\n4"), included(2));
    assert_eq!(at("l3"), plain(3));
    assert_eq!(at("p2"), included(4));
    assert_eq!(at("l5"), plain(5));
}

// --- Fenced blocks ---------------------------------------------------------------------------

fn infos(md: &str) -> Vec<(String, String)> {
    find_blocks(md)
        .into_iter()
        .map(|b| (b.info, b.code))
        .collect()
}

fn pair(info: &str, code: &str) -> (String, String) {
    (info.to_owned(), code.to_owned())
}

#[test]
fn finds_backtick_and_tilde_fences() {
    let md = "text\n```rust\nlet a = 1;\n```\n\n~~~ text\nhello\n~~~\n```\n```\n";
    assert_eq!(
        infos(md),
        [
            pair("rust", "let a = 1;\n"),
            pair("text", "hello\n"),
            pair("", "")
        ]
    );
}

#[test]
fn closing_fence_must_match_and_be_long_enough() {
    let md = "````markdown\n```rust\nx\n```\n````\n~~~\n```\n~~~~~\n";
    assert_eq!(
        infos(md),
        [pair("markdown", "```rust\nx\n```\n"), pair("", "```\n")]
    );
    // A closing fence has nothing after it.
    assert_eq!(infos("```\na\n``` b\n```\n"), [pair("", "a\n``` b\n")]);
}

#[test]
fn backtick_info_string_cannot_hold_a_backtick() {
    assert!(find_blocks("```not `a fence`\n").is_empty());
    assert_eq!(infos("~~~ a`b\nx\n~~~\n"), [pair("a`b", "x\n")]);
}

#[test]
fn indented_and_quoted_fences() {
    let md = "1. Step\n\n   ```rust\n   let a = 1;\n     let b = 2;\n   ```\n";
    assert_eq!(infos(md), [pair("rust", "let a = 1;\n  let b = 2;\n")]);
    let md = "> [!NOTE]\n> ```rust\n> let a = 1;\n>\n> ```\nafter\n";
    assert_eq!(infos(md), [pair("rust", "let a = 1;\n\n")]);
    // A block quote that ends closes the block inside it.
    let md = "> ```rust\n> let a = 1;\nnot code\n";
    assert_eq!(infos(md), [pair("rust", "let a = 1;\n")]);
    // A top-level block is not closed by a fence indented 4 spaces.
    let md = "```\nlet s = \"\n    ```\n\";\n```\n";
    assert_eq!(infos(md), [pair("", "let s = \"\n    ```\n\";\n")]);
    // Code indented 4 spaces is an indented code block, not a fence: left out.
    assert_eq!(infos("text\n\n    ```rust\n    x\n    ```\n"), []);
}

#[test]
fn unclosed_block_runs_to_the_end_and_offsets_are_fence_starts() {
    let md = "a\n\n```rust\nlet x = 1;\n";
    let blocks = find_blocks(md);
    assert_eq!(blocks.len(), 1);
    assert_eq!(blocks[0].code, "let x = 1;\n");
    assert_eq!(blocks[0].offset, 3);
}

#[test]
fn block_markdown_uses_a_fence_the_code_cannot_close() {
    let block = &find_blocks("~~~~rust,noplayground\nfn main() {}\n~~~~\n")[0];
    assert_eq!(
        block.markdown(),
        "```rust,noplayground\nfn main() {}\n```\n"
    );
    let block = &find_blocks("````md\n```rust\nx\n```\n````\n")[0];
    assert_eq!(block.markdown(), "````md\n```rust\nx\n```\n````\n");
    assert_eq!(
        block.markdown_with_info("a`b"),
        "~~~a`b\n```rust\nx\n```\n~~~\n"
    );
}

#[test]
fn classifies_blocks_like_rustdoc() {
    for info in [
        "",
        "rust",
        "rust,ignore",
        "rust, noplayground",
        "rust editable",
        "ignore",
        "should_panic",
        "no_run",
        "compile_fail",
        "edition2021",
        "standalone_crate",
        "test_harness",
        "ignore-windows",
        "ignore,text",
        "rust,mdbook-runnable",
    ] {
        assert!(rustdoc_treats_as_rust(info), "{info:?} is Rust");
    }
    for info in [
        "text",
        "console",
        "toml",
        "mermaid",
        "noplayground",
        "text,ignore",
        "rust,custom",
        "python",
        "sh",
    ] {
        assert!(!rustdoc_treats_as_rust(info), "{info:?} is not Rust");
    }
}

#[test]
fn run_button_follows_mdbook() {
    for info in [
        "rust",
        "rust,editable",
        "rust,no_run",
        "rust,should_panic",
        "rust,compile_fail",
        "rust,ignore,mdbook-runnable",
        "rust edition2021",
    ] {
        assert!(has_run_button(info), "{info:?} has a Run button");
    }
    for info in [
        "",
        "ignore",
        "no_run",
        "rust,ignore",
        "rust,noplayground",
        "rust noplaypen",
        "text",
        "ignore,rust",
    ] {
        assert!(!has_run_button(info), "{info:?} has no Run button");
    }
}

#[test]
fn run_button_blocks_compile_as_the_playground_builds_them() {
    assert_eq!(playground_info("rust"), "rust,no_run");
    assert_eq!(playground_info("rust,editable"), "rust,no_run");
    assert_eq!(playground_info("rust,should_panic,editable"), "rust,no_run");
    assert_eq!(
        playground_info("rust,ignore,mdbook-runnable"),
        "rust,no_run"
    );
    assert_eq!(
        playground_info("rust,compile_fail,E0499,edition2021"),
        "rust,no_run,compile_fail,E0499,edition2021"
    );
}

// --- Generating ------------------------------------------------------------------------------

#[test]
fn module_names_encode_file_and_line() {
    let name = |p: &str, line| module_name(Path::new(p), line);
    assert_eq!(
        name("ch01-concurrent-vs-parallel/index.md", 42),
        "ch01_concurrent_vs_parallel__index_md__line_42"
    );
    assert_eq!(name("introduction.md", 7), "introduction_md__line_7");
    assert_eq!(name("01-Start/Über.md", 3), "_01_start___ber_md__line_3");
}

#[test]
fn raw_string_literal_survives_any_code() {
    assert_eq!(raw_string_literal("a"), "r#\"a\"#");
    assert_eq!(
        raw_string_literal("let s = r#\"x\"#;"),
        "r##\"let s = r#\"x\"#;\"##"
    );
    assert_eq!(raw_string_literal("\"###"), "r####\"\"###\"####");
}

#[test]
fn block_file_puts_the_doc_on_the_fence_line() {
    let block = &find_blocks("```rust\nlet a = 1;\n```\n")[0];
    let file = block_file("book-tests", "m", "book/a.md:5", 5, &block.markdown());
    let file_lines: Vec<&str> = file.lines().collect();
    assert_eq!(
        file_lines[0],
        "// book/a.md:5: generated by the build script of book-tests, with the block on the line it has there"
    );
    assert_eq!(file_lines[4], "#[doc = r#\"```rust");
    assert_eq!(file_lines[5], "let a = 1;");
    assert_eq!(file_lines[7], "\"#]");
    assert_eq!(file_lines[8], "pub mod m {}");
    let file = block_file("book-tests", "m", "book/a.md:1", 1, &block.markdown());
    assert!(file.starts_with("#[doc = r#\"```rust\n"));
    assert!(file.ends_with("pub mod m {}\n// book/a.md:1: generated by the build script of book-tests, with the block on the line it has there\n"));
}

#[test]
fn markdown_files_are_found_recursively_and_sorted() {
    let dir = temp_dir();
    dir.write("b.md", "");
    dir.write("a/z.md", "");
    dir.write("a/y.txt", "");
    dir.write(".hidden/x.md", "");
    let files = markdown_files(dir.path()).unwrap();
    let names: Vec<_> = files
        .iter()
        .map(|f| f.strip_prefix(dir.path()).unwrap().to_owned())
        .collect();
    assert_eq!(names, [Path::new("a/z.md"), Path::new("b.md")]);
}

#[test]
fn generate_writes_one_module_per_rust_block() {
    let dir = temp_dir();
    let book = dir.path().join("book");
    dir.write("book/SUMMARY.md", "# Summary\n");
    dir.write(
        "book/listings/sum.rs",
        "// ANCHOR: all\nfn main() {}\n// ANCHOR_END: all\n",
    );
    dir.write(
        "book/ch01/index.md",
        "# Ch 1\n\n```rust\nfn main() {}\n```\n\n```console\n$ ls\n```\n\n\
         ```rust,ignore\n{{#include ../listings/sum.rs:all}}\n```\n\n```text\nout\n```\n",
    );
    let generated = generate(&book, Doctests::Every).unwrap();
    let names: Vec<&str> = generated.blocks.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        ["ch01__index_md__line_3.rs", "ch01__index_md__line_11.rs"]
    );
    assert!(generated.index.contains(
        "include!(\"book_blocks/ch01__index_md__line_3.rs\"); // book/ch01/index.md:3\n"
    ));
    let second = &generated.blocks[1].1;
    assert!(second.contains(
        "#[doc = r#\"```rust,ignore\nfn main() {}\n```\n\"#]\npub mod ch01__index_md__line_11 {}"
    ));
    assert_eq!(
        second.lines().position(|l| l.starts_with("#[doc")),
        Some(10)
    );
    assert!(generated.inputs.contains(&book.join("ch01/index.md")));
    assert!(
        generated
            .inputs
            .contains(&book.join("ch01/../listings/sum.rs"))
    );
}

#[test]
fn generate_with_no_rust_blocks() {
    let dir = temp_dir();
    let generated = generate(dir.path(), Doctests::Every).unwrap();
    assert!(generated.blocks.is_empty());
    dir.write("SUMMARY.md", "# Summary\n\n```text\nno code\n```\n");
    let generated = generate(dir.path(), Doctests::Every).unwrap();
    assert!(generated.blocks.is_empty());
    assert!(generated.index.starts_with("// Generated"));
}

#[test]
fn generate_reports_file_and_line() {
    let dir = temp_dir();
    let book = dir.path().join("book");
    dir.write(
        "book/ch02/index.md",
        "# Ch 2\n\n```rust,editable,should_panic\nfn main() {}\n```\n",
    );
    dir.write("book/ch03.md", "\n```rust\n{{#include missing.rs}}\n```\n");
    let errors = generate(&book, Doctests::Every).unwrap_err();
    assert_eq!(errors.len(), 2, "{errors:#?}");
    assert!(
        errors[0].starts_with(
            "book/ch02/index.md:3: this ```rust,editable,should_panic block is shown as Rust, \
             but rustdoc would not compile it"
        ),
        "{}",
        errors[0]
    );
    assert!(
        errors[1].starts_with("book/ch03.md:3: `{{#include missing.rs}}`: cannot read"),
        "{}",
        errors[1]
    );
}

#[test]
fn run_buttons_selects_the_blocks_mdbook_lets_a_reader_run() {
    let dir = temp_dir();
    dir.write(
        "ch.md",
        "```rust\nlet a = 1;\n```\n\n```rust,noplayground\nlet b = 2;\n```\n\n\
         ```rust,editable,should_panic\npanic!();\n```\n\n```rust,ignore,mdbook-runnable\n\
         let c = 3;\n```\n\n```\nlet d = 4;\n```\n",
    );
    let generated = generate(dir.path(), Doctests::RunButtons).unwrap();
    let names: Vec<&str> = generated.blocks.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        ["ch_md__line_1.rs", "ch_md__line_9.rs", "ch_md__line_13.rs"]
    );
    assert!(
        generated.blocks[1]
            .1
            .contains("```rust,no_run\npanic!();\n```")
    );
    assert!(
        generated.blocks[2]
            .1
            .contains("generated by the build script of playground-check")
    );
    assert!(
        generated
            .index
            .starts_with("// Generated by the build script of playground-check")
    );
    // book-tests takes every block rustdoc compiles, under its own info string.
    dir.write(
        "ch.md",
        "```rust\nlet a = 1;\n```\n\n```rust,noplayground\nlet b = 2;\n```\n",
    );
    let generated = generate(dir.path(), Doctests::Every).unwrap();
    assert_eq!(generated.blocks.len(), 2);
    assert!(
        generated.blocks[1]
            .1
            .contains("```rust,noplayground\nlet b = 2;\n```")
    );
}

#[test]
fn blocks_of_included_markdown_are_tested_where_included() {
    let dir = temp_dir();
    dir.write(
        "part.md",
        "```rust\nlet a = 1;\n```\n\n```rust\nlet b = 2;\n```",
    );
    dir.write("ch.md", "# Ch\n{{#include part.md}}\n");
    let generated = generate(dir.path(), Doctests::Every).unwrap();
    let names: Vec<&str> = generated.blocks.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["ch_md__line_2.rs", "ch_md__line_2__block_2.rs"]);
    assert!(
        generated.blocks[0]
            .1
            .contains("ch.md:2 (in text that the directive on this line includes)")
    );
}

#[test]
fn generate_reports_every_problem_of_a_file() {
    let dir = temp_dir();
    dir.write("x.rs", "fn main() {}\n");
    dir.write(
        "ch.md",
        "```rust\n{{#include gone.rs}}\n```\n\n```rust,noplayground,no_run\nfn main() {}\n```\n\n\
         ```rust\n{{#include x.rs:nope}}\n```\n",
    );
    let errors = generate(dir.path(), Doctests::Every).unwrap_err();
    assert_eq!(errors.len(), 3, "{errors:#?}");
    assert!(errors[0].contains("ch.md:2: `{{#include gone.rs}}`"));
    assert!(errors[1].contains("ch.md:5: this ```rust,noplayground,no_run block is shown as Rust"));
    assert!(errors[2].contains("ch.md:10: `{{#include x.rs:nope}}`: "));
    assert!(errors[2].contains("has no `ANCHOR: nope` line"));
}

#[test]
fn tidy_path_resolves_dots() {
    assert_eq!(
        tidy_path(Path::new("/w/book/ch01/./../../examples/x.txt")),
        Path::new("/w/examples/x.txt")
    );
    assert_eq!(tidy_path(Path::new("../a/../b")), Path::new("../b"));
}

#[test]
fn a_rust_block_that_rustdoc_would_skip_is_caught() {
    assert!(shown_as_rust_but_untested("rust,editable,should_panic"));
    assert!(!shown_as_rust_but_untested("rust,should_panic,editable"));
    assert!(!shown_as_rust_but_untested("rust,noplayground"));
    assert!(!shown_as_rust_but_untested("text"));
    assert!(!shown_as_rust_but_untested("console"));
}

#[test]
fn the_book_is_found_from_the_workspace_root() {
    let root = workspace_root(Path::new("/repo/scripts/book-tests"));
    assert_eq!(root, Path::new("/repo"));
    let (dir, chosen) = book_dir(&root);
    match std::env::var_os(BOOK_DIR_VAR) {
        Some(var) if !var.is_empty() => assert_eq!((dir, chosen), (root.join(var), true)),
        _ => assert_eq!((dir, chosen), (root.join("book"), false)),
    }
}
