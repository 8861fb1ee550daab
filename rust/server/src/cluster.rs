//! Wiring of the bus ([`crate::bus`]) to this node's delivery: what other nodes publish is
//! handed to the hub (inbox entries, device rules, resyncs), the chatroom registry (room
//! frames) and the ultra-group readers, exactly as if it had been produced here, minus the
//! publication (which already happened on the producing node). Record notices (directory,
//! chatroom records) are applied by [`crate::cluster_records`].

use crate::bus::questions::{Answer, Question};
use crate::bus::records::RecordChange;
use crate::bus::Inbound;
use crate::model::Push;
use crate::service::chatroom::across_nodes;
use crate::service::chatroom::ops::auto_kick;
use crate::service::ultragroup::delivery::{deliver_local, Audience};
use crate::state::Shared;
use bytes::Bytes;
use rcim_proto::v1::{ultra_group_event, Message, Platform};
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
            // The user has sessions here and there now: their rates count on both.
            shared.user_rates.mark_spread(user);
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

    fn answer(&self, question: Question) -> (Answer, Vec<u8>) {
        let Some(shared) = self.shared() else {
            return (Answer::Unknown, Vec::new());
        };
        if let Question::Devices { users } = &question {
            let devices = shared
                .hub
                .online_devices(users.iter().map(String::as_str))
                .into_iter()
                .flat_map(|(user, list)| {
                    list.into_iter()
                        .map(move |d| (user.clone(), d.device_id, d.platform as i32))
                })
                .collect();
            return (Answer::Devices { devices }, Vec::new());
        }
        across_nodes::answer(&shared, &question).unwrap_or((Answer::Unknown, Vec::new()))
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

    fn take_hits(&self) -> crate::limits::RateHits {
        let Some(shared) = self.shared() else {
            return Default::default();
        };
        crate::limits::RateHits {
            keyed: shared.rates.take_pending(),
            users: shared.user_rates.take_pending(),
        }
    }

    fn hits(&self, hits: crate::limits::RateHits) {
        if let Some(shared) = self.shared() {
            shared.rates.add_remote(hits.keyed);
            shared.user_rates.add_remote(hits.users);
        }
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

    fn room_frame(&self, room: &str, frame: Bytes, high: bool, message: Option<Message>) {
        let Some(shared) = self.shared() else { return };
        let due = shared
            .chatrooms
            .offer_remote(room, &frame, high, message.as_ref());
        if !due.is_empty() {
            let room = room.to_owned();
            tokio::spawn(async move { auto_kick(&shared, &room, due).await });
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
