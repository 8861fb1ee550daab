//! Registry of online sessions and live delivery.
//!
//! The hub knows every authenticated connection by user. It enforces the device rules at login
//! (one mobile device per user, `kickReconnectDevice`), and the database writer hands it inbox
//! entries right after each commit. Delivery never waits: a session whose bounded outbound queue
//! is full is disconnected (it resyncs from its inbox cursor when it comes back).
//!
//! The hub also caches each user's inbox head as published by the writer, under the same lock as
//! delivery, so a login either sees an entry in its `inbox_head` or receives it as a push.

use rcim_proto::codes;
use rcim_proto::v1::{server_frame, InboxEntry, InboxPush, Kicked, Platform, ServerFrame};
use std::collections::HashMap;
use std::sync::Mutex;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

/// Identifies one client connection for the lifetime of the process.
pub(crate) type ConnId = u64;

/// What a connection's writer task sends.
// Nearly every item is a `Frame`; boxing it would only add an allocation per frame.
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
pub(crate) enum Outbound {
    /// Write this frame.
    Frame(ServerFrame),
    /// Flush and close the connection.
    Close,
}

/// An online, authenticated connection.
#[derive(Clone)]
pub(crate) struct Session {
    pub conn_id: ConnId,
    pub user_id: String,
    pub device_id: String,
    pub platform: Platform,
    pub tx: mpsc::Sender<Outbound>,
    /// Cancelled to drop the connection without a goodbye.
    pub cancel: CancellationToken,
}

/// An inbox entry to push to a user's online devices.
#[derive(Debug)]
pub(crate) struct Push {
    pub user_id: String,
    /// A connection not to push to (the sending connection, which gets the ack).
    pub exclude: Option<ConnId>,
    pub entry: InboxEntry,
}

/// How a login attempt was decided.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Admission {
    /// Registered; the ack (with this inbox head) was queued first on the session's channel.
    Accepted { inbox_head: u64 },
    /// Refused with this ConnectAck code; nothing was registered.
    Refused(u32),
}

#[derive(Default)]
struct Inner {
    users: HashMap<String, Vec<Session>>,
    heads: HashMap<String, u64>,
}

/// The online-session registry.
#[derive(Default)]
pub(crate) struct Hub {
    inner: Mutex<Inner>,
}

impl Hub {
    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // A panic while holding the lock cannot leave the maps inconsistent in a harmful way.
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Applies the device rules and registers `session`.
    ///
    /// `db_head` is the inbox head read from the database before this call; `make_ack` builds
    /// the ConnectAck frame from the final head and is queued on the session's channel before
    /// the session becomes visible to delivery.
    pub(crate) fn admit(
        &self,
        session: Session,
        is_reconnect: bool,
        kick_reconnect_device: bool,
        db_head: u64,
        make_ack: impl FnOnce(u64) -> ServerFrame,
    ) -> Admission {
        let mut inner = self.lock();
        let head = inner
            .heads
            .get(&session.user_id)
            .copied()
            .unwrap_or(0)
            .max(db_head);
        let existing = inner.users.entry(session.user_id.clone()).or_default();
        let newcomer_mobile = is_mobile(session.platform);
        if newcomer_mobile && is_reconnect && kick_reconnect_device {
            let other_mobile_online = existing
                .iter()
                .any(|s| is_mobile(s.platform) && s.device_id != session.device_id);
            if other_mobile_online {
                return Admission::Refused(codes::CONN_OTHER_DEVICE_LOGIN);
            }
        }
        let mut kept = Vec::with_capacity(existing.len() + 1);
        for old in existing.drain(..) {
            if old.device_id == session.device_id {
                tracing::debug!(user = %old.user_id, conn = old.conn_id, "same device reconnected; replacing its session");
                old.cancel.cancel();
            } else if newcomer_mobile && is_mobile(old.platform) {
                tracing::info!(user = %old.user_id, conn = old.conn_id, "kicking the other mobile device");
                kick(&old);
            } else {
                kept.push(old);
            }
        }
        if session
            .tx
            .try_send(Outbound::Frame(make_ack(head)))
            .is_err()
        {
            *existing = kept;
            return Admission::Refused(codes::NETWORK_UNAVAILABLE);
        }
        kept.push(session);
        *existing = kept;
        Admission::Accepted { inbox_head: head }
    }

    /// Removes the session `conn_id` of `user_id` if it is still registered.
    pub(crate) fn remove(&self, user_id: &str, conn_id: ConnId) {
        let mut inner = self.lock();
        if let Some(list) = inner.users.get_mut(user_id) {
            list.retain(|s| s.conn_id != conn_id);
            if list.is_empty() {
                inner.users.remove(user_id);
            }
        }
    }

    /// True when at least one connection of `user_id` is online.
    pub(crate) fn is_online(&self, user_id: &str) -> bool {
        self.lock()
            .users
            .get(user_id)
            .is_some_and(|l| !l.is_empty())
    }

    /// Number of online connections.
    pub(crate) fn connection_count(&self) -> usize {
        self.lock().users.values().map(Vec::len).sum()
    }

    /// Publishes committed inbox entries: updates the cached heads and pushes each entry to the
    /// online devices of its owner. Slow sessions (full queue) are disconnected.
    pub(crate) fn deliver(&self, pushes: Vec<Push>) {
        if pushes.is_empty() {
            return;
        }
        let mut inner = self.lock();
        let mut slow: Vec<(String, ConnId)> = Vec::new();
        for push in pushes {
            let head = inner.heads.entry(push.user_id.clone()).or_insert(0);
            *head = (*head).max(push.entry.seq);
            let Some(sessions) = inner.users.get(&push.user_id) else {
                continue;
            };
            for s in sessions {
                if Some(s.conn_id) == push.exclude || s.cancel.is_cancelled() {
                    continue;
                }
                let frame = ServerFrame {
                    seq: 0,
                    body: Some(server_frame::Body::Push(InboxPush {
                        entry: Some(push.entry.clone()),
                    })),
                };
                if let Err(e) = s.tx.try_send(Outbound::Frame(frame)) {
                    if matches!(e, mpsc::error::TrySendError::Full(_)) {
                        tracing::warn!(user = %s.user_id, conn = s.conn_id, "outbound queue full; disconnecting slow client");
                    }
                    s.cancel.cancel();
                    slow.push((s.user_id.clone(), s.conn_id));
                }
            }
        }
        for (user, conn) in slow {
            if let Some(list) = inner.users.get_mut(&user) {
                list.retain(|s| s.conn_id != conn);
                if list.is_empty() {
                    inner.users.remove(&user);
                }
            }
        }
    }

    /// Asks every session to close (graceful shutdown).
    pub(crate) fn close_all(&self) {
        let mut inner = self.lock();
        for (_, list) in inner.users.drain() {
            for s in list {
                if s.tx.try_send(Outbound::Close).is_err() {
                    s.cancel.cancel();
                }
            }
        }
    }
}

/// The one-device rule covers mobile platforms; a client that does not say (UNSPECIFIED) is an
/// app built on this mobile SDK, so it counts as mobile too.
fn is_mobile(p: Platform) -> bool {
    matches!(p, Platform::Mobile | Platform::Unspecified)
}

/// Sends `Kicked{31010}` then closes; drops the connection at once if its queue is full.
fn kick(old: &Session) {
    let frame = ServerFrame {
        seq: 0,
        body: Some(server_frame::Body::Kicked(Kicked {
            code: codes::DISCONN_KICK,
            reason: "another mobile device of this user logged in".into(),
        })),
    };
    if old.tx.try_send(Outbound::Frame(frame)).is_err() || old.tx.try_send(Outbound::Close).is_err()
    {
        old.cancel.cancel();
    }
}
