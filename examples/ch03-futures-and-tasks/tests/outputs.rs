//! Every output the chapter shows is the real output of its listing (see
//! `listing-check`).
use listing_check::Listings;

fn main() {
    // Every listing runs on tokio's paused clock or prints only the order of
    // events, so no output needs a mask: each is checked exactly.
    Listings::new(env!("CARGO_PKG_NAME"))
        .run("01_lazy", &[])
        .run("02_runtimes", &[])
        .run("03_spawn", &[])
        .run("04_gather", &[])
        .run("05_first_completed", &[])
        .run("06_errors", &[])
        .run("07_cancellation", &[])
        .run("08_structured", &[])
        .run("09_channels", &[])
        .run("10_sync_async", &[])
        .run("11_task_errors", &[])
        .run("12_task_group", &[])
        .run("13_shutdown", &[])
        .run("14_send_static", &[])
        .run("15_shared_state", &[])
        .run("16_one_shape", &[])
        .run("ex1_timeout_solution", &[])
        .run("ex2_worker_pool_solution", &[])
        .not_run(
            "ex1_timeout",
            "an exercise starter: it stops at todo!() until the reader fills it in",
        )
        .not_run(
            "ex2_worker_pool",
            "an exercise starter: it stops at todo!() until the reader fills it in",
        )
        .main();
}
