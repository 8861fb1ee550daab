//! Options of chatrooms (R184–R209).

use crate::config::{ChatroomConfig, ServerConfig};
use std::time::Duration;

/// Room lifetimes, rooms per user, history and delivery priorities.
#[derive(Debug, clap::Args)]
pub(super) struct ChatroomArgs {
    /// Seconds without joins, leaves or messages after which a chatroom is destroyed (0 =
    /// never; a room created with its own destroy settings keeps them).
    #[arg(long, env = "RCIM_CHATROOM_IDLE_DESTROY_SECS", default_value_t = ChatroomConfig::default().idle_destroy.as_secs())]
    chatroom_idle_destroy_secs: u64,
    /// Chatrooms one user may be in at once (joining one more leaves the oldest).
    #[arg(long, env = "RCIM_CHATROOM_MAX_JOINED", default_value_t = ChatroomConfig::default().max_joined_per_user)]
    chatroom_max_joined: usize,
    /// Days stored chatroom messages are kept for history pages (0 = forever).
    #[arg(long, env = "RCIM_CHATROOM_HISTORY_RETENTION_DAYS", default_value_t = ChatroomConfig::default().history_retention_days)]
    chatroom_history_retention_days: u32,
    /// Chatroom object names delivered with high priority (never dropped for a slow
    /// member); comma-separated or repeated. Default: RC:chrmKVNotiMsg,RC:RcNtf.
    #[arg(long, env = "RCIM_CHATROOM_HIGH_PRIORITY", value_delimiter = ',')]
    chatroom_high_priority: Option<Vec<String>>,
    /// Outbound queue slots low-priority chatroom messages may use per connection (beyond:
    /// dropped for that member).
    #[arg(long, env = "RCIM_CHATROOM_LOW_PRIORITY_SHARE", default_value_t = ChatroomConfig::default().low_priority_share)]
    chatroom_low_priority_share: usize,
    /// Seconds offline after which a chatroom member is removed on the room's next message.
    #[arg(long, env = "RCIM_CHATROOM_AUTO_KICK_SECS", default_value_t = ChatroomConfig::default().auto_kick_after.as_secs())]
    chatroom_auto_kick_secs: u64,
    /// Room messages after which an offline chatroom member is removed.
    #[arg(long, env = "RCIM_CHATROOM_AUTO_KICK_MESSAGES", default_value_t = ChatroomConfig::default().auto_kick_messages)]
    chatroom_auto_kick_messages: u32,
    /// Chatrooms with more members than this announce no member joins and leaves.
    #[arg(long, env = "RCIM_CHATROOM_MEMBER_EVENTS_MAX_MEMBERS", default_value_t = ChatroomConfig::default().member_events_max_members)]
    chatroom_member_events_max_members: usize,
    /// Most chatrooms this node holds: a join creating one more (autoCreate) is refused
    /// with 23410.
    #[arg(long, env = "RCIM_CHATROOM_MAX_ROOMS", default_value_t = ChatroomConfig::default().max_rooms)]
    chatroom_max_rooms: usize,
    /// Chatrooms one user may create by joining (autoCreate) per minute; beyond: 20604.
    #[arg(long, env = "RCIM_CHATROOM_AUTO_CREATE_PER_MINUTE", default_value_t = ChatroomConfig::default().auto_create_per_minute)]
    chatroom_auto_create_per_minute: u32,
}

impl ChatroomArgs {
    pub(super) fn apply(self, config: &mut ServerConfig) {
        let defaults = ChatroomConfig::default();
        config.chatroom = ChatroomConfig {
            idle_destroy: Duration::from_secs(self.chatroom_idle_destroy_secs),
            max_joined_per_user: self.chatroom_max_joined,
            history_retention_days: self.chatroom_history_retention_days,
            high_priority_object_names: self
                .chatroom_high_priority
                .unwrap_or(defaults.high_priority_object_names),
            low_priority_share: self.chatroom_low_priority_share,
            auto_kick_after: Duration::from_secs(self.chatroom_auto_kick_secs),
            auto_kick_messages: self.chatroom_auto_kick_messages,
            member_events_max_members: self.chatroom_member_events_max_members,
            max_rooms: self.chatroom_max_rooms,
            auto_create_per_minute: self.chatroom_auto_create_per_minute,
            ring_len: defaults.ring_len,
        };
    }
}
