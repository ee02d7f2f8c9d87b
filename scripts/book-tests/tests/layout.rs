//! The repository's shape, as the README describes it: no chapter crate depends on another
//! (what two chapters share is a helper crate), no test finds its files through a path
//! compiled into its binary (two checkouts sharing a target folder would read each other's),
//! and the test command builds every listing, feature-gated ones included.
use std::fs;
use std::path::{Path, PathBuf};

use cargo_metadata::MetadataCommand;

fn root() -> PathBuf {
    let dir = std::env::var_os("CARGO_MANIFEST_DIR").expect("run by cargo test");
    Path::new(&dir).join("../..")
}

#[test]
fn no_chapter_crate_depends_on_another() {
    let metadata = MetadataCommand::new()
        .current_dir(root())
        .no_deps()
        .exec()
        .expect("cargo metadata runs");
    let is_chapter = |name: &str| name.starts_with("ch") && name[2..].starts_with(char::is_numeric);
    let mut problems = Vec::new();
    for package in metadata.workspace_packages() {
        if !is_chapter(&package.name) {
            continue;
        }
        for dep in &package.dependencies {
            if is_chapter(&dep.name) {
                problems.push(format!(
                    "{} depends on {}: move what they share into a helper crate in examples/",
                    package.name, dep.name
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn a_workspace_build_builds_every_gated_listing() {
    // A listing behind `required-features` (a chapter's networked ones) is built and checked
    // only when something turns the feature on; book-tests does, for the whole workspace.
    let metadata = MetadataCommand::new()
        .current_dir(root())
        .no_deps()
        .exec()
        .expect("cargo metadata runs");
    let book_tests = metadata
        .workspace_packages()
        .into_iter()
        .find(|p| p.name.as_str() == "book-tests")
        .expect("book-tests is a workspace member");
    let mut problems = Vec::new();
    for package in metadata.workspace_packages() {
        for target in &package.targets {
            for feature in &target.required_features {
                let enabled = book_tests
                    .dependencies
                    .iter()
                    .any(|d| d.name == package.name.as_str() && d.features.contains(feature));
                if !enabled {
                    problems.push(format!(
                        "{} `{}` requires feature `{feature}` of {}, which book-tests does not \
                         turn on: add it to that dependency in scripts/book-tests/Cargo.toml",
                        target
                            .kind
                            .first()
                            .map(ToString::to_string)
                            .unwrap_or_default(),
                        target.name,
                        package.name
                    ));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Every `.rs` file under `dir`, recursively.
fn rust_files(dir: &Path, found: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() && !path.ends_with("target") && !path.ends_with("node_modules") {
            rust_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
}

#[test]
fn tests_read_their_files_at_run_time() {
    let root = root();
    let mut files = Vec::new();
    rust_files(&root.join("examples"), &mut files);
    rust_files(&root.join("scripts"), &mut files);
    // Built from pieces, so that this file does not match itself.
    let baked = ["env!(\"CARGO_", "MANIFEST_DIR\")"].concat();
    let offenders: Vec<String> = files
        .iter()
        .filter(|file| fs::read_to_string(file).is_ok_and(|text| text.contains(&baked)))
        .map(|file| {
            file.strip_prefix(&root)
                .unwrap_or(file)
                .display()
                .to_string()
        })
        .collect();
    assert!(
        offenders.is_empty(),
        "these files compile the crate's folder into the binary; read \
         std::env::var_os(\"CARGO_MANIFEST_DIR\") at run time instead \
         (listing_check::crate_dir() does):\n{}",
        offenders.join("\n")
    );
}
