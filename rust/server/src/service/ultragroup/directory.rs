//! The ultra-group directory: groups, their channels (public or private, with their listed
//! members), members, mutes and default notification levels, kept in memory for the checks of
//! every send and read, and which members are online (for delivery).
//!
//! Everything is read from the store once at start ([`Directory::load`]); changes
//! (`directory_changes.rs`) are written through to the store first and applied in memory
//! after (`directory_apply.rs`), one at a time. Reads take a shared lock and never touch the
//! store. On several nodes sharing the store, each node's changes reach the others' memory
//! as notices on the bus (`directory_sync.rs`), and the whole directory is read again when
//! notices may have been lost.
//!
//! Costs: each group keeps its member set and the subset of them online on this node, so
//! [`Directory::online_readers`] walks the online members of one group, never all members;
//! [`Directory::channels_of`] walks the user's groups (at most
//! [`DirectoryLimits::max_groups_per_user`]) and their channels.

use super::{channel_or_default, DEFAULT_CHANNEL};
use crate::settings::LEVEL_NOT_SET;
use crate::store::{UgDirectorySnapshot, UgDirectoryWrite, UgListKind};
use rcim_proto::codes;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::{OnceLock, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

/// Longest channel id (characters of `[A-Za-z0-9_-]`): the one limit of every channel id.
pub(crate) use crate::model::MAX_CHANNEL_ID_CHARS;

/// Whether `id` is a channel id a client or the Server API may name: 1..=20 characters of
/// `[A-Za-z0-9_-]`.
pub(crate) fn is_valid_channel_id(id: &str) -> bool {
    (1..=MAX_CHANNEL_ID_CHARS).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// What a member may do in a channel they can read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ChannelAccess {
    /// The channel is private (the member is listed in it).
    pub(crate) private: bool,
}

/// A channel a user can read, for the sync states.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ChannelInfo {
    pub(crate) group_id: String,
    pub(crate) channel_id: String,
    pub(crate) private: bool,
    /// Default notification levels (`TypeNotificationLevel` numbering; NONE 1 = not set).
    pub(crate) group_default_level: u32,
    pub(crate) channel_default_level: u32,
}

/// A channel as the Server API lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ChannelSummary {
    pub(crate) channel_id: String,
    pub(crate) private: bool,
    pub(crate) created_at: i64,
}

/// The caps the directory enforces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct DirectoryLimits {
    /// Groups one user may be a member of (24412 beyond).
    pub(crate) max_groups_per_user: usize,
    /// Channels of one group, "RCDefault" included (24413 beyond).
    pub(crate) max_channels: usize,
}

impl Default for DirectoryLimits {
    /// RongCloud's: 100 groups per user, 50 channels per group.
    fn default() -> Self {
        Self {
            max_groups_per_user: 100,
            max_channels: 50,
        }
    }
}

/// Who may send despite a mute, and who may not send at all, at one scope (a group or one of
/// its channels).
#[derive(Debug, Default)]
pub(super) struct Mutes {
    /// The whole scope is muted: only `allowed` may send.
    pub(super) all: bool,
    pub(super) users: HashSet<String>,
    pub(super) allowed: HashSet<String>,
}

impl Mutes {
    fn forbids(&self, user: &str) -> bool {
        self.users.contains(user) || (self.all && !self.allowed.contains(user))
    }

    pub(super) fn list_mut(&mut self, kind: UgListKind) -> Option<&mut HashSet<String>> {
        match kind {
            UgListKind::Muted => Some(&mut self.users),
            UgListKind::Allowed => Some(&mut self.allowed),
            UgListKind::Private => None,
        }
    }

    fn list(&self, kind: UgListKind) -> Option<&HashSet<String>> {
        match kind {
            UgListKind::Muted => Some(&self.users),
            UgListKind::Allowed => Some(&self.allowed),
            UgListKind::Private => None,
        }
    }
}

#[derive(Debug)]
pub(super) struct Channel {
    pub(super) private: bool,
    pub(super) created_at: i64,
    pub(super) default_level: u32,
    /// The members listed in the channel (it is readable by them only while private).
    pub(super) listed: HashSet<String>,
    pub(super) mutes: Mutes,
}

impl Channel {
    pub(super) fn new(private: bool, created_at: i64) -> Self {
        Self {
            private,
            created_at,
            default_level: LEVEL_NOT_SET,
            listed: HashSet::new(),
            mutes: Mutes::default(),
        }
    }

    pub(super) fn readable_by(&self, user: &str) -> bool {
        !self.private || self.listed.contains(user)
    }
}

#[derive(Debug)]
pub(super) struct Group {
    pub(super) name: String,
    pub(super) created_at: i64,
    pub(super) default_level: u32,
    pub(super) members: HashSet<String>,
    /// The members with a connection on this node.
    pub(super) online: HashSet<String>,
    pub(super) channels: BTreeMap<String, Channel>,
    pub(super) mutes: Mutes,
}

impl Group {
    pub(super) fn new(name: String, created_at: i64) -> Self {
        let mut channels = BTreeMap::new();
        channels.insert(DEFAULT_CHANNEL.to_owned(), Channel::new(false, created_at));
        Self {
            name,
            created_at,
            default_level: LEVEL_NOT_SET,
            members: HashSet::new(),
            online: HashSet::new(),
            channels,
            mutes: Mutes::default(),
        }
    }
}

/// The directory's memory, behind one lock.
#[derive(Debug, Default)]
pub(super) struct State {
    pub(super) groups: HashMap<String, Group>,
    /// The groups of each member.
    pub(super) memberships: HashMap<String, BTreeSet<String>>,
    /// The users with a connection on this node (members of a group or not, so a join sees
    /// them online).
    pub(super) online: HashSet<String>,
    /// While the directory is read again from the store: the changes applied meanwhile, to
    /// be applied again over what was read (see `Directory::reload`).
    pub(super) replay: Option<Vec<UgDirectoryWrite>>,
}

impl State {
    pub(super) fn group(&self, group_id: &str) -> Result<&Group, u32> {
        self.groups
            .get(group_id)
            .ok_or(codes::ULTRA_GROUP_NOT_EXIST)
    }

    /// The memory of the directory `snapshot` (nobody online). Rows about unknown groups or
    /// channels are skipped (logged).
    pub(super) fn from_snapshot(snapshot: UgDirectorySnapshot) -> Self {
        let mut state = State::default();
        for g in snapshot.groups {
            let mut group = Group::new(g.name, g.created_at);
            group.default_level = g.default_level;
            group.mutes.all = g.muted;
            // The stored channels (RCDefault among them) replace the one `new` made.
            group.channels.clear();
            state.groups.insert(g.group_id, group);
        }
        for c in snapshot.channels {
            let Some(group) = state.groups.get_mut(&c.group_id) else {
                tracing::warn!(group = %c.group_id, "ultra-group channel of an unknown group");
                continue;
            };
            let mut channel = Channel::new(c.private, c.created_at);
            channel.default_level = c.default_level;
            channel.mutes.all = c.muted;
            group.channels.insert(c.channel_id, channel);
        }
        for group in state.groups.values_mut() {
            let created = group.created_at;
            group
                .channels
                .entry(DEFAULT_CHANNEL.to_owned())
                .or_insert_with(|| Channel::new(false, created));
        }
        for (group_id, user, _) in snapshot.members {
            let Some(group) = state.groups.get_mut(&group_id) else {
                tracing::warn!(group = %group_id, "ultra-group member of an unknown group");
                continue;
            };
            group.members.insert(user.clone());
            state.memberships.entry(user).or_default().insert(group_id);
        }
        for row in snapshot.lists {
            let Some(group) = state.groups.get_mut(&row.group_id) else {
                continue;
            };
            let set = if row.channel_id.is_empty() {
                group.mutes.list_mut(row.kind)
            } else {
                group.channels.get_mut(&row.channel_id).and_then(|c| {
                    if row.kind == UgListKind::Private {
                        Some(&mut c.listed)
                    } else {
                        c.mutes.list_mut(row.kind)
                    }
                })
            };
            match set {
                Some(set) => {
                    set.insert(row.user_id);
                }
                None => tracing::warn!(group = %row.group_id, channel = %row.channel_id,
                    "ultra-group list row of an unknown channel"),
            }
        }
        state
    }

    /// The channels `user` can read, ordered by (group, channel).
    pub(super) fn channels_of(&self, user: &str) -> Vec<ChannelInfo> {
        let Some(groups) = self.memberships.get(user) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for group_id in groups {
            let Some(group) = self.groups.get(group_id) else {
                continue;
            };
            for (channel_id, channel) in &group.channels {
                if channel.readable_by(user) {
                    out.push(ChannelInfo {
                        group_id: group_id.clone(),
                        channel_id: channel_id.clone(),
                        private: channel.private,
                        group_default_level: group.default_level,
                        channel_default_level: channel.default_level,
                    });
                }
            }
        }
        out
    }

    /// The group, the channel ("" = RCDefault) and `user`'s access: 24410 / 24406 / 24414 /
    /// 24416.
    fn access(
        &self,
        group_id: &str,
        channel_id: &str,
        user: &str,
    ) -> Result<(&Group, &Channel), u32> {
        let group = self.group(group_id)?;
        if !group.members.contains(user) {
            return Err(codes::NOT_IN_ULTRA_GROUP);
        }
        let channel = group
            .channels
            .get(channel_or_default(channel_id))
            .ok_or(codes::ULTRA_GROUP_CHANNEL_ID_NOT_EXIST)?;
        if !channel.readable_by(user) {
            return Err(codes::ULTRA_GROUP_USER_NOT_IN_PRIVATE_CHANNEL);
        }
        Ok((group, channel))
    }
}

/// Hands a change made on this node to the other nodes (see `directory_sync`).
pub(crate) type Relay = Box<dyn Fn(&crate::store::UgDirectoryWrite) + Send + Sync>;

/// Groups, channels, members and presence of the ultra groups this node serves.
#[derive(Default)]
pub(crate) struct Directory {
    pub(super) state: RwLock<State>,
    /// Serialises changes: a change's checks, its write-through and its memory update run as
    /// one, so two concurrent joins cannot both pass a cap.
    pub(super) changes: tokio::sync::Mutex<()>,
    pub(super) limits: DirectoryLimits,
    /// Tells the other nodes of this node's changes (set on a bus only).
    pub(super) relay: OnceLock<Relay>,
    /// Woken by each change from another node (see `Directory::settle`).
    pub(super) arrived: tokio::sync::Notify,
}

impl Directory {
    /// The directory as the store holds it. Rows about unknown groups or channels are
    /// skipped (logged).
    pub(crate) fn load(snapshot: UgDirectorySnapshot, limits: DirectoryLimits) -> Self {
        let state = State::from_snapshot(snapshot);
        tracing::info!(groups = state.groups.len(), "ultra-group directory loaded");
        Self {
            state: RwLock::new(state),
            changes: tokio::sync::Mutex::new(()),
            limits,
            relay: OnceLock::new(),
            arrived: tokio::sync::Notify::new(),
        }
    }

    pub(super) fn read(&self) -> RwLockReadGuard<'_, State> {
        self.state.read().unwrap_or_else(PoisonError::into_inner)
    }

    pub(super) fn write(&self) -> RwLockWriteGuard<'_, State> {
        self.state.write().unwrap_or_else(PoisonError::into_inner)
    }

    /// The caps in force.
    pub(crate) fn limits(&self) -> DirectoryLimits {
        self.limits
    }

    /// May `user` read channel `channel_id` ("" = RCDefault) of `group_id`? 24410 no such
    /// group, 24406 not a member, 24414 no such channel, 24416 a private channel `user` is
    /// not listed in.
    pub(crate) fn access(
        &self,
        group_id: &str,
        channel_id: &str,
        user: &str,
    ) -> Result<ChannelAccess, u32> {
        let state = self.read();
        let (_, channel) = state.access(group_id, channel_id, user)?;
        Ok(ChannelAccess {
            private: channel.private,
        })
    }

    /// [`Self::access`], then 24408 when `user` may not send there: muted in the group or in
    /// the channel, or the whole group (channel) is muted and `user` is not on the group's
    /// (channel's) allow list.
    pub(crate) fn check_send(
        &self,
        group_id: &str,
        channel_id: &str,
        user: &str,
    ) -> Result<ChannelAccess, u32> {
        let state = self.read();
        let (group, channel) = state.access(group_id, channel_id, user)?;
        if group.mutes.forbids(user) || channel.mutes.forbids(user) {
            return Err(codes::FORBIDDEN_IN_ULTRA_GROUP);
        }
        Ok(ChannelAccess {
            private: channel.private,
        })
    }

    /// Records that `user` has (`true`) or no longer has (`false`) a connection on this node.
    pub(crate) fn set_online(&self, user: &str, online: bool) {
        let mut guard = self.write();
        let state = &mut *guard;
        let changed = if online {
            state.online.insert(user.to_owned())
        } else {
            state.online.remove(user)
        };
        if !changed {
            return;
        }
        let Some(groups) = state.memberships.get(user) else {
            return;
        };
        for group_id in groups {
            if let Some(group) = state.groups.get_mut(group_id) {
                if online {
                    group.online.insert(user.to_owned());
                } else {
                    group.online.remove(user);
                }
            }
        }
    }

    /// The online members who can read the channel ("" = RCDefault); empty for an unknown
    /// group or channel.
    pub(crate) fn online_readers(&self, group_id: &str, channel_id: &str) -> Vec<String> {
        let state = self.read();
        let Some(group) = state.groups.get(group_id) else {
            return Vec::new();
        };
        let Some(channel) = group.channels.get(channel_or_default(channel_id)) else {
            return Vec::new();
        };
        group
            .online
            .iter()
            .filter(|u| channel.readable_by(u))
            .cloned()
            .collect()
    }

    /// The push candidates of a message of `sender` in the channel: the members who can
    /// read it, have no connection on this node and are not `sender`; of `directed` only,
    /// when not empty. O(members of the group) for an undirected message, O(directed)
    /// otherwise; empty for an unknown group or channel.
    pub(crate) fn push_candidates(
        &self,
        group_id: &str,
        channel_id: &str,
        sender: &str,
        directed: &[String],
    ) -> Vec<String> {
        let state = self.read();
        let Some(group) = state.groups.get(group_id) else {
            return Vec::new();
        };
        let Some(channel) = group.channels.get(channel_or_default(channel_id)) else {
            return Vec::new();
        };
        let wanted = |u: &String| {
            u.as_str() != sender && !group.online.contains(u) && channel.readable_by(u)
        };
        if directed.is_empty() {
            group
                .members
                .iter()
                .filter(|u| wanted(u))
                .cloned()
                .collect()
        } else {
            let mut seen = HashSet::new();
            directed
                .iter()
                .filter(|u| group.members.contains(*u) && wanted(u) && seen.insert(*u))
                .cloned()
                .collect()
        }
    }

    /// The channels `user` can read, ordered by (group, channel).
    pub(crate) fn channels_of(&self, user: &str) -> Vec<ChannelInfo> {
        self.read().channels_of(user)
    }

    /// The default levels (group, channel) of channel `channel_id` ("" = RCDefault), in
    /// `TypeNotificationLevel` numbering (NONE 1 = not set); `None` for an unknown group or
    /// channel.
    pub(crate) fn default_levels(&self, group_id: &str, channel_id: &str) -> Option<(u32, u32)> {
        let state = self.read();
        let group = state.groups.get(group_id)?;
        let channel = group.channels.get(channel_or_default(channel_id))?;
        Some((group.default_level, channel.default_level))
    }

    /// Whether the group exists.
    pub(crate) fn exists(&self, group_id: &str) -> bool {
        self.read().groups.contains_key(group_id)
    }

    /// Whether `user` is a member of the group (24410 for an unknown group).
    pub(crate) fn is_member(&self, group_id: &str, user: &str) -> Result<bool, u32> {
        Ok(self.read().group(group_id)?.members.contains(user))
    }

    /// The members of the group, sorted (empty for an unknown group).
    pub(crate) fn members_of(&self, group_id: &str) -> Vec<String> {
        let state = self.read();
        let mut out: Vec<String> = state
            .groups
            .get(group_id)
            .map(|g| g.members.iter().cloned().collect())
            .unwrap_or_default();
        out.sort();
        out
    }

    /// The group's name (24410 for an unknown group).
    pub(crate) fn name_of(&self, group_id: &str) -> Result<String, u32> {
        Ok(self.read().group(group_id)?.name.clone())
    }

    /// The group's channels, oldest first (then by id); 24410 for an unknown group.
    pub(crate) fn channels(&self, group_id: &str) -> Result<Vec<ChannelSummary>, u32> {
        let state = self.read();
        let mut out: Vec<ChannelSummary> = state
            .group(group_id)?
            .channels
            .iter()
            .map(|(id, c)| ChannelSummary {
                channel_id: id.clone(),
                private: c.private,
                created_at: c.created_at,
            })
            .collect();
        out.sort_by(|a, b| (a.created_at, &a.channel_id).cmp(&(b.created_at, &b.channel_id)));
        Ok(out)
    }

    /// A list of the group (`channel_id` "") or of one of its channels, sorted: 24410 unknown
    /// group, 24414 unknown channel. Private lists exist for channels only (empty for "").
    pub(crate) fn list(
        &self,
        group_id: &str,
        channel_id: &str,
        kind: UgListKind,
    ) -> Result<Vec<String>, u32> {
        let state = self.read();
        let group = state.group(group_id)?;
        let set = if channel_id.is_empty() {
            group.mutes.list(kind)
        } else {
            let channel = group
                .channels
                .get(channel_id)
                .ok_or(codes::ULTRA_GROUP_CHANNEL_ID_NOT_EXIST)?;
            match kind {
                UgListKind::Private => Some(&channel.listed),
                _ => channel.mutes.list(kind),
            }
        };
        let mut out: Vec<String> = set.map(|s| s.iter().cloned().collect()).unwrap_or_default();
        out.sort();
        Ok(out)
    }

    /// Whether the whole group (`channel_id` "") or channel is muted: 24410 / 24414.
    pub(crate) fn muted(&self, group_id: &str, channel_id: &str) -> Result<bool, u32> {
        let state = self.read();
        let group = state.group(group_id)?;
        if channel_id.is_empty() {
            return Ok(group.mutes.all);
        }
        group
            .channels
            .get(channel_id)
            .map(|c| c.mutes.all)
            .ok_or(codes::ULTRA_GROUP_CHANNEL_ID_NOT_EXIST)
    }
}

#[cfg(test)]
#[path = "directory_tests.rs"]
mod tests;
