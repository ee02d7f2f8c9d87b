//! What `tokio::spawn` accepts: a future that owns its data (`'static`) and is
//! `Send`.
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::time::sleep;

// ANCHOR: own
/// Fix for "may outlive the current function": give the task its own data. `async
/// move` moves what it uses into the task; clone an `Arc` first to keep a share
/// yourself.
pub async fn count_names(names: Arc<Vec<String>>) -> usize {
    let mine = Arc::clone(&names);
    let task = tokio::spawn(async move { mine.len() }); // the task owns `mine`
    task.await.expect("this task does not panic") + names.len()
}
// ANCHOR_END: own

// ANCHOR: send
/// Fix for "future cannot be sent between threads safely": share with `Arc`, not
/// `Rc`, and drop a std `MutexGuard` before the `.await` — here by closing the
/// block that holds it.
pub async fn add_later(count: Arc<Mutex<u32>>) -> u32 {
    let task = tokio::spawn(async move {
        {
            let mut guard = count.lock().expect("no one panics holding the lock");
            *guard += 1;
        } // the guard is dropped here, before the `.await`
        sleep(Duration::from_millis(10)).await;
        *count.lock().expect("no one panics holding the lock")
    });
    task.await.expect("this task does not panic")
}
// ANCHOR_END: send

// ANCHOR: main
#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    if std::env::args().len() > 1 {
        eprintln!("usage: 14_send_static (it takes no arguments)");
        std::process::exit(2);
    }
    let names = Arc::new(vec!["ada".to_string(), "grace".to_string()]);
    println!("names counted twice: {}", count_names(names).await);
    println!("count after one task: {}", add_later(Arc::new(Mutex::new(0))).await);
}
// ANCHOR_END: main
