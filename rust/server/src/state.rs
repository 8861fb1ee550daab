//! What the gateway and the HTTP side share: configuration, storage, the session hub and the
//! stop signals.

use crate::config::ServerConfig;
use crate::hub::Hub;
use crate::limits::{Connections, UserRates};
use crate::service::chatroom::Chatrooms;
use crate::service::media::Media;
use crate::service::moderation::Moderation;
use crate::service::push::PushService;
use crate::service::typing::TypingThrottle;
use crate::service::ultragroup::streams::Streams;
use crate::service::ultragroup::Directory;
use crate::store::ServerStore;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

/// State shared by the gateway and the HTTP handlers.
pub(crate) struct Shared {
    pub(crate) config: ServerConfig,
    pub(crate) gateway_addr: SocketAddr,
    pub(crate) store: Arc<dyn ServerStore>,
    pub(crate) hub: Arc<Hub>,
    /// The bus to the other nodes (in process: none).
    pub(crate) bus: crate::bus::Bus,
    /// The chatrooms this node serves (members, recent messages, KV, moderation).
    pub(crate) chatrooms: Arc<Chatrooms>,
    /// The ultra groups: groups, channels, members, presence.
    pub(crate) ultragroups: Arc<Directory>,
    /// The ultra-group channel streams' memory: channel send rates, pending typing batches.
    pub(crate) ugstreams: Streams,
    /// The file service: upload tickets, blob storage, upload slots.
    pub(crate) media: Media,
    /// The sensitive-word filter.
    pub(crate) moderation: Moderation,
    /// Typing events forwarded lately (one per sender and conversation per 2 s).
    pub(crate) typing: TypingThrottle,
    /// Offline push: decides pushes for committed messages, sends the Server API's.
    pub(crate) push: Arc<PushService>,
    /// Graceful stop: stop accepting, close connections.
    pub(crate) stop: CancellationToken,
    /// Crash simulation: drop everything at once.
    pub(crate) kill: CancellationToken,
    pub(crate) tracker: TaskTracker,
    pub(crate) next_conn: AtomicU64,
    /// This server's Prometheus metrics.
    pub(crate) metrics: Arc<crate::metrics::Metrics>,
    /// The Server API's replay window and nonce memory.
    pub(crate) api_replay: crate::api::replay::ReplayGuard,
    /// Admission of gateway connections (per IP and overall).
    pub(crate) gateway_conns: Arc<Connections>,
    /// Per-user rates shared by each user's connections.
    pub(crate) user_rates: UserRates,
    /// Rates of shared things (a room's KV operations, a channel's sends, a user's room
    /// creations), counted across the nodes of a cluster.
    pub(crate) rates: crate::limits::KeyedRates,
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
