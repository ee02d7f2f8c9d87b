//! Listing 1's model of a rate limit, on tokio's paused clock: what the page says
//! of it beyond the output it prints, and (with `--features http`) that it is the
//! local server's own rule.
use std::sync::Mutex;
use std::time::Duration;

use ch05_throttling::listings::burst_model::{Limit, send};
use tokio::time::{Instant, sleep_until};

const MS: Duration = Duration::from_millis(1);
const SECOND: Duration = Duration::from_secs(1);

/// "50 at once and then one every 20 ms would all get in and be done at 1,000 ms."
#[tokio::test(start_paused = true)]
async fn the_burst_then_the_pace_lets_all_in_by_one_second() {
    let start = Instant::now();
    let limit = Mutex::new(Limit::new(50, SECOND));
    let (at_once, _) = send(50, Duration::ZERO, &limit).await;
    assert_eq!(at_once, 50);
    let mut last = start;
    for i in 1..=50u32 {
        last = start + 20 * MS * i;
        sleep_until(last).await;
        assert!(
            limit.lock().expect("not poisoned").admit(),
            "request {i} at {:?}",
            last - start
        );
    }
    assert_eq!(last - start, 1000 * MS);
}

/// The model lets in exactly the requests the local server's rule lets in, for any
/// limit and any arrival times.
#[cfg(feature = "http")]
mod same_rule {
    use local_server::RateLimit;
    use proptest::prelude::*;
    use timeline::on_paused_clock;

    use super::*;

    proptest! {
        #[test]
        fn the_model_decides_as_the_server_does(
            max in 1u32..60,
            per_ms in 1u32..3000,
            gaps_ms in proptest::collection::vec(0u32..100, 0..150),
        ) {
            let per = MS * per_ms;
            let (model, server) = on_paused_clock(async move {
                let mut model = Limit::new(max, per);
                let rule = RateLimit { max, per };
                let mut next_free = None;
                let (mut by_model, mut by_server) = (Vec::new(), Vec::new());
                for gap in gaps_ms {
                    tokio::time::advance(gap * MS).await;
                    by_model.push(model.admit());
                    by_server.push(rule.admit(&mut next_free, Instant::now()).is_ok());
                }
                (by_model, by_server)
            });
            prop_assert_eq!(model, server);
        }
    }
}
