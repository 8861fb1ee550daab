//! The server's configuration: built in code (tests) or from the command line
//! ([`crate::cli`]). One file per group of settings.

mod cluster;
mod limits;
mod ops;
mod security;
mod storage;
mod tls;

pub use cluster::ClusterConfig;
pub use limits::LimitsConfig;
pub use ops::OpsConfig;
pub(crate) use ops::{split_gateway, GatewayScheme};
pub use security::ApiSecurityConfig;
pub use storage::{StorageConfig, StoreBackend, Synchronous};
pub use tls::TlsConfig;

use crate::push::PushConfig;
use rcim_proto::media_type;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// The file service: upload limits per media type, ticket lifetime, and the bounds that keep
/// hostile uploaders from exhausting the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaConfig {
    /// Largest image (IMAGE 4), bytes; beyond it a ticket is refused with 26106.
    pub image_max_bytes: u64,
    /// Largest voice message (VOICE 3), bytes (26106).
    pub voice_max_bytes: u64,
    /// Largest file (FILE 5), bytes (26106).
    pub file_max_bytes: u64,
    /// Largest short video (SIGHT 6), bytes (26106).
    pub sight_max_bytes: u64,
    /// Largest GIF (GIF 7), bytes; beyond it a ticket is refused with 34003.
    pub gif_max_bytes: u64,
    /// How long an upload ticket stays valid.
    pub ticket_ttl: Duration,
    /// Uploads in progress at the same time, server-wide; one more is answered 503 at once.
    pub max_concurrent_uploads: usize,
    /// Longest wait for the next bytes of an upload body; a stalled upload is dropped (408).
    pub read_timeout: Duration,
    /// Bytes each user may be granted upload tickets for within [`Self::upload_quota_window`]
    /// (a token bucket: this much at once, refilled at this much per window), charged when a
    /// ticket is issued; beyond it a ticket is refused with 20604. 0 = unlimited. Keep it at
    /// least the largest per-type limit, or files of that size can never be uploaded.
    pub upload_quota_bytes: u64,
    /// The window of [`Self::upload_quota_bytes`] (zero = unlimited).
    pub upload_quota_window: Duration,
    /// Where the files are kept (`None`: `media/` in the data directory). The nodes of a
    /// cluster point it at one shared directory (a network file system), so any node serves
    /// any file.
    pub dir: Option<std::path::PathBuf>,
}

impl Default for MediaConfig {
    /// The limits of [`rcim_proto::media_type`] (image 20 MiB, voice 10 MiB, file 100 MiB,
    /// sight 100 MiB, GIF 2 MiB), which the client also knows; tickets valid one hour; 64
    /// concurrent uploads; 30 s without upload bytes ends an upload; 2 GiB of uploads per user
    /// per hour.
    fn default() -> Self {
        Self {
            image_max_bytes: media_type::IMAGE_MAX_BYTES,
            voice_max_bytes: media_type::VOICE_MAX_BYTES,
            file_max_bytes: media_type::FILE_MAX_BYTES,
            sight_max_bytes: media_type::SIGHT_MAX_BYTES,
            gif_max_bytes: media_type::GIF_MAX_BYTES,
            ticket_ttl: Duration::from_secs(3600),
            max_concurrent_uploads: 64,
            read_timeout: Duration::from_secs(30),
            upload_quota_bytes: 2 * 1024 * 1024 * 1024,
            upload_quota_window: Duration::from_secs(3600),
            dir: None,
        }
    }
}

/// Chatrooms (R184–R209): how long rooms live, how many a user may be in, what their
/// history keeps, and how delivery sheds load.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChatroomConfig {
    /// A room without joins, leaves or messages for this long is destroyed (R185, R189;
    /// default 1 hour; a room may set its own time or never be destroyed). Zero = never.
    pub idle_destroy: Duration,
    /// Rooms one user may be in at once (R190, default 1): joining one more leaves the
    /// oldest.
    pub max_joined_per_user: usize,
    /// Days a room's stored messages are kept for history pages (R199, default 60; 0 =
    /// forever).
    pub history_retention_days: u32,
    /// Recent messages each room keeps in memory for joins (default and most: 50).
    pub ring_len: usize,
    /// Object names delivered with high priority: never dropped for a member whose queue is
    /// filling up (default `RC:chrmKVNotiMsg`, `RC:RcNtf`). Room events always are.
    pub high_priority_object_names: Vec<String>,
    /// Outbound queue slots low-priority room messages may use: a member connection with
    /// this many frames queued or more gets none (they are dropped and counted, R009), so
    /// a slow reader never holds up the room (default 512 of the 1,024).
    pub low_priority_share: usize,
    /// A member whose connections all dropped is removed on the next message once offline
    /// this long (R194, default 30 s) ...
    pub auto_kick_after: Duration,
    /// ... or once the room produced more than this many messages since (default 30).
    pub auto_kick_messages: u32,
    /// Rooms with more members than this announce no member joins and leaves (default
    /// 1,000): in a big room every change would go to every member (RongCloud enables the
    /// member-change events per app, R198).
    pub member_events_max_members: usize,
    /// Most rooms this node holds: a join with `auto_create` for a new room beyond it is
    /// refused with 23410 (default 100,000; the Server API's creations are not limited).
    pub max_rooms: usize,
    /// Rooms one user may create by joining (`auto_create`) per minute; beyond it the join
    /// is refused with 20604 (default 10).
    pub auto_create_per_minute: u32,
}

/// The longest message ring of a room (a join asks for at most 50 messages).
pub const MAX_CHATROOM_RING: usize = 50;

impl Default for ChatroomConfig {
    fn default() -> Self {
        Self {
            idle_destroy: Duration::from_secs(3600),
            max_joined_per_user: 1,
            history_retention_days: 60,
            ring_len: MAX_CHATROOM_RING,
            high_priority_object_names: vec!["RC:chrmKVNotiMsg".into(), "RC:RcNtf".into()],
            low_priority_share: 512,
            auto_kick_after: Duration::from_secs(30),
            auto_kick_messages: 30,
            member_events_max_members: 1000,
            max_rooms: 100_000,
            auto_create_per_minute: 10,
        }
    }
}

/// Ultra groups (R210–R244): how long channel streams are kept, how fast a channel may go,
/// how typing is gathered, and the directory's limits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UltraGroupConfig {
    /// Days channel messages are kept (R221, default 7; 0 = forever).
    pub retention_days: u32,
    /// Messages per second one channel accepts (default 30); beyond it a send is refused
    /// with 24415. 0 = unlimited.
    pub channel_rate_per_sec: u32,
    /// Typing events are gathered per group for this long and sent as one batch (R235,
    /// default 5 s).
    pub typing_batch: Duration,
    /// Ultra groups one user may be a member of (default 100; 24412 beyond).
    pub max_groups_per_user: usize,
    /// Channels one group may have, "RCDefault" included (default 50; 24413 beyond).
    pub max_channels: usize,
}

impl Default for UltraGroupConfig {
    fn default() -> Self {
        Self {
            retention_days: 7,
            channel_rate_per_sec: 30,
            typing_batch: Duration::from_millis(5000),
            max_groups_per_user: 100,
            max_channels: 50,
        }
    }
}

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
    /// Accepted sends per connection in any sliding second (RongCloud: 5); beyond it a send
    /// is answered 20604. 0 = unlimited.
    pub send_rate_per_sec: u32,
    /// Accepted recalls, read receipts, conversation settings, media upload tickets, typing
    /// status, read-status syncs and group receipt requests and responses together per
    /// connection in any sliding second (default 50); beyond it they are answered 20604.
    /// 0 = unlimited.
    /// Under either limit, a resend of a request already executed still gets its original
    /// answer and does not count.
    pub request_rate_per_sec: u32,
    /// The file service (`/media/...` on the HTTP listener).
    pub media: MediaConfig,
    /// Days the cloud history of private and group conversations is kept (default 180; 0 =
    /// forever). A history message also stays at least as long as the offline retention
    /// (inbox entries point at it; forever when that is 0).
    pub history_retention_days: u32,
    /// Offline compensation (R053, R144): a device without an inbox cursor starts syncing at
    /// the entries of the last N days (`ConnectAck.compensation_after`); 0..=7, default 1,
    /// 0 = none (it starts at the head). [`crate::start`] refuses other values.
    pub offline_compensation_days: u32,
    /// Only a message's sender may recall it (RongCloud's ticket option); others get 25107.
    /// Default false: any participant may recall (R113).
    pub recall_only_sender: bool,
    /// Most sensitive words (`/sensitiveword/add.json`; RongCloud: 50); one more is refused
    /// with 1016.
    pub sensitive_word_limit: usize,
    /// Object names whose client messages the sensitive-word filter screens besides
    /// `RC:TxtMsg` (every top-level string field of their JSON content). Default none.
    pub sensitive_word_object_names: Vec<String>,
    /// Most conversations one user may have non-default settings for (pinned or with a
    /// level; default 10,000): one more is refused with 20605. They never expire and every
    /// new device reads them all at login, so they must not grow without bound.
    pub max_conversation_settings: usize,
    /// Offline push providers and their limits (default: none, pushes are dropped).
    pub push: PushConfig,
    /// Chatrooms: idle destroy, rooms per user, history retention, delivery priorities.
    pub chatroom: ChatroomConfig,
    /// Ultra groups: stream retention, channel rate, typing batches, directory limits.
    pub ultragroup: UltraGroupConfig,
    /// TLS certificates of the listeners (default none: plain TCP).
    pub tls: TlsConfig,
    /// Server API replay protection and key separation.
    pub api_security: ApiSecurityConfig,
    /// Operations: public gateway address, admin listener, metrics.
    pub ops: OpsConfig,
    /// Abuse limits.
    pub limits: LimitsConfig,
    /// Durability and maintenance of the database.
    pub storage: StorageConfig,
    /// Several nodes: the message bus, the gateways of the other nodes.
    pub cluster: ClusterConfig,
}

/// The longest offline compensation, in days.
pub const MAX_OFFLINE_COMPENSATION_DAYS: u32 = 7;

const DAY_MS: i64 = 86_400_000;

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
            .field("request_rate_per_sec", &self.request_rate_per_sec)
            .field("media", &self.media)
            .field("history_retention_days", &self.history_retention_days)
            .field("offline_compensation_days", &self.offline_compensation_days)
            .field("recall_only_sender", &self.recall_only_sender)
            .field("sensitive_word_limit", &self.sensitive_word_limit)
            .field(
                "sensitive_word_object_names",
                &self.sensitive_word_object_names,
            )
            .field("max_conversation_settings", &self.max_conversation_settings)
            .field("push", &self.push)
            .field("chatroom", &self.chatroom)
            .field("ultragroup", &self.ultragroup)
            .field("tls", &self.tls)
            .field("api_security", &self.api_security)
            .field("ops", &self.ops)
            .field("limits", &self.limits)
            .field("storage", &self.storage)
            .finish()
    }
}

impl ServerConfig {
    /// A config with defaults: gateway and HTTP on `127.0.0.1:0`, 30 s heartbeat, 7 days of
    /// offline storage, 5 sends and 50 other state-changing requests per second, the
    /// [`MediaConfig`] defaults.
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
            request_rate_per_sec: 50,
            media: MediaConfig::default(),
            history_retention_days: 180,
            offline_compensation_days: 1,
            recall_only_sender: false,
            sensitive_word_limit: 50,
            sensitive_word_object_names: Vec::new(),
            max_conversation_settings: 10_000,
            push: PushConfig::default(),
            chatroom: ChatroomConfig::default(),
            ultragroup: UltraGroupConfig::default(),
            tls: TlsConfig::default(),
            api_security: ApiSecurityConfig::default(),
            ops: OpsConfig::default(),
            limits: LimitsConfig::default(),
            storage: StorageConfig::default(),
            cluster: ClusterConfig::default(),
        }
    }

    /// Checks the values that have a valid range (the offline compensation: 0..=7 days; at
    /// least one chatroom per user; a chatroom ring of at most 50).
    pub fn validate(&self) -> anyhow::Result<()> {
        if self.offline_compensation_days > MAX_OFFLINE_COMPENSATION_DAYS {
            anyhow::bail!(
                "offline compensation of {} days: at most {MAX_OFFLINE_COMPENSATION_DAYS}",
                self.offline_compensation_days
            );
        }
        if self.chatroom.max_joined_per_user == 0 {
            anyhow::bail!("a user must be allowed in at least one chatroom");
        }
        self.ops.validate()?;
        self.cluster.validate()?;
        if self.chatroom.ring_len > MAX_CHATROOM_RING {
            anyhow::bail!("a chatroom ring of at most {MAX_CHATROOM_RING} messages");
        }
        if self.chatroom.low_priority_share >= crate::hub::OUTBOUND_QUEUE {
            anyhow::bail!(
                "a chatroom low-priority share below the outbound queue of {} frames",
                crate::hub::OUTBOUND_QUEUE
            );
        }
        Ok(())
    }

    /// What a prune at `now_ms` deletes (see [`crate::model::PruneCutoffs`]).
    pub(crate) fn prune_cutoffs(&self, now_ms: i64) -> crate::model::PruneCutoffs {
        let days = |d: u32| (d > 0).then(|| now_ms - i64::from(d) * DAY_MS);
        // Inbox entries point at history messages: keep those at least as long.
        let history_days = match (self.history_retention_days, self.offline_retention_days) {
            (0, _) | (_, 0) => 0,
            (h, o) => h.max(o),
        };
        crate::model::PruneCutoffs {
            offline_before: days(self.offline_retention_days),
            history_before: days(history_days),
            chatroom_before: days(self.chatroom.history_retention_days),
            ultragroup_before: days(self.ultragroup.retention_days),
        }
    }

    /// Where a device without an inbox cursor starts syncing, as a time: entries created
    /// before it are not sent (`None`: start at the head).
    pub(crate) fn compensation_since(&self, now_ms: i64) -> Option<i64> {
        (self.offline_compensation_days > 0)
            .then(|| now_ms - i64::from(self.offline_compensation_days) * DAY_MS)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retentions_and_compensation() {
        let mut c = ServerConfig::new("/tmp/x", "k", "s");
        assert!(c.validate().is_ok());
        let now = 1_000 * DAY_MS;
        let cut = c.prune_cutoffs(now);
        assert_eq!(cut.offline_before, Some(now - 7 * DAY_MS));
        assert_eq!(cut.history_before, Some(now - 180 * DAY_MS));
        c.history_retention_days = 2;
        assert_eq!(c.prune_cutoffs(now).history_before, Some(now - 7 * DAY_MS));
        c.offline_retention_days = 0;
        assert_eq!(c.prune_cutoffs(now).history_before, None);
        assert_eq!(cut.chatroom_before, Some(now - 60 * DAY_MS));
        c.history_retention_days = 0;
        c.chatroom.history_retention_days = 0;
        c.ultragroup.retention_days = 0;
        assert_eq!(c.prune_cutoffs(now), crate::model::PruneCutoffs::default());
        assert_eq!(c.compensation_since(now), Some(now - DAY_MS));
        c.offline_compensation_days = 0;
        assert_eq!(c.compensation_since(now), None);
        c.offline_compensation_days = 8;
        assert!(c.validate().is_err());
        c.offline_compensation_days = 1;
        c.chatroom.low_priority_share = crate::hub::OUTBOUND_QUEUE;
        assert!(
            c.validate().is_err(),
            "the share must leave high-priority room"
        );
        c.chatroom.low_priority_share = 512;
        c.chatroom.max_joined_per_user = 0;
        assert!(c.validate().is_err());
    }
}
