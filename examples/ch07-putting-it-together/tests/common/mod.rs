//! Helpers shared by the crate's test files.
#![allow(dead_code)] // each test file uses some of them

use std::io::{self, Read};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// A log that exists nowhere: `lines` copies of one line, made as they are read. It
/// counts the bytes it has handed out, so a test can see how far ahead a reader
/// got.
pub struct Endless {
    line: Vec<u8>,
    left: u64,
    pos: usize,
    served: Arc<AtomicU64>,
}

impl Endless {
    pub fn new(line: &[u8], lines: u64) -> Endless {
        Endless { line: line.to_vec(), left: lines, pos: 0, served: Arc::default() }
    }

    /// A handle to the count of bytes read so far, which stays valid after the log
    /// moves.
    pub fn served(&self) -> Arc<AtomicU64> {
        Arc::clone(&self.served)
    }
}

impl Read for Endless {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let mut n = 0;
        while n < buf.len() && self.left > 0 {
            let take = (self.line.len() - self.pos).min(buf.len() - n);
            buf[n..n + take].copy_from_slice(&self.line[self.pos..self.pos + take]);
            n += take;
            self.pos += take;
            if self.pos == self.line.len() {
                self.pos = 0;
                self.left -= 1;
            }
        }
        self.served.fetch_add(n as u64, Ordering::SeqCst);
        Ok(n)
    }
}

/// The tool's library, set up the way its command line sets it up, for tests that
/// drive `tool::run` in-process.
#[cfg(feature = "http")]
pub mod pipeline {
    use std::io::{self, Write};
    use std::sync::{Arc, Mutex, PoisonError};
    use std::time::Duration;

    use ch07_putting_it_together::formats::Format;
    use ch07_putting_it_together::input;
    use ch07_putting_it_together::record::{Record, Recorded};
    use ch07_putting_it_together::refire::{Limits, Refirer};
    use ch07_putting_it_together::select::Selection;
    use ch07_putting_it_together::tool::{Job, Stop, Summary, run};
    use indicatif::ProgressBar;
    use local_server::LocalServer;
    use reqwest::header::HeaderMap;
    use throttle::retry::Backoff;
    use tokio::sync::watch;

    pub const ATTEMPTS: u32 = 3;

    pub fn limits(
        concurrency: usize,
        rate: Option<(u32, Duration)>,
        timeout: Duration,
    ) -> Limits {
        Limits {
            concurrency,
            rate,
            timeout,
            backoff: Backoff {
                base: Duration::from_millis(10),
                factor: 2,
                max_delay: Duration::from_millis(100),
                max_attempts: ATTEMPTS,
                max_elapsed: Duration::from_secs(60),
            },
            seed: 1,
        }
    }

    /// A retry log in memory that a test can read while the run goes on.
    #[derive(Clone, Default)]
    pub struct Shared(pub Arc<Mutex<Vec<u8>>>);

    impl Write for Shared {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    impl Shared {
        pub fn text(&self) -> String {
            let bytes =
                self.0.lock().unwrap_or_else(PoisonError::into_inner).clone();
            String::from_utf8(bytes).expect("the retry log is UTF-8")
        }

        pub fn records(&self) -> Vec<Record> {
            let text = self.text();
            assert!(text.is_empty() || text.ends_with('\n'), "a partial last line");
            text.lines()
                .map(|line| {
                    Record::parse(line)
                        .unwrap_or_else(|| panic!("not a record: {line:?}"))
                })
                .collect()
        }

        pub fn recorded(&self) -> Recorded {
            Recorded::read(self.text().as_bytes()).expect("memory")
        }
    }

    /// A job over one log in memory.
    pub fn job(
        log: Vec<u8>,
        format: Format,
        recorded: Recorded,
        dedupe: bool,
    ) -> Job {
        let reader = Box::new(io::Cursor::new(log));
        Job {
            inputs: vec![
                input::from_reader("access.log", reader, Some(format))
                    .expect("a log"),
            ],
            selection: Selection::default(),
            dedupe,
            recorded,
            json: false,
        }
    }

    /// Runs `job` against `server` to its end, or until `stop` says otherwise.
    pub async fn refire(
        job: Job,
        server: &LocalServer,
        limits: &Limits,
        out: impl Write + Send + 'static,
        stop: watch::Receiver<Stop>,
    ) -> Summary {
        let refirer = Refirer::new(&server.url(""), limits, HeaderMap::new())
            .expect("a client");
        let progress = ProgressBar::hidden();
        run(
            job,
            Arc::new(refirer),
            limits.concurrency,
            Box::new(out),
            progress,
            stop,
        )
        .await
        .expect("the run works")
    }
}
