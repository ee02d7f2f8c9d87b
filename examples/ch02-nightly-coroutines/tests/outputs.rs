//! The output the book shows for the nightly listing is its real output.
//!
//! The book's other chapters check their outputs with `listing-check`, which shows
//! each run as `cargo run -p …`; this crate is run differently (`cargo +nightly …
//! --manifest-path …`), so this small std-only check does the same for its one
//! listing. `SNAPSHOTS=overwrite` rewrites the stored file, as `scripts/regen` does
//! for the other chapters.
use std::fs;
use std::path::Path;
use std::process::Command;

const COMMAND: &str = "$ cargo +nightly run --manifest-path \
                       examples/ch02-nightly-coroutines/Cargo.toml --bin 03_nightly_coroutines";

#[test]
fn shown_output_is_real() {
    let output = Command::new(env!("CARGO_BIN_EXE_03_nightly_coroutines"))
        .output()
        .expect("the listing was built by cargo test");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "the listing failed:\n{stderr}");
    assert!(stderr.is_empty(), "the listing wrote to stderr:\n{stderr}");
    let stdout =
        String::from_utf8(output.stdout).expect("the listing prints UTF-8");
    let actual = format!("{COMMAND}\n{stdout}");

    // Read at run time (Cargo sets it for every test), so a binary reused from a
    // shared target folder checks the files of the checkout it runs in.
    let crate_dir =
        std::env::var_os("CARGO_MANIFEST_DIR").expect("run by cargo test");
    let shown = Path::new(&crate_dir).join("outputs/03_nightly_coroutines.txt");
    let stored = fs::read_to_string(&shown).map(|text| text.replace("\r\n", "\n"));
    if std::env::var("SNAPSHOTS").is_ok_and(|v| v == "overwrite") {
        if stored.as_deref().ok() != Some(actual.as_str()) {
            fs::write(&shown, &actual).expect("outputs/ is writable");
        }
        return;
    }
    let stored = stored.unwrap_or_else(|e| {
        panic!(
            "cannot read {} ({e}); create it with SNAPSHOTS=overwrite",
            shown.display()
        )
    });
    assert_eq!(
        stored,
        actual,
        "the real output differs from {}; if the listing changed on purpose, rerun with \
         SNAPSHOTS=overwrite",
        shown.display()
    );
}

/// The listing takes no arguments, and says so: any argument (`--help` too) is
/// refused with one line on stderr and exit status 2, before it runs. (book-tests
/// checks the workspace's listings the same way; this crate is outside it.)
#[test]
fn refuses_arguments() {
    for arg in ["--help", "junk"] {
        let output = Command::new(env!("CARGO_BIN_EXE_03_nightly_coroutines"))
            .arg(arg)
            .output()
            .expect("the listing was built by cargo test");
        assert_eq!(output.status.code(), Some(2), "with {arg:?}");
        assert!(output.stdout.is_empty(), "with {arg:?}: it printed on stdout");
        assert_eq!(
            String::from_utf8_lossy(&output.stderr),
            "usage: 03_nightly_coroutines (it takes no arguments)\n",
            "with {arg:?}"
        );
    }
}
