//! `block_on` from nothing: poll the future, park the thread, and let the waker
//! unpark it.
use std::future::Future;
use std::pin::{Pin, pin};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Wake, Waker};
use std::thread::{self, Thread};
use std::time::Duration;

// ANCHOR: block_on
/// A waker for a thread that is blocked in `block_on`: waking it unparks that
/// thread.
struct ThreadWaker(Thread);

impl Wake for ThreadWaker {
    fn wake(self: Arc<Self>) {
        self.0.unpark();
    }
}

/// Runs `future` to the end on this thread and returns its output (asyncio:
/// `loop.run_until_complete`).
pub fn block_on<F: Future>(future: F) -> F::Output {
    block_on_counting(future).0
}

/// `block_on`, also returning how many times it polled the future.
pub fn block_on_counting<F: Future>(future: F) -> (F::Output, u32) {
    // Once polled, a future must not move: an `async` block may hold references
    // into itself. `pin!` fixes it in place, here on this function's stack.
    let mut future = pin!(future);
    let waker = Waker::from(Arc::new(ThreadWaker(thread::current())));
    let mut cx = Context::from_waker(&waker);
    let mut polls = 0;
    loop {
        polls += 1;
        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return (output, polls);
        }
        // Pending: the future has kept our waker. Sleep until somebody calls it. If
        // it was called already, `park` returns at once: an `unpark` is never lost.
        // (`park` may also return for no reason; then we just poll once more.)
        thread::park();
    }
}
// ANCHOR_END: block_on

// ANCHOR: in_thread
/// Runs `job` on a new thread; the future is ready with its result (asyncio's
/// `loop.run_in_executor`). The thread starts at the first poll, not before.
pub fn in_thread<T, J>(job: J) -> InThread<T>
where
    J: FnOnce() -> T + Send + 'static,
{
    let slot = Arc::new(Mutex::new(Slot { value: None, waker: None }));
    InThread { job: Some(Box::new(job)), slot }
}

pub struct InThread<T> {
    job: Option<Box<dyn FnOnce() -> T + Send>>,
    slot: Arc<Mutex<Slot<T>>>,
}

/// Where the thread leaves the result, and the waker of whoever waits for it.
struct Slot<T> {
    value: Option<T>,
    waker: Option<Waker>,
}

// ANCHOR_END: in_thread

// ANCHOR: in_thread_poll
impl<T: Send + 'static> Future for InThread<T> {
    type Output = T;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        let this = self.get_mut();
        let mut slot =
            this.slot.lock().expect("the job's thread never panics holding it");
        if let Some(value) = slot.value.take() {
            return Poll::Ready(value);
        }
        // the newest waker replaces the old one
        slot.waker = Some(cx.waker().clone());
        drop(slot);
        if let Some(job) = this.job.take() {
            let slot = Arc::clone(&this.slot);
            thread::spawn(move || {
                let value = job();
                let waker = {
                    let mut slot =
                        slot.lock().expect("the poller never panics holding it");
                    slot.value = Some(value);
                    slot.waker.take()
                };
                if let Some(waker) = waker {
                    waker.wake(); // from this thread, unpark the one in block_on
                }
            });
        }
        Poll::Pending
    }
}
// ANCHOR_END: in_thread_poll

// ANCHOR: main
fn main() {
    if std::env::args().len() > 1 {
        eprintln!("usage: 05_block_on (it takes no arguments)");
        std::process::exit(2);
    }
    let job = in_thread(|| {
        thread::sleep(Duration::from_millis(50)); // a slow, blocking job
        (1..=1000u64).sum::<u64>()
    });
    let (sum, polls) = block_on_counting(job);
    println!("another thread computed {sum}; block_on polled {polls} times");

    let (answer, polls) = block_on_counting(async { 6 * 7 });
    println!("async {{ 6 * 7 }} gave {answer}; block_on polled {polls} time");
}
// ANCHOR_END: main
