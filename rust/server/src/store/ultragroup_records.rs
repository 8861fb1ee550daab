//! What the store keeps of the ultra-group directory (migration 14): groups, members,
//! channels, the per-channel user lists (private-channel members, mutes, allow lists) and the
//! default notification levels. The service keeps all of it in memory
//! (`service::ultragroup::Directory`), reads it once at start and writes every change through.

/// Kinds of per-user list rows (`ug_channel_users.kind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum UgListKind {
    /// A member listed in a private channel (channel scope only).
    Private = 1,
    /// A user who may not send (group scope: every channel; channel scope: that channel).
    Muted = 2,
    /// A user who may send while the whole group or channel is muted.
    Allowed = 3,
}

impl UgListKind {
    /// The kind stored as `n`, if any.
    pub(crate) fn from_i64(n: i64) -> Option<Self> {
        match n {
            1 => Some(Self::Private),
            2 => Some(Self::Muted),
            3 => Some(Self::Allowed),
            _ => None,
        }
    }
}

/// A group row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct UgGroupRecord {
    pub group_id: String,
    pub name: String,
    pub created_at: i64,
    /// Default notification level (`TypeNotificationLevel` numbering; 1 NONE = not set).
    pub default_level: u32,
    /// The whole group is muted (only its allow list may send).
    pub muted: bool,
}

/// A channel row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct UgChannelRecord {
    pub group_id: String,
    pub channel_id: String,
    pub private: bool,
    pub created_at: i64,
    /// As [`UgGroupRecord::default_level`].
    pub default_level: u32,
    /// The whole channel is muted (only its allow list may send).
    pub muted: bool,
}

/// A row of a per-user list: `channel_id` "" = the group scope (mutes and allow lists).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct UgListRow {
    pub group_id: String,
    pub channel_id: String,
    pub kind: UgListKind,
    pub user_id: String,
}

/// Everything the directory holds, as read at start.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct UgDirectorySnapshot {
    /// Ordered by group id.
    pub groups: Vec<UgGroupRecord>,
    /// (group, user, joined_at), ordered by group then user.
    pub members: Vec<(String, String, i64)>,
    /// Ordered by group then channel.
    pub channels: Vec<UgChannelRecord>,
    /// Ordered by group, channel, kind, user.
    pub lists: Vec<UgListRow>,
}

/// A change of the directory tables (one writer command, applied atomically). The rules
/// (limits, who may be listed) are the service's: the store keeps what it is told.
#[derive(Debug, Clone)]
pub(crate) enum UgDirectoryWrite {
    /// Creates the group with its channel "RCDefault" and its creator as first member.
    CreateGroup {
        group: UgGroupRecord,
        default_channel: UgChannelRecord,
        creator: String,
    },
    /// Deletes the group and every row about it.
    DeleteGroup(String),
    /// Renames the group.
    Rename { group_id: String, name: String },
    /// Adds members (existing ones are kept).
    Join {
        group_id: String,
        users: Vec<String>,
        joined_at: i64,
    },
    /// Removes members and every list row of theirs in the group.
    Quit {
        group_id: String,
        users: Vec<String>,
    },
    /// Creates a channel.
    CreateChannel(UgChannelRecord),
    /// Deletes a channel and its lists.
    DeleteChannel {
        group_id: String,
        channel_id: String,
    },
    /// Makes a channel private or public (its member list is kept).
    SetChannelPrivate {
        group_id: String,
        channel_id: String,
        private: bool,
    },
    /// Adds (`add`) or removes users of a list.
    List {
        group_id: String,
        channel_id: String,
        kind: UgListKind,
        users: Vec<String>,
        add: bool,
    },
    /// Mutes or unmutes the whole group (`channel_id` "") or channel.
    SetMuted {
        group_id: String,
        channel_id: String,
        muted: bool,
    },
    /// Sets the default level of the group (`channel_id` "") or of a channel.
    SetDefaultLevel {
        group_id: String,
        channel_id: String,
        level: u32,
    },
}
