//! Appendix A maps asyncio ideas to Rust, each row naming the listing that shows it. This
//! test keeps the table honest: every named file exists, the linked page shows it, and every
//! asyncio idea the book promises to cover has a row. The tables are read with pulldown-cmark,
//! the crates with `cargo metadata`, the page's `{{#include}}`s as book-tests' build reads them.
#[allow(dead_code)] // this test uses only a few of the build script's helpers
#[path = "../src/expand.rs"]
mod expand;

use std::fs;
use std::ops::Range;
use std::path::{Path, PathBuf};

use cargo_metadata::MetadataCommand;
use pulldown_cmark::{Event, Tag, TagEnd};

use expand::{Directive, find_links, markdown_parser, tidy_path};

fn root() -> PathBuf {
    // Read at run time (Cargo sets it for every test it runs), so a binary reused from a
    // shared target folder reads the checkout it runs in.
    let dir = std::env::var_os("CARGO_MANIFEST_DIR").expect("run by cargo test");
    expand::workspace_root(Path::new(&dir))
}

const APPENDIX: &str = "book/appendix/asyncio-to-rust.md";

/// The asyncio ideas the appendix must cover (from the book's plan), as they appear in the
/// first column.
const REQUIRED: &[&str] = &[
    "asyncio.run",
    "event loop",
    "selectors",
    "coroutine object",
    "await aw",
    "create_task",
    "ensure_future",
    "gather",
    "return_exceptions=True",
    "FIRST_COMPLETED",
    "ALL_COMPLETED",
    "as_completed",
    "wait_for",
    "shield",
    "task.cancel()",
    "set_result",
    "add_done_callback",
    "asyncio.Event",
    "asyncio.Lock",
    "asyncio.Semaphore",
    "asyncio.Queue",
    "run_in_executor",
    "ProcessPoolExecutor",
    "send(v)",
    "yield from",
    "async generators",
    "async comprehensions",
    "nurseries",
    "aiolimiter",
];

/// One table row: the asyncio column and the "shown in" link, `[chNN `file`](page)`.
struct Row {
    line: usize,
    asyncio: String,
    chapter: String,
    file: String,
    page: String,
}

/// A table row as pulldown-cmark reads it: the row's source range, and each cell's events and
/// source range.
type Cells = (Range<usize>, Vec<(Vec<Event<'static>>, Range<usize>)>);

/// The text of a cell's events, `code` without its backticks.
fn plain(events: &[Event<'_>]) -> String {
    events
        .iter()
        .filter_map(|event| match event {
            Event::Text(text) | Event::Code(text) => Some(text.as_ref()),
            Event::SoftBreak => Some(" "),
            _ => None,
        })
        .collect()
}

/// The body rows of every table of the appendix (each is asyncio | Rust | difference | shown in).
fn rows(text: &str) -> Vec<Row> {
    let line_of = |offset: usize| text[..offset].matches('\n').count() + 1;
    let mut tables: Vec<(usize, usize)> = Vec::new(); // (line, header cells)
    let mut read: Vec<Cells> = Vec::new();
    let mut open: Option<Cells> = None;
    let mut in_head = false;
    for (event, range) in markdown_parser(text).into_offset_iter() {
        match event {
            Event::Start(Tag::Table(_)) => tables.push((line_of(range.start), 0)),
            Event::Start(Tag::TableHead) => in_head = true,
            Event::End(TagEnd::TableHead) => in_head = false,
            Event::Start(Tag::TableCell) if in_head => {
                if let Some(table) = tables.last_mut() {
                    table.1 += 1;
                }
            }
            Event::Start(Tag::TableRow) => open = Some((range, Vec::new())),
            Event::End(TagEnd::TableRow) => read.extend(open.take()),
            Event::Start(Tag::TableCell) => {
                if let Some((_, cells)) = &mut open {
                    cells.push((Vec::new(), range));
                }
            }
            Event::End(TagEnd::TableCell) => {}
            event => {
                if let Some((_, cells)) = &mut open
                    && let Some((events, _)) = cells.last_mut()
                {
                    events.push(event.into_static());
                }
            }
        }
    }
    for (line, columns) in tables {
        assert_eq!(
            columns, 4,
            "{APPENDIX}:{line}: a table of 4 columns expected"
        );
    }
    read.into_iter()
        .map(|(row, cells)| {
            let line = line_of(row.start);
            // pulldown-cmark drops the cells beyond the header's: they are still in the text.
            let after = cells.last().map_or(row.start, |(_, range)| range.end);
            let extra = text[after..row.end].trim().trim_start_matches('|').trim();
            assert!(
                cells.len() == 4 && extra.is_empty(),
                "{APPENDIX}:{line}: expected 4 cells: {}",
                &text[row.clone()]
            );
            let parsed = match cells[3].0.as_slice() {
                [
                    Event::Start(Tag::Link { dest_url, .. }),
                    Event::Text(chapter),
                    Event::Code(file),
                    Event::End(TagEnd::Link),
                ] if chapter.ends_with(' ') && !chapter.trim().contains(' ') => Some((
                    chapter.trim().to_owned(),
                    file.to_string(),
                    dest_url.to_string(),
                )),
                _ => None,
            };
            let (chapter, file, page) = parsed.unwrap_or_else(|| {
                panic!(
                    "{APPENDIX}:{line}: the last cell must be [chNN `file.rs`](page.md), not {}",
                    &text[cells[3].1.clone()]
                )
            });
            Row {
                line,
                asyncio: plain(&cells[0].0),
                chapter,
                file,
                page,
            }
        })
        .collect()
}

/// Every file under `dir` whose path ends in `name` (a file name, or `folder/file.rs`), as paths relative to the workspace root.
fn find(dir: &Path, name: &str, found: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir()
            && !["target", "outputs", "tests"]
                .iter()
                .any(|d| path.ends_with(d))
        {
            find(&path, name, found);
        } else if path.ends_with(name) {
            found.push(path);
        }
    }
}

#[test]
fn every_row_names_a_listing_that_its_page_shows() {
    let root = root();
    let text = fs::read_to_string(root.join(APPENDIX)).expect("the appendix exists");
    let rows = rows(&text);
    assert!(rows.len() >= REQUIRED.len(), "only {} rows", rows.len());
    let metadata = MetadataCommand::new()
        .manifest_path(root.join("Cargo.toml"))
        .no_deps()
        .exec()
        .expect("cargo metadata describes the workspace");
    let mut problems = Vec::new();
    for row in &rows {
        let at = format!("{APPENDIX}:{}", row.line);
        // The chapter's crate(s), examples/chNN-* (the nightly one is outside the workspace),
        // and the workspace's crates they depend on (a helper such as examples/throttle).
        let mut dirs: Vec<PathBuf> = fs::read_dir(root.join("examples"))
            .expect("examples/ exists")
            .flatten()
            .map(|entry| entry.path())
            .filter(|dir| {
                dir.file_name().is_some_and(|n| {
                    n.to_string_lossy()
                        .starts_with(&format!("{}-", row.chapter))
                })
            })
            .collect();
        for package in &metadata.packages {
            let dir = package.manifest_path.parent().map(|d| d.as_std_path());
            if dir.is_some_and(|dir| dirs.iter().any(|d| tidy_path(d) == tidy_path(dir))) {
                dirs.extend(
                    package
                        .dependencies
                        .iter()
                        .filter_map(|d| d.path.as_ref().map(|p| p.as_std_path().to_owned())),
                );
            }
        }
        dirs.sort();
        dirs.dedup();
        let mut files = Vec::new();
        for dir in &dirs {
            find(dir, &row.file, &mut files);
        }
        // A solution shares its starter's name; the starter is the one readers are shown.
        files.retain(|f| !f.components().any(|c| c.as_os_str() == "solutions"));
        let [file] = files.as_slice() else {
            problems.push(format!(
                "{at}: {} `{}` names {} files, not exactly one: {files:?}",
                row.chapter,
                row.file,
                files.len()
            ));
            continue;
        };
        let page = root.join("book/appendix").join(&row.page);
        let Ok(page_text) = fs::read_to_string(&page) else {
            problems.push(format!("{at}: the linked page {} does not exist", row.page));
            continue;
        };
        let page_dir = page.parent().expect("a page is in a folder");
        let shown = find_links(&page_text)
            .iter()
            .any(|link| match link.directive {
                Some(Directive::Include(path, _) | Directive::RustdocInclude(path, _)) => {
                    tidy_path(&page_dir.join(path)) == tidy_path(file)
                }
                _ => false,
            });
        if !shown {
            problems.push(format!(
                "{at}: {} does not include {}, which the row names",
                row.page,
                file.strip_prefix(&root).unwrap_or(file).display()
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_promised_asyncio_idea_has_a_row() {
    let text = fs::read_to_string(root().join(APPENDIX)).expect("the appendix exists");
    let rows = rows(&text);
    let missing: Vec<&str> = REQUIRED
        .iter()
        .copied()
        .filter(|idea| !rows.iter().any(|row| row.asyncio.contains(idea)))
        .collect();
    assert!(missing.is_empty(), "no row for {missing:?}");
}
