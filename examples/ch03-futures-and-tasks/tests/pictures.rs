//! The timelines the chapter shows are current.
use std::path::PathBuf;

use ch03_futures_and_tasks::pictures::{self, DIR};

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(DIR)
}

/// Pictures drawn on the paused clock are exact, so the committed files must match.
#[test]
fn paused_clock_pictures_are_current() {
    let overwrite = std::env::var("SNAPSHOTS").is_ok_and(|v| v == "overwrite");
    for picture in pictures::exact() {
        let path = dir().join(picture.file);
        if overwrite {
            std::fs::create_dir_all(dir()).unwrap();
            std::fs::write(&path, &picture.svg).unwrap();
            continue;
        }
        let committed = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{}: {e}; run scripts/regen", path.display()));
        assert!(
            committed == picture.svg,
            "{} is stale: the code now draws a different picture; run scripts/regen",
            path.display()
        );
    }
}
