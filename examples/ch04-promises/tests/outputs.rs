//! Every output the chapter shows is the real output of its listing (see
//! `listing-check`).
use listing_check::Listings;

fn main() {
    // Listings 1 to 5, listing 7 and the exercises run on tokio's paused clock or print no
    // times, so no output needs a mask: each is checked exactly. Listing 6 runs
    // against a real server; its outcomes are fixed by the faults it injects, and
    // only the database path (which depends on the machine's temporary folder) is
    // masked.
    Listings::new(env!("CARGO_PKG_NAME"))
        .run("01_functional", &[])
        .run("02_promise", &[])
        .run("03_define_now_run_later", &[])
        .run("04_lift", &[])
        .run("05_fold_steps", &[])
        .run("06_download_enrich_store", &[])
        .features(&["http"], cfg!(feature = "http"))
        .fails("06_download_enrich_store", &["--server", "http://127.0.0.1:9"])
        .features(&["http"], cfg!(feature = "http"))
        .fails(
            "06_download_enrich_store",
            &["--db", "/no-such-folder/items.sqlite"],
        )
        .features(&["http"], cfg!(feature = "http"))
        .fails("06_download_enrich_store", &["--ids", "many"])
        .features(&["http"], cfg!(feature = "http"))
        .run("06_download_enrich_store", &["--help"])
        .features(&["http"], cfg!(feature = "http"))
        .run("07_join_lift", &[])
        .run("ex1_zip_solution", &[])
        .run("ex2_retry_solution", &[])
        .not_run(
            "ex1_zip",
            "an exercise starter: it stops at todo!() until the reader fills it in",
        )
        .not_run(
            "ex2_retry",
            "an exercise starter: it stops at todo!() until the reader fills it in",
        )
        .main();
}
