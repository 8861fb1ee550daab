//! Changes of the ultra-group directory: each checks the rules, writes through to the store,
//! then changes the memory (`directory_apply.rs`) and tells the other nodes
//! (`directory_sync.rs`), one change at a time. Those that change which channels someone
//! can read return the affected users who are online on this node (their connections are told
//! to resync: `notify::resync`); offline users read their states when they connect.

use super::directory::{Channel, Directory, Group, State};
use super::DEFAULT_CHANNEL;
use crate::service::ServiceError;
use crate::settings::MAX_NOTIFICATION_LEVEL;
use crate::store::{ServerStore, UgChannelRecord, UgDirectoryWrite, UgGroupRecord, UgListKind};
use rcim_proto::codes;

/// Online users whose channels changed.
pub(crate) type Affected = Vec<String>;

fn refused(code: u32, what: impl Into<String>) -> ServiceError {
    ServiceError::rejected(code, what)
}

fn group_of<'a>(state: &'a State, group_id: &str) -> Result<&'a Group, ServiceError> {
    state
        .group(group_id)
        .map_err(|code| refused(code, format!("ultra group {group_id} does not exist")))
}

fn channel_of<'a>(group: &'a Group, channel_id: &str) -> Result<&'a Channel, ServiceError> {
    group.channels.get(channel_id).ok_or_else(|| {
        refused(
            codes::ULTRA_GROUP_CHANNEL_ID_NOT_EXIST,
            format!("channel {channel_id} does not exist"),
        )
    })
}

/// Those of `users` who are members of `group` (`members` true) or who are not.
fn by_membership(group: &Group, users: &[String], members: bool) -> Vec<String> {
    users
        .iter()
        .filter(|u| group.members.contains(*u) == members)
        .cloned()
        .collect()
}

fn not_default(channel_id: &str, what: &str) -> Result<(), ServiceError> {
    if channel_id == DEFAULT_CHANNEL {
        Err(ServiceError::Invalid(format!(
            "{DEFAULT_CHANNEL} cannot be {what}"
        )))
    } else {
        Ok(())
    }
}

impl Directory {
    /// 24412 when one of `users` (not yet a member of `group_id`) is already in the most
    /// groups.
    fn check_group_cap(
        &self,
        state: &State,
        group_id: &str,
        users: &[String],
    ) -> Result<(), ServiceError> {
        for u in users {
            let Some(groups) = state.memberships.get(u) else {
                continue;
            };
            if !groups.contains(group_id) && groups.len() >= self.limits.max_groups_per_user {
                return Err(refused(
                    codes::ULTRA_GROUP_NUMBER_EXCEED_LIMIT,
                    format!("{u} is a member of {} ultra groups", groups.len()),
                ));
            }
        }
        Ok(())
    }

    /// Creates a group with its channel "RCDefault" and `creator` as its first member. An
    /// existing group is left as it is, and `creator` joins it. 24412: `creator` is in the
    /// most groups.
    pub(crate) async fn create_group(
        &self,
        store: &dyn ServerStore,
        group_id: &str,
        name: &str,
        creator: &str,
        now_ms: i64,
    ) -> Result<Affected, ServiceError> {
        let _change = self.changes.lock().await;
        if self.exists(group_id) {
            return self
                .join_locked(store, group_id, &[creator.to_owned()], now_ms)
                .await;
        }
        self.check_group_cap(&self.read(), group_id, &[creator.to_owned()])?;
        let group = UgGroupRecord {
            group_id: group_id.to_owned(),
            name: name.to_owned(),
            created_at: now_ms,
            default_level: crate::settings::LEVEL_NOT_SET,
            muted: false,
        };
        let default_channel = UgChannelRecord {
            group_id: group_id.to_owned(),
            channel_id: DEFAULT_CHANNEL.to_owned(),
            private: false,
            created_at: now_ms,
            default_level: crate::settings::LEVEL_NOT_SET,
            muted: false,
        };
        self.store_and_commit(
            store,
            UgDirectoryWrite::CreateGroup {
                group,
                default_channel,
                creator: creator.to_owned(),
            },
        )
        .await
    }

    /// Deletes a group and everything about it (24410 unknown); returns its online members.
    pub(crate) async fn dismiss(
        &self,
        store: &dyn ServerStore,
        group_id: &str,
    ) -> Result<Affected, ServiceError> {
        self.settle(group_id, "").await;
        let _change = self.changes.lock().await;
        group_of(&self.read(), group_id)?;
        self.store_and_commit(store, UgDirectoryWrite::DeleteGroup(group_id.to_owned()))
            .await
    }

    /// Renames a group (24410 unknown).
    pub(crate) async fn rename(
        &self,
        store: &dyn ServerStore,
        group_id: &str,
        name: &str,
    ) -> Result<(), ServiceError> {
        self.settle(group_id, "").await;
        let _change = self.changes.lock().await;
        group_of(&self.read(), group_id)?;
        let op = UgDirectoryWrite::Rename {
            group_id: group_id.to_owned(),
            name: name.to_owned(),
        };
        self.store_and_commit(store, op).await?;
        Ok(())
    }

    /// Adds members (existing ones stay as they are): 24410 unknown group, 24412 one of them
    /// is in the most groups (nobody joins). Returns the new members online.
    pub(crate) async fn join(
        &self,
        store: &dyn ServerStore,
        group_id: &str,
        users: &[String],
        now_ms: i64,
    ) -> Result<Affected, ServiceError> {
        self.settle(group_id, "").await;
        let _change = self.changes.lock().await;
        self.join_locked(store, group_id, users, now_ms).await
    }

    /// [`Self::join`] under the change lock.
    async fn join_locked(
        &self,
        store: &dyn ServerStore,
        group_id: &str,
        users: &[String],
        now_ms: i64,
    ) -> Result<Affected, ServiceError> {
        let new: Vec<String> = {
            let state = self.read();
            let new = by_membership(group_of(&state, group_id)?, users, false);
            self.check_group_cap(&state, group_id, &new)?;
            new
        };
        if new.is_empty() {
            return Ok(Vec::new());
        }
        let op = UgDirectoryWrite::Join {
            group_id: group_id.to_owned(),
            users: new,
            joined_at: now_ms,
        };
        self.store_and_commit(store, op).await
    }

    /// Removes members, with their private-channel listings, mutes and allow-list entries in
    /// the group (24410 unknown group; non-members are skipped). Returns the leavers online.
    pub(crate) async fn quit(
        &self,
        store: &dyn ServerStore,
        group_id: &str,
        users: &[String],
    ) -> Result<Affected, ServiceError> {
        self.settle(group_id, "").await;
        let _change = self.changes.lock().await;
        let leaving: Vec<String> = {
            let state = self.read();
            by_membership(group_of(&state, group_id)?, users, true)
        };
        if leaving.is_empty() {
            return Ok(Vec::new());
        }
        let op = UgDirectoryWrite::Quit {
            group_id: group_id.to_owned(),
            users: leaving,
        };
        self.store_and_commit(store, op).await
    }

    /// Creates a channel (an existing one is left as it is): 24410 unknown group, 24413 the
    /// group has the most channels. Returns the online members who can read it (public: all).
    pub(crate) async fn create_channel(
        &self,
        store: &dyn ServerStore,
        group_id: &str,
        channel_id: &str,
        private: bool,
        now_ms: i64,
    ) -> Result<Affected, ServiceError> {
        self.settle(group_id, "").await;
        let _change = self.changes.lock().await;
        {
            let state = self.read();
            let group = group_of(&state, group_id)?;
            if group.channels.contains_key(channel_id) {
                return Ok(Vec::new());
            }
            if group.channels.len() >= self.limits.max_channels {
                return Err(refused(
                    codes::ULTRA_GROUP_CHANNELS_EXCEED_LIMIT,
                    format!(
                        "ultra group {group_id} has {} channels",
                        group.channels.len()
                    ),
                ));
            }
        }
        let op = UgDirectoryWrite::CreateChannel(UgChannelRecord {
            group_id: group_id.to_owned(),
            channel_id: channel_id.to_owned(),
            private,
            created_at: now_ms,
            default_level: crate::settings::LEVEL_NOT_SET,
            muted: false,
        });
        self.store_and_commit(store, op).await
    }

    /// Deletes a channel and its lists: 24410 / 24414 unknown, 1002 for "RCDefault". Returns
    /// the online members who could read it.
    pub(crate) async fn delete_channel(
        &self,
        store: &dyn ServerStore,
        group_id: &str,
        channel_id: &str,
    ) -> Result<Affected, ServiceError> {
        not_default(channel_id, "deleted")?;
        self.settle(group_id, channel_id).await;
        let _change = self.changes.lock().await;
        {
            let state = self.read();
            channel_of(group_of(&state, group_id)?, channel_id)?;
        }
        let op = UgDirectoryWrite::DeleteChannel {
            group_id: group_id.to_owned(),
            channel_id: channel_id.to_owned(),
        };
        self.store_and_commit(store, op).await
    }

    /// Makes a channel private or public; its member list is kept: 24410 / 24414 unknown, 1002
    /// for "RCDefault". Returns the online members who gained or lost it (the unlisted ones).
    pub(crate) async fn set_channel_private(
        &self,
        store: &dyn ServerStore,
        group_id: &str,
        channel_id: &str,
        private: bool,
    ) -> Result<Affected, ServiceError> {
        if private {
            not_default(channel_id, "made private")?;
        }
        self.settle(group_id, channel_id).await;
        let _change = self.changes.lock().await;
        {
            let state = self.read();
            let channel = channel_of(group_of(&state, group_id)?, channel_id)?;
            if channel.private == private {
                return Ok(Vec::new());
            }
        }
        let op = UgDirectoryWrite::SetChannelPrivate {
            group_id: group_id.to_owned(),
            channel_id: channel_id.to_owned(),
            private,
        };
        self.store_and_commit(store, op).await
    }

    /// Adds (`add`) or removes users of a list of the group (`channel_id` "": mutes and allow
    /// lists) or of a channel (private members too). Private members must be members of the
    /// group (24406, nothing changed). 24410 / 24414 unknown. Returns, for a private list of a
    /// private channel, the online users listed or unlisted.
    pub(crate) async fn change_list(
        &self,
        store: &dyn ServerStore,
        group_id: &str,
        channel_id: &str,
        kind: UgListKind,
        users: &[String],
        add: bool,
    ) -> Result<Affected, ServiceError> {
        if kind == UgListKind::Private && channel_id.is_empty() {
            return Err(ServiceError::Invalid(
                "a private list needs a channel".into(),
            ));
        }
        self.settle(group_id, channel_id).await;
        let _change = self.changes.lock().await;
        {
            let state = self.read();
            let group = group_of(&state, group_id)?;
            if !channel_id.is_empty() {
                channel_of(group, channel_id)?;
            }
            if kind == UgListKind::Private && add {
                if let Some(u) = users.iter().find(|u| !group.members.contains(*u)) {
                    return Err(refused(
                        codes::NOT_IN_ULTRA_GROUP,
                        format!("{u} is not a member of ultra group {group_id}"),
                    ));
                }
            }
        }
        let op = UgDirectoryWrite::List {
            group_id: group_id.to_owned(),
            channel_id: channel_id.to_owned(),
            kind,
            users: users.to_vec(),
            add,
        };
        self.store_and_commit(store, op).await
    }

    /// Mutes or unmutes the whole group (`channel_id` "") or one channel: 24410 / 24414.
    pub(crate) async fn set_muted(
        &self,
        store: &dyn ServerStore,
        group_id: &str,
        channel_id: &str,
        muted: bool,
    ) -> Result<(), ServiceError> {
        let write = UgDirectoryWrite::SetMuted {
            group_id: group_id.to_owned(),
            channel_id: channel_id.to_owned(),
            muted,
        };
        self.set_setting(store, (group_id, channel_id), write).await
    }

    /// Sets the default notification level (`TypeNotificationLevel` numbering, 0..=5; NONE 1
    /// = not set) of the group (`channel_id` "") or of one channel: 24410 / 24414 unknown,
    /// invalid (33003 / 1002) for a level out of range.
    pub(crate) async fn set_default_level(
        &self,
        store: &dyn ServerStore,
        group_id: &str,
        channel_id: &str,
        level: u32,
    ) -> Result<(), ServiceError> {
        if level > MAX_NOTIFICATION_LEVEL {
            return Err(ServiceError::Invalid(format!(
                "level must be 0..={MAX_NOTIFICATION_LEVEL}"
            )));
        }
        let write = UgDirectoryWrite::SetDefaultLevel {
            group_id: group_id.to_owned(),
            channel_id: channel_id.to_owned(),
            level,
        };
        self.set_setting(store, (group_id, channel_id), write).await
    }

    /// Changes a setting of the group (`channel_id` "") or of one of its channels (24410 /
    /// 24414 unknown): `write` to the store, then the same change in memory.
    async fn set_setting(
        &self,
        store: &dyn ServerStore,
        (group_id, channel_id): (&str, &str),
        write: UgDirectoryWrite,
    ) -> Result<(), ServiceError> {
        self.settle(group_id, channel_id).await;
        let _change = self.changes.lock().await;
        {
            let state = self.read();
            let group = group_of(&state, group_id)?;
            if !channel_id.is_empty() {
                channel_of(group, channel_id)?;
            }
        }
        self.store_and_commit(store, write).await?;
        Ok(())
    }

    /// Writes `op` through to the store, then applies it to the memory and tells the other
    /// nodes ([`Directory::commit`]). Call it with the change lock held.
    async fn store_and_commit(
        &self,
        store: &dyn ServerStore,
        op: UgDirectoryWrite,
    ) -> Result<Affected, ServiceError> {
        store.ug_directory_write(op.clone()).await?;
        Ok(self.commit(op))
    }
}
