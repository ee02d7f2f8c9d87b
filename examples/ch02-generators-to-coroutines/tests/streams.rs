//! Listing 08 (streams): readings arrive on time, and the comprehension is lazy.
use std::time::Duration;

use ch02_generators_to_coroutines::listings::streams;
use futures::StreamExt;

const MS: Duration = Duration::from_millis(1);

/// The stream yields one reading every 10 ms of (virtual) time, then ends.
#[tokio::test(start_paused = true)]
async fn readings_arrive_every_10_ms_and_end() {
    let start = tokio::time::Instant::now();
    let mut times = Vec::new();
    let mut stream = std::pin::pin!(streams::readings(5));
    while let Some(_reading) = stream.next().await {
        times.push(start.elapsed());
    }
    assert_eq!(times, (1..=5).map(|i| 10 * MS * i).collect::<Vec<_>>());
}

/// The comprehension matches the plain iterator version, and `take(5)` stops the
/// generator: it finishes at 100 ms, when the tenth reading (the fifth even one)
/// arrives.
#[tokio::test(start_paused = true)]
async fn the_comprehension_is_lazy_and_matches_a_plain_iterator() {
    let all: Vec<u32> = streams::readings(20).collect().await;
    let expected: Vec<u32> =
        all.iter().filter(|r| *r % 2 == 0).map(|r| r * 10).take(5).collect();

    let start = tokio::time::Instant::now();
    let values = streams::first_even_readings_times_ten(20).await;
    assert_eq!(values, expected);
    let tenth =
        all.iter().enumerate().filter(|(_, r)| *r % 2 == 0).nth(4).unwrap().0 + 1;
    assert_eq!(
        start.elapsed(),
        10 * MS * tenth as u32,
        "no reading after the fifth even one"
    );
}
