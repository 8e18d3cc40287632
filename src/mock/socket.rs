//! The socket: an accept loop over hyper's HTTP/1 connections, with the connection limits of
//! [`Limits`]: a request head must arrive within the header timeout, a kept-alive connection
//! may wait for its next request only as long as the idle timeout, connections are capped
//! (the one that has waited longest for a request makes room; while none has waited a
//! second, new ones wait in the listen queue), a connection hyper closes after an answer
//! reads what the client still sends for a moment first (so the client reads the answer
//! rather than a reset), and a shutdown lets requests in flight finish within the shutdown
//! timeout, then drops their connections.
//!
//! Each connection has a [`Clock`]: what it is doing (waiting for a head, busy with a
//! request, writing the answer, idle) and since when. The socket wrapper notes the first
//! bytes after an idle spell and the end of each answer's writing, the service notes when a
//! request starts and its answer is ready, and a watchdog task beside the connection's own
//! task ends it when its phase lasts too long, when it is evicted, or when a shutdown finds
//! it with no request in flight. The connection's task itself polls nothing but hyper.

use std::collections::HashMap;
use std::convert::Infallible;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use axum::Router;
use axum::http::{HeaderValue, header};
use axum::response::Response;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Notify, oneshot};
use tokio::task::{AbortHandle, JoinSet};

use super::limits::Limits;

/// The phases of a connection, in the top bits of its clock.
/// Waiting for (the rest of) a request's head.
const WAITING: u64 = 0;
/// A request is being answered.
const BUSY: u64 = 1;
/// The answer is ready and being written.
const WRITING: u64 = 2;
/// Between an answer and the next request.
const IDLE: u64 = 3;
/// Chosen to make room for another connection.
const EVICTED: u64 = 4;
/// Ended.
const CLOSED: u64 = 5;
const PHASE_SHIFT: u32 = 60;
const SINCE_MASK: u64 = (1 << PHASE_SHIFT) - 1;

/// What a connection is doing and since when (milliseconds from the server's start).
#[derive(Debug)]
struct Clock {
    state: AtomicU64,
    epoch: Instant,
    /// Wakes the watchdog: an eviction, a shutdown, the end of the connection.
    attention: Notify,
    /// The server is shutting down (shared by every connection).
    draining: Arc<AtomicBool>,
    /// hyper closed the connection after an answer: read what the client still sends for a
    /// moment before closing the socket, so that its unread bytes do not reset the
    /// connection before the client has read the answer.
    linger: AtomicBool,
}

impl Clock {
    fn now(&self) -> u64 {
        u64::try_from(self.epoch.elapsed().as_millis()).unwrap_or(SINCE_MASK) & SINCE_MASK
    }

    fn set(&self, phase: u64, since: u64) {
        self.state
            .store(phase << PHASE_SHIFT | since, Ordering::Release);
    }

    fn load(&self) -> (u64, u64) {
        let state = self.state.load(Ordering::Acquire);
        (state >> PHASE_SHIFT, state & SINCE_MASK)
    }

    /// Moves from `from` to `to` (keeping the time, or taking `since`) if still in `from`.
    fn advance(&self, from: u64, to: u64, since: Option<u64>) {
        let state = self.state.load(Ordering::Relaxed);
        if state >> PHASE_SHIFT == from {
            let since = since.unwrap_or(state & SINCE_MASK);
            let _ = self.state.compare_exchange(
                state,
                to << PHASE_SHIFT | since,
                Ordering::AcqRel,
                Ordering::Relaxed,
            );
        }
    }

    /// Bytes arrived: an idle connection starts waiting for the rest of a request's head.
    fn bytes_arrived(&self) {
        if self.state.load(Ordering::Relaxed) >> PHASE_SHIFT == IDLE {
            self.advance(IDLE, WAITING, Some(self.now()));
        }
    }

    /// Closes the connection soon, if it is waiting for a request.
    fn evict(&self) -> bool {
        let state = self.state.load(Ordering::Acquire);
        let phase = state >> PHASE_SHIFT;
        if phase != WAITING && phase != IDLE {
            return false;
        }
        let evicted = self
            .state
            .compare_exchange(
                state,
                EVICTED << PHASE_SHIFT,
                Ordering::AcqRel,
                Ordering::Relaxed,
            )
            .is_ok();
        if evicted {
            self.attention.notify_one();
        }
        evicted
    }

    fn at(&self, since: u64) -> tokio::time::Instant {
        tokio::time::Instant::from_std(self.epoch + Duration::from_millis(since))
    }
}

/// How long each phase may last.
#[derive(Debug, Clone, Copy)]
struct Timeouts {
    header: Duration,
    idle: Duration,
}

/// Watches one connection and aborts its task when the phase it is in has lasted too long,
/// when it is evicted, or when a shutdown finds it with no request in flight; ends with it.
async fn watchdog(clock: Arc<Clock>, connection: AbortHandle, timeouts: Timeouts) {
    let sleep = tokio::time::sleep(timeouts.header);
    tokio::pin!(sleep);
    loop {
        let (phase, since) = clock.load();
        let draining = clock.draining.load(Ordering::Acquire);
        let deadline = match phase {
            CLOSED => return,
            EVICTED => break,
            WAITING | IDLE if draining => break,
            WAITING => clock.at(since) + timeouts.header,
            WRITING | IDLE => clock.at(since) + timeouts.idle,
            // A request runs (its body has its own timeout): look again later, soon when the
            // server is shutting down and waits for it to end.
            _ if draining => tokio::time::Instant::now() + Duration::from_millis(10),
            _ => tokio::time::Instant::now() + timeouts.header.min(timeouts.idle),
        };
        sleep.as_mut().reset(deadline);
        tokio::select! {
            biased;
            () = clock.attention.notified() => {}
            () = &mut sleep => {
                if phase != BUSY && clock.load() == (phase, since) {
                    break;
                }
            }
        }
    }
    connection.abort();
}

/// The open connections, for the cap and the shutdown.
#[derive(Debug, Default)]
struct Registry {
    next: AtomicU64,
    draining: Arc<AtomicBool>,
    clocks: Mutex<HashMap<u64, Arc<Clock>>>,
}

impl Registry {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<u64, Arc<Clock>>> {
        self.clocks.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn register(self: &Arc<Self>, epoch: Instant) -> Entry {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        let clock = Arc::new(Clock {
            state: AtomicU64::new(0),
            epoch,
            attention: Notify::new(),
            draining: Arc::clone(&self.draining),
            linger: AtomicBool::new(false),
        });
        clock.set(WAITING, clock.now());
        self.lock().insert(id, Arc::clone(&clock));
        Entry {
            id,
            clock,
            registry: Arc::clone(self),
        }
    }

    /// Whether there is room for one more connection under `max`; when there is not, evicts
    /// the connection that has waited longest for a request, if it has waited `at_least`.
    fn make_room(&self, max: usize, at_least: Duration) -> bool {
        let clocks = self.lock();
        if clocks.len() < max {
            return true;
        }
        // Evicted connections leave the registry when their task ends; they count as gone.
        let open = clocks.values().filter(|c| c.load().0 != EVICTED).count();
        if open < max {
            return true;
        }
        let Some(now) = clocks.values().next().map(|c| c.now()) else {
            return true;
        };
        let at_least = u64::try_from(at_least.as_millis()).unwrap_or(u64::MAX);
        clocks
            .iter()
            .filter_map(|(id, c)| {
                let (phase, since) = c.load();
                (phase == WAITING || phase == IDLE).then_some((since, *id, c))
            })
            .min_by_key(|(since, id, _)| (*since, *id))
            .is_some_and(|(since, _, clock)| now.saturating_sub(since) >= at_least && clock.evict())
    }

    /// Starts the shutdown: every watchdog looks again, and ends its connection unless a
    /// request is in flight; answers from now on close their connections.
    fn drain(&self) {
        self.draining.store(true, Ordering::Release);
        for clock in self.lock().values() {
            clock.attention.notify_one();
        }
    }
}

/// A connection's place in the registry, given up (and its watchdog told) when it ends.
struct Entry {
    id: u64,
    clock: Arc<Clock>,
    registry: Arc<Registry>,
}

impl Drop for Entry {
    fn drop(&mut self) {
        self.clock.set(CLOSED, 0);
        self.clock.attention.notify_one();
        self.registry.lock().remove(&self.id);
    }
}

/// How long and how much a closing connection reads and throws away (see [`Clock::linger`]).
#[derive(Debug, Clone, Copy)]
struct Linger {
    timeout: Duration,
    bytes: usize,
}

/// The socket, noting on the clock when bytes arrive and when an answer is written.
struct Watched {
    stream: Option<TcpStream>,
    clock: Arc<Clock>,
    linger: Linger,
}

fn gone() -> io::Error {
    io::Error::from(io::ErrorKind::NotConnected)
}

impl AsyncRead for Watched {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let Some(stream) = this.stream.as_mut() else {
            return Poll::Ready(Err(gone()));
        };
        let before = buf.filled().len();
        let polled = Pin::new(stream).poll_read(cx, buf);
        if buf.filled().len() > before {
            this.clock.bytes_arrived();
        }
        polled
    }
}

impl AsyncWrite for Watched {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        match self.get_mut().stream.as_mut() {
            Some(stream) => Pin::new(stream).poll_write(cx, buf),
            None => Poll::Ready(Err(gone())),
        }
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        match self.get_mut().stream.as_mut() {
            Some(stream) => Pin::new(stream).poll_write_vectored(cx, bufs),
            None => Poll::Ready(Err(gone())),
        }
    }

    fn is_write_vectored(&self) -> bool {
        self.stream
            .as_ref()
            .is_some_and(TcpStream::is_write_vectored)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let Some(stream) = this.stream.as_mut() else {
            return Poll::Ready(Err(gone()));
        };
        let flushed = Pin::new(stream).poll_flush(cx);
        if matches!(flushed, Poll::Ready(Ok(()))) {
            // hyper flushes once an answer is written: the connection is idle from then.
            this.clock.advance(WRITING, IDLE, None);
        }
        flushed
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        // hyper shuts the socket down when it closes the connection itself, after an answer.
        this.clock.linger.store(true, Ordering::Release);
        match this.stream.as_mut() {
            Some(stream) => Pin::new(stream).poll_shutdown(cx),
            None => Poll::Ready(Err(gone())),
        }
    }
}

impl Drop for Watched {
    fn drop(&mut self) {
        if !self.clock.linger.load(Ordering::Acquire) {
            return;
        }
        if let (Some(stream), Ok(runtime)) =
            (self.stream.take(), tokio::runtime::Handle::try_current())
        {
            runtime.spawn(linger(stream, self.linger));
        }
    }
}

/// Closes a connection the polite way: no more writing, then read and throw away what the
/// client still sends (a body the mock refused to read), within bounds, then close.
async fn linger(mut stream: TcpStream, linger: Linger) {
    let _ = stream.shutdown().await;
    let deadline = tokio::time::Instant::now() + linger.timeout;
    let mut buffer = [0_u8; 4096];
    let mut read = 0;
    while read < linger.bytes {
        match tokio::time::timeout_at(deadline, stream.read(&mut buffer)).await {
            Ok(Ok(n)) if n > 0 => read += n,
            _ => break,
        }
    }
}

/// The router as hyper calls it, noting on the clock when each request starts and ends.
#[derive(Clone)]
struct Service {
    router: Router,
    clock: Arc<Clock>,
}

impl hyper::service::Service<hyper::Request<Incoming>> for Service {
    type Response = Response;
    type Error = Infallible;
    type Future = Tracked;

    fn call(&self, request: hyper::Request<Incoming>) -> Self::Future {
        // The watchdog reads no time in this phase: none is taken.
        self.clock.set(BUSY, 0);
        let mut router = self.router.clone();
        Tracked {
            inner: tower_service::Service::call(&mut router, request),
            clock: Arc::clone(&self.clock),
        }
    }
}

/// A request being answered; once the answer is ready, it is being written.
struct Tracked {
    inner: axum::routing::future::RouteFuture<Infallible>,
    clock: Arc<Clock>,
}

impl Future for Tracked {
    type Output = Result<Response, Infallible>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        let Poll::Ready(Ok(mut response)) = Pin::new(&mut this.inner).poll(cx) else {
            return Poll::Pending;
        };
        if this.clock.draining.load(Ordering::Acquire) {
            response
                .headers_mut()
                .insert(header::CONNECTION, HeaderValue::from_static("close"));
        }
        this.clock.set(WRITING, this.clock.now());
        Poll::Ready(Ok(response))
    }
}

impl Drop for Tracked {
    fn drop(&mut self) {
        // Dropped before its answer was ready (the connection went away): idle.
        if self.clock.load().0 == BUSY {
            self.clock.set(IDLE, self.clock.now());
        }
    }
}

/// Serves `router` on `listener` until `stop` fires (or its sender is dropped), then shuts
/// down within the limits' shutdown timeout.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: Limits,
    mut stop: oneshot::Receiver<()>,
) {
    let epoch = Instant::now();
    let registry = Arc::new(Registry::default());
    let mut builder = http1::Builder::new();
    builder.keep_alive(true).header_read_timeout(None);
    let timeouts = Timeouts {
        header: limits.header_timeout,
        idle: limits.idle_timeout,
    };
    let linger = Linger {
        timeout: limits.refusal_drain_timeout,
        bytes: limits.max_upload_body.max(limits.max_json_body),
    };
    let mut connections = JoinSet::new();
    // A connection is evicted to make room only once it has waited this long for a request,
    // so that a burst of new clients does not evict its own members.
    let patience = limits
        .header_timeout
        .min(limits.idle_timeout)
        .min(Duration::from_secs(1));
    'serving: loop {
        // At the cap, new connections wait in the listen queue until there is room.
        while !registry.make_room(limits.max_connections, patience) {
            tokio::select! {
                biased;
                _ = &mut stop => break 'serving,
                Some(_) = connections.join_next(), if !connections.is_empty() => {}
                () = tokio::time::sleep(Duration::from_millis(10)) => {}
            }
        }
        tokio::select! {
            biased;
            _ = &mut stop => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    let _ = stream.set_nodelay(true);
                    let entry = registry.register(epoch);
                    let clock = Arc::clone(&entry.clock);
                    let connection = serve_connection(builder.clone(), router.clone(), entry, stream, linger);
                    let handle = connections.spawn(connection);
                    tokio::spawn(watchdog(clock, handle, timeouts));
                }
                Err(error) if is_connection_error(&error) => {}
                Err(error) => {
                    // Out of file descriptors, most likely: wait for some to close.
                    tracing::warn!(target: "extracta_contract::mock", %error, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    drop(listener);
    registry.drain();
    let finished = async { while connections.join_next().await.is_some() {} };
    if tokio::time::timeout(limits.shutdown_timeout, finished)
        .await
        .is_err()
    {
        connections.abort_all();
        while connections.join_next().await.is_some() {}
    }
}

fn is_connection_error(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
    )
}

/// Serves one connection until hyper ends it (or its watchdog aborts this task).
async fn serve_connection(
    builder: http1::Builder,
    router: Router,
    entry: Entry,
    stream: TcpStream,
    linger: Linger,
) {
    let io = TokioIo::new(Watched {
        stream: Some(stream),
        clock: Arc::clone(&entry.clock),
        linger,
    });
    let service = Service {
        router,
        clock: Arc::clone(&entry.clock),
    };
    let _ = builder.serve_connection(io, service).await;
    drop(entry);
}
