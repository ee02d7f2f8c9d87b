//! The picture the chapter shows exists (it comes from a real run, so it varies
//! from run to run; `scripts/regen` redraws it), and the traces are fresh.
use ch02_generators_to_coroutines::pictures::DIR;

#[test]
fn measured_pictures_exist() {
    let path = listing_check::workspace_dir(DIR).join("echo-polls.svg");
    let svg = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}; run scripts/regen", path.display()));
    assert!(
        svg.starts_with("<svg") && svg.contains("<title"),
        "{} is not a timeline",
        path.display()
    );
}

/// The step-through traces are what the loop records now: `scripts/regen` rewrites
/// them (`SNAPSHOTS=overwrite`), and a change to the loop that changes what it does
/// makes this fail.
#[test]
#[cfg(feature = "traces")]
fn traces_are_fresh() {
    use ch02_generators_to_coroutines::traces;
    for (dir, files) in traces::exact() {
        let files = files.iter().map(|(name, text)| (name.as_str(), text.clone()));
        listing_check::check_generated(&listing_check::workspace_dir(dir), files);
    }
}
