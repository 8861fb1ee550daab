//! Wiring of the bus ([`crate::bus`]) to this node's delivery: what other nodes publish is
//! handed to the hub (inbox entries, device rules, resyncs), the chatroom registry (room
//! frames) and the ultra-group readers, exactly as if it had been produced here, minus the
//! publication (which already happened on the producing node). Record notices (directory,
//! chatroom records) are applied by [`crate::cluster_records`].

use crate::bus::records::RecordChange;
use crate::bus::Inbound;
use crate::hub::OnlineDevice;
use crate::model::Push;
use crate::service::ultragroup::delivery::{deliver_local, Audience};
use crate::state::Shared;
use bytes::Bytes;
use rcim_proto::v1::{ultra_group_event, Platform};
use std::sync::{Arc, Weak};

/// How long a reconnected node's sessions wait for its records to be read again before
/// they are closed to resync.
const RELOAD_BEFORE_RESYNC: std::time::Duration = std::time::Duration::from_secs(5);

/// The inbound side of this node. Holds the shared state weakly: the bus lives in it.
pub(crate) struct NodeInbound(pub(crate) Weak<Shared>);

impl NodeInbound {
    fn shared(&self) -> Option<Arc<Shared>> {
        self.0.upgrade()
    }
}

impl Inbound for NodeInbound {
    fn inbox(&self, entries: Vec<Push>) {
        if let Some(shared) = self.shared() {
            crate::fanout::Fanout::deliver(shared.hub.as_ref(), entries);
        }
    }

    fn login_elsewhere(
        &self,
        user: &str,
        device_id: &str,
        platform: Platform,
        at: (i64, &str),
        own: &str,
    ) {
        if let Some(shared) = self.shared() {
            shared
                .hub
                .login_elsewhere(user, device_id, platform, at, own);
        }
    }

    fn online(&self, user: &str, body: rcim_proto::v1::server_frame::Body) {
        if let Some(shared) = self.shared() {
            shared.hub.send_online(user, body);
        }
    }

    fn kick(&self, user: &str, code: u32, reason: &str) {
        if let Some(shared) = self.shared() {
            shared.hub.kick_user(user, code, reason);
        }
    }

    fn devices(&self, user: &str) -> Vec<OnlineDevice> {
        self.shared()
            .and_then(|s| s.hub.online_devices([user]).remove(user))
            .unwrap_or_default()
    }

    fn resync_user(&self, user: &str) {
        if let Some(shared) = self.shared() {
            shared.hub.resync(Some(user));
        }
    }

    fn resync_all(&self) {
        if let Some(shared) = self.shared() {
            shared.hub.resync(None);
        }
    }

    fn reconnected(&self) {
        let Some(shared) = self.shared() else { return };
        // The records first, so the sessions resync against them; not waiting long on a
        // store that does not answer (the reload goes on, the sessions resync meanwhile).
        tokio::spawn(async move {
            let reload = crate::cluster_records::reload(&shared);
            tokio::pin!(reload);
            if tokio::time::timeout(RELOAD_BEFORE_RESYNC, &mut reload)
                .await
                .is_err()
            {
                tracing::warn!("reading the records again is slow; resyncing the sessions now");
                shared.hub.resync(None);
                reload.await;
                return;
            }
            shared.hub.resync(None);
        });
    }

    fn records(&self, change: RecordChange) {
        if let Some(shared) = self.shared() {
            crate::cluster_records::apply(&shared, change);
        }
    }

    fn reload_records(&self) {
        let Some(shared) = self.shared() else { return };
        tokio::spawn(async move { crate::cluster_records::reload(&shared).await });
    }

    fn room_frame(&self, room: &str, frame: Bytes, high: bool) {
        if let Some(shared) = self.shared() {
            shared.chatrooms.offer_remote(room, &frame, high);
        }
    }

    fn ultragroup(
        &self,
        group: &str,
        channel: &str,
        body: ultra_group_event::Body,
        only: Option<(Vec<String>, u64)>,
    ) {
        let Some(shared) = self.shared() else { return };
        let audience = match &only {
            None => Audience::Readers,
            Some((users, skipped_seq)) => Audience::Only {
                users,
                skipped_seq: *skipped_seq,
            },
        };
        deliver_local(&shared, group, channel, body, audience, None);
    }
}
