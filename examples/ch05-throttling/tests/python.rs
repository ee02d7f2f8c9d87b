//! The asyncio boxes of this chapter say how Python behaves; each claim is a short
//! program in `python/`, and this test runs it and compares its output with the
//! stored `.txt` beside it. `SNAPSHOTS=overwrite` rewrites the stored outputs.
//! Without `python3` the test says so and passes.
use listing_check::check_python;

#[test]
fn all_tasks_counts_the_tasks_not_yet_done() {
    check_python("all_tasks");
}

#[test]
fn tasks_run_while_the_loop_works_and_a_generator_does_not() {
    check_python("tasks_run_while_the_loop_works");
}
