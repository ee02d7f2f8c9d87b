//! A bounded channel holds the producer back and keeps the queue at or under its
//! capacity; an unbounded one lets the queue grow to every item made. Exact, on
//! tokio's paused clock.
use std::time::Duration;

use ch05_throttling::listings::backpressure::{
    CAPACITY, Finish, ITEMS, QueueLength, WORK, bounded, unbounded,
};
use proptest::prelude::*;
use timeline::on_paused_clock;

fn run_bounded(items: usize, capacity: usize, work: Duration) -> (Finish, usize) {
    on_paused_clock(async {
        let queue = QueueLength::new();
        let finish = bounded(items, capacity, work, &queue).await;
        (finish, queue.most())
    })
}

fn run_unbounded(items: usize, work: Duration) -> (Finish, usize) {
    on_paused_clock(async {
        let queue = QueueLength::new();
        let finish = unbounded(items, work, &queue).await;
        (finish, queue.most())
    })
}

/// The listing's numbers: bounded(4), the producer ends at 1500 ms and the consumer
/// at 2000 ms with at most 4 queued; unbounded, the producer ends at once with all
/// 20 queued.
#[test]
fn the_listings_numbers() {
    let ms = Duration::from_millis;
    let (finish, most) = run_bounded(ITEMS, CAPACITY, WORK);
    assert_eq!(finish, Finish { producer: ms(1500), consumer: ms(2000) });
    assert_eq!(most, 4);
    let (finish, most) = run_unbounded(ITEMS, WORK);
    assert_eq!(finish, Finish { producer: ms(0), consumer: ms(2000) });
    assert_eq!(most, 20);
}

proptest! {
    /// For any sizes: the queue never holds more than the capacity, and the
    /// producer is held to the consumer's pace. Item `k` can only be sent once item
    /// `k - capacity - 1` has been taken, so the last send is at `(items - capacity
    /// - 1) × work`; the consumer ends at `items × work`.
    #[test]
    fn bounded_queue_stays_within_capacity(
        items in 0usize..60,
        capacity in 1usize..8,
        work_ms in 1u64..200,
    ) {
        let work = Duration::from_millis(work_ms);
        let (finish, most) = run_bounded(items, capacity, work);
        prop_assert!(most <= capacity);
        prop_assert_eq!(most, capacity.min(items));
        let held_back = items.saturating_sub(capacity + 1) as u32;
        prop_assert_eq!(finish.producer, work * held_back);
        prop_assert_eq!(finish.consumer, work * items as u32);
    }

    /// Unbounded, nothing holds the producer back: it ends at once, and the queue
    /// holds every item it made.
    #[test]
    fn unbounded_queue_grows_to_every_item(items in 0usize..200, work_ms in 1u64..200) {
        let work = Duration::from_millis(work_ms);
        let (finish, most) = run_unbounded(items, work);
        prop_assert_eq!(most, items);
        prop_assert_eq!(finish.producer, Duration::ZERO);
        prop_assert_eq!(finish.consumer, work * items as u32);
    }
}
