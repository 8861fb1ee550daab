//! RCIM reference server: the client gateway (TCP + protobuf frames), navigation, the
//! RongCloud-compatible Server API and the media file service (HTTP), with embedded SQLite
//! storage and media files on disk.
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
//! Layers, top to bottom (each file only uses files below it):
//! * front ends: `gateway/` (client connections: framing, login, limits, one handler per
//!   request) and `http/` + `api/` (navigation; the Server API on axum routes, signature
//!   middleware, form extractor) + `fileserver.rs` (media uploads and downloads);
//! * `service/`: the business rules and their codes, shared by both front ends;
//! * `store/`: the `ServerStore` trait, its SQLite implementation and conformance
//!   suite; `blob/`: the `BlobStore` trait of media files and its file-system
//!   implementation; `fanout.rs` + `hub.rs`: live delivery behind the `Fanout` trait (the hub also
//!   keeps the online sessions and device rules);
//! * `model.rs` (domain types and caps), `token.rs`, `util.rs`.
//!
//! This file wires them: the store publishes committed entries on a feed that is connected to
//! the hub ([`fanout::deliver_commits`]); the store never calls delivery itself.

#![warn(missing_docs)]

mod api;
mod blob;
mod bus;
pub mod cli;
mod cluster;
mod cluster_records;
mod config;
mod expansion;
mod fanout;
mod fileserver;
#[doc(hidden)]
pub mod fuzzing;
mod gateway;
mod http;
mod hub;
mod limits;
mod metrics;
mod model;
mod outbound;
pub mod push;
mod push_frame;
mod service;
mod settings;
mod state;
mod store;
mod tls;
mod token;
mod util;

pub use bus::BusStats;
pub use config::{
    ApiSecurityConfig, ChatroomConfig, ClusterConfig, LimitsConfig, MediaConfig, OpsConfig,
    ServerConfig, StorageConfig, StoreBackend, Synchronous, TlsConfig, UltraGroupConfig,
};
pub use push::PushConfig;
pub use service::chatroom::ChatroomStats;
pub use service::push::PushStats;
pub use store::disable_sqlite_memory_statistics;
pub use token::{issue_token, verify_signature, TokenClaims};

use anyhow::Context as _;
use hub::Hub;
use state::Shared;
use std::net::SocketAddr;
use std::sync::atomic::AtomicU64;
use std::sync::Arc;
use std::time::Duration;
use store::{commit_feed, ServerStore, SqlStore};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

/// Directory of the uploaded media files under the data directory.
const MEDIA_DIR: &str = "media";

/// Sizes of the server's per-user in-memory tables; each is bounded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MemoryStats {
    /// Users the session registry holds state for: online, or in the middle of a login.
    pub hub_users: usize,
    /// Inbox heads (per user) and history heads (per conversation) cached by the database
    /// writer (each cache cleared beyond 65,536 entries).
    pub cached_heads: usize,
    /// Conversations whose last sent time the writer remembers (trimmed beyond 100,000).
    pub conversation_clocks: usize,
}

/// A started server. Drop it only through [`RunningServer::shutdown`] or
/// [`RunningServer::abort`].
pub struct RunningServer {
    shared: Arc<Shared>,
    http_addr: SocketAddr,
    /// The listeners' TLS (none: plain TCP).
    tls: Option<tls::Tls>,
    /// The admin listener (Server API, metrics), when configured.
    admin_addr: Option<SocketAddr>,
    tasks: Vec<JoinHandle<()>>,
    /// Connects the store's commit feed to the hub; ends after the store stops.
    delivery: JoinHandle<()>,
    /// The push service's worker (none without providers).
    push_worker: Option<JoinHandle<()>>,
    /// The bus publisher (none in process); ends after the last commits were published.
    bus_publisher: Option<JoinHandle<()>>,
}

impl RunningServer {
    /// Address of the client gateway.
    pub fn gateway_addr(&self) -> SocketAddr {
        self.shared.gateway_addr
    }

    /// Address of the public HTTP listener (navigation, media, health; the Server API and
    /// metrics too without an admin listener).
    pub fn http_addr(&self) -> SocketAddr {
        self.http_addr
    }

    /// Address of the admin HTTP listener (Server API, metrics, health), when
    /// [`OpsConfig::admin_http`] is set.
    pub fn admin_addr(&self) -> Option<SocketAddr> {
        self.admin_addr
    }

    /// Base URL of the Server API and `/metrics`: the admin listener's when there is one,
    /// else [`Self::navi_url`].
    pub fn api_url(&self) -> String {
        match self.admin_addr {
            Some(addr) => format!("{}://{addr}", self.scheme()),
            None => self.navi_url(),
        }
    }

    /// The client's `naviServer` option: `http://HOST:PORT`, or `https://HOST:PORT` with TLS.
    pub fn navi_url(&self) -> String {
        format!("{}://{}", self.scheme(), self.http_addr)
    }

    /// `https` when the listeners speak TLS, else `http`.
    fn scheme(&self) -> &'static str {
        if self.tls.is_some() {
            "https"
        } else {
            "http"
        }
    }

    /// Reads the TLS certificate files again, as SIGHUP does (new handshakes get the new
    /// certificate). An error when TLS is off or the files do not load; the certificate in
    /// use then stays.
    pub fn reload_tls(&self) -> anyhow::Result<()> {
        match &self.tls {
            Some(tls) => tls.reload(),
            None => anyhow::bail!("TLS is off"),
        }
    }

    /// The client's `fileServer` option: the file service shares the HTTP listener, so this is
    /// [`Self::navi_url`] (the client's default).
    pub fn file_server_url(&self) -> String {
        self.navi_url()
    }

    /// Number of authenticated client connections online now.
    pub fn connection_count(&self) -> usize {
        self.shared.hub.connection_count()
    }

    /// Client requests executing now off their connections' read loops, all connections
    /// together (`rcim_requests_in_flight`; each connection holds at most
    /// `LimitsConfig::max_in_flight_per_connection`).
    pub fn requests_in_flight(&self) -> i64 {
        self.shared.metrics.requests_in_flight()
    }

    /// Sizes of the server's per-user in-memory tables (monitoring, tests).
    pub fn memory_stats(&self) -> MemoryStats {
        let (cached_heads, conversation_clocks) = self.shared.store.cache_sizes();
        MemoryStats {
            hub_users: self.shared.hub.user_count(),
            cached_heads,
            conversation_clocks,
        }
    }

    /// Counters of the offline push service (all 0 without providers).
    pub fn push_stats(&self) -> PushStats {
        self.shared.push.stats()
    }

    /// Counters of the bus to the other nodes (all 0 without `--bus`).
    pub fn bus_stats(&self) -> BusStats {
        self.shared.bus.stats()
    }

    /// Counters of chatroom delivery (messages and events queued, low-priority messages
    /// dropped, slow members disconnected).
    pub fn chatroom_stats(&self) -> ChatroomStats {
        self.shared.chatrooms.stats()
    }

    /// Runs the retention prune now as if the clock read `now_ms` (the hourly prune uses the
    /// real clock): lets tests move time forward past the retentions.
    pub async fn prune_as_of(&self, now_ms: i64) -> anyhow::Result<()> {
        let cutoffs = self.shared.config.prune_cutoffs(now_ms);
        self.shared.store.prune(cutoffs).await
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
        s.store.close().await;
        // The feed ends with the store's writer: every committed entry has been delivered.
        let _ = tokio::time::timeout(Duration::from_secs(5), self.delivery).await;
        if let (bus::Bus::Nats(nats), Some(publisher)) = (&s.bus, self.bus_publisher) {
            nats.close();
            let _ = tokio::time::timeout(Duration::from_secs(5), publisher).await;
        }
        if let Some(worker) = self.push_worker {
            let _ = tokio::time::timeout(Duration::from_secs(5), worker).await;
        }
        if let Some(parts) = s.push.parts() {
            parts.dispatcher.close().await;
        }
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
        s.store.abort();
        self.delivery.abort();
        if let bus::Bus::Nats(nats) = &s.bus {
            nats.halt();
        }
        if let Some(publisher) = &self.bus_publisher {
            publisher.abort();
        }
        if let Some(worker) = &self.push_worker {
            worker.abort();
        }
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

/// Opens the database and starts the gateway and the HTTP server. Refuses a config out of
/// range ([`ServerConfig::validate`]).
pub async fn start(config: ServerConfig) -> anyhow::Result<RunningServer> {
    config.validate()?;
    if config.storage.new_inbox_epoch {
        // Left in an environment file, it would re-epoch on every restart and every device
        // would resynchronise its whole inbox each time.
        tracing::warn!(
            "--new-inbox-epoch (RCIM_NEW_INBOX_EPOCH) is set: a new inbox epoch starts now and \
             every device resynchronises its inbox. Remove the option after this one start."
        );
    }
    let hub = Arc::new(Hub::new(config.limits.max_sessions_per_user));
    let (sink, feed) = commit_feed();
    let (store, words, rooms) = {
        let dir = config.data_dir.clone();
        let storage = config.storage.clone();
        tokio::task::spawn_blocking(move || {
            let store = match &storage.backend {
                StoreBackend::SqliteInDataDir => SqlStore::open_with(&dir, &storage, sink)?,
                StoreBackend::Sqlite(db_dir) => SqlStore::open_with(db_dir, &storage, sink)?,
                StoreBackend::Postgres(url) => SqlStore::open_postgres(url, &storage, sink)?,
            };
            let words = store
                .words_at_start()
                .context("reading the sensitive words")?;
            // Rooms survive a restart (their members and recent messages do not, R193).
            let rooms = store
                .chatrooms_at_start()
                .context("reading the chatrooms")?;
            anyhow::Ok((store, words, rooms))
        })
        .await
        .context("opening the database")??
    };
    let store: Arc<dyn ServerStore> = Arc::new(store);
    let ultragroups = Arc::new(service::ultragroup::Directory::load(
        store
            .ug_directory()
            .await
            .context("reading the ultra-group directory")?,
        service::ultragroup::DirectoryLimits {
            max_groups_per_user: config.ultragroup.max_groups_per_user,
            max_channels: config.ultragroup.max_channels,
        },
    ));
    let chatrooms = Arc::new(service::chatroom::Chatrooms::new(
        config.chatroom.clone(),
        rooms,
    ));
    let blobs: Arc<dyn blob::BlobStore> = {
        let dir = match &config.media.dir {
            Some(dir) => dir.clone(),
            None => config.data_dir.join(MEDIA_DIR),
        };
        Arc::new(
            tokio::task::spawn_blocking(move || blob::FsBlobStore::open(&dir))
                .await
                .context("opening the media store")?
                .context("opening the media store")?,
        )
    };
    let moderation =
        service::moderation::Moderation::new(&words, config.sensitive_word_object_names.clone());
    let media = service::media::Media::new(config.media.clone(), &config.app_secret, blobs);
    let tls = tls::Tls::from_config(&config.tls).context("loading the TLS certificate")?;
    let stop = CancellationToken::new();
    let metrics = Arc::new(metrics::Metrics::default());
    let bus = match &config.cluster.bus {
        None => bus::Bus::default(),
        Some(url) => {
            let subjects =
                bus::subjects::Subjects::new(config.cluster.name.as_deref(), &config.app_key);
            bus::Bus::Nats(
                // Its own token under the stop: a crash (abort) ends the bus too.
                bus::nats::NatsBus::connect(url, subjects, &config.cluster, stop.child_token())
                    .await?,
            )
        }
    };
    let (push, push_worker) = start_push(&config, &store, &hub, &bus, &ultragroups, &stop)?;
    // One node: the hub is the whole fan-out; on a bus, committed entries are published
    // for the other nodes too.
    let fanout: Arc<dyn fanout::Fanout> = match &bus {
        bus::Bus::Local(_) => hub.clone(),
        bus::Bus::Nats(_) => Arc::new(bus::BusFanout {
            hub: hub.clone(),
            bus: bus.clone(),
        }),
    };
    let delivery = tokio::spawn(fanout::deliver_commits(
        feed,
        fanout,
        metrics.metered(push.clone()),
    ));
    let gateway = bind(config.listen).await?;
    let http = bind(config.http).await?;
    let admin = match config.ops.admin_http {
        Some(addr) => Some(bind(addr).await?),
        None => None,
    };
    let gateway_addr = gateway.local_addr()?;
    let http_addr = http.local_addr()?;
    let admin_addr = admin.as_ref().map(TcpListener::local_addr).transpose()?;
    let api_replay = api::replay::ReplayGuard::new(&config.api_security);
    let gateway_conns = config.limits.gateway_connections();
    let shared = Arc::new(Shared {
        config,
        gateway_addr,
        store,
        hub,
        bus,
        chatrooms,
        ugstreams: service::ultragroup::streams::Streams::default(),
        ultragroups,
        media,
        moderation,
        typing: Default::default(),
        push,
        stop,
        kill: CancellationToken::new(),
        tracker: TaskTracker::new(),
        next_conn: AtomicU64::new(0),
        metrics,
        api_replay,
        gateway_conns,
        user_rates: Default::default(),
        rates: Default::default(),
    });
    tracing::info!(gateway = %gateway_addr, http = %http_addr, admin = ?admin_addr,
        tls = tls.is_some(), data_dir = %shared.config.data_dir.display(), "rcim-server listening");

    if shared.bus.is_distributed() {
        shared.rates.share();
        // Before anything can change a record: directory and chatroom record changes reach
        // the other nodes' memory.
        let notices_bus = shared.bus.clone();
        shared.ultragroups.set_relay(Box::new(move |op| {
            notices_bus.publish_records(bus::records::RecordChange::Ug { op: op.into() })
        }));
        let notices_bus = shared.bus.clone();
        shared
            .chatrooms
            .set_notices(Box::new(move |change| notices_bus.publish_records(change)));
    }
    let routers = http::routers(&shared);
    let mut tasks = vec![
        tokio::spawn(gateway::accept_loop(gateway, shared.clone(), tls.clone())),
        tokio::spawn(http::serve(
            http,
            routers.public,
            tls.clone(),
            shared.config.limits.http_connections(),
            shared.clone(),
        )),
        tokio::spawn(prune_loop(shared.clone())),
        tokio::spawn(service::chatroom::task::run(shared.clone())),
    ];
    let mut bus_publisher = None;
    if let bus::Bus::Nats(nats) = &shared.bus {
        let relay_bus = shared.bus.clone();
        shared
            .chatrooms
            .set_relay(Box::new(move |room, frame, high| {
                relay_bus.publish_room(room, frame, high)
            }));

        let inbound = Arc::new(cluster::NodeInbound(Arc::downgrade(&shared)));
        let gateway = http::navi::own_gateway(&shared, None);
        let (bus_tasks, publisher) = nats.start(inbound, gateway).await?;
        tasks.extend(bus_tasks);
        bus_publisher = Some(publisher);
    }
    if let (Some(listener), Some(router)) = (admin, routers.admin) {
        tasks.push(tokio::spawn(http::serve(
            listener,
            router,
            tls.clone(),
            shared.config.limits.http_connections(),
            shared.clone(),
        )));
    }
    if let Some(tls) = &tls {
        tasks.push(tokio::spawn(tls::reload_on_sighup(
            tls.clone(),
            shared.stop.clone(),
        )));
    }
    Ok(RunningServer {
        shared,
        http_addr,
        tls,
        admin_addr,
        tasks,
        delivery,
        push_worker,
        bus_publisher,
    })
}

/// The push service over the configured providers, with its worker; the inert service when
/// no provider is configured (nothing is decided: no reads, no badges).
fn start_push(
    config: &ServerConfig,
    store: &Arc<dyn ServerStore>,
    hub: &Arc<Hub>,
    bus: &bus::Bus,
    ultragroups: &Arc<service::ultragroup::Directory>,
    stop: &CancellationToken,
) -> anyhow::Result<(Arc<service::push::PushService>, Option<JoinHandle<()>>)> {
    let tokens = store.clone();
    // A token the provider no longer knows is forgotten, whichever device holds it.
    let on_unregistered: push::dispatch::OnUnregistered = Arc::new(move |provider, token| {
        let store = tokens.clone();
        tokio::spawn(async move {
            let device = push::records::PushDevice {
                device_id: String::new(),
                provider,
                token,
            };
            if let Err(e) = store.remove_push_token(device).await {
                tracing::warn!(error = %e, "removing an unregistered push token failed");
            }
        });
    });
    let dispatcher = push::dispatch::Dispatcher::from_config(&config.push, on_unregistered)
        .context("starting the push providers")?;
    let kinds = [push::ProviderKind::Apns, push::ProviderKind::Fcm];
    if !kinds.iter().any(|k| dispatcher.has_provider(*k)) {
        return Ok((Arc::default(), None));
    }
    let parts = service::push::Parts {
        store: store.clone(),
        hub: hub.clone(),
        bus: bus.clone(),
        dispatcher: Arc::new(dispatcher),
        ultragroups: ultragroups.clone(),
        default_language: config.push.default_language.clone(),
    };
    let (service, worker) = service::push::PushService::start(parts, stop.clone());
    Ok((service, Some(worker)))
}

/// Deletes what the retentions no longer keep, at start and then hourly (nothing when both
/// are forever).
async fn prune_loop(shared: Arc<Shared>) {
    let config = &shared.config;
    if config.offline_retention_days == 0
        && config.history_retention_days == 0
        && config.chatroom.history_retention_days == 0
        && config.ultragroup.retention_days == 0
    {
        return;
    }
    let mut tick = tokio::time::interval(Duration::from_secs(3600));
    loop {
        tokio::select! {
            _ = shared.stop.cancelled() => break,
            _ = shared.kill.cancelled() => break,
            _ = tick.tick() => {}
        }
        let cutoffs = config.prune_cutoffs(util::now_ms());
        if let Err(e) = shared.store.prune(cutoffs).await {
            tracing::warn!(error = %e, "pruning failed");
        }
    }
}
