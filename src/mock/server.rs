//! A running mock on a loopback socket, for the CLI and for other crates' tests.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;

use tokio::net::TcpListener;
use tokio::sync::oneshot;

use super::faults::Behaviour;
use super::handlers::router;
use super::journal::ReceivedRequest;
use super::state::MockState;
use super::store::Store;
use crate::contract::endpoint::API_ROOT;
use crate::contract::schema::SchemaSet;

/// The key the mock accepts when none is configured, for local use only.
pub const DEFAULT_API_KEY: &str = "mock-api-key";

/// Why the mock could not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MockError {
    /// The address could not be bound.
    #[error("bind the mock to {addr}: {source}")]
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// The cause.
        source: std::io::Error,
    },
    /// The seed document is not usable.
    #[error("load the seed: {reason}")]
    Seed {
        /// Every problem, with its JSON pointer.
        reason: String,
    },
    /// An option is out of range.
    #[error("configure the mock: {reason}")]
    Option {
        /// What is wrong.
        reason: String,
    },
}

/// How to start a [`MockServer`]. `Default` is: loopback, a free port, [`DEFAULT_API_KEY`].
#[derive(Debug, Clone, Default)]
#[must_use]
pub struct MockBuilder {
    port: u16,
    keys: Vec<String>,
    seed: Option<Value>,
    behaviour: Behaviour,
}

impl MockBuilder {
    /// Listen on this loopback port (0, the default, picks a free one).
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// Accept this API key; may be called several times. Without any, [`DEFAULT_API_KEY`].
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.keys.push(key.into());
        self
    }

    /// Preloads classifications, batches and files (the format of `schemas/seed.json`).
    pub fn seed(mut self, seed: Value) -> Self {
        self.seed = Some(seed);
        self
    }

    /// Waits this long before every answer.
    pub fn latency(mut self, latency: Duration) -> Self {
        self.behaviour.latency = latency;
        self
    }

    /// Answers this share of requests (0 to 1) with 503, at random.
    pub fn fail_rate(mut self, rate: f64) -> Self {
        self.behaviour.fail_rate = rate;
        self
    }

    /// Serves `POST /__admin/faults {"status": 503, "count": 3}` (and `DELETE` to clear).
    pub fn admin(mut self, enabled: bool) -> Self {
        self.behaviour.admin = enabled;
        self
    }

    /// Keeps a journal of the requests received (see [`MockServer::received_requests`]).
    pub fn record_requests(mut self, enabled: bool) -> Self {
        self.behaviour.record = enabled;
        self
    }

    /// Binds and starts serving in the background of the current tokio runtime.
    ///
    /// # Errors
    /// When the seed or an option is unusable, or the port cannot be bound.
    pub async fn start(self) -> Result<MockServer, MockError> {
        let keys = if self.keys.is_empty() {
            vec![DEFAULT_API_KEY.to_owned()]
        } else {
            self.keys
        };
        if !(0.0..=1.0).contains(&self.behaviour.fail_rate) {
            return Err(MockError::Option {
                reason: format!(
                    "the fail rate must be from 0 to 1, got {}",
                    self.behaviour.fail_rate
                ),
            });
        }
        // Compile the schemas now, not on the first request.
        SchemaSet::global().map_err(|e| MockError::Option {
            reason: e.to_string(),
        })?;
        let mut store = Store::default();
        if let Some(seed) = &self.seed {
            let seed_error = |reason: String| MockError::Seed { reason };
            let schemas = SchemaSet::global().map_err(|e| seed_error(e.to_string()))?;
            let violations = schemas
                .check("seed", seed)
                .map_err(|e| seed_error(e.to_string()))?;
            if !violations.is_empty() {
                let listed: Vec<String> = violations.iter().map(ToString::to_string).collect();
                return Err(seed_error(listed.join("; ")));
            }
            store.seed(seed, &keys[0]).map_err(seed_error)?;
        }
        let addr = SocketAddr::from(([127, 0, 0, 1], self.port));
        let listener = TcpListener::bind(addr)
            .await
            .map_err(|source| MockError::Bind { addr, source })?;
        let addr = listener
            .local_addr()
            .map_err(|source| MockError::Bind { addr, source })?;
        let state = Arc::new(MockState::with_behaviour(keys, store, self.behaviour));
        let (stop, stopped) = oneshot::channel::<()>();
        let app = router(Arc::clone(&state));
        let task = tokio::spawn(async move {
            let shutdown = async {
                let _ = stopped.await;
            };
            // An accept error ends the server; the handle's owner sees requests fail.
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(shutdown)
                .await;
        });
        Ok(MockServer {
            addr,
            state,
            stop: Some(stop),
            task: Some(task),
        })
    }
}

/// A mock of the vendor serving on `127.0.0.1`; it stops when dropped.
///
/// A test in another crate, deleting files the mock was seeded with:
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use extracta_contract::MockServer;
/// use serde_json::json;
///
/// let seed = json!({"classifications": [{
///     "classificationId": "cls-1",
///     "classificationDetails": {"name": "Invoices", "documentTypes": []},
///     "batches": [{"batchId": "batch-1", "files": [
///         {"fileId": "file-1", "fileName": "a.pdf"},
///         {"fileId": "file-2", "fileName": "b.pdf"}]}]}]});
/// let mock = MockServer::builder().api_key("test-key").seed(seed).start().await?;
///
/// let client = reqwest::Client::new();
/// let deleted = client
///     .delete(format!("{}/documentClassification/deleteFiles", mock.base_url()))
///     .bearer_auth("test-key")
///     .json(&json!({"classificationId": "cls-1", "batchId": "batch-1", "fileIds": ["file-1"]}))
///     .send()
///     .await?;
/// assert_eq!(deleted.status(), 200);
/// assert_eq!(deleted.json::<serde_json::Value>().await?["message"], "Files deleted");
/// assert_eq!(mock.file_count("test-key"), 1);
/// # Ok(())
/// # }
/// ```
#[derive(Debug)]
pub struct MockServer {
    addr: SocketAddr,
    state: Arc<MockState>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl MockServer {
    /// Starts a mock with the defaults of [`MockBuilder`].
    ///
    /// # Errors
    /// When no loopback port can be bound.
    pub async fn start() -> Result<MockServer, MockError> {
        MockBuilder::default().start().await
    }

    /// A builder for a mock with other keys or a fixed port.
    pub fn builder() -> MockBuilder {
        MockBuilder::default()
    }

    /// The base URL to give a client, e.g. `http://127.0.0.1:41234/api/v1`.
    pub fn base_url(&self) -> String {
        format!("http://{}{API_ROOT}", self.addr)
    }

    /// The socket address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The requests received, oldest first (the newest
    /// [`JOURNAL_CAPACITY`](super::journal::JOURNAL_CAPACITY)), when the builder asked for
    /// [`record_requests`](MockBuilder::record_requests).
    pub fn received_requests(&self) -> Vec<ReceivedRequest> {
        self.state.journal().entries()
    }

    /// How many files the holder of `key` has stored, across all classifications.
    pub fn file_count(&self, key: &str) -> usize {
        self.state.with_store(|store| store.file_count(key))
    }

    /// The digest of everything the mock holds (see [`Store::digest`]).
    pub fn digest(&self) -> Vec<String> {
        self.state.with_store(|store| store.digest())
    }

    /// Stops accepting, lets requests in flight finish, and waits for the server to end.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}
