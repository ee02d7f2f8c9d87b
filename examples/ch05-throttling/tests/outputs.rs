//! Every output the chapter shows is the real output of its listing (see
//! `listing-check`).
use listing_check::Listings;

fn main() {
    // Listings 1, 3, 4, 6 to 10 and 12 to 14 run on tokio's paused clock (and 7 on a
    // seeded random source), so they are checked exactly. Listings 2, 5 and 11 talk to a
    // real server on the real clock: how many requests beat the limit and how long
    // listing 5 took vary from run to run, so those figures are masked
    // (tests/real_server.rs and tests/retry_after.rs check their claims).
    Listings::new(env!("CARGO_PKG_NAME"))
        .run("01_burst_model", &[])
        .run("02_fire_at_once", &[])
        .features(&["http"], cfg!(feature = "http"))
        .mask(r"stored: \d+|failed: \d+|Requests: \d+|refused \d+")
        .run("03_in_flight", &[])
        .run("04_rate", &[])
        .run("05_throttled_pipeline", &[])
        .features(&["http"], cfg!(feature = "http"))
        .mask(r"took .*")
        .run("06_backpressure", &[])
        .run("07_retry", &[])
        .run("08_spawned_tasks", &[])
        .run("09_buffer_unordered_trap", &[])
        .run("10_shedding", &[])
        .run("11_retry_after", &[])
        .features(&["http"], cfg!(feature = "http"))
        .mask(r"attempt: \d+|refused \d+ of \d+")
        .run("12_retry_budget", &[])
        .run("13_circuit_breaker", &[])
        .run("14_sliding_window", &[])
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
