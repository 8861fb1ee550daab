//! The directory on several nodes sharing one store: each node keeps the whole directory in
//! memory, so every change must reach every node's memory.
//!
//! - A change made here is applied to this memory and handed to the relay (the bus, see
//!   `crate::bus::records`) under the change lock, after its write-through: this node's
//!   notices leave in the order of its changes, and the bus keeps that order.
//! - A notice from another node ([`Directory::apply_remote`]) applies the same store
//!   operation the same way (`directory_apply.rs`), without the change lock (the store has
//!   it already; applying is idempotent). Its group's online members here whose channels
//!   changed are told to resync by the caller.
//! - A notice races the reads of a client who was just answered by the other node (create a
//!   group on node C, then ask node A about it): a Server API change about a group or
//!   channel this node does not know waits for notices a short while ([`SETTLE`]) before
//!   answering that it does not exist ([`Directory::settle`]). Sends and reads do not wait.
//! - When notices may have been lost (a NATS outage, a full bus queue), the whole directory
//!   is read again from the store ([`Directory::reload`]); the changes applied while it is
//!   read are applied again over it, so none is lost to the race.
//!
//! The caps (groups per user, channels per group) are checked against this node's memory:
//! two nodes changing the same group at the same moment may together pass a cap by a little.

use super::directory::{ChannelInfo, Directory, Relay, State};
use super::directory_changes::Affected;
use crate::service::ServiceError;
use crate::store::{ServerStore, UgDirectoryWrite};
use std::collections::BTreeMap;
use std::time::Duration;
use tokio::time::Instant;

/// How long a Server API change about a group or channel unknown here waits for a notice of
/// another node that may have just created it.
pub(crate) const SETTLE: Duration = Duration::from_millis(300);

/// Online users of this node whose channels changed, by group.
pub(crate) type ChangedByGroup = BTreeMap<String, Vec<String>>;

impl Directory {
    /// Sends this node's changes to the other nodes from now on (on a bus only; makes
    /// [`Self::settle`] wait).
    pub(crate) fn set_relay(&self, relay: Relay) {
        if self.relay.set(relay).is_err() {
            tracing::warn!("the ultra-group directory relay was set twice; kept the first");
        }
    }

    /// Applies `op` (stored already) to the memory, then hands it to the relay. Call it
    /// with the change lock held, so notices leave in the order of the changes.
    pub(super) fn commit(&self, op: UgDirectoryWrite) -> Affected {
        let affected = self.write().apply(&op);
        if let Some(relay) = self.relay.get() {
            relay(&op);
        }
        affected
    }

    /// Applies a change another node made (and stored); returns the users online here
    /// whose readable channels of the group changed.
    pub(crate) fn apply_remote(&self, op: &UgDirectoryWrite) -> Affected {
        let affected = self.write().apply(op);
        self.arrived.notify_waiters();
        affected
    }

    /// On a bus, waits at most [`SETTLE`] for the group (and the channel, unless "") to be
    /// known here, in case another node just made it and its notice is on the way.
    pub(super) async fn settle(&self, group_id: &str, channel_id: &str) {
        if self.relay.get().is_none() {
            return;
        }
        let deadline = Instant::now() + SETTLE;
        loop {
            // Created before the check: a notice applied in between still wakes it.
            let arrived = self.arrived.notified();
            let known = self
                .read()
                .groups
                .get(group_id)
                .is_some_and(|g| channel_id.is_empty() || g.channels.contains_key(channel_id));
            if known || tokio::time::timeout_at(deadline, arrived).await.is_err() {
                return;
            }
        }
    }

    /// Reads the whole directory again from the store (notices may have been lost), keeps
    /// who is online here, and applies again the changes applied while it was read (their
    /// notices may have arrived before the read saw them in the store; applying twice
    /// changes nothing). Returns the online users whose channels changed, by group. Holds
    /// the change lock: this node's own changes wait for it.
    pub(crate) async fn reload(
        &self,
        store: &dyn ServerStore,
    ) -> Result<ChangedByGroup, ServiceError> {
        let _change = self.changes.lock().await;
        self.write().replay = Some(Vec::new());
        let snapshot = match store.ug_directory().await {
            Ok(snapshot) => snapshot,
            Err(e) => {
                self.write().replay = None;
                return Err(e.into());
            }
        };
        let mut fresh = State::from_snapshot(snapshot);
        let mut state = self.write();
        for op in state.replay.take().unwrap_or_default() {
            fresh.apply_only(&op);
        }
        fresh.online = std::mem::take(&mut state.online);
        let online: Vec<String> = fresh.online.iter().cloned().collect();
        for u in &online {
            let groups: Vec<String> = fresh
                .memberships
                .get(u)
                .map(|g| g.iter().cloned().collect())
                .unwrap_or_default();
            for g in groups {
                if let Some(group) = fresh.groups.get_mut(&g) {
                    group.online.insert(u.clone());
                }
            }
        }
        let mut changed = ChangedByGroup::new();
        for u in &online {
            for group in changed_groups(&state.channels_of(u), &fresh.channels_of(u)) {
                changed.entry(group).or_default().push(u.clone());
            }
        }
        tracing::info!(
            groups = fresh.groups.len(),
            changed = changed.len(),
            "ultra-group directory read again from the store"
        );
        *state = fresh;
        drop(state);
        self.arrived.notify_waiters();
        Ok(changed)
    }
}

/// The groups whose channels differ between `before` and `after` (both ordered by group).
fn changed_groups(before: &[ChannelInfo], after: &[ChannelInfo]) -> Vec<String> {
    let by_group = |list: &[ChannelInfo]| {
        let mut map: BTreeMap<String, Vec<ChannelInfo>> = BTreeMap::new();
        for c in list {
            map.entry(c.group_id.clone()).or_default().push(c.clone());
        }
        map
    };
    let (before, after) = (by_group(before), by_group(after));
    let mut out: Vec<String> = before
        .iter()
        .filter(|(g, list)| after.get(*g) != Some(list))
        .map(|(g, _)| g.clone())
        .collect();
    out.extend(after.keys().filter(|g| !before.contains_key(*g)).cloned());
    out
}

#[cfg(test)]
#[path = "directory_sync_tests.rs"]
mod tests;
