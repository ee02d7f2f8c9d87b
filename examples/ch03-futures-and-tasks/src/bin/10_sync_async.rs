//! Sync and async together: `spawn_blocking` in async code, `block_on` in sync
//! code.
use std::panic::{self, AssertUnwindSafe};
use std::sync::mpsc as std_mpsc;
use std::time::Duration;

use tokio::runtime::{Builder, Handle, Runtime};
use tokio::time::sleep;

// ANCHOR: blocking
/// A blocking call: it waits on a std channel until `count` ticks have arrived. It
/// blocks the thread it runs on, like a synchronous database driver or `std::fs`
/// would.
pub fn wait_for_ticks(ticks: std_mpsc::Receiver<u32>, count: u32) -> u32 {
    (0..count).filter_map(|_| ticks.recv().ok()).count() as u32
}

/// Runs `wait_for_ticks` on tokio's blocking-thread pool while a ticker task sends
/// it the ticks (asyncio: `await asyncio.to_thread(...)`). Called right here
/// instead, on the runtime's only thread, it would block that thread: the ticker
/// could never run, and the program would hang. Returns what was printed, in order.
pub async fn blocking_beside_a_ticker(count: u32) -> Vec<String> {
    let (send_tick, ticks) = std_mpsc::channel();
    let waiter = tokio::task::spawn_blocking(move || wait_for_ticks(ticks, count));
    let mut printed = Vec::new();
    for tick in 1..=count {
        // a real 20 ms: this runtime's clock runs
        sleep(Duration::from_millis(20)).await;
        printed.push(format!("ticker: tick {tick}"));
        send_tick.send(tick).expect("the blocking call is still waiting");
    }
    let got = waiter.await.expect("the blocking call does not panic");
    printed.push(format!("the blocking call returned after {got} ticks"));
    printed
}
// ANCHOR_END: blocking

// ANCHOR: from_sync
/// Some async code to call from sync code: the sleep stands in for an async IO
/// call.
pub async fn lookup(key: u32) -> u32 {
    sleep(Duration::from_millis(5)).await;
    key * 100
}

/// A plain function, in a library that knows nothing about async, that needs
/// `lookup`. Given a `Handle` to a runtime, it can block its own thread on it
/// (asyncio: `run_coroutine_threadsafe(coro, loop).result()`). It must not be
/// called from async code.
pub fn sync_lookup(runtime: &Handle, key: u32) -> u32 {
    runtime.block_on(lookup(key))
}
// ANCHOR_END: from_sync

/// A runtime with one thread, like `#[tokio::main(flavor = "current_thread")]`.
pub fn runtime() -> Runtime {
    Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime can be built here")
}

// ANCHOR: main
// A plain `fn main`: no `#[tokio::main]`. We build the runtime ourselves (which is
// all that `#[tokio::main]` does) and hand it futures with `block_on` (asyncio:
// `asyncio.run`).
fn main() {
    // ANCHOR_END: main
    if std::env::args().len() > 1 {
        eprintln!("usage: 10_sync_async (it takes no arguments)");
        std::process::exit(2);
    }
    // ANCHOR: main
    let runtime = runtime();
    for line in runtime.block_on(blocking_beside_a_ticker(3)) {
        println!("{line}");
    }

    println!("from sync main: lookup(1) = {}", runtime.block_on(lookup(1)));

    let from_a_blocking_thread = runtime.block_on(async {
        let handle = Handle::current();
        tokio::task::spawn_blocking(move || sync_lookup(&handle, 2)).await
    });
    let value = from_a_blocking_thread.expect("sync_lookup does not panic");
    println!("from sync code on a blocking thread: lookup(2) = {value}");

    // The mistake: blocking on the runtime from inside one of its own async tasks.
    // Tokio refuses with a panic, rather than let the thread block forever. (A
    // quiet panic hook keeps the panic's report off stderr; we print its message
    // ourselves.)
    panic::set_hook(Box::new(|_| {}));
    let mistake = runtime.block_on(async {
        let handle = Handle::current();
        panic::catch_unwind(AssertUnwindSafe(|| sync_lookup(&handle, 3)))
    });
    let _ = panic::take_hook();
    if let Err(panic) = mistake {
        let message = match panic.downcast_ref::<&str>() {
            Some(text) => text,
            None => panic.downcast_ref::<String>().map_or("?", String::as_str),
        };
        let first_sentence = message.split(". ").next().unwrap_or(message);
        println!("from async code: sync_lookup panicked: {first_sentence}.");
    }
}
// ANCHOR_END: main
