//! Notices of changes to the records every node keeps in memory (the ultra-group directory,
//! the chatroom records and their moderation lists, the chatroom KV caches), as they travel
//! on the bus ([`super::wire::Header::Records`], on the cluster-wide `records` subject).
//!
//! A node writes a change to the shared store first, applies it to its own memory, then
//! publishes the notice; the other nodes apply the same change to theirs. The notices of
//! one node leave in the order of its changes (one queue, one subject), so every node sees
//! them in that order. These are serde mirrors of the store's operations, which are not
//! meant to travel: the conversions are here, next to the wire format.

use crate::model::RoomRestrictionKind;
use crate::store::{RoomRecord, UgChannelRecord, UgDirectoryWrite, UgGroupRecord, UgListKind};
use serde::{Deserialize, Serialize};

/// A change of the records every node keeps in memory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "k", rename_all = "snake_case")]
pub(crate) enum RecordChange {
    /// A change of the ultra-group directory (the store's [`UgDirectoryWrite`]).
    Ug { op: UgChange },
    /// A chatroom was created (its stored record).
    RoomCreated { room: RoomNotice },
    /// A chatroom's destroy settings changed.
    RoomDestroySettings {
        room_id: String,
        auto_destroy: bool,
        idle_minutes: u32,
    },
    /// A chatroom was destroyed through the Server API (its members are out everywhere).
    RoomDestroyed { room_id: String, status: u32 },
    /// Users were put on a chatroom's moderation list until `until` (ms).
    RoomRestrict {
        room_id: String,
        kind: RestrictionKind,
        users: Vec<String>,
        until: i64,
    },
    /// Users were taken off a chatroom's moderation list.
    RoomLift {
        room_id: String,
        kind: RestrictionKind,
        users: Vec<String>,
    },
    /// A chatroom's KV entries changed: what a node holds of them is to be read again.
    RoomKv { room_id: String },
}

/// [`RoomRecord`] on the wire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct RoomNotice {
    room_id: String,
    name: String,
    created_at: i64,
    auto_destroy: bool,
    idle_minutes: u32,
}

impl From<&RoomRecord> for RoomNotice {
    fn from(r: &RoomRecord) -> Self {
        Self {
            room_id: r.room_id.clone(),
            name: r.name.clone(),
            created_at: r.created_at,
            auto_destroy: r.auto_destroy,
            idle_minutes: r.idle_minutes,
        }
    }
}

impl From<RoomNotice> for RoomRecord {
    fn from(n: RoomNotice) -> Self {
        let mut r = RoomRecord::new(n.room_id, n.name, n.created_at);
        r.auto_destroy = n.auto_destroy;
        r.idle_minutes = n.idle_minutes;
        r
    }
}

/// [`RoomRestrictionKind`] on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum RestrictionKind {
    Gag,
    Block,
    Protected,
}

impl From<RoomRestrictionKind> for RestrictionKind {
    fn from(k: RoomRestrictionKind) -> Self {
        match k {
            RoomRestrictionKind::Gag => Self::Gag,
            RoomRestrictionKind::Block => Self::Block,
            RoomRestrictionKind::Protected => Self::Protected,
        }
    }
}

impl From<RestrictionKind> for RoomRestrictionKind {
    fn from(k: RestrictionKind) -> Self {
        match k {
            RestrictionKind::Gag => Self::Gag,
            RestrictionKind::Block => Self::Block,
            RestrictionKind::Protected => Self::Protected,
        }
    }
}

/// [`UgGroupRecord`] on the wire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct UgGroup {
    group_id: String,
    name: String,
    created_at: i64,
    default_level: u32,
    muted: bool,
}

/// [`UgChannelRecord`] on the wire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct UgChannel {
    group_id: String,
    channel_id: String,
    private: bool,
    created_at: i64,
    default_level: u32,
    muted: bool,
}

impl From<&UgGroupRecord> for UgGroup {
    fn from(g: &UgGroupRecord) -> Self {
        Self {
            group_id: g.group_id.clone(),
            name: g.name.clone(),
            created_at: g.created_at,
            default_level: g.default_level,
            muted: g.muted,
        }
    }
}

impl From<UgGroup> for UgGroupRecord {
    fn from(g: UgGroup) -> Self {
        Self {
            group_id: g.group_id,
            name: g.name,
            created_at: g.created_at,
            default_level: g.default_level,
            muted: g.muted,
        }
    }
}

impl From<&UgChannelRecord> for UgChannel {
    fn from(c: &UgChannelRecord) -> Self {
        Self {
            group_id: c.group_id.clone(),
            channel_id: c.channel_id.clone(),
            private: c.private,
            created_at: c.created_at,
            default_level: c.default_level,
            muted: c.muted,
        }
    }
}

impl From<UgChannel> for UgChannelRecord {
    fn from(c: UgChannel) -> Self {
        Self {
            group_id: c.group_id,
            channel_id: c.channel_id,
            private: c.private,
            created_at: c.created_at,
            default_level: c.default_level,
            muted: c.muted,
        }
    }
}

/// [`UgDirectoryWrite`] on the wire (list kinds as their stored numbers).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub(crate) enum UgChange {
    CreateGroup {
        group: UgGroup,
        default_channel: UgChannel,
        creator: String,
    },
    DeleteGroup {
        group_id: String,
    },
    Rename {
        group_id: String,
        name: String,
    },
    Join {
        group_id: String,
        users: Vec<String>,
        joined_at: i64,
    },
    Quit {
        group_id: String,
        users: Vec<String>,
    },
    CreateChannel {
        channel: UgChannel,
    },
    DeleteChannel {
        group_id: String,
        channel_id: String,
    },
    SetChannelPrivate {
        group_id: String,
        channel_id: String,
        private: bool,
    },
    List {
        group_id: String,
        channel_id: String,
        kind: i64,
        users: Vec<String>,
        add: bool,
    },
    SetMuted {
        group_id: String,
        channel_id: String,
        muted: bool,
    },
    SetDefaultLevel {
        group_id: String,
        channel_id: String,
        level: u32,
    },
}

impl From<&UgDirectoryWrite> for UgChange {
    fn from(op: &UgDirectoryWrite) -> Self {
        match op.clone() {
            UgDirectoryWrite::CreateGroup {
                group,
                default_channel,
                creator,
            } => Self::CreateGroup {
                group: (&group).into(),
                default_channel: (&default_channel).into(),
                creator,
            },
            UgDirectoryWrite::DeleteGroup(group_id) => Self::DeleteGroup { group_id },
            UgDirectoryWrite::Rename { group_id, name } => Self::Rename { group_id, name },
            UgDirectoryWrite::Join {
                group_id,
                users,
                joined_at,
            } => Self::Join {
                group_id,
                users,
                joined_at,
            },
            UgDirectoryWrite::Quit { group_id, users } => Self::Quit { group_id, users },
            UgDirectoryWrite::CreateChannel(c) => Self::CreateChannel {
                channel: (&c).into(),
            },
            UgDirectoryWrite::DeleteChannel {
                group_id,
                channel_id,
            } => Self::DeleteChannel {
                group_id,
                channel_id,
            },
            UgDirectoryWrite::SetChannelPrivate {
                group_id,
                channel_id,
                private,
            } => Self::SetChannelPrivate {
                group_id,
                channel_id,
                private,
            },
            UgDirectoryWrite::List {
                group_id,
                channel_id,
                kind,
                users,
                add,
            } => Self::List {
                group_id,
                channel_id,
                kind: kind as i64,
                users,
                add,
            },
            UgDirectoryWrite::SetMuted {
                group_id,
                channel_id,
                muted,
            } => Self::SetMuted {
                group_id,
                channel_id,
                muted,
            },
            UgDirectoryWrite::SetDefaultLevel {
                group_id,
                channel_id,
                level,
            } => Self::SetDefaultLevel {
                group_id,
                channel_id,
                level,
            },
        }
    }
}

impl UgChange {
    /// The store's operation; `None` for a list kind this node does not know.
    pub(crate) fn into_write(self) -> Option<UgDirectoryWrite> {
        Some(match self {
            Self::CreateGroup {
                group,
                default_channel,
                creator,
            } => UgDirectoryWrite::CreateGroup {
                group: group.into(),
                default_channel: default_channel.into(),
                creator,
            },
            Self::DeleteGroup { group_id } => UgDirectoryWrite::DeleteGroup(group_id),
            Self::Rename { group_id, name } => UgDirectoryWrite::Rename { group_id, name },
            Self::Join {
                group_id,
                users,
                joined_at,
            } => UgDirectoryWrite::Join {
                group_id,
                users,
                joined_at,
            },
            Self::Quit { group_id, users } => UgDirectoryWrite::Quit { group_id, users },
            Self::CreateChannel { channel } => UgDirectoryWrite::CreateChannel(channel.into()),
            Self::DeleteChannel {
                group_id,
                channel_id,
            } => UgDirectoryWrite::DeleteChannel {
                group_id,
                channel_id,
            },
            Self::SetChannelPrivate {
                group_id,
                channel_id,
                private,
            } => UgDirectoryWrite::SetChannelPrivate {
                group_id,
                channel_id,
                private,
            },
            Self::List {
                group_id,
                channel_id,
                kind,
                users,
                add,
            } => UgDirectoryWrite::List {
                group_id,
                channel_id,
                kind: UgListKind::from_i64(kind)?,
                users,
                add,
            },
            Self::SetMuted {
                group_id,
                channel_id,
                muted,
            } => UgDirectoryWrite::SetMuted {
                group_id,
                channel_id,
                muted,
            },
            Self::SetDefaultLevel {
                group_id,
                channel_id,
                level,
            } => UgDirectoryWrite::SetDefaultLevel {
                group_id,
                channel_id,
                level,
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bus::wire::{decode, encode, Header};

    /// Directory changes and chatroom changes survive the trip through a bus message.
    #[test]
    fn changes_round_trip() {
        let op = UgDirectoryWrite::List {
            group_id: "g".into(),
            channel_id: "c".into(),
            kind: UgListKind::Allowed,
            users: vec!["a".into(), "b".into()],
            add: true,
        };
        let header = Header::Records {
            change: RecordChange::Ug {
                op: UgChange::from(&op),
            },
        };
        let (back, _) = decode(&encode(&header, b"")).unwrap();
        assert_eq!(back, header);
        let Header::Records {
            change: RecordChange::Ug { op: change },
        } = back
        else {
            panic!("{back:?}")
        };
        let write = change.into_write().unwrap();
        assert_eq!(format!("{write:?}"), format!("{op:?}"));
        let record = RoomRecord::new("r", "n", 5);
        let room = RecordChange::RoomCreated {
            room: (&record).into(),
        };
        let header = Header::Records { change: room };
        assert_eq!(decode(&encode(&header, b"")).unwrap().0, header);
        let Header::Records {
            change: RecordChange::RoomCreated { room },
        } = header
        else {
            unreachable!()
        };
        assert_eq!(RoomRecord::from(room), record);
    }
}
