//! The timelines the chapter shows are current.
use std::path::PathBuf;

use ch01_concurrent_vs_parallel::pictures::{self, DIR};

fn dir() -> PathBuf {
    listing_check::workspace_dir(DIR)
}

/// Pictures drawn on the paused clock are exact, so the committed files must match.
#[test]
fn paused_clock_pictures_are_current() {
    let pictures = pictures::exact().into_iter().map(|p| (p.file, p.svg));
    listing_check::check_generated(&dir(), pictures);
}

/// Pictures of real runs vary, so only their presence is checked; `scripts/regen`
/// redraws them.
#[test]
fn measured_pictures_exist() {
    for file in ["threads.svg", "cpu-async.svg", "cpu-rayon.svg", "blocked.svg"] {
        let path = dir().join(file);
        let svg = std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!("{}: {e}; run scripts/regen", path.display())
        });
        assert!(
            svg.starts_with("<svg") && svg.contains("<title"),
            "{} is not a timeline",
            path.display()
        );
    }
}
