//! Every output the chapter shows is the real output of its listing (see
//! `listing-check`).
use listing_check::{Listings, TIMES};

const STARTER: &str =
    "an exercise starter: it stops at todo!() until the reader fills it in";

fn main() {
    Listings::new(env!("CARGO_PKG_NAME"))
        .run("01_rayon", &[])
        // Two threads, so the table has the same rows on every machine; the figures
        // are measured and vary, the sums are checked.
        .run("02_speedup", &["2"])
        .release()
        .mask(r"[ \t]*\d+\.\d+")
        .fails("02_speedup", &["0"])
        .run("02_speedup", &["--help"])
        // Only the inline run's count is exact (no tick can happen while the loop
        // runs on the runtime's one thread); the others depend on the machine's
        // load.
        .run("03_off_the_runtime", &[])
        .mask(TIMES)
        .mask(r"(?m)^(spawn_blocking|rayon \+ oneshot) .*$")
        .run("04_batches_threads", &[])
        .mask(r"took \d+ ms")
        .run("05_worker_processes", &[])
        .features(&["processes"], cfg!(feature = "processes"))
        .run(
            "05_worker_processes",
            &["--crash-on-batch", "3", "--crash-mode", "panic"],
        )
        .features(&["processes"], cfg!(feature = "processes"))
        .run(
            "05_worker_processes",
            &["--crash-on-batch", "3", "--crash-mode", "exit"],
        )
        .features(&["processes"], cfg!(feature = "processes"))
        .run(
            "05_worker_processes",
            &["--crash-on-batch", "3", "--crash-mode", "kill"],
        )
        .features(&["processes"], cfg!(feature = "processes"))
        .run(
            "05_worker_processes",
            &[
                "--crash-on-batch",
                "2",
                "--crash-mode",
                "hang",
                "--timeout-ms",
                "300",
            ],
        )
        .features(&["processes"], cfg!(feature = "processes"))
        .fails(
            "05_worker_processes",
            &["--crash-on-batch", "3", "--crash-times", "3", "--max-retries", "2"],
        )
        .features(&["processes"], cfg!(feature = "processes"))
        .fails("05_worker_processes", &["--workers", "0"])
        .features(&["processes"], cfg!(feature = "processes"))
        .fails("05_worker_processes", &["--batch-size", "0"])
        .features(&["processes"], cfg!(feature = "processes"))
        .fails("05_worker_processes", &["--worker-exe", "/no/such/worker"])
        .features(&["processes"], cfg!(feature = "processes"))
        .run("ex1_histogram_solution", &[])
        .run("ex2_cancel_cpu_job_solution", &[])
        .not_run("ex1_histogram", STARTER)
        .not_run("ex2_cancel_cpu_job", STARTER)
        .main();
}
