//! The recorder on tokio's paused clock, where times are exact.

use std::time::Duration;

use timeline::{Recorder, Span};
use tokio::time::sleep;

const MS_50: Duration = Duration::from_millis(50);

fn times(spans: &[Span]) -> Vec<(&str, Duration, Duration)> {
    spans.iter().map(|s| (s.label.as_str(), s.start, s.end)).collect()
}

#[tokio::test(start_paused = true)]
async fn concurrent_tasks_overlap_exactly() {
    let recorder = Recorder::new();
    let (a, b) = tokio::join!(
        recorder.record_async("task a", async {
            sleep(MS_50).await;
            'a'
        }),
        recorder.record_async("task b", sleep(MS_50)),
    );
    assert_eq!((a, b), ('a', ()));
    assert_eq!(
        times(&recorder.spans()),
        [("task a", Duration::ZERO, MS_50), ("task b", Duration::ZERO, MS_50)]
    );
}

#[tokio::test(start_paused = true)]
async fn sequential_tasks_follow_each_other() {
    let recorder = Recorder::new();
    recorder.record_async("first", sleep(MS_50)).await;
    recorder.record_async("second", sleep(MS_50)).await;
    assert_eq!(
        times(&recorder.spans()),
        [("first", Duration::ZERO, MS_50), ("second", MS_50, 2 * MS_50)]
    );
}

#[tokio::test(start_paused = true)]
async fn spawned_tasks_share_one_recorder() {
    let recorder = Recorder::new();
    let mut handles = Vec::new();
    // Spawned in reverse so the recording order differs from the sorted one.
    for i in (1..=10u64).rev() {
        let recorder = recorder.clone();
        handles.push(tokio::spawn(async move {
            recorder
                .record_async(
                    format!("job {i}"),
                    sleep(Duration::from_millis(10 * i)),
                )
                .await
        }));
    }
    for handle in handles {
        handle.await.expect("task does not panic");
    }
    let spans = recorder.spans();
    let labels: Vec<&str> = spans.iter().map(|s| s.label.as_str()).collect();
    // All start at 0, so they sort by label in natural order.
    assert_eq!(
        labels,
        [
            "job 1", "job 2", "job 3", "job 4", "job 5", "job 6", "job 7", "job 8",
            "job 9", "job 10"
        ]
    );
    for (i, span) in (1..).zip(&spans) {
        assert_eq!(span.start, Duration::ZERO);
        assert_eq!(span.end, Duration::from_millis(10 * i));
    }
    // A current-thread runtime: every span is on this test's thread.
    let here = format!("{:?}", std::thread::current().id());
    assert!(spans.iter().all(|s| s.thread == here));
}

#[tokio::test(start_paused = true)]
async fn start_is_the_first_poll() {
    let recorder = Recorder::new();
    let later = recorder.record_async("later", async {});
    sleep(MS_50).await;
    later.await;
    assert_eq!(times(&recorder.spans()), [("later", MS_50, MS_50)]);
}

#[tokio::test(start_paused = true)]
async fn paused_pictures_are_reproducible() {
    async fn run() -> String {
        let recorder = Recorder::new();
        tokio::join!(
            recorder.record_async("job 1", sleep(MS_50)),
            recorder.record_async("job 2", sleep(2 * MS_50)),
        );
        recorder.record_async("job 3", sleep(MS_50)).await;
        recorder.timeline("repro", "Reproducible").to_svg()
    }
    let first = run().await;
    let second = run().await;
    assert_eq!(first, second);
    assert!(first.contains("3 spans on 1 thread, from 0 ms to 150 ms."));
}

#[test]
fn blocking_work_is_timed_on_its_thread() {
    // Outside a runtime the recorder follows real time.
    let recorder = Recorder::new();
    let worker = recorder.clone();
    let (value, thread) = std::thread::spawn(move || {
        let value = worker.record("work", || {
            // Busy for at least 20 ms of real time (a lower bound, which any
            // machine meets).
            let began = std::time::Instant::now();
            while began.elapsed() < Duration::from_millis(20) {
                std::hint::spin_loop();
            }
            42
        });
        (value, format!("{:?}", std::thread::current().id()))
    })
    .join()
    .expect("worker does not panic");
    assert_eq!(value, 42);
    let spans = recorder.spans();
    assert_eq!(spans.len(), 1);
    assert_eq!(spans[0].thread, thread);
    assert_ne!(thread, format!("{:?}", std::thread::current().id()));
    assert!(spans[0].end - spans[0].start >= Duration::from_millis(20));
}
