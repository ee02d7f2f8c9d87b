//! Chapter 5 of Concurrency, Hands On: throttling — limits on how many, and how fast.
#![forbid(unsafe_code)]
