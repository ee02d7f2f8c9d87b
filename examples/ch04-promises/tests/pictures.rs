//! The timelines the chapter shows are current.
use std::path::PathBuf;

use ch04_promises::pictures::{self, DIR};

fn dir() -> PathBuf {
    listing_check::workspace_dir(DIR)
}

/// Pictures drawn on the paused clock are exact, so the committed files must match.
#[test]
fn paused_clock_pictures_are_current() {
    let pictures = pictures::exact().into_iter().map(|p| (p.file, p.svg));
    listing_check::check_generated(&dir(), pictures);
}
