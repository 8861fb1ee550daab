//! One stored change of the directory applied to the memory: the single place where the
//! memory changes, whether the change was made on this node (`directory_changes.rs`, after
//! its checks and its write-through) or on another node (`directory_sync.rs`, from its bus
//! notice). So every node applies the same change the same way.
//!
//! Applying is idempotent and tolerant: a change about a group or channel this memory does
//! not hold changes nothing, one already applied changes nothing more (a reload from the
//! store may replay changes the store already had, see `Directory::reload`).

use super::directory::{Channel, Group, State};
use super::directory_changes::Affected;
use crate::store::{UgDirectoryWrite, UgListKind};
use std::collections::HashSet;

/// The group a change is about.
pub(crate) fn group_of(op: &UgDirectoryWrite) -> &str {
    match op {
        UgDirectoryWrite::CreateGroup { group, .. } => &group.group_id,
        UgDirectoryWrite::DeleteGroup(group_id) => group_id,
        UgDirectoryWrite::CreateChannel(c) => &c.group_id,
        UgDirectoryWrite::Rename { group_id, .. }
        | UgDirectoryWrite::Join { group_id, .. }
        | UgDirectoryWrite::Quit { group_id, .. }
        | UgDirectoryWrite::DeleteChannel { group_id, .. }
        | UgDirectoryWrite::SetChannelPrivate { group_id, .. }
        | UgDirectoryWrite::List { group_id, .. }
        | UgDirectoryWrite::SetMuted { group_id, .. }
        | UgDirectoryWrite::SetDefaultLevel { group_id, .. } => group_id,
    }
}

impl State {
    /// Applies `op` (already in the store) and returns the users online on this node whose
    /// readable channels of the group changed (told to resync by the caller). While a reload
    /// runs, `op` is also kept to be applied again over the reloaded memory.
    pub(super) fn apply(&mut self, op: &UgDirectoryWrite) -> Affected {
        if let Some(log) = self.replay.as_mut() {
            log.push(op.clone());
        }
        self.apply_only(op)
    }

    /// [`Self::apply`] without the reload's log.
    pub(super) fn apply_only(&mut self, op: &UgDirectoryWrite) -> Affected {
        match op {
            UgDirectoryWrite::CreateGroup {
                group,
                default_channel,
                creator,
            } => {
                let g = self
                    .groups
                    .entry(group.group_id.clone())
                    .or_insert_with(|| {
                        let mut g = Group::new(group.name.clone(), group.created_at);
                        g.default_level = group.default_level;
                        g.mutes.all = group.muted;
                        g
                    });
                if let Some(c) = g.channels.get_mut(&default_channel.channel_id) {
                    // `Group::new` made it; take the stored settings.
                    c.default_level = default_channel.default_level;
                    c.mutes.all = default_channel.muted;
                }
                self.add_members(&group.group_id, std::slice::from_ref(creator))
            }
            UgDirectoryWrite::DeleteGroup(group_id) => {
                let Some(group) = self.groups.remove(group_id) else {
                    return Vec::new();
                };
                for u in &group.members {
                    self.forget_membership(u, group_id);
                }
                group.online.into_iter().collect()
            }
            UgDirectoryWrite::Rename { group_id, name } => {
                if let Some(g) = self.groups.get_mut(group_id) {
                    g.name = name.clone();
                }
                Vec::new()
            }
            UgDirectoryWrite::Join {
                group_id, users, ..
            } => self.add_members(group_id, users),
            UgDirectoryWrite::Quit { group_id, users } => self.remove_members(group_id, users),
            UgDirectoryWrite::CreateChannel(rec) => {
                let Some(group) = self.groups.get_mut(&rec.group_id) else {
                    return Vec::new();
                };
                if group.channels.contains_key(&rec.channel_id) {
                    return Vec::new();
                }
                let mut channel = Channel::new(rec.private, rec.created_at);
                channel.default_level = rec.default_level;
                channel.mutes.all = rec.muted;
                group.channels.insert(rec.channel_id.clone(), channel);
                if rec.private {
                    Vec::new()
                } else {
                    group.online.iter().cloned().collect()
                }
            }
            UgDirectoryWrite::DeleteChannel {
                group_id,
                channel_id,
            } => {
                let Some(group) = self.groups.get_mut(group_id) else {
                    return Vec::new();
                };
                let Some(channel) = group.channels.remove(channel_id) else {
                    return Vec::new();
                };
                group
                    .online
                    .iter()
                    .filter(|u| channel.readable_by(u))
                    .cloned()
                    .collect()
            }
            UgDirectoryWrite::SetChannelPrivate {
                group_id,
                channel_id,
                private,
            } => {
                let Some(group) = self.groups.get_mut(group_id) else {
                    return Vec::new();
                };
                let Some(channel) = group.channels.get_mut(channel_id) else {
                    return Vec::new();
                };
                if channel.private == *private {
                    return Vec::new();
                }
                channel.private = *private;
                group
                    .online
                    .iter()
                    .filter(|u| !channel.listed.contains(*u))
                    .cloned()
                    .collect()
            }
            UgDirectoryWrite::List {
                group_id,
                channel_id,
                kind,
                users,
                add,
            } => self.change_list(group_id, channel_id, *kind, users, *add),
            UgDirectoryWrite::SetMuted {
                group_id,
                channel_id,
                muted,
            } => {
                self.setting(
                    group_id,
                    channel_id,
                    |g| g.mutes.all = *muted,
                    |c| c.mutes.all = *muted,
                );
                Vec::new()
            }
            UgDirectoryWrite::SetDefaultLevel {
                group_id,
                channel_id,
                level,
            } => {
                self.setting(
                    group_id,
                    channel_id,
                    |g| g.default_level = *level,
                    |c| c.default_level = *level,
                );
                Vec::new()
            }
        }
    }

    /// Adds `users` to a group; returns the online ones that were not members.
    fn add_members(&mut self, group_id: &str, users: &[String]) -> Affected {
        let mut affected = Vec::new();
        for u in users {
            let online = self.online.contains(u);
            let Some(group) = self.groups.get_mut(group_id) else {
                return affected;
            };
            if group.members.insert(u.clone()) {
                if online {
                    group.online.insert(u.clone());
                    affected.push(u.clone());
                }
                self.memberships
                    .entry(u.clone())
                    .or_default()
                    .insert(group_id.to_owned());
            }
        }
        affected
    }

    /// Removes members with their listings, mutes and allow-list entries in the group;
    /// returns the leavers online.
    fn remove_members(&mut self, group_id: &str, users: &[String]) -> Affected {
        let mut affected = Vec::new();
        let mut left = Vec::new();
        if let Some(group) = self.groups.get_mut(group_id) {
            for u in users {
                if !group.members.remove(u) {
                    continue;
                }
                left.push(u);
                if group.online.remove(u) {
                    affected.push(u.clone());
                }
                group.mutes.users.remove(u);
                group.mutes.allowed.remove(u);
                for c in group.channels.values_mut() {
                    c.listed.remove(u);
                    c.mutes.users.remove(u);
                    c.mutes.allowed.remove(u);
                }
            }
        }
        for u in left {
            self.forget_membership(u, group_id);
        }
        affected
    }

    fn forget_membership(&mut self, user: &str, group_id: &str) {
        if let Some(groups) = self.memberships.get_mut(user) {
            groups.remove(group_id);
            if groups.is_empty() {
                self.memberships.remove(user);
            }
        }
    }

    /// Adds or removes users of a list of the group (`channel_id` "") or of a channel;
    /// returns, for a private list of a private channel, the online users listed or
    /// unlisted.
    fn change_list(
        &mut self,
        group_id: &str,
        channel_id: &str,
        kind: UgListKind,
        users: &[String],
        add: bool,
    ) -> Affected {
        let Some(group) = self.groups.get_mut(group_id) else {
            return Vec::new();
        };
        let online = &group.online;
        let (set, private) = if channel_id.is_empty() {
            (group.mutes.list_mut(kind), false)
        } else {
            match group.channels.get_mut(channel_id) {
                Some(c) if kind == UgListKind::Private => (Some(&mut c.listed), c.private),
                Some(c) => (c.mutes.list_mut(kind), false),
                None => (None, false),
            }
        };
        let Some(set) = set else {
            return Vec::new();
        };
        let mut changed: HashSet<&String> = HashSet::new();
        for u in users {
            let did = if add {
                set.insert(u.clone())
            } else {
                set.remove(u)
            };
            if did {
                changed.insert(u);
            }
        }
        if !private {
            return Vec::new();
        }
        changed
            .into_iter()
            .filter(|u| online.contains(*u))
            .cloned()
            .collect()
    }

    /// Changes a setting of the group (`channel_id` "") or of one of its channels.
    fn setting(
        &mut self,
        group_id: &str,
        channel_id: &str,
        on_group: impl FnOnce(&mut Group),
        on_channel: impl FnOnce(&mut Channel),
    ) {
        if let Some(group) = self.groups.get_mut(group_id) {
            if channel_id.is_empty() {
                on_group(group);
            } else if let Some(c) = group.channels.get_mut(channel_id) {
                on_channel(c);
            }
        }
    }
}
