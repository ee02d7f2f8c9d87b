// Does not compile: `rand::rng()` is a `ThreadRng`, which is not `Send`, and
// `retry` holds it across `.await`, so `tokio::spawn` rejects the task.
use std::time::Duration;

use throttle::retry::{Backoff, retry};

const POLICY: Backoff = Backoff {
    base: Duration::from_millis(100),
    factor: 2,
    max_delay: Duration::from_secs(2),
    max_attempts: 5,
    max_elapsed: Duration::from_secs(10),
};

async fn attempt(n: u32) -> Result<u32, u32> {
    if n < 3 { Err(n) } else { Ok(n) }
}

#[tokio::main]
async fn main() {
    let task = tokio::spawn(async {
        retry(&POLICY, &mut rand::rng(), |_: &u32| true, attempt).await
    });
    println!("{:?}", task.await);
}
