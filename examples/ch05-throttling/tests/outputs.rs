//! Every output the chapter shows is the real output of its listing (see
//! `listing-check`).
use listing_check::Listings;

fn main() {
    // Listings 2, 3, 5 to 9 and 11 to 13 run on tokio's paused clock (and 6 on a seeded
    // random source), so they are checked exactly. Listings 1, 4 and 10 talk to a real
    // server on the real clock: how many requests beat the limit and how long listing 4
    // took vary from run to run, so those figures are masked (tests/real_server.rs and
    // tests/retry_after.rs check their claims).
    Listings::new(env!("CARGO_PKG_NAME"))
        .run("01_fire_at_once", &[])
        .features(&["http"], cfg!(feature = "http"))
        .mask(r"stored: \d+|failed: \d+|Requests: \d+|refused \d+")
        .run("02_in_flight", &[])
        .run("03_rate", &[])
        .run("04_throttled_pipeline", &[])
        .features(&["http"], cfg!(feature = "http"))
        .mask(r"took .*")
        .run("05_backpressure", &[])
        .run("06_retry", &[])
        .run("07_spawned_tasks", &[])
        .run("08_buffer_unordered_trap", &[])
        .run("09_shedding", &[])
        .run("10_retry_after", &[])
        .features(&["http"], cfg!(feature = "http"))
        .mask(r"attempt: \d+|refused \d+ of \d+")
        .run("11_retry_budget", &[])
        .run("12_circuit_breaker", &[])
        .run("13_sliding_window", &[])
        .run("ex1_token_bucket_solution", &[])
        .run("ex2_shared_limiter_solution", &[])
        .not_run(
            "ex1_token_bucket",
            "an exercise starter: it stops at todo!() until the reader fills it in",
        )
        .not_run(
            "ex2_shared_limiter",
            "an exercise starter: it stops at todo!() until the reader fills it in",
        )
        .main();
}
