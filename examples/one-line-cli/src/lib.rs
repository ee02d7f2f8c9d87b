//! Command lines that answer in one line: what the book's tools (Chapter 7) and
//! the local server's `serve` binary share. A crate of its own, so that a listing
//! that only parses flags does not build the HTTP server to get them.
use clap::Parser;

/// A clap error as one line (`error: …`), without the usage text that follows it.
pub fn one_line(error: &clap::Error) -> String {
    let rendered = error.render().to_string();
    let first: Vec<&str> = rendered
        .lines()
        .take_while(|line| !line.trim().is_empty())
        .map(str::trim)
        .collect();
    format!("{} (see --help)", first.join(" "))
}

/// Reads the command line into `A`, as `A::parse()` does, but refuses a mistake in
/// one line on stderr ([`one_line`]) with exit status 2. `--help` prints the usage
/// on stdout and exits with status 0, as clap does.
pub fn parse<A: Parser>() -> A {
    A::try_parse().unwrap_or_else(|error| {
        if !error.use_stderr() {
            error.exit(); // --help: the usage on stdout, status 0
        }
        eprintln!("{}", one_line(&error));
        std::process::exit(2)
    })
}
