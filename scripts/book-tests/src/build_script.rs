//! The build script of book-tests and of playground-check: writes `$OUT_DIR/book_blocks.rs`, one
//! module per block of the book that [`Doctests`] selects, whose doc is the block. Each crate's
//! `build.rs` includes this file and `expand.rs` with `#[path]` and calls [`write_doctests`].

use std::env;
use std::fs;
use std::io;
use std::path::PathBuf;
use std::process::ExitCode;

use crate::expand::{self, BOOK_DIR_VAR, Doctests};

/// Does the build script's work; the exit code fails the build after printing why.
pub fn write_doctests(which: Doctests) -> ExitCode {
    let tool = which.generator();
    let (Some(manifest_dir), Some(out_dir)) =
        (env::var_os("CARGO_MANIFEST_DIR"), env::var_os("OUT_DIR"))
    else {
        eprintln!("error: {tool}'s build.rs must be run by Cargo");
        return ExitCode::FAILURE;
    };
    let workspace_root = expand::workspace_root(&PathBuf::from(manifest_dir));
    let shared = workspace_root.join("scripts/book-tests/src");
    println!("cargo:rerun-if-changed=build.rs");
    for file in ["expand.rs", "build_script.rs"] {
        println!("cargo:rerun-if-changed={}", shared.join(file).display());
    }
    println!("cargo:rerun-if-env-changed={BOOK_DIR_VAR}");
    let (book_dir, chosen) = expand::book_dir(&workspace_root);
    if chosen && !book_dir.is_dir() {
        eprintln!(
            "error: {BOOK_DIR_VAR} names {}, which is not a directory",
            book_dir.display()
        );
        return ExitCode::FAILURE;
    }
    let out_dir = PathBuf::from(out_dir);

    // Cargo scans a directory named here for any change, so new chapters are picked up.
    println!("cargo:rerun-if-changed={}", book_dir.display());
    let generated = if book_dir.is_dir() {
        match expand::generate(&book_dir, which) {
            Ok(generated) => generated,
            Err(errors) => {
                eprintln!(
                    "error: {tool} cannot turn the book's Rust blocks into doctests \
                     ({} problem{}):",
                    errors.len(),
                    if errors.len() == 1 { "" } else { "s" }
                );
                for error in errors {
                    eprintln!("  {error}");
                }
                return ExitCode::FAILURE;
            }
        }
    } else {
        println!(
            "cargo:warning={tool}: no book directory at {}, so no book doctests",
            book_dir.display()
        );
        expand::Generated::default()
    };
    // Not a `cargo:` line: Cargo keeps it in the build script's `output` file, for debugging.
    println!(
        "{tool}: {} doctests from {}",
        generated.blocks.len(),
        book_dir.display()
    );
    let mut inputs = generated.inputs;
    inputs.sort();
    inputs.dedup();
    for input in inputs {
        println!("cargo:rerun-if-changed={}", input.display());
    }
    // Start from an empty folder so that no block of an earlier build lingers.
    let blocks_dir = out_dir.join("book_blocks");
    let written = match fs::remove_dir_all(&blocks_dir) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => fs::create_dir_all(&blocks_dir),
    }
    .and_then(|()| {
        for (name, contents) in &generated.blocks {
            fs::write(blocks_dir.join(name), contents)?;
        }
        fs::write(out_dir.join("book_blocks.rs"), &generated.index)
    });
    if let Err(e) = written {
        eprintln!(
            "error: cannot write the doctests to {}: {e}",
            out_dir.display()
        );
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
