//! Every output the chapter shows is the real output of its listing (see
//! `listing-check`).
use listing_check::Listings;

fn main() {
    // Listings 1 to 3 are pure or seeded: checked exactly. Listings 4 and 5 talk to
    // a real local server with faults injected by id, so their records and counts
    // are fixed too; only the peak of requests in flight (timing) and paths in the
    // temporary folder are masked.
    Listings::new(env!("CARGO_PKG_NAME"))
        .run("01_generate_log", &["--lines", "12", "--seed", "4", "--malformed-every", "5"])
        .run("01_generate_log", &["--lines", "2", "--seed", "4", "--format", "vhost_combined"])
        .fails("01_generate_log", &["--malformed-every", "0"])
        .run("02_scan", &[])
        .fails("02_scan", &["/no-such-folder/access.log"])
        .run("03_rewrite_url", &[])
        .run("04_refire", &[])
        .features(&["http"], cfg!(feature = "http"))
        .mask(r"at most \d+ at once")
        .fails("05_retry_tool", &["--demo", "--timeout", "0.5", "--rate", "100"])
        .features(&["http"], cfg!(feature = "http"))
        .mask(r"\S*ch07-demo-[^/\s]+")
        .fails(
            "05_retry_tool",
            &[
                "--input",
                "/no-such-folder/access.log",
                "--output",
                "retry.log",
                "--server",
                "http://127.0.0.1:9",
            ],
        )
        .features(&["http"], cfg!(feature = "http"))
        .fails("05_retry_tool", &["--demo", "--output", "/no-such-folder/retry.log"])
        .features(&["http"], cfg!(feature = "http"))
        .fails("05_retry_tool", &["--demo", "--server", "127.0.0.1:8766"])
        .features(&["http"], cfg!(feature = "http"))
        .fails("05_retry_tool", &["--demo", "--concurrency", "0"])
        .features(&["http"], cfg!(feature = "http"))
        .fails("05_retry_tool", &["--demo", "--rate", "-1"])
        .features(&["http"], cfg!(feature = "http"))
        .fails("05_retry_tool", &["--demo", "--status", "5xx"])
        .features(&["http"], cfg!(feature = "http"))
        .not_run(
            "bench",
            "writes the measured tables (book/ch07-putting-it-together/measured); run by scripts/bench",
        )
        .main();
}
