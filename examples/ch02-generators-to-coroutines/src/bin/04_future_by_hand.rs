//! A future by hand: a timer that returns `Pending`, keeps the waker, and is woken
//! by a thread.
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};
use std::thread;
use std::time::Duration;

const MS: Duration = Duration::from_millis(1);

// ANCHOR: delay
/// A future that is ready `duration` after it is first polled. Its output is the
/// number of times it was polled, so you can see that nobody polls it in a loop.
pub struct Delay {
    duration: Duration,
    polls: u32,
    shared: Arc<Mutex<Shared>>,
}

/// What the future and its timer thread share.
#[derive(Default)]
struct Shared {
    done: bool,
    waker: Option<Waker>,
}

impl Delay {
    pub fn new(duration: Duration) -> Self {
        // Creating a future starts nothing (like calling an `async def` in Python).
        let shared = Arc::new(Mutex::new(Shared::default()));
        Delay { duration, polls: 0, shared }
    }
}
// ANCHOR_END: delay

// ANCHOR: poll
impl Future for Delay {
    type Output = u32;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<u32> {
        // fine: Delay holds nothing that cares if it moves
        let this = self.get_mut();
        this.polls += 1;
        let ms = this.duration.as_millis();
        let mut shared =
            this.shared.lock().expect("the timer thread does not panic");
        if shared.done {
            println!("poll {} of Delay({ms} ms): Ready", this.polls);
            return Poll::Ready(this.polls);
        }
        // Not yet. Keep the waker of *this* poll, replacing any older one: the
        // future may have moved into another task, or under a combinator with its
        // own waker, since; only the newest waker is sure to reach whoever polls it
        // now.
        shared.waker = Some(cx.waker().clone());
        drop(shared);
        if this.polls == 1 {
            println!(
                "poll 1 of Delay({ms} ms): Pending, waker stored, timer started"
            );
            start_timer(this.duration, Arc::clone(&this.shared));
        } else {
            println!("poll {} of Delay({ms} ms): Pending again", this.polls);
        }
        Poll::Pending
    }
}

// ANCHOR_END: poll

// ANCHOR: timer
/// The "event source": a thread that sleeps, then marks the delay done and calls
/// the waker.
fn start_timer(duration: Duration, shared: Arc<Mutex<Shared>>) {
    thread::spawn(move || {
        thread::sleep(duration);
        let waker = {
            let mut shared =
                shared.lock().expect("the polling thread does not panic");
            shared.done = true;
            shared.waker.take()
        };
        println!(
            "timer thread: {} ms passed, calling wake()",
            duration.as_millis()
        );
        // Wake after unlocking: an executor may poll the future right away, and
        // that poll takes the same lock.
        if let Some(waker) = waker {
            waker.wake();
        }
    });
}
// ANCHOR_END: timer

// ANCHOR: async_fn
/// Two delays, one after the other. Returns how many polls each one took.
pub async fn two_naps() -> (u32, u32) {
    let first = Delay::new(20 * MS).await; // pause point 1
    let second = Delay::new(30 * MS).await; // pause point 2: `first` must be kept
    (first, second)
}
// ANCHOR_END: async_fn

// ANCHOR: state_machine
/// Roughly what the compiler makes of `two_naps`: one variant per place the
/// function can be paused, holding the local variables that are still alive there.
pub enum TwoNaps {
    Start,
    First(Delay),
    Second { first: u32, delay: Delay },
    Done,
}

impl Future for TwoNaps {
    type Output = (u32, u32);

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<(u32, u32)> {
        let state = self.get_mut();
        loop {
            match state {
                TwoNaps::Start => *state = TwoNaps::First(Delay::new(20 * MS)),
                TwoNaps::First(delay) => match Pin::new(delay).poll(cx) {
                    Poll::Pending => return Poll::Pending, // pause point 1
                    Poll::Ready(first) => {
                        let delay = Delay::new(30 * MS);
                        *state = TwoNaps::Second { first, delay };
                    }
                },
                TwoNaps::Second { first, delay } => {
                    match Pin::new(delay).poll(cx) {
                        Poll::Pending => return Poll::Pending, // pause point 2
                        Poll::Ready(second) => {
                            let output = (*first, second);
                            *state = TwoNaps::Done;
                            return Poll::Ready(output);
                        }
                    }
                }
                TwoNaps::Done => panic!("polled again after it was Ready"),
            }
        }
    }
}
// ANCHOR_END: state_machine

// ANCHOR: main
fn main() {
    if std::env::args().len() > 1 {
        eprintln!("usage: 04_future_by_hand (it takes no arguments)");
        std::process::exit(2);
    }
    // futures' block_on polls, then sleeps until woken; listing 05 builds one from
    // nothing.
    let polls = futures::executor::block_on(Delay::new(50 * MS));
    println!("Delay(50 ms) was polled {polls} times\n");

    let (first, second) = futures::executor::block_on(two_naps());
    println!("two_naps(): its delays were polled {first} and {second} times\n");

    let (first, second) = futures::executor::block_on(TwoNaps::Start);
    println!("TwoNaps by hand: its delays were polled {first} and {second} times");
}
// ANCHOR_END: main
