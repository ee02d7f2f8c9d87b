//! Writes `$OUT_DIR/book_blocks.rs`: one module per block of the book that gets a Run button,
//! whose doc is the block under `rust,no_run`, so that `cargo test -p playground-check --doc`
//! compiles each against the Playground's crates only. The code is book-tests'.

// Each build script uses one kind of `Doctests`; the unit tests (book-tests' src/tests.rs)
// compile this file with every lint and use all of it.
#[allow(dead_code)]
#[path = "../book-tests/src/expand.rs"]
mod expand;

#[path = "../book-tests/src/build_script.rs"]
mod build_script;

fn main() -> std::process::ExitCode {
    build_script::write_doctests(expand::Doctests::RunButtons)
}
