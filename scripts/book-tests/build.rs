//! Writes `$OUT_DIR/book_blocks.rs`: one module per Rust block of the book, whose doc is the
//! block, so that `cargo test -p book-tests` runs every block as a doctest. See `src/lib.rs` for
//! the why, `src/expand.rs` for the how and `src/build_script.rs` for the steps (shared with
//! `scripts/playground-check`).

// Each build script uses one kind of `Doctests`; the unit tests (book-tests' src/tests.rs)
// compile this file with every lint and use all of it.
#[allow(dead_code)]
#[path = "src/expand.rs"]
mod expand;

#[path = "src/build_script.rs"]
mod build_script;

fn main() -> std::process::ExitCode {
    build_script::write_doctests(expand::Doctests::Every)
}
