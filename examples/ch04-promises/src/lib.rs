//! Chapter 4 of Concurrency, Hands On: promises — lazy, composable operations, and a download → enrich → store pipeline.
#![forbid(unsafe_code)]
