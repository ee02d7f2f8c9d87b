//! The picture the chapter shows exists. It comes from a real run, so it varies
//! from run to run; `scripts/regen` redraws it.
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
