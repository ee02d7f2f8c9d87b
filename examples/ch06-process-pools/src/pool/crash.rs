//! Workers that fail on purpose, so that tests (and you) can watch the coordinator
//! cope.
use std::process::Stdio;
use std::time::Duration;

// ANCHOR: crash
/// How a worker fails on purpose, so that tests (and you) can watch the coordinator
/// cope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CrashMode {
    /// `panic!`: the process exits with code 101.
    Panic,
    /// `std::process::exit(3)`.
    Exit,
    /// SIGKILL, the signal the kernel's out-of-memory killer sends; no program can
    /// catch it.
    Kill,
    /// Never answer; the coordinator's per-batch timeout must kill it.
    Hang,
}

/// Fail in this way on this batch, on its first `times` attempts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Crash {
    pub batch: usize,
    pub mode: CrashMode,
    pub times: u32,
}

// ANCHOR_END: crash

impl Crash {
    pub fn strike(self) -> ! {
        let batch = self.batch;
        match self.mode {
            CrashMode::Panic => panic!("told to crash on batch {batch}"),
            CrashMode::Exit => {
                eprintln!("worker: exiting with code 3, as told, on batch {batch}");
                std::process::exit(3)
            }
            CrashMode::Kill => {
                eprintln!(
                    "worker: sending itself SIGKILL, as told, on batch {batch}"
                );
                kill_myself()
            }
            CrashMode::Hang => {
                eprintln!("worker: hanging, as told, on batch {batch}");
                loop {
                    std::thread::sleep(Duration::from_secs(3600));
                }
            }
        }
    }

    /// The flags that ask a worker for this crash.
    pub fn to_args(self) -> Vec<String> {
        let mode = match self.mode {
            CrashMode::Panic => "panic",
            CrashMode::Exit => "exit",
            CrashMode::Kill => "kill",
            CrashMode::Hang => "hang",
        };
        let flags = [
            ("--crash-on-batch", self.batch.to_string()),
            ("--crash-mode", mode.to_owned()),
            ("--crash-times", self.times.to_string()),
        ];
        flags
            .into_iter()
            .flat_map(|(flag, value)| [flag.to_owned(), value])
            .collect()
    }
}

/// The standard library cannot send a signal, so ask the `kill` command to send
/// SIGKILL to this process; if it cannot, abort (SIGABRT), which also ends the
/// process by a signal.
fn kill_myself() -> ! {
    let _ = std::process::Command::new("kill")
        .args(["-KILL", &std::process::id().to_string()])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    std::thread::sleep(Duration::from_secs(1)); // the signal is on its way
    std::process::abort()
}
