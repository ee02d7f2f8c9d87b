// Does not compile: a std `MutexGuard` held across `.await` makes the future
// `!Send`.
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[tokio::main]
async fn main() {
    let count = Arc::new(Mutex::new(0));
    let task = tokio::spawn(async move {
        let mut guard = count.lock().expect("no one panics holding the lock");
        // the guard is still held here
        tokio::time::sleep(Duration::from_millis(10)).await;
        *guard += 1;
    });
    let _ = task.await;
}
