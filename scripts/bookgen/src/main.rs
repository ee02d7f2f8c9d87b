//! Regenerates what the book shows from real runs on this machine.
//!
//! * `bookgen pictures` draws every chapter's timelines (exact ones from the paused clock,
//!   measured ones from real runs) into the chapter's `pictures/` folder;
//! * `bookgen bench` measures the chapters' wall-clock tables into `book/<chapter>/measured/`.
//!
//! Run it in a release build (`scripts/regen`, `scripts/bench` do): the figures are meant to
//! show what optimised code does.
#![forbid(unsafe_code)]

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use ch01_concurrent_vs_parallel as ch01;

mod appendix;
mod ch02;
mod ch03;
mod ch06;

/// The workspace root, where `book/` lives: found from the `CARGO_MANIFEST_DIR` that
/// `cargo run` sets (at run time, so a binary reused from a shared target folder writes into
/// the checkout it was started from), else from the current folder (`scripts/` run it from the
/// root).
fn root() -> PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map_or_else(|| PathBuf::from("."), |dir| Path::new(&dir).join("../.."))
}

fn write(relative: &str, text: &str) -> Result<(), String> {
    let path = root().join(relative);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    println!("wrote {relative}");
    Ok(())
}

fn pictures() -> Result<(), String> {
    for picture in ch01::pictures::exact()
        .into_iter()
        .chain(ch01::pictures::measured())
    {
        write(
            &format!("{}/{}", ch01::pictures::DIR, picture.file),
            &picture.svg,
        )?;
    }
    for picture in ch02_generators_to_coroutines::pictures::measured() {
        write(
            &format!(
                "{}/{}",
                ch02_generators_to_coroutines::pictures::DIR,
                picture.file
            ),
            &picture.svg,
        )?;
    }
    Ok(())
}

fn bench() -> Result<(), String> {
    let dir = "book/ch01-concurrent-vs-parallel/measured";
    write(
        &format!("{dir}/cpu-speedup.md"),
        &ch01::bench::cpu_speedup(),
    )?;
    let scale =
        ch01::bench::scale_costs().map_err(|e| format!("could not start the threads: {e}"))?;
    write(&format!("{dir}/scale.md"), &scale)?;
    ch02::bench()?;
    ch03::bench()?;
    ch06::bench()?;
    appendix::bench()?;
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["pictures"] => pictures(),
        ["bench"] => bench(),
        ["bench", "ch02"] => ch02::bench(),
        ["bench", "ch03"] => ch03::bench(),
        ["bench", "ch06"] => ch06::bench(),
        ["bench", "appendix"] => appendix::bench(),
        ["ch06-worker"] => ch06::worker(),
        ["ch02-echo-server", version, clients] => ch02::server(version, clients),
        _ => Err(
            "usage: bookgen pictures | bookgen bench [ch02 | ch03 | ch06 | appendix]".to_owned(),
        ),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}
