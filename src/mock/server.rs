//! A running mock on a loopback socket, for the CLI and for other crates' tests.

use std::net::SocketAddr;
use std::sync::Arc;

use tokio::net::TcpListener;
use tokio::sync::oneshot;

use super::routes::{BASE_PATH, MockState, router};
use super::state::Store;

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
}

/// How to start a [`MockServer`]. `Default` is: loopback, a free port, [`DEFAULT_API_KEY`].
#[derive(Debug, Clone, Default)]
#[must_use]
pub struct MockBuilder {
    port: u16,
    keys: Vec<String>,
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

    /// Binds and starts serving in the background of the current tokio runtime.
    ///
    /// # Errors
    /// When the port cannot be bound.
    pub async fn start(self) -> Result<MockServer, MockError> {
        let keys = if self.keys.is_empty() {
            vec![DEFAULT_API_KEY.to_owned()]
        } else {
            self.keys
        };
        let addr = SocketAddr::from(([127, 0, 0, 1], self.port));
        let listener = TcpListener::bind(addr)
            .await
            .map_err(|source| MockError::Bind { addr, source })?;
        let addr = listener
            .local_addr()
            .map_err(|source| MockError::Bind { addr, source })?;
        let state = Arc::new(MockState::new(keys, Store::default()));
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
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let mock = extracta_contract::MockServer::start().await?;
/// assert!(mock.base_url().starts_with("http://127.0.0.1:"));
/// assert!(mock.base_url().ends_with("/api/v1"));
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
        let api_root = BASE_PATH.trim_end_matches("/documentClassification");
        format!("http://{}{api_root}", self.addr)
    }

    /// The socket address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// How many files the holder of `key` has stored, across all classifications.
    pub fn file_count(&self, key: &str) -> usize {
        self.state.with_store(|store| store.file_count(key))
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
