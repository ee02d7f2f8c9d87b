//! Every output the chapter shows is the real output of its listing (see
//! `listing-check`).
use listing_check::Listings;

fn main() {
    Listings::new(env!("CARGO_PKG_NAME"))
        .run("01_iterators", &[])
        .run("02_coroutine", &[])
        .run("04_future_by_hand", &[])
        .run("05_block_on", &[])
        .run("06_event_loop", &[])
        // Only the wall-clock line varies; the virtual times above it are exact.
        .mask(r"after \d+ ms of real time")
        .run("07_three_ways", &[])
        .features(&["http"], cfg!(feature = "http"))
        .run("08_streams", &[])
        .run("09_echo_readiness", &[])
        .run("10_echo_async", &[])
        .run("11_echo_tokio", &[])
        .run("12_schedules", &[])
        .run("ex1_fibonacci_solution", &[])
        .run("ex2_yield_now_solution", &[])
        .not_run(
            "ex1_fibonacci",
            "an exercise starter: it stops at todo!() until the reader fills it in",
        )
        .not_run(
            "ex2_yield_now",
            "an exercise starter: it stops at todo!() until the reader fills it in",
        )
        .main();
}
