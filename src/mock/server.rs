//! A running mock on a socket, for the CLI and for other crates' tests: the builder, and the
//! handle that asserts on what the mock received.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::oneshot;

use super::expect::{Expectation, Times, VerifyError};
use super::faults::{Conditions, Fault};
use super::handlers::router;
use super::journal::ReceivedRequest;
use super::limits::Limits;
use super::seed::Seed;
use super::socket;
use super::state::MockState;
use super::store::{Quotas, SeedError, Store, Usage};
use crate::contract::endpoint::{API_ROOT, Endpoint};
use crate::contract::profile::{ProfileError, VendorProfile};
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
        /// What is wrong with it.
        reason: SeedError,
    },
    /// An option is out of range.
    #[error("configure the mock: {reason}")]
    Option {
        /// What is wrong.
        reason: String,
    },
    /// The vendor profile to answer like could not be loaded.
    #[error(transparent)]
    Profile(#[from] ProfileError),
}

impl From<SeedError> for MockError {
    fn from(reason: SeedError) -> Self {
        MockError::Seed { reason }
    }
}

/// The vendor a mock answers like: a profile, or where to read one.
#[derive(Debug, Clone)]
enum Like {
    File(PathBuf),
    Profile(Box<VendorProfile>),
}

/// How to start a [`MockServer`]. `Default` is: `127.0.0.1`, a free port, [`DEFAULT_API_KEY`],
/// [`Limits::default`], no fault, no processing delay.
#[derive(Debug, Clone)]
#[must_use]
pub struct MockBuilder {
    host: IpAddr,
    port: u16,
    tenants: Vec<(Option<String>, String)>,
    seed: Seed,
    conditions: Conditions,
    limits: Limits,
    faults: Vec<Fault>,
    expectations: Vec<Expectation>,
    like: Option<Like>,
}

impl Default for MockBuilder {
    fn default() -> Self {
        MockBuilder {
            host: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 0,
            tenants: Vec::new(),
            seed: Seed::new(),
            conditions: Conditions::default(),
            limits: Limits::default(),
            faults: Vec::new(),
            expectations: Vec::new(),
            like: None,
        }
    }
}

impl MockBuilder {
    /// Listen on this address (default `127.0.0.1`; `0.0.0.0` to be reached from elsewhere,
    /// e.g. another container).
    pub fn host(mut self, host: IpAddr) -> Self {
        self.host = host;
        self
    }

    /// Listen on this port (0, the default, picks a free one).
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// Accept this API key; may be called several times. Without any, [`DEFAULT_API_KEY`].
    /// The journal names its holder `key-N`, N counting the keys from 1.
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.tenants.push((None, key.into()));
        self
    }

    /// Accept this API key, held by `holder`: the journal names the holder, never the key.
    pub fn tenant(mut self, holder: impl Into<String>, key: impl Into<String>) -> Self {
        self.tenants.push((Some(holder.into()), key.into()));
        self
    }

    /// Preloads classifications, batches and files: a [`Seed`] or a JSON document in the
    /// format of `schemas/seed.json`. May be called several times; ids must differ.
    pub fn seed(mut self, seed: impl Into<Seed>) -> Self {
        self.seed = std::mem::take(&mut self.seed).and(seed.into());
        self
    }

    /// Waits this long before every answer.
    pub fn latency(mut self, latency: Duration) -> Self {
        self.conditions.latency = latency;
        self
    }

    /// Answers this share of requests (0 to 1) with 503, at random.
    pub fn fail_rate(mut self, rate: f64) -> Self {
        self.conditions.fail_rate = rate;
        self
    }

    /// Serves `/__admin/faults` (faults to inject) and `/__admin/requests` (what the mock
    /// received; recording is then on).
    pub fn admin(mut self, enabled: bool) -> Self {
        self.conditions.admin = enabled;
        self
    }

    /// Keeps a journal of the requests received (see [`MockServer::received_requests`]).
    pub fn record_requests(mut self, enabled: bool) -> Self {
        self.conditions.record = enabled;
        self
    }

    /// getResults answers `{"status": "waiting"}` (no files) for this long after each upload
    /// into a batch, as the vendor does while it processes (default: zero, processed at once).
    pub fn processing(mut self, processing: Duration) -> Self {
        self.conditions.processing = processing;
        self
    }

    /// The mock's own limits (see [`Limits`]).
    pub fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// Injects `fault` from the start (see [`Fault`]); may be called several times, the first
    /// added applies first.
    pub fn fault(mut self, fault: Fault) -> Self {
        self.faults.push(fault);
        self
    }

    /// Expects `endpoint` to receive `times` requests (`1`, `1..=3`, `2..`, ...), whatever the
    /// answers: checked by [`MockServer::verify`] and when the mock is dropped.
    pub fn expect(mut self, endpoint: Endpoint, times: impl Into<Times>) -> Self {
        self.expectations.push(Expectation {
            endpoint,
            times: times.into(),
        });
        self
    }

    /// Answers like the vendor whose profile is at `path`: a `vendor-profile.json` (written by
    /// `extracta-contract learn`), or a baseline folder holding one. Where the profile learned
    /// nothing, the mock answers as its own. Read when the mock starts.
    pub fn like(mut self, path: impl Into<PathBuf>) -> Self {
        self.like = Some(Like::File(path.into()));
        self
    }

    /// Answers like the vendor `profile` describes (see [`MockBuilder::like`]).
    pub fn profile(mut self, profile: VendorProfile) -> Self {
        self.like = Some(Like::Profile(Box::new(profile)));
        self
    }

    fn check(&self) -> Result<(), MockError> {
        let option = |reason: String| Err(MockError::Option { reason });
        if !(0.0..=1.0).contains(&self.conditions.fail_rate) {
            return option(format!(
                "the fail rate must be from 0 to 1, got {}",
                self.conditions.fail_rate
            ));
        }
        if let Some(reason) = self.limits.problem() {
            return option(reason);
        }
        if let Some(reason) = self.faults.iter().find_map(Fault::problem) {
            return option(reason);
        }
        Ok(())
    }

    /// Binds and starts serving in the background of the current tokio runtime.
    ///
    /// # Errors
    /// When the seed or an option is unusable, or the address cannot be bound.
    pub async fn start(mut self) -> Result<MockServer, MockError> {
        self.check()?;
        if self.tenants.is_empty() {
            self.tenants.push((None, DEFAULT_API_KEY.to_owned()));
        }
        let profile = match self.like.take() {
            Some(Like::File(path)) => Some(VendorProfile::load(&path)?),
            Some(Like::Profile(profile)) => Some(*profile),
            None => None,
        };
        // Compile the schemas now, not on the first request.
        let schemas = SchemaSet::global();
        let store = Store::default()
            .with_quotas(Quotas::from(&self.limits))
            .with_processing(self.conditions.processing);
        for document in self.seed.documents() {
            let violations =
                schemas
                    .check("seed", &document)
                    .map_err(|e| SeedError::Unchecked {
                        reason: e.to_string(),
                    })?;
            if !violations.is_empty() {
                return Err(SeedError::Invalid { violations }.into());
            }
            store.seed(&document, &self.tenants[0].1)?;
        }
        let addr = SocketAddr::new(self.host, self.port);
        let listener = TcpListener::bind(addr)
            .await
            .map_err(|source| MockError::Bind { addr, source })?;
        let addr = listener
            .local_addr()
            .map_err(|source| MockError::Bind { addr, source })?;
        let tenants = self
            .tenants
            .into_iter()
            .enumerate()
            .map(|(n, (holder, key))| (holder.unwrap_or_else(|| format!("key-{}", n + 1)), key));
        let mut conditions = self.conditions;
        conditions.record |= conditions.admin;
        let state = MockState::with_tenants(tenants, store)
            .with_profile(profile)
            .with_conditions(conditions)
            .with_limits(self.limits.clone())
            .map_err(|e| MockError::Option {
                reason: e.to_string(),
            })?;
        for fault in self.faults {
            state.faults().add(fault);
        }
        for expectation in self.expectations {
            state.expect(expectation);
        }
        let state = Arc::new(state);
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(socket::serve(
            listener,
            router(Arc::clone(&state)),
            self.limits,
            stopped,
        ));
        Ok(MockServer {
            addr,
            state,
            stop: Some(stop),
            task: Some(task),
        })
    }
}

/// A mock of the vendor serving on a socket; it stops when dropped, and then checks its
/// expectations (see [`MockBuilder::expect`]).
///
/// A test in another crate, deleting files the mock was seeded with:
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use extracta_contract::Endpoint;
/// use extracta_contract::mock::{MockServer, Seed};
/// use serde_json::json;
///
/// // Arrange
/// let seed = Seed::new().classification("cls-1", |c| {
///     c.name("Invoices")
///         .batch("batch-1", |b| b.file("file-1", "a.pdf").file("file-2", "b.pdf"))
/// });
/// let mock = MockServer::builder()
///     .tenant("billing-tests", "test-key")
///     .seed(seed)
///     .record_requests(true)
///     .expect(Endpoint::DeleteFiles, 1)
///     .start()
///     .await?;
///
/// // Act
/// # let _ = rustls::crypto::ring::default_provider().install_default(); // this crate's reqwest has no provider of its own
/// let deleted = reqwest::Client::new()
///     .delete(format!("{}/documentClassification/deleteFiles", mock.base_url()))
///     .bearer_auth("test-key")
///     .json(&json!({"classificationId": "cls-1", "batchId": "batch-1", "fileIds": ["file-1"]}))
///     .send()
///     .await?;
///
/// // Assert
/// assert_eq!(deleted.status(), 200);
/// assert_eq!(mock.file_count("test-key"), 1);
/// let [request] = mock.received_requests().try_into().map_err(|_| "one request")?;
/// assert_eq!(request.holder.as_deref(), Some("billing-tests"));
/// assert_eq!(request.body_json(), Some(json!({"classificationId": "cls-1", "batchId": "batch-1", "fileIds": ["file-1"]})));
/// mock.verify()?; // also checked when `mock` is dropped
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

    /// A builder for a mock with other keys, data, limits or faults.
    pub fn builder() -> MockBuilder {
        MockBuilder::default()
    }

    /// The base URL to give a client, e.g. `http://127.0.0.1:41234/api/v1` (on loopback when
    /// the mock listens on every address).
    pub fn base_url(&self) -> String {
        let ip = match self.addr.ip() {
            IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
            IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
            ip => ip,
        };
        format!("http://{}{API_ROOT}", SocketAddr::new(ip, self.addr.port()))
    }

    /// The socket address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The vendor profile it answers like, if any (see [`MockBuilder::like`]).
    pub fn profile(&self) -> Option<&VendorProfile> {
        self.state.profile()
    }

    /// The requests received, oldest first (the newest
    /// [`Limits::journal_entries`](crate::mock::Limits::journal_entries)), when the builder asked
    /// for [`record_requests`](MockBuilder::record_requests) or [`admin`](MockBuilder::admin);
    /// empty otherwise.
    pub fn received_requests(&self) -> Vec<ReceivedRequest> {
        self.state.journal().entries()
    }

    /// How many requests `endpoint` received (recorded or not), whatever the answers.
    pub fn received(&self, endpoint: Endpoint) -> u64 {
        self.state.received(endpoint)
    }

    /// Expects `endpoint` to receive `times` requests in all (see [`MockBuilder::expect`]).
    pub fn expect(&self, endpoint: Endpoint, times: impl Into<Times>) {
        self.state.expect(Expectation {
            endpoint,
            times: times.into(),
        });
    }

    /// Checks every expectation against the requests received so far.
    ///
    /// # Errors
    /// [`VerifyError::Unmet`] listing each expectation not met.
    pub fn verify(&self) -> Result<(), VerifyError> {
        self.state.verify()
    }

    /// Injects `fault` from now on (see [`Fault`]).
    ///
    /// # Errors
    /// When the fault is out of range (a status outside 400 to 599, no status nor delay).
    pub fn inject(&self, fault: Fault) -> Result<(), MockError> {
        if let Some(reason) = fault.problem() {
            return Err(MockError::Option { reason });
        }
        self.state.faults().add(fault);
        Ok(())
    }

    /// Removes every fault.
    pub fn clear_faults(&self) {
        self.state.faults().clear();
    }

    /// How many files the holder of `key` has stored, across all classifications.
    pub fn file_count(&self, key: &str) -> usize {
        self.state.store().file_count(key)
    }

    /// What the holder of `key` has stored, as its quotas count it.
    pub fn usage(&self, key: &str) -> Usage {
        self.state.store().usage(key)
    }

    /// The digest of everything the mock holds (see [`Store::digest`]).
    pub fn digest(&self) -> Vec<String> {
        self.state.store().digest()
    }

    /// Stops accepting, lets requests in flight finish within
    /// [`Limits::shutdown_timeout`](crate::mock::Limits::shutdown_timeout) (then drops their
    /// connections), and waits for the server to end.
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
        if std::thread::panicking() {
            return;
        }
        if let Err(error) = self.state.verify() {
            panic!("the mock at {} failed to {error}", self.base_url());
        }
    }
}
