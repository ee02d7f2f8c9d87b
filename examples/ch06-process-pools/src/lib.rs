//! Chapter 6 of Concurrency, Hands On: process pools — CPU-bound work on threads and on real worker processes.
#![forbid(unsafe_code)]
