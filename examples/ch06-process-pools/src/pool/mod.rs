//! Listing 05's machinery, one module per concern: the protocol and the worker's
//! loop, one worker process, the slots and the coordinator, and the crashes on
//! purpose. The listing (`src/bin/05_worker_processes.rs`) is the command line
//! around them.
//!
//! The modules name each other by the crate's full path
//! (`ch06_process_pools::pool::…`), so that each file, shown on its own in the
//! book, also compiles there on its own.
pub mod child;
pub mod crash;
pub mod protocol;
pub mod slots;
