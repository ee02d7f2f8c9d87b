//! Download → enrich → store for real: an HTTP API on 127.0.0.1, a CPU step and a
//! SQLite file; every id ends stored or reported with its error. Chapter 4 builds
//! this pipeline; Chapter 5 throttles it, so it lives in a helper crate both
//! chapters use.
#![forbid(unsafe_code)]

use std::collections::BTreeMap;
use std::error::Error;
use std::fmt;
use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use futures::future::{self, FutureExt, TryFutureExt};
use local_server::Fault;
use rusqlite::{Connection, params};
use serde::Deserialize;

// ANCHOR: types
/// One item as the API sends it: `{"id":7,"name":"item 7"}`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Item {
    pub id: u64,
    pub name: String,
}

/// An item after the enrichment step: what the database stores.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enriched {
    pub id: u64,
    pub name: String,
    pub slug: String,
    pub fingerprint: u64,
}

/// Why one id did not end up in the database. Each step adds its own kind of
/// failure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// Could not talk to the server at all (refused, reset, …).
    Network(String),
    /// No complete answer within the time allowed.
    Timeout(Duration),
    /// The server answered, but not `200 OK`.
    Status(u16),
    /// `200 OK`, but the body is not the JSON an `Item` needs.
    Malformed(String),
    /// The database refused the row.
    Store(String),
}
// ANCHOR_END: types

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Network(why) => write!(f, "network error: {why}"),
            Failure::Timeout(limit) => write!(f, "no answer within {limit:?}"),
            Failure::Status(code) => write!(f, "server answered {code}"),
            Failure::Malformed(why) => write!(f, "malformed JSON: {why}"),
            Failure::Store(why) => write!(f, "database error: {why}"),
        }
    }
}

/// An error and all its causes on one line: `a: b: c`.
fn chain(error: &dyn Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// The HTTP side: a client with a per-request time limit, and the server's address.
pub struct Api {
    client: reqwest::Client,
    base: String,
    timeout: Duration,
}

impl Api {
    /// A client for the API at `base` (for example `http://127.0.0.1:3000`).
    pub fn new(base: &str, timeout: Duration) -> Result<Api, String> {
        let client = reqwest::Client::builder()
            .no_proxy() // the API is on 127.0.0.1: never send it through a proxy
            .timeout(timeout)
            .build()
            .map_err(|e| format!("cannot build an HTTP client: {}", chain(&e)))?;
        let base = base.trim_end_matches('/').to_owned();
        Ok(Api { client, base, timeout })
    }

    /// Fails early, before anything is written, if the server cannot be reached.
    pub async fn check(&self) -> Result<(), String> {
        let url = format!("{}/health", self.base);
        match self.client.get(&url).send().await {
            Ok(response) if response.status().is_success() => Ok(()),
            Ok(response) => Err(format!("{url} answered {}", response.status())),
            Err(e) => Err(format!("cannot reach {}: {}", self.base, chain(&e))),
        }
    }

    // ANCHOR: download
    /// Step 1: fetch one item and parse it.
    pub async fn download(&self, id: u64) -> Result<Item, Failure> {
        let url = format!("{}/items/{id}", self.base);
        let response =
            self.client.get(url).send().await.map_err(|e| self.failure(e))?;
        if !response.status().is_success() {
            return Err(Failure::Status(response.status().as_u16()));
        }
        let body = response.text().await.map_err(|e| self.failure(e))?;
        serde_json::from_str(&body).map_err(|e| Failure::Malformed(e.to_string()))
    }

    fn failure(&self, error: reqwest::Error) -> Failure {
        if error.is_timeout() {
            Failure::Timeout(self.timeout)
        } else {
            Failure::Network(chain(&error))
        }
    }
    // ANCHOR_END: download
}

// ANCHOR: enrich
/// Step 2, CPU work: a URL slug and a fingerprint of the name (FNV-1a). A few
/// microseconds per item, so it runs inline; Chapter 6 moves long CPU work off the
/// runtime.
pub fn enrich(item: Item) -> Enriched {
    let slug = item
        .name
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_ascii_lowercase)
        .collect::<Vec<_>>()
        .join("-");
    let fingerprint =
        item.name.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| {
            (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
        });
    Enriched { id: item.id, name: item.name, slug, fingerprint }
}
// ANCHOR_END: enrich

/// Step 3: a SQLite file. One connection, shared behind a mutex.
#[derive(Clone)]
pub struct Store {
    db: Arc<Mutex<Connection>>,
}

impl Store {
    /// Opens (or creates) the database file and its table. Called before any
    /// download, so a path that cannot be opened stops the run before anything is
    /// fetched.
    pub fn open(path: &Path) -> Result<Store, String> {
        let open = || -> rusqlite::Result<Connection> {
            let db = Connection::open(path)?;
            // Another program (or a second run) may be writing the same file: wait
            // for it.
            db.busy_timeout(Duration::from_secs(5))?;
            db.execute_batch(
                "CREATE TABLE IF NOT EXISTS items (
                     id          INTEGER PRIMARY KEY,
                     name        TEXT NOT NULL,
                     slug        TEXT NOT NULL,
                     fingerprint TEXT NOT NULL
                 )",
            )?;
            Ok(db)
        };
        let db = open()
            .map_err(|e| format!("cannot open database {}: {e}", path.display()))?;
        Ok(Store { db: Arc::new(Mutex::new(db)) })
    }

    // ANCHOR: store
    /// Saves one row. rusqlite blocks the thread while SQLite works, so the call
    /// runs on tokio's blocking pool (`spawn_blocking`), not on the threads that
    /// drive the tasks. Saving the same id again replaces the row: a second run
    /// never duplicates one.
    pub async fn save(&self, row: Enriched) -> Result<(), Failure> {
        // SQLite's integers are signed 64-bit.
        let id = i64::try_from(row.id).map_err(|_| {
            Failure::Store(format!("id {} is too large for SQLite", row.id))
        })?;
        let db = Arc::clone(&self.db);
        let saved = tokio::task::spawn_blocking(move || {
            let db = db.lock().unwrap_or_else(PoisonError::into_inner);
            db.execute(
                "INSERT INTO items (id, name, slug, fingerprint)
                 VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (id) DO UPDATE SET name = excluded.name,
                     slug = excluded.slug, fingerprint = excluded.fingerprint",
                params![
                    id,
                    row.name,
                    row.slug,
                    format!("{:016x}", row.fingerprint)
                ],
            )
        });
        match saved.await {
            Ok(Ok(_)) => Ok(()),
            Ok(Err(e)) => Err(Failure::Store(e.to_string())),
            Err(e) => Err(Failure::Store(format!("the save task failed: {e}"))),
        }
    }

    // ANCHOR_END: store

    /// Every row, in id order. Reading is SQLite work too, so it runs on the
    /// blocking pool.
    pub async fn rows(&self) -> Result<Vec<Enriched>, String> {
        let db = Arc::clone(&self.db);
        let read = tokio::task::spawn_blocking(
            move || -> rusqlite::Result<Vec<Enriched>> {
                let db = db.lock().unwrap_or_else(PoisonError::into_inner);
                let mut query = db.prepare(
                    "SELECT id, name, slug, fingerprint FROM items ORDER BY id",
                )?;
                let rows = query.query_map([], |row| {
                    let id: i64 = row.get(0)?;
                    let hex: String = row.get(3)?;
                    Ok(Enriched {
                        // stored from a u64: never negative
                        id: id.try_into().unwrap_or_default(),
                        name: row.get(1)?,
                        slug: row.get(2)?,
                        fingerprint: u64::from_str_radix(&hex, 16).unwrap_or(0),
                    })
                })?;
                rows.collect()
            },
        );
        match read.await {
            Ok(rows) => rows.map_err(|e| format!("cannot read the database: {e}")),
            Err(e) => Err(format!("the read task failed: {e}")),
        }
    }
}

// ANCHOR: pipeline
/// What became of every id: stored, or failed with its reason. Each id is in
/// exactly one.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub stored: Vec<u64>,
    pub failed: BTreeMap<u64, Failure>,
}

/// One id's whole journey as one value: download, then enrich, then store. The
/// first failure skips the steps after it and becomes the result.
pub fn process<'a>(
    api: &'a Api,
    store: &'a Store,
    id: u64,
) -> impl Future<Output = (u64, Result<(), Failure>)> + 'a {
    api.download(id) // Result<Item, Failure>
        .map_ok(enrich) // a plain step: Item -> Enriched
        .and_then(move |row| store.save(row)) // an async step that may fail
        .map(move |result| (id, result)) // keep the id beside its outcome
}

/// Defines one promise per id, then runs them all together.
pub async fn run(
    api: &Api,
    store: &Store,
    ids: impl IntoIterator<Item = u64>,
) -> Report {
    let jobs: Vec<_> = ids.into_iter().map(|id| process(api, store, id)).collect();
    // Nothing has been fetched yet: the jobs are descriptions. join_all runs them.
    let mut report = Report::default();
    for (id, outcome) in future::join_all(jobs).await {
        match outcome {
            Ok(()) => report.stored.push(id),
            Err(failure) => {
                report.failed.insert(id, failure);
            }
        }
    }
    report
}
// ANCHOR_END: pipeline

// ANCHOR: faults
/// Ids that the listing's own server breaks on purpose, so the failure report has
/// something in it: one of each kind a real API produces.
pub fn demo_faults() -> Vec<(u64, Fault)> {
    vec![
        (13, Fault::Status(500)),
        (42, Fault::Malformed),
        (77, Fault::Stall),
        (88, Fault::Status(503)),
    ]
}
// ANCHOR_END: faults
