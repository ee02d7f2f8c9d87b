//! Every output the chapter shows is the real output of its listing (see
//! `listing-check`).
use listing_check::{Listings, TIMES};

fn main() {
    Listings::new(env!("CARGO_PKG_NAME"))
        .run("01_sequential", &[])
        .mask(TIMES)
        .run("01_sequential", &["20", "10"])
        .mask(TIMES)
        .fails("01_sequential", &["ten"])
        .run("01_sequential", &["--help"])
        .run("02_threads", &["--help"])
        .run("02_threads", &[])
        .mask(TIMES)
        .run("03_async_tasks", &[])
        .mask(TIMES)
        .run("03_async_tasks", &["20", "10"])
        .mask(TIMES)
        .run("03_async_tasks", &["10000", "50"])
        .mask(TIMES)
        .fails("03_async_tasks", &["0"])
        .run("03_async_tasks", &["--help"])
        // The peak is asserted exactly in tests/claims.rs, with a latency long
        // enough that the check cannot depend on how fast this machine is.
        .run("04_http", &[])
        .features(&["http"], cfg!(feature = "http"))
        .mask(TIMES)
        .mask(r"at most \d+ in flight")
        .run("05_cpu", &[])
        .release()
        .mask(TIMES)
        // rayon uses one thread per core: it varies
        .mask(r"(?m)^rayon par_iter .*$")
        .run("06_blocking", &[])
        .mask(TIMES)
        .run("07_scale", &["--help"])
        .run("07_scale", &[])
        .release()
        .mask(r"[ \t]*\d+\.\d+") // the measured figures; the counts stay checked
        .fails("07_scale", &["100000", "20000"])
        .run("ex1_gather_solution", &[])
        .mask(TIMES)
        .run("ex2_scoped_threads_solution", &[])
        .not_run(
            "ex1_gather",
            "an exercise starter: it stops at todo!() until the reader fills it in",
        )
        .not_run(
            "ex2_scoped_threads",
            "an exercise starter: it stops at todo!() until the reader fills it in",
        )
        .main();
}
