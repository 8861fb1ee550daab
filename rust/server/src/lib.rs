//! RCIM reference server: the client gateway (TCP + protobuf frames), navigation and the
//! RongCloud-compatible Server API (HTTP), with embedded SQLite storage.
//!
//! ```no_run
//! # async fn demo() -> anyhow::Result<()> {
//! let config = rcim_server::ServerConfig::new("/tmp/rcim", "appkey", "secret");
//! let server = rcim_server::start(config).await?;
//! let navi_server = server.navi_url(); // the client's `naviServer` option
//! server.shutdown().await;
//! # Ok(()) }
//! ```
//!
//! Source layout: `gateway.rs` (client connections), `hub.rs` (online sessions, delivery,
//! device rules), `store.rs` (SQLite, one writer thread with group commit), `http.rs` (router,
//! Server API authentication, lenient forms, navigation), `api/*.rs` (one file per Server API
//! module; `api/mod.rs` holds the endpoint table) and `token.rs` (connection tokens).

#![warn(missing_docs)]

mod api;
mod gateway;
mod http;
mod hub;
mod store;
mod token;
mod util;

pub use token::{issue_token, verify_signature, TokenClaims};

use anyhow::Context as _;
use hub::Hub;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;
use store::{Db, WriteCmd};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

/// Everything the server needs to start. No config file: build it in code or from the CLI.
#[derive(Clone)]
pub struct ServerConfig {
    /// Directory of the SQLite database (created if missing).
    pub data_dir: PathBuf,
    /// Client gateway address (port 0 = any free port).
    pub listen: SocketAddr,
    /// HTTP address: navigation and the Server API (port 0 = any free port).
    pub http: SocketAddr,
    /// The one app this server hosts.
    pub app_key: String,
    /// Secret of that app: signs tokens and Server API requests. Never sent to clients.
    pub app_secret: String,
    /// Expected seconds between client heartbeats; a connection silent for 3× this is closed.
    pub heartbeat_secs: u32,
    /// Days offline inbox entries are kept (0 = never pruned).
    pub offline_retention_days: u32,
    /// Accepted sends per connection in any sliding second (RongCloud: 5); 0 = unlimited.
    pub send_rate_per_sec: u32,
}

impl std::fmt::Debug for ServerConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServerConfig")
            .field("data_dir", &self.data_dir)
            .field("listen", &self.listen)
            .field("http", &self.http)
            .field("app_key", &self.app_key)
            .field("app_secret", &"<redacted>")
            .field("heartbeat_secs", &self.heartbeat_secs)
            .field("offline_retention_days", &self.offline_retention_days)
            .field("send_rate_per_sec", &self.send_rate_per_sec)
            .finish()
    }
}

impl ServerConfig {
    /// A config with defaults: gateway and HTTP on `127.0.0.1:0`, 30 s heartbeat, 7 days of
    /// offline storage, 5 sends per second.
    pub fn new(
        data_dir: impl Into<PathBuf>,
        app_key: impl Into<String>,
        app_secret: impl Into<String>,
    ) -> Self {
        let any_port = SocketAddr::from(([127, 0, 0, 1], 0));
        Self {
            data_dir: data_dir.into(),
            listen: any_port,
            http: any_port,
            app_key: app_key.into(),
            app_secret: app_secret.into(),
            heartbeat_secs: 30,
            offline_retention_days: 7,
            send_rate_per_sec: 5,
        }
    }
}

/// State shared by the gateway, the HTTP handlers and the database writer.
pub(crate) struct Shared {
    pub(crate) config: ServerConfig,
    pub(crate) gateway_addr: SocketAddr,
    pub(crate) db: Db,
    pub(crate) hub: Arc<Hub>,
    /// Graceful stop: stop accepting, close connections.
    pub(crate) stop: CancellationToken,
    /// Crash simulation: drop everything at once.
    pub(crate) kill: CancellationToken,
    pub(crate) tracker: TaskTracker,
    next_conn: AtomicU64,
}

impl Shared {
    pub(crate) fn next_conn_id(&self) -> u64 {
        self.next_conn.fetch_add(1, Ordering::Relaxed) + 1
    }

    /// Silence after which a connection is closed: three heartbeats.
    pub(crate) fn idle_timeout(&self) -> Duration {
        Duration::from_secs(u64::from(self.config.heartbeat_secs.max(1)) * 3)
    }
}

/// Sizes of the server's per-user in-memory tables; each is bounded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MemoryStats {
    /// Users the session registry holds state for: online, or in the middle of a login.
    pub hub_users: usize,
    /// Inbox heads cached by the database writer (cleared beyond 65,536 users).
    pub cached_heads: usize,
    /// Conversations whose last sent time the writer remembers (trimmed beyond 100,000).
    pub conversation_clocks: usize,
}

/// A started server. Drop it only through [`RunningServer::shutdown`] or
/// [`RunningServer::abort`].
pub struct RunningServer {
    shared: Arc<Shared>,
    http_addr: SocketAddr,
    tasks: Vec<JoinHandle<()>>,
}

impl RunningServer {
    /// Address of the client gateway.
    pub fn gateway_addr(&self) -> SocketAddr {
        self.shared.gateway_addr
    }

    /// Address of the HTTP server (navigation, Server API).
    pub fn http_addr(&self) -> SocketAddr {
        self.http_addr
    }

    /// The client's `naviServer` option: `http://HOST:PORT`.
    pub fn navi_url(&self) -> String {
        format!("http://{}", self.http_addr)
    }

    /// Number of authenticated client connections online now.
    pub fn connection_count(&self) -> usize {
        self.shared.hub.connection_count()
    }

    /// Sizes of the server's per-user in-memory tables (monitoring, tests).
    pub fn memory_stats(&self) -> MemoryStats {
        let (cached_heads, conversation_clocks) = self.shared.db.cache_sizes();
        MemoryStats {
            hub_users: self.shared.hub.user_count(),
            cached_heads,
            conversation_clocks,
        }
    }

    /// Graceful stop: stop accepting, close every connection (queued frames are flushed first),
    /// let pending writes commit, checkpoint the database.
    pub async fn shutdown(self) {
        let s = &self.shared;
        s.stop.cancel();
        s.hub.close_all();
        s.tracker.close();
        if tokio::time::timeout(Duration::from_secs(5), s.tracker.wait())
            .await
            .is_err()
        {
            tracing::warn!("connections did not close in time; dropping them");
            s.kill.cancel();
            let _ = tokio::time::timeout(Duration::from_secs(2), s.tracker.wait()).await;
        }
        for t in self.tasks {
            let _ = tokio::time::timeout(Duration::from_secs(5), t).await;
        }
        s.db.close().await;
        tracing::info!("server stopped");
    }

    /// Simulates a crash: every socket and task is dropped at once, queued but uncommitted
    /// writes are lost (nothing was acknowledged for them), nobody gets a goodbye frame.
    pub fn abort(self) {
        let s = &self.shared;
        s.kill.cancel();
        for t in &self.tasks {
            t.abort();
        }
        s.db.abort();
        tracing::info!("server aborted");
    }
}

/// Binds `addr`, retrying briefly while the port is still held by a server that was just
/// stopped or aborted.
async fn bind(addr: SocketAddr) -> anyhow::Result<TcpListener> {
    let mut attempt = 0;
    loop {
        match TcpListener::bind(addr).await {
            Ok(l) => return Ok(l),
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse && attempt < 40 => {
                attempt += 1;
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            Err(e) => return Err(e).with_context(|| format!("binding {addr}")),
        }
    }
}

/// Opens the database and starts the gateway and the HTTP server.
pub async fn start(config: ServerConfig) -> anyhow::Result<RunningServer> {
    let hub = Arc::new(Hub::default());
    let db = {
        let dir = config.data_dir.clone();
        let hub = hub.clone();
        tokio::task::spawn_blocking(move || Db::open(&dir, hub))
            .await
            .context("opening the database")??
    };
    let gateway = bind(config.listen).await?;
    let http = bind(config.http).await?;
    let gateway_addr = gateway.local_addr()?;
    let http_addr = http.local_addr()?;
    let shared = Arc::new(Shared {
        config,
        gateway_addr,
        db,
        hub,
        stop: CancellationToken::new(),
        kill: CancellationToken::new(),
        tracker: TaskTracker::new(),
        next_conn: AtomicU64::new(0),
    });
    tracing::info!(gateway = %gateway_addr, http = %http_addr,
        data_dir = %shared.config.data_dir.display(), "rcim-server listening");

    let tasks = vec![
        tokio::spawn(gateway::accept_loop(gateway, shared.clone())),
        tokio::spawn(http::serve(http, shared.clone())),
        tokio::spawn(prune_loop(shared.clone())),
    ];
    Ok(RunningServer {
        shared,
        http_addr,
        tasks,
    })
}

/// Deletes offline entries older than the retention period, at start and then hourly.
async fn prune_loop(shared: Arc<Shared>) {
    if shared.config.offline_retention_days == 0 {
        return;
    }
    let retention_ms = i64::from(shared.config.offline_retention_days) * 86_400_000;
    let mut tick = tokio::time::interval(Duration::from_secs(3600));
    loop {
        tokio::select! {
            _ = shared.stop.cancelled() => break,
            _ = shared.kill.cancelled() => break,
            _ = tick.tick() => {}
        }
        let before_ms = util::now_ms() - retention_ms;
        if shared
            .db
            .write(WriteCmd::Prune { before_ms })
            .await
            .is_err()
        {
            break;
        }
    }
}
