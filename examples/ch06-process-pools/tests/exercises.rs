//! The exercises' tests, one module per exercise. They test the book's solutions; with
//! `--features my-solutions` they test the reader's starter files instead:
//!
//! ```console
//! $ cargo test -p ch06-process-pools --features my-solutions --test exercises ex1
//! ```
//!
//! Each test starts with `quiet()`: a failure is one line that says what is not done yet, or
//! "your answer" beside "expected" and the input that gave them. Then it calls
//! `rayon_with_panic_handler()`, so that a job's panic that escapes `rayon::spawn` fails one
//! test with a sentence, instead of aborting the whole run.

mod common;

use std::sync::Once;
use std::sync::atomic::{AtomicBool, Ordering};

/// Whether a job's panic escaped a `rayon::spawn` (see
/// [`rayon_with_panic_handler`]).
static ESCAPED: AtomicBool = AtomicBool::new(false);

/// Sets up rayon's global pool as usual, except that a panic escaping a
/// `rayon::spawn` job sets [`ESCAPED`] instead of aborting the whole test run
/// without a word. Every test calls it after `quiet()`, before anything can start
/// the global pool with its defaults.
fn rayon_with_panic_handler() {
    static SET_UP: Once = Once::new();
    SET_UP.call_once(|| {
        // An error means the pool was already started; it then aborts as usual.
        let _ = rayon::ThreadPoolBuilder::new()
            .panic_handler(|_| ESCAPED.store(true, Ordering::SeqCst))
            .build_global();
    });
}

/// Exercise 1: a parallel word count.
mod ex1 {
    use std::sync::atomic::{AtomicBool, Ordering};

    use super::common::pool;
    use ch06_process_pools::listings::ex1_histogram;
    use listing_check::answer;
    use listing_check::exercise::{config, quiet};
    use proptest::prelude::*;

    #[test]
    fn parallel_word_count_matches_sequential() {
        quiet();
        super::rayon_with_panic_handler();
        // The starter's text first, on this thread: a `todo!()` (or another panic)
        // then fails the test once, here, not again on a fresh pool thread in each
        // case proptest tries.
        let text: Vec<&str> = ex1_histogram::TEXT.lines().collect();
        answer!(
            ex1_histogram::word_counts(&text),
            ex1_histogram::word_counts_sequential(&text),
            "word counts of the starter's TEXT"
        );
        let texts = prop::collection::vec("[abc ]{0,30}", 0..60);
        proptest!(config(64), |(lines in texts, threads in 1usize..9)| {
            let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
            let yours = pool(threads).install(|| ex1_histogram::word_counts(&lines));
            let expected = ex1_histogram::word_counts_sequential(&lines);
            prop_assert!(
                yours == expected,
                "your answer: {yours:?}, expected: {expected:?}, for the word counts of {lines:?} on {threads} threads"
            );
        });
    }

    /// Sets its flag when dropped, however the scope it is in ends (a panic
    /// included).
    struct SetOnDrop<'a>(&'a AtomicBool);

    impl Drop for SetOnDrop<'_> {
        fn drop(&mut self) {
            self.0.store(true, Ordering::SeqCst);
        }
    }

    /// The exercise's rule: count in parallel. On a pool of two threads, one runs
    /// `word_counts` while the other keeps asking rayon for work
    /// (`rayon::yield_now`). A count that rayon splits (`par_iter`, `fold`,
    /// `reduce`) queues pieces of the work, and the second thread takes some; a
    /// plain loop queues none.
    #[test]
    fn exercise_1_counts_on_more_than_one_thread() {
        quiet();
        super::rayon_with_panic_handler();
        let owned: Vec<String> = (0..50_000)
            .map(|i| format!("the w{} w{} fox", i % 97, i % 13))
            .collect();
        let lines: Vec<&str> = owned.iter().map(String::as_str).collect();
        let (watching, done) = (AtomicBool::new(false), AtomicBool::new(false));
        let (_, helped) = pool(2).install(|| {
            rayon::join(
                || {
                    while !watching.load(Ordering::SeqCst) {
                        std::thread::yield_now();
                    }
                    let _done = SetOnDrop(&done);
                    ex1_histogram::word_counts(&lines)
                },
                || {
                    watching.store(true, Ordering::SeqCst);
                    let mut helped = false;
                    while !done.load(Ordering::SeqCst) {
                        match rayon::yield_now() {
                            Some(rayon::Yield::Executed) => helped = true,
                            _ => std::thread::yield_now(),
                        }
                    }
                    helped
                },
            )
        });
        assert!(
            helped,
            "your word_counts must count in parallel: on a pool of 2 threads, it counted {} lines \
             on one and left no work for the other (split it with par_iter, fold and reduce)",
            lines.len()
        );
    }
}

/// Exercise 2: a deadline for a CPU job.
mod ex2 {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::time::Duration;

    use super::ESCAPED;
    use super::common::current_thread;
    use ch06_process_pools::listings::ex2_cancel_cpu_job as ex2;
    use listing_check::answer;
    use listing_check::exercise::quiet;

    /// `count_primes(u64::MAX)`: hours of work unless told to stop. Off rayon's
    /// pool (on the runtime's own thread, or on tokio's blocking pool, which holds
    /// the paused clock) it would never be told and the test would hang, so there
    /// it fails at once instead.
    fn endless_count(stop: &AtomicBool) -> Option<u64> {
        assert!(
            rayon::current_thread_index().is_some(),
            "your with_deadline must run the job on rayon's pool (rayon::spawn): a job that would \
             count for hours ran on a thread that is not rayon's"
        );
        ex2::count_primes(u64::MAX, stop)
    }

    #[test]
    fn a_job_that_finishes_in_time_gives_its_result() {
        quiet();
        super::rayon_with_panic_handler();
        let result = current_thread(false)
            .block_on(ex2::with_deadline(Duration::from_secs(60), |stop| {
                ex2::count_primes(1_000, stop)
            }));
        answer!(
            result,
            Some(Some(168)),
            "with_deadline(60 s, count the primes below 1000)"
        );
    }

    /// The exercise's rule: the job runs on rayon's pool.
    #[test]
    fn exercise_2_runs_the_job_on_rayon() {
        quiet();
        super::rayon_with_panic_handler();
        let on_rayon = current_thread(false)
            .block_on(ex2::with_deadline(Duration::from_secs(60), |_stop| {
                rayon::current_thread_index().is_some()
            }));
        answer!(
            on_rayon,
            Some(true),
            "with_deadline(60 s, a job that says whether it runs on a rayon thread): \
             run the job with rayon::spawn"
        );
    }

    #[test]
    fn a_job_past_its_deadline_is_told_to_stop_and_stops() {
        quiet();
        super::rayon_with_panic_handler();
        // On the paused clock the deadline passes as soon as the runtime has
        // nothing else to do, while the job is still counting on a rayon thread:
        // the result is `None` on every run, and the job must then see the flag and
        // end.
        let (ended, has_ended) = std::sync::mpsc::channel();
        let result = current_thread(true).block_on(ex2::with_deadline(
            Duration::from_millis(100),
            move |stop| {
                let counted = endless_count(stop);
                let _ = ended.send(counted);
                counted
            },
        ));
        answer!(result, None, "with_deadline(100 ms, a job that counts for hours)");
        let counted = has_ended.recv_timeout(Duration::from_secs(60));
        assert!(
            counted.is_ok(),
            "your with_deadline must tell the job to stop when the deadline passes: \
             a minute after with_deadline(100 ms, a job that counts for hours) returned, \
             the job was still counting"
        );
        answer!(
            counted.ok(),
            Some(None),
            "what the job counted once told to stop: it stops early, without a count"
        );
    }

    #[test]
    fn a_job_that_panics_panics_its_caller_and_not_the_process() {
        quiet();
        super::rayon_with_panic_handler();
        // `rayon::spawn` aborts the whole process when a job panics: the job must
        // catch it. (Here the global pool's panic handler notes an escaped panic
        // instead of aborting.) The job panics with `resume_unwind`, which unwinds
        // like `panic!` but calls no panic hook: a passing test prints nothing.
        let caught = std::panic::catch_unwind(|| {
            current_thread(false).block_on(ex2::with_deadline(
                Duration::from_secs(60),
                |_stop| -> u64 {
                    std::panic::resume_unwind(Box::new("the job failed"))
                },
            ))
        });
        match caught {
            Ok(result) if ESCAPED.load(Ordering::SeqCst) => panic!(
                "your job's panic escaped rayon::spawn, which aborts the process: catch it in the \
                 job (panic::catch_unwind) and send it back; with_deadline(60 s, a job that \
                 panics) gave {result:?}"
            ),
            Ok(result) => panic!(
                "your with_deadline must pass the job's panic on to its caller \
                 (panic::resume_unwind): with_deadline(60 s, a job that panics) gave {result:?}"
            ),
            Err(payload) => answer!(
                payload.downcast_ref::<&str>(),
                Some(&"the job failed"),
                "the panic that reached the caller of with_deadline(60 s, a job that panics \
                 with \"the job failed\")"
            ),
        }
    }

    #[test]
    fn a_wait_that_is_dropped_tells_the_job_to_stop() {
        quiet();
        super::rayon_with_panic_handler();
        // The caller stops waiting long before the job's own deadline (a losing
        // `select!` branch, a cancelled task): dropping the future must set the
        // flag too.
        let (ended, has_ended) = std::sync::mpsc::channel();
        let job = move |stop: &_| {
            let counted = endless_count(stop);
            let _ = ended.send(counted);
            counted
        };
        let outer = current_thread(true).block_on(async {
            let wait = ex2::with_deadline(Duration::from_secs(3600), job);
            tokio::time::timeout(Duration::from_millis(50), wait).await
        });
        assert!(
            outer.is_err(),
            "a timeout of 50 ms around with_deadline(1 hour, a job that counts for hours) \
             must drop the wait, but it gave {outer:?}"
        );
        let counted = has_ended.recv_timeout(Duration::from_secs(30));
        assert!(
            counted.is_ok(),
            "your with_deadline must tell the job to stop when its future is dropped \
             (set the flag in a drop guard): 30 s after a wait for a job that counts for hours \
             was dropped, the job was still counting"
        );
        answer!(
            counted.ok(),
            Some(None),
            "what the job counted once its wait was dropped: it stops early, without a count"
        );
    }
}
