//! The bus between nodes: how live delivery reaches sessions on other nodes.
//!
//! Two implementations behind [`Bus`]: [`local::LocalBus`] (one node, the default: every
//! session is in this process and the hub is the whole delivery, at no cost) and
//! [`nats::NatsBus`] (`--bus nats://…`: the nodes of a cluster share a NATS server).
//!
//! With NATS, a node delivers what it produces to its own sessions directly, exactly as one
//! node does (the hub, the chatroom registry, the ultra-group readers), and publishes it
//! once on the bus for the other nodes. The NATS connection is opened with `no_echo`, so a
//! node never receives its own publications: nothing is delivered twice to a node's own
//! sessions, and its own sessions keep the single node's guarantees (inbox heads recorded
//! under the hub's lock, see [`crate::hub`]).
//!
//! Subjects ([`subjects`]): one per user (committed inbox entries in inbox order, logins
//! elsewhere, resync orders), one per chatroom, one per ultra group, plus cluster-wide
//! questions to every node ([`questions`]: devices online, chatroom members, rings and
//! activity), node announcements, orders and the counts of the shared rates
//! ([`crate::limits`]). A node subscribes to the subjects of
//! the users it has sessions for and of the rooms its connections joined, and to every
//! ultra group. What arrives is handed to the [`Inbound`] side (wired in `crate::cluster`).
//!
//! Records every node keeps in memory (the ultra-group directory, chatroom records and
//! moderation lists, chatroom KV caches) are kept alike on every node by notices
//! ([`records`]) on one cluster-wide subject: the node that changes a record writes the
//! store, changes its memory and publishes the change; the others apply it to their memory.
//! When notices may have been lost (a full queue, an outage, an overflowing subscription),
//! the nodes read those records again from the store.
//!
//! Nothing waits on NATS where it matters: publications go through one bounded queue
//! drained by one task (so a node's publications keep their order per subject); when it is
//! full they are dropped and counted, and the users whose inbox entries were dropped are
//! told to resync once the bus flows again. See [`nats`] for outages.

pub(crate) mod local;
pub(crate) mod nats;
pub(crate) mod questions;
pub(crate) mod records;
pub(crate) mod subjects;
pub(crate) mod wire;

use crate::fanout::Fanout;
use crate::hub::{Hub, OnlineDevice};
use crate::model::Push;
use bytes::Bytes;
use rcim_proto::v1::{ultra_group_event, Message, Platform};
use records::RecordChange;
use std::sync::Arc;

/// What a node does with what the other nodes publish (implemented by the wiring, which
/// knows the hub, the chatrooms and the ultra groups).
pub(crate) trait Inbound: Send + Sync + 'static {
    /// Committed inbox entries of one user from another node, in inbox order.
    fn inbox(&self, entries: Vec<Push>);
    /// A device of `user` was admitted on another node at `at` (ms, that node's id), this
    /// node being `own`: apply the device rules to this node's older sessions of the user.
    fn login_elsewhere(
        &self,
        user: &str,
        device_id: &str,
        platform: Platform,
        at: (i64, &str),
        own: &str,
    );
    /// An online-only frame for `user`'s sessions on this node.
    fn online(&self, user: &str, body: rcim_proto::v1::server_frame::Body);
    /// `user` is kicked (a ban): close their sessions on this node with `Kicked{code}`.
    fn kick(&self, user: &str, code: u32, reason: &str);
    /// This node's answer to another node's question (with its body, often empty).
    fn answer(&self, question: questions::Question) -> (questions::Answer, Vec<u8>);
    /// Close the sessions of `user` on this node (they resync from their cursor).
    fn resync_user(&self, user: &str);
    /// Close every session of this node (they resync from their cursor).
    fn resync_all(&self);
    /// This node's connection to the bus came back after an interruption (or one of its
    /// subscriptions overflowed): what the others published meanwhile is lost, so read the
    /// records kept in memory again from the store, and close every session so it resyncs.
    fn reconnected(&self);
    /// What this node counted of the shared rates since the last call (to tell the others).
    fn take_hits(&self) -> crate::limits::RateHits;
    /// What another node counted of the shared rates.
    fn hits(&self, hits: crate::limits::RateHits);
    /// A change of a record kept in memory, made (and stored) by another node.
    fn records(&self, change: RecordChange);
    /// Another node may have lost notices of record changes: read them again from the store.
    fn reload_records(&self);
    /// A chatroom frame from another node for this node's members of `room`; `message`
    /// when it carries one (this node's ring and auto-kick count it).
    fn room_frame(&self, room: &str, frame: Bytes, high: bool, message: Option<Message>);
    /// An ultra-group event from another node for this node's readers.
    fn ultragroup(
        &self,
        group: &str,
        channel: &str,
        body: ultra_group_event::Body,
        only: Option<(Vec<String>, u64)>,
    );
}

/// The bus of this node: in-process (one node) or NATS.
#[derive(Clone)]
pub(crate) enum Bus {
    /// One node: nothing leaves the process.
    Local(local::LocalBus),
    /// A cluster sharing a NATS server.
    Nats(Arc<nats::NatsBus>),
}

impl Default for Bus {
    fn default() -> Self {
        Self::Local(local::LocalBus)
    }
}

/// Keeps this node subscribed to a user's subject while one of the user's connections (or
/// logins) lives here; dropping the last one unsubscribes.
#[must_use]
pub(crate) struct UserWatch(Option<(Arc<nats::NatsBus>, String)>);

impl Drop for UserWatch {
    fn drop(&mut self) {
        if let Some((bus, user)) = self.0.take() {
            bus.unwatch_user(&user);
        }
    }
}

/// Who gets an ultra-group event ([`crate::service::ultragroup::delivery::Audience`] in
/// owned form).
pub(crate) type UgAudience = Option<(Vec<String>, u64)>;

impl Bus {
    /// Whether other nodes may exist (something must be published and asked).
    pub(crate) fn is_distributed(&self) -> bool {
        matches!(self, Self::Nats(_))
    }

    /// Publishes committed entries for the other nodes' sessions (this node's get them from
    /// the hub).
    pub(crate) fn publish_inbox(&self, entries: &[Push]) {
        if let Self::Nats(bus) = self {
            bus.publish_inbox(entries);
        }
    }

    /// Subscribes this node to `user`'s subject (once per user, counted): call it when a
    /// login begins, before the inbox head is read, so every entry committed after the read
    /// reaches this node. Resolves once NATS has the subscription (or after a short timeout
    /// when NATS is unreachable: the session then resyncs when the bus is back).
    pub(crate) async fn watch_user(&self, user: &str) -> UserWatch {
        match self {
            Self::Local(_) => UserWatch(None),
            Self::Nats(bus) => {
                bus.watch_user(user).await;
                UserWatch(Some((bus.clone(), user.to_owned())))
            }
        }
    }

    /// The devices of `user` online on the other live nodes (empty on one node).
    pub(crate) async fn remote_devices(&self, user: &str) -> Vec<OnlineDevice> {
        self.remote_devices_of(&[user.to_owned()])
            .await
            .remove(user)
            .unwrap_or_default()
    }

    /// The devices of `users` online on the other live nodes, by user (empty on one node).
    pub(crate) async fn remote_devices_of(
        &self,
        users: &[String],
    ) -> std::collections::HashMap<String, Vec<OnlineDevice>> {
        match self {
            Self::Local(_) => Default::default(),
            Self::Nats(bus) => bus.remote_devices(users).await,
        }
    }

    /// Asks every other live node `question` (see [`questions`]); no answer, and complete,
    /// on one node.
    pub(crate) async fn ask_all(&self, question: questions::Question) -> questions::Answers {
        match self {
            Self::Local(_) => questions::Answers::default(),
            Self::Nats(bus) => bus.ask_all(question).await,
        }
    }

    /// Tells the other nodes that a device of `user` was admitted here at `since_ms` (they
    /// apply the device rules to their older sessions of the user).
    pub(crate) fn announce_login(
        &self,
        user: &str,
        device_id: &str,
        platform: Platform,
        since_ms: i64,
    ) {
        if let Self::Nats(bus) = self {
            bus.announce_login(user, device_id, platform, since_ms);
        }
    }

    /// Hands an online-only frame (see [`Hub::send_online`]) to `user`'s sessions on the
    /// other nodes.
    pub(crate) fn send_online(&self, user: &str, body: &rcim_proto::v1::server_frame::Body) {
        if let Self::Nats(bus) = self {
            bus.send_online(user, body);
        }
    }

    /// Kicks `user`'s sessions on the other nodes (see [`Hub::kick_user`]).
    pub(crate) fn kick_user(&self, user: &str, code: u32, reason: &str) {
        if let Self::Nats(bus) = self {
            bus.kick_user(user, code, reason);
        }
    }

    /// Publishes a chatroom frame for the room's members on other nodes.
    pub(crate) fn publish_room(&self, room: &str, frame: &Bytes, high: bool) {
        if let Self::Nats(bus) = self {
            bus.publish_room(room, frame, high);
        }
    }

    /// Subscribes this node to a room's subject (a connection here joins it).
    pub(crate) async fn watch_room(&self, room: &str) {
        if let Self::Nats(bus) = self {
            bus.watch_room(room).await;
        }
    }

    /// Unsubscribes from the rooms for which `keep` says false (no connection here left).
    pub(crate) fn retain_rooms(&self, keep: impl Fn(&str) -> bool) {
        if let Self::Nats(bus) = self {
            bus.retain_rooms(keep);
        }
    }

    /// Publishes an ultra-group event for the group's readers on other nodes.
    pub(crate) fn publish_ultragroup(
        &self,
        group: &str,
        channel: &str,
        body: &ultra_group_event::Body,
        only: UgAudience,
    ) {
        if let Self::Nats(bus) = self {
            bus.publish_ultragroup(group, channel, body, only);
        }
    }

    /// Publishes a change of a record every node keeps in memory, already stored and applied
    /// here (see [`records`]). Call it in the order of the changes.
    pub(crate) fn publish_records(&self, change: RecordChange) {
        if let Self::Nats(bus) = self {
            bus.publish_records(&change);
        }
    }

    /// The gateways of the other live nodes (as navigation hands them out).
    pub(crate) fn gateways(&self) -> Vec<String> {
        match self {
            Self::Local(_) => Vec::new(),
            Self::Nats(bus) => bus.gateways(),
        }
    }

    /// The bus counters (all 0 in process).
    pub(crate) fn stats(&self) -> BusStats {
        match self {
            Self::Local(_) => BusStats::default(),
            Self::Nats(bus) => bus.stats(),
        }
    }
}

/// Counters of the bus since the server started.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BusStats {
    /// Messages published.
    pub published: u64,
    /// Messages received from other nodes.
    pub received: u64,
    /// Messages dropped because the queue toward NATS was full or NATS refused them.
    pub dropped: u64,
}

/// The fan-out of a node on a bus: the hub for this node's sessions, the bus for the
/// others'.
pub(crate) struct BusFanout {
    pub(crate) hub: Arc<Hub>,
    pub(crate) bus: Bus,
}

impl Fanout for BusFanout {
    fn deliver(&self, entries: Vec<Push>) {
        self.bus.publish_inbox(&entries);
        self.hub.deliver(entries);
    }
}
