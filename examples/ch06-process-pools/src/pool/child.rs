//! One worker process: start it, ask it for a batch with a deadline, bury it after
//! trouble.
use std::path::PathBuf;
use std::process::{ExitStatus, Stdio};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader, Lines};
use tokio::process::{Child, ChildStdin, ChildStdout, Command};
use tokio::task::JoinHandle;

use ch06_process_pools::pool::protocol::{Reply, Request};

// ANCHOR: pool
/// How to run the pool.
#[derive(Debug, Clone)]
pub struct Pool {
    /// How many worker processes run at once.
    pub workers: usize,
    /// How many items go to a worker in one request.
    pub batch_size: usize,
    /// How many more times a batch is tried, each on a fresh worker, after a
    /// failure.
    pub max_retries: u32,
    /// How long a worker may take to answer one batch before it is killed.
    pub timeout: Duration,
    /// The program to start as a worker, and its arguments.
    pub program: PathBuf,
    pub args: Vec<String>,
}
// ANCHOR_END: pool

/// How long a worker that is dying or told to stop gets before it is killed.
const GRACE: Duration = Duration::from_secs(2);

// ANCHOR: start
/// One running worker process and the pipes to it.
pub struct Worker {
    child: Child,
    to: ChildStdin,
    from: Lines<BufReader<ChildStdout>>,
    /// The last line it wrote to stderr, once it has closed stderr (when it ends).
    last_words: JoinHandle<String>,
}

impl Worker {
    pub fn start(pool: &Pool) -> Result<Worker, String> {
        let mut child = Command::new(&pool.program)
            .args(&pool.args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            // if the coordinator gives up, no worker outlives it
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| {
                format!("cannot start worker {}: {e}", pool.program.display())
            })?;
        let to = child.stdin.take().expect("stdin is piped");
        let from =
            BufReader::new(child.stdout.take().expect("stdout is piped")).lines();
        let mut stderr = child.stderr.take().expect("stderr is piped");
        let last_words = tokio::spawn(async move {
            let mut said = String::new();
            let _ = stderr.read_to_string(&mut said).await;
            said.lines().last().unwrap_or_default().to_owned()
        });
        Ok(Worker { child, to, from, last_words })
    }

    // ANCHOR_END: start
    // ANCHOR: ask
    /// Sends one batch and waits, at most `timeout`, for its answer.
    pub async fn ask(
        &mut self,
        request: &Request,
        timeout: Duration,
    ) -> Result<Reply, Trouble> {
        let mut line =
            serde_json::to_string(request).expect("a request always serialises");
        line.push('\n');
        let exchange = async {
            self.to.write_all(line.as_bytes()).await?;
            self.to.flush().await?;
            self.from.next_line().await
        };
        let answer = match tokio::time::timeout(timeout, exchange).await {
            Err(_) => return Err(Trouble::TimedOut(timeout)),
            Ok(Err(error)) => return Err(Trouble::Pipe(error)),
            Ok(Ok(None)) => return Err(Trouble::Closed),
            Ok(Ok(Some(answer))) => answer,
        };
        let reply: Reply = serde_json::from_str(&answer)
            .map_err(|e| Trouble::BadReply(e.to_string()))?;
        if reply.batch != request.batch
            || reply.results.len() != request.items.len()
        {
            return Err(Trouble::BadReply("an answer to another batch".to_owned()));
        }
        Ok(reply)
    }

    // ANCHOR_END: ask

    // ANCHOR: bury
    /// After trouble: makes sure the process is gone, and says what happened to it.
    pub async fn bury(mut self, trouble: Trouble) -> String {
        let what = match &trouble {
            Trouble::TimedOut(limit) => format!(
                "no answer within {} ms, so the worker was killed",
                limit.as_millis()
            ),
            Trouble::Closed => "the worker ended without answering".to_owned(),
            Trouble::Pipe(error) => {
                format!("the pipe to the worker broke ({error})")
            }
            Trouble::BadReply(why) => {
                format!("the worker answered nonsense ({why}), so it was killed")
            }
        };
        // A worker that timed out or talks nonsense may still be running: kill it.
        // One that closed its output is on its way out; it gets a moment, then it
        // is killed too.
        if matches!(trouble, Trouble::TimedOut(_) | Trouble::BadReply(_)) {
            let _ = self.child.start_kill();
        }
        let status = match tokio::time::timeout(GRACE, self.child.wait()).await {
            Ok(status) => status.ok(),
            Err(_) => {
                let _ = self.child.kill().await;
                self.child.wait().await.ok()
            }
        };
        let mut story = format!("{what} ({})", describe(status));
        if let Ok(Ok(words)) = tokio::time::timeout(GRACE, self.last_words).await
            && !words.is_empty()
        {
            story.push_str(&format!("; its last words: {words:?}"));
        }
        story
    }

    // ANCHOR_END: bury

    /// No more batches: close its stdin, so it ends its loop and exits.
    pub async fn retire(mut self) {
        drop(self.to);
        if tokio::time::timeout(GRACE, self.child.wait()).await.is_err() {
            let _ = self.child.kill().await;
        }
    }
}

/// What went wrong in one exchange with a worker.
pub enum Trouble {
    TimedOut(Duration),
    Closed,
    Pipe(std::io::Error),
    BadReply(String),
}

/// How a process ended, in words.
fn describe(status: Option<ExitStatus>) -> String {
    let Some(status) = status else {
        return "it could not be waited for".to_owned();
    };
    if let Some(code) = status.code() {
        return format!("exit code {code}");
    }
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(signal) = status.signal() {
            let name = match signal {
                6 => ", SIGABRT",
                9 => ", SIGKILL",
                15 => ", SIGTERM",
                _ => "",
            };
            return format!("signal {signal}{name}");
        }
    }
    "it ended".to_owned()
}
