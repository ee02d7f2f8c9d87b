//! The chapter's Python programs (`python/`): the generator the state machine
//! spells out, the toy loop that shows how asyncio drives a coroutine, and the
//! `selectors` echo server that listing 09 mirrors. Each is run and its output
//! compared with the stored `.txt` beside it (`SNAPSHOTS=overwrite` rewrites
//! them). Without `python3` the tests say so and pass.
use listing_check::check_python;

#[test]
fn the_averager_generator_gives_the_state_machines_averages() {
    check_python("averager");
}

#[test]
fn the_toy_asyncio_loop_runs_three_tasks_in_deadline_order() {
    check_python("toy_asyncio");
}

#[test]
fn the_selectors_echo_server_serves_every_client_on_one_thread() {
    check_python("echo_selectors");
}

#[test]
fn asyncio_hides_the_writers_lost_update_and_shows_the_symmetric_one() {
    check_python("writers");
}
