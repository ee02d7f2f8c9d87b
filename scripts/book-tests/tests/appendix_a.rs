//! Appendix A maps asyncio ideas to Rust, each row naming the listing that shows it. This
//! test keeps the table honest: every named file exists, the linked page shows it, and every
//! asyncio idea the book promises to cover has a row.
use std::fs;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

const APPENDIX: &str = "book/appendix/asyncio-to-rust.md";

/// The asyncio ideas the appendix must cover (from the book's plan), as they appear in the
/// first column.
const REQUIRED: &[&str] = &[
    "asyncio.run",
    "event loop",
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

fn rows(text: &str) -> Vec<Row> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| line.starts_with("| ") && !line.starts_with("| asyncio |"))
        .map(|(i, line)| {
            let cells: Vec<&str> = line.trim_matches('|').split(" | ").map(str::trim).collect();
            assert_eq!(
                cells.len(),
                4,
                "{APPENDIX}:{}: expected 4 cells: {line}",
                i + 1
            );
            let link = cells[3];
            let parsed = link
                .strip_prefix('[')
                .and_then(|rest| rest.split_once("]("))
                .and_then(|(label, page)| {
                    let (chapter, file) = label.split_once(' ')?;
                    Some((
                        chapter.to_owned(),
                        file.trim_matches('`').to_owned(),
                        page.strip_suffix(')')?.to_owned(),
                    ))
                });
            let (chapter, file, page) = parsed.unwrap_or_else(|| {
                panic!(
                    "{APPENDIX}:{}: the last cell must be [chNN `file.rs`](page.md), not {link}",
                    i + 1
                )
            });
            Row {
                line: i + 1,
                asyncio: cells[0].to_owned(),
                chapter,
                file,
                page,
            }
        })
        .collect()
}

/// Every file under `dir` whose name is `name`, as paths relative to the workspace root.
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
        } else if path.file_name().is_some_and(|n| n == name) {
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
    let mut problems = Vec::new();
    for row in &rows {
        let at = format!("{APPENDIX}:{}", row.line);
        // The chapter's crate(s): examples/chNN-*.
        let mut files = Vec::new();
        for entry in fs::read_dir(root.join("examples"))
            .expect("examples/ exists")
            .flatten()
        {
            let name = entry.file_name();
            if name
                .to_string_lossy()
                .starts_with(&format!("{}-", row.chapter))
            {
                find(&entry.path(), &row.file, &mut files);
            }
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
        let relative = file
            .strip_prefix(&root)
            .expect("found under the root")
            .to_string_lossy()
            .replace("/../..", "");
        let relative = relative.trim_start_matches("./").to_owned();
        let shown = page_text
            .lines()
            .any(|l| l.contains("{{#") && l.contains("include") && l.contains(&relative));
        if !shown {
            problems.push(format!(
                "{at}: {} does not include {relative}, which the row names",
                row.page
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
