//! Helpers shared by the crate's test files.
#![allow(dead_code)] // each test file uses some of them

use std::io::{self, Read};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// A log that exists nowhere: `lines` copies of one line, made as they are read. It counts
/// the bytes it has handed out, so a test can see how far ahead a reader got.
pub struct Endless {
    line: Vec<u8>,
    left: u64,
    pos: usize,
    served: Arc<AtomicU64>,
}

impl Endless {
    pub fn new(line: &[u8], lines: u64) -> Endless {
        Endless {
            line: line.to_vec(),
            left: lines,
            pos: 0,
            served: Arc::default(),
        }
    }

    /// A handle to the count of bytes read so far, which stays valid after the log moves.
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
