//! Behaviours the chapter's text states, checked: task errors, task groups,
//! shutdown, and the corners of mixing sync and async code.
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc as std_mpsc;
use std::time::Duration;

use ch03_futures_and_tasks::listings::{
    shutdown, sync_async, task_errors, task_group,
};
use tokio::time::{Instant, sleep};

#[tokio::test(start_paused = true)]
async fn try_join_over_handles_returns_early_and_leaves_the_rest_running() {
    let log = task_errors::Log::starting_now();
    let start = Instant::now();
    let result = task_errors::try_join_spawned(&log).await;
    assert_eq!(result, Err("job 2 failed".to_string()));
    assert_eq!(start.elapsed(), Duration::from_millis(200));
    sleep(Duration::from_secs(1)).await;
    assert!(log.lines().contains(&" 300 ms: job 3 finished".to_string()));
}

#[tokio::test(start_paused = true)]
async fn try_join_over_raw_handles_waits_for_all_when_a_task_returns_err() {
    // Without `flatten`, a task's own `Err` is an `Ok(Err(_))`: nothing stops
    // early.
    let log = task_errors::Log::starting_now();
    let start = Instant::now();
    let one = tokio::spawn(task_errors::job(1, log.clone()));
    let two = tokio::spawn(task_errors::job(2, log.clone()));
    let three = tokio::spawn(task_errors::job(3, log.clone()));
    let result = tokio::try_join!(one, two, three).expect("no task panicked");
    assert_eq!(result.1, Err("job 2 failed".to_string()));
    assert_eq!(start.elapsed(), Duration::from_millis(300));
}

#[tokio::test(start_paused = true)]
async fn a_job_error_is_ok_err_and_a_panic_is_a_join_error() {
    let log = task_errors::Log::starting_now();
    let failed = tokio::spawn(task_errors::job(2, log.clone())).await;
    assert_eq!(
        failed.as_ref().map_err(|_| ()),
        Ok(&Err("job 2 failed".to_string()))
    );
    let panicked = tokio::spawn(task_errors::job(4, log)).await;
    assert!(panicked.expect_err("job 4 panics").is_panic());
}

#[tokio::test(start_paused = true)]
async fn dropping_a_join_set_returns_before_its_tasks_are_dropped() {
    let log = task_group::Log::starting_now();
    task_group::drop_the_set(&log).await;
    // The function has returned; the aborted tasks have not been dropped yet.
    assert!(!log.lines().iter().any(|l| l.contains("dropped before finishing")));
    sleep(Duration::from_millis(1)).await;
    assert_eq!(
        log.lines()
            .iter()
            .filter(|l| l.contains("dropped before finishing"))
            .count(),
        2
    );
}

#[tokio::test(start_paused = true)]
async fn the_task_group_stops_the_others_and_waits_for_them() {
    let log = task_group::Log::starting_now();
    let start = Instant::now();
    let result = task_group::task_group(Some(2), &log).await;
    assert_eq!(result, Err(vec!["job 2 failed".to_string()]));
    assert_eq!(start.elapsed(), Duration::from_millis(200));
    // Job 3 saw the token before the group returned: nothing is left running.
    assert!(log.lines().iter().any(|l| l.contains("job 3 saw the token")));
    sleep(Duration::from_secs(1)).await;
    assert!(!log.lines().iter().any(|l| l.contains("job 3 finished")));
}

#[tokio::test(start_paused = true)]
async fn shutdown_drains_within_the_grace_period() {
    let log = shutdown::Log::starting_now();
    let (send, requests) = tokio::sync::mpsc::channel(8);
    for n in [1, 2] {
        send.send(n).await.expect("the server is taking requests");
    }
    let token = tokio_util::sync::CancellationToken::new();
    let signal = token.clone();
    tokio::spawn(async move {
        sleep(Duration::from_millis(50)).await;
        signal.cancel();
    });
    // Requests of 100 and 200 ms, a grace of 500 ms: both finish, at 200 ms.
    let start = Instant::now();
    let left =
        shutdown::serve(requests, token, Duration::from_millis(500), &log).await;
    assert_eq!((left, start.elapsed()), (0, Duration::from_millis(200)));
}

#[test]
fn creating_a_tokio_sleep_outside_a_runtime_panics() {
    let created =
        std::panic::catch_unwind(|| tokio::time::sleep(Duration::from_millis(1)));
    let panic = created.expect_err("creating the sleep panics");
    let message = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or(panic.downcast_ref::<&str>().copied());
    assert!(
        message.is_some_and(|m| m.contains("there is no reactor running")),
        "{message:?}"
    );
    // An `async fn`'s future can be created anywhere: it runs nothing until polled.
    let _future = sync_async::lookup(1);
}

#[test]
fn handle_block_on_cannot_drive_timers_of_an_idle_current_thread_runtime() {
    let runtime = sync_async::runtime();
    let handle = runtime.handle().clone();
    let (send, receive) = std_mpsc::channel();
    std::thread::spawn(move || {
        let _ = send.send(handle.block_on(sync_async::lookup(7)));
    });
    // Nobody is inside `Runtime::block_on`: the lookup's 5 ms timer never fires.
    assert!(receive.recv_timeout(Duration::from_millis(500)).is_err());
    // Once a thread drives the runtime, the same call completes.
    runtime.block_on(async { sleep(Duration::from_millis(50)).await });
    assert_eq!(receive.recv_timeout(Duration::from_secs(5)), Ok(700));
}

#[test]
fn spawn_blocking_work_runs_to_the_end_even_when_aborted() {
    let runtime = sync_async::runtime();
    let finished = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&finished);
    let joined = runtime.block_on(async move {
        let (started, has_started) = tokio::sync::oneshot::channel();
        let task = tokio::task::spawn_blocking(move || {
            let _ = started.send(());
            // stands in for blocking work
            std::thread::sleep(Duration::from_millis(100));
            flag.store(true, Ordering::SeqCst);
        });
        // Abort only once it runs: a blocking task that has not started yet *can*
        // be aborted.
        has_started.await.expect("the closure runs");
        task.abort();
        task.await
    });
    // The handle reports nothing useful to wait for, but the closure ran on
    // regardless.
    drop(joined);
    drop(runtime); // waits for the blocking thread
    assert!(finished.load(Ordering::SeqCst));
}

#[test]
fn futures_block_on_inside_a_task_can_deadlock() {
    let (done, finished) = std_mpsc::channel();
    std::thread::spawn(move || {
        let runtime = sync_async::runtime();
        runtime.block_on(async {
            let (send, receive) = tokio::sync::oneshot::channel();
            tokio::spawn(async move {
                let _ = send.send(1);
            });
            // Blocks the runtime's only thread: the task that would send can never
            // run.
            let _ = futures::executor::block_on(receive);
        });
        let _ = done.send(());
    });
    assert!(finished.recv_timeout(Duration::from_millis(500)).is_err());
}

#[test]
#[should_panic(expected = "only when running on the multi-threaded runtime")]
fn block_in_place_panics_on_a_current_thread_runtime() {
    sync_async::runtime().block_on(async { tokio::task::block_in_place(|| ()) });
}

#[test]
fn block_in_place_works_on_a_multi_thread_runtime() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .build()
        .expect("a runtime can be built here");
    let value = runtime.block_on(async { tokio::task::block_in_place(|| 6 * 7) });
    assert_eq!(value, 42);
}

#[tokio::test(start_paused = true)]
async fn select_all_returns_the_first_and_the_rest_still_pending() {
    let waits = [300u64, 100, 200];
    let futures = waits.map(|ms| {
        Box::pin(async move {
            sleep(Duration::from_millis(ms)).await;
            ms
        })
    });
    let start = Instant::now();
    let (first, index, rest) = futures::future::select_all(futures).await;
    assert_eq!((first, index, rest.len()), (100, 1, 2));
    assert_eq!(start.elapsed(), Duration::from_millis(100));
    // The others were not dropped: they can still be awaited to the end.
    let rest = futures::future::join_all(rest).await;
    assert_eq!(rest, vec![300, 200]);
    assert_eq!(start.elapsed(), Duration::from_millis(300));
}

#[tokio::test(start_paused = true)]
async fn several_consumers_share_one_receiver_behind_a_tokio_mutex() {
    let (send, receive) = tokio::sync::mpsc::channel::<u32>(16);
    let receive = Arc::new(tokio::sync::Mutex::new(receive));
    let mut workers = Vec::new();
    for id in 0..3 {
        let receive = Arc::clone(&receive);
        workers.push(tokio::spawn(async move {
            let mut taken = Vec::new();
            // Lock only to take one item; handle it after the lock is released.
            loop {
                // the guard drops here
                let item = receive.lock().await.recv().await;
                let Some(item) = item else { break };
                taken.push((id, item));
                sleep(Duration::from_millis(10)).await;
            }
            taken
        }));
    }
    for item in 0..6 {
        send.send(item).await.expect("the workers are receiving");
    }
    drop(send);
    let mut taken = Vec::new();
    for worker in workers {
        taken.extend(worker.await.expect("the workers do not panic"));
    }
    let mut items: Vec<_> = taken.iter().map(|&(_, item)| item).collect();
    items.sort();
    assert_eq!(items, (0..6).collect::<Vec<_>>(), "each item exactly once");
    let mut ids: Vec<_> = taken.iter().map(|&(id, _)| id).collect();
    ids.dedup();
    ids.sort();
    ids.dedup();
    assert_eq!(ids, vec![0, 1, 2], "every worker took some");
}
