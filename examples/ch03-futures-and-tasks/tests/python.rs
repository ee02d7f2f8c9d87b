//! The asyncio boxes of this chapter say how Python behaves; each claim is a short
//! program in `python/`, and this test runs it and compares its output with the
//! stored `.txt` beside it. `SNAPSHOTS=overwrite` rewrites the stored outputs.
//! Without `python3` the test says so and passes.
use listing_check::check_python;

#[test]
fn tasks_start_at_once() {
    check_python("tasks_start_at_once");
}

#[test]
fn gather_leaves_the_others_running_after_an_error() {
    check_python("gather_error");
}

#[test]
fn wait_first_completed_returns_the_pending_tasks_still_running() {
    check_python("wait_first_completed");
}

#[test]
fn one_queue_feeds_several_consumers() {
    check_python("queue_consumers");
}

#[test]
fn counter_plus_equals_one_reads_and_writes_in_separate_bytecodes() {
    check_python("lost_update");
}
