//! A producer that cannot wait sheds what does not fit: with items arriving every
//! 10 ms for a second and each consumer handling one per 50 ms, `c` consumers
//! handle `c × 20` plus the 4 left in the channel, and the rest are shed; the
//! producer never waits. Exact, on tokio's paused clock.
use std::sync::Arc;
use std::time::Duration;

use ch05_throttling::listings::shedding::{
    CAPACITY, EVERY, ITEMS, Outcome, WORK, produce, shed_load,
};
use tokio::sync::{Mutex, mpsc};
use tokio::task::JoinSet;
use tokio::time::sleep;

/// The producer's last item arrives at `(ITEMS − 1) × EVERY`: it never waited.
const LAST_ARRIVAL: Duration = Duration::from_millis(990);

/// Each consumer is busy the whole second the items arrive, handling one every
/// `WORK`; when the producer stops, the channel holds `CAPACITY` more, which are
/// handled too. What is left over was shed.
fn expected(consumers: usize) -> Outcome {
    let per_consumer = (EVERY * ITEMS as u32).as_millis() / WORK.as_millis(); // 20
    let handled = ITEMS.min(consumers * per_consumer as usize + CAPACITY);
    Outcome { handled, shed: ITEMS - handled, producer_done: LAST_ARRIVAL }
}

/// The listing's rows: 1 consumer handles 24 and sheds 76; 3 handle 64 and shed
/// 36; 5 keep up, and nothing is shed.
#[tokio::test(start_paused = true)]
async fn the_listings_numbers() {
    let ms = Duration::from_millis;
    let rows = [(1, 24, 76), (3, 64, 36), (5, 100, 0)];
    for (consumers, handled, shed) in rows {
        let outcome = shed_load(ITEMS, EVERY, consumers).await;
        assert_eq!(outcome, Outcome { handled, shed, producer_done: ms(990) });
        assert_eq!(outcome, expected(consumers));
    }
}

/// From one consumer to more than enough: each one adds 20 handled items, until
/// the consumers keep up with the arrivals.
#[tokio::test(start_paused = true)]
async fn each_consumer_adds_its_share() {
    for consumers in 1..=8 {
        let outcome = shed_load(ITEMS, EVERY, consumers).await;
        assert_eq!(outcome, expected(consumers), "{consumers} consumers");
    }
}

/// Arriving slower than one consumer works (one per 60 ms against one per 50 ms),
/// nothing is shed, and the producer still never waits.
#[tokio::test(start_paused = true)]
async fn a_slow_enough_producer_sheds_nothing() {
    let every = Duration::from_millis(60);
    let outcome = shed_load(ITEMS, every, 1).await;
    assert_eq!(outcome.shed, 0);
    assert_eq!(outcome.handled, ITEMS);
    assert_eq!(outcome.producer_done, every * (ITEMS as u32 - 1));
}

/// The listing's workers, but each binds the lock guard to a name, so it is held
/// through the slow work instead of being dropped at the end of the `let`. Returns
/// how many items were handled.
async fn shed_load_holding_the_lock(consumers: usize) -> usize {
    let (tx, rx) = mpsc::channel(CAPACITY);
    let rx = Arc::new(Mutex::new(rx));
    let mut workers = JoinSet::new();
    for _ in 0..consumers {
        let rx = Arc::clone(&rx);
        workers.spawn(async move {
            let mut handled = 0;
            loop {
                let mut guard = rx.lock().await; // held to the end of the loop body
                let Some(_item) = guard.recv().await else { return handled };
                sleep(WORK).await; // the slow part, with the lock still held
                handled += 1;
            }
        });
    }
    produce(ITEMS, EVERY, tx).await;
    workers.join_all().await.into_iter().sum()
}

/// Holding the guard through the work serialises the workers: five handle what
/// one handles, 24, where the listing's five handle all 100.
#[tokio::test(start_paused = true)]
async fn a_guard_held_through_the_work_serialises_the_workers() {
    assert_eq!(shed_load_holding_the_lock(5).await, expected(1).handled);
    assert_eq!(shed_load(ITEMS, EVERY, 5).await.handled, ITEMS);
}
