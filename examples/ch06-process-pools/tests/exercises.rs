//! The exercises' tests, one module per exercise. They test the book's solutions; with
//! `--features my-solutions` they test the reader's starter files instead:
//!
//! ```console
//! $ cargo test -p ch06-process-pools --features my-solutions --test exercises ex1
//! ```

mod common;

/// Exercise 1: a parallel word count.
mod ex1 {
    use super::common::pool;
    use ch06_process_pools::listings::ex1_histogram;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn parallel_word_count_matches_sequential(
            lines in prop::collection::vec("[abc ]{0,30}", 0..60),
            threads in 1usize..9,
        ) {
            let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
            let counts = pool(threads).install(|| ex1_histogram::word_counts(&lines));
            prop_assert_eq!(counts, ex1_histogram::word_counts_sequential(&lines));
        }
    }
}

/// Exercise 2: a deadline for a CPU job.
mod ex2 {
    use std::time::Duration;

    use super::common::current_thread;
    use ch06_process_pools::listings::ex2_cancel_cpu_job as ex2;

    #[test]
    fn a_job_that_finishes_in_time_gives_its_result() {
        let result = current_thread(false)
            .block_on(ex2::with_deadline(Duration::from_secs(60), |stop| {
                ex2::count_primes(1_000, stop)
            }));
        assert_eq!(result, Some(Some(168)));
    }

    #[test]
    fn a_job_past_its_deadline_is_told_to_stop_and_stops() {
        // On the paused clock the deadline passes as soon as the runtime has nothing else to
        // do, while the job is still counting on a rayon thread: the result is `None` on every
        // run, and the job must then see the flag and end.
        let (ended, has_ended) = std::sync::mpsc::channel();
        let result = current_thread(true).block_on(ex2::with_deadline(
            Duration::from_millis(100),
            move |stop| {
                let counted = ex2::count_primes(u64::MAX, stop);
                let _ = ended.send(counted);
                counted
            },
        ));
        assert_eq!(result, None);
        let counted = has_ended
            .recv_timeout(Duration::from_secs(60))
            .expect("the job stops within a minute of being told");
        assert_eq!(counted, None, "it stopped early, without a count");
    }

    #[test]
    fn a_job_that_panics_panics_its_caller_and_not_the_process() {
        // `rayon::spawn` aborts the whole process when a job panics: the job must catch it.
        let caught = std::panic::catch_unwind(|| {
            current_thread(false).block_on(ex2::with_deadline(
                Duration::from_secs(60),
                |_stop| -> u64 { panic!("the job failed") },
            ))
        });
        let payload = caught.expect_err("the job's panic reaches the caller");
        assert_eq!(payload.downcast_ref::<&str>(), Some(&"the job failed"));
    }

    #[test]
    fn a_wait_that_is_dropped_tells_the_job_to_stop() {
        // The caller stops waiting long before the job's own deadline (a losing `select!`
        // branch, a cancelled task): dropping the future must set the flag too.
        let (ended, has_ended) = std::sync::mpsc::channel();
        let job = move |stop: &_| {
            let counted = ex2::count_primes(u64::MAX, stop);
            let _ = ended.send(counted);
            counted
        };
        let outer = current_thread(true).block_on(async {
            let wait = ex2::with_deadline(Duration::from_secs(3600), job);
            tokio::time::timeout(Duration::from_millis(50), wait).await
        });
        assert!(outer.is_err(), "the outer timeout drops the wait");
        let counted = has_ended
            .recv_timeout(Duration::from_secs(30))
            .expect("the job stops soon after the wait for it is dropped");
        assert_eq!(counted, None, "it stopped early, without a count");
    }
}
