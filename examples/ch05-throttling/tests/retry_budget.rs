//! Listing 12's retry budget: during an outage it holds retries to 10 % of the
//! requests plus 3, where retrying without one quadruples the load; when failures
//! are rare it allows every retry. On tokio's paused clock, so the counts are exact.
use ch05_throttling::listings::retry_budget::{
    Counts, Load, MAX_ATTEMPTS, REQUESTS, RetryBudget, Server, run, send,
};
use proptest::prelude::*;

fn load(down: bool, with_budget: bool) -> Load {
    timeline::on_paused_clock(async {
        let server = Server::new(down, 20);
        let budget = RetryBudget::new(10, 3);
        run(&server, with_budget.then_some(&budget)).await
    })
}

/// The listing's figures: 400 attempts without a budget and 113 with one while the
/// server is down; 105 either way, all succeeding, when 1 attempt in 20 fails.
#[test]
fn the_listings_figures() {
    let all = REQUESTS * u64::from(MAX_ATTEMPTS);
    assert_eq!(load(true, false), Load { attempts: all, succeeded: 0 });
    let budget = REQUESTS + REQUESTS / 10 + 3;
    assert_eq!(load(true, true), Load { attempts: budget, succeeded: 0 });
    for with_budget in [false, true] {
        let healthy = load(false, with_budget);
        assert_eq!(
            healthy,
            Load { attempts: 105, succeeded: 100 },
            "{with_budget}"
        );
    }
}

/// The budget is charged only for retries that happen: against a server that is
/// down, the retries it counts are the attempts made beyond the first ones. One
/// request with room for every retry, then the listing's hundred.
#[test]
fn the_budget_counts_only_the_retries_made() {
    timeline::on_paused_clock(async {
        let server = Server::new(true, 20);
        let budget = RetryBudget::new(0, 10);
        assert!(!send(&server, Some(&budget)).await);
        let attempts = server.attempts.load(std::sync::atomic::Ordering::SeqCst);
        assert_eq!(attempts, u64::from(MAX_ATTEMPTS));
        assert_eq!(budget.counts(), Counts { requests: 1, retries: attempts - 1 });

        let server = Server::new(true, 20);
        let budget = RetryBudget::new(10, 3);
        let load = run(&server, Some(&budget)).await;
        assert_eq!(budget.counts().retries, load.attempts - REQUESTS);
    });
}

#[test]
fn with_no_requests_only_the_floor_is_allowed() {
    let budget = RetryBudget::new(10, 2);
    assert!(budget.try_retry());
    assert!(budget.try_retry());
    assert!(!budget.try_retry());
    assert_eq!(budget.counts(), Counts { requests: 0, retries: 2 });
}

proptest! {
    /// Over any mix of requests and retries asked for: a retry is allowed exactly
    /// when the retries so far are under `requests × percent / 100 + floor`, so the
    /// retries never pass that bound, and the budget is never stingier than it.
    #[test]
    fn retries_stay_under_the_bound_and_use_all_of_it(
        percent in 0u64..100,
        floor in 0u64..10,
        events in prop::collection::vec(any::<bool>(), 0..300),
    ) {
        let budget = RetryBudget::new(percent, floor);
        for is_request in events {
            let before = budget.counts();
            let bound = before.requests * percent / 100 + floor;
            if is_request {
                budget.request();
            } else {
                prop_assert_eq!(budget.try_retry(), before.retries < bound);
            }
            let after = budget.counts();
            prop_assert!(after.retries <= after.requests * percent / 100 + floor);
        }
    }
}
