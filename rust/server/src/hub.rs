//! Registry of online sessions and live delivery.
//!
//! The hub knows every authenticated connection by user. It enforces the device rules at login
//! (one mobile device per user, `kickReconnectDevice`), and it is the in-process [`Fanout`]:
//! the store's committed entries reach it in commit order (see [`crate::fanout`]). Delivery
//! never waits: a session whose bounded outbound queue is full is disconnected (it resyncs
//! from its inbox cursor when it comes back).
//!
//! The hub also records each user's inbox head as delivered, under the same lock as delivery,
//! so a login either sees an entry in its `inbox_head` or receives it as a push: a login
//! registers itself ([`Hub::begin_login`]) before it reads the head from the store, so an
//! entry committed after that read is either delivered before the admission (and counted in
//! the head) or after it (and pushed).
//! It keeps state only for users online or in the middle of a login: the entry goes away with
//! the user's last connection.

use crate::fanout::Fanout;
use crate::model::{fit_entry, hide_sender_only_entry, Push, ENTRY_OVERHEAD, SYNC_BYTES};
use crate::push_frame::PushEncoder;
use rcim_proto::codes;
use rcim_proto::v1::{inbox_entry, server_frame, InboxEntry, Kicked, Platform, ServerFrame};
use std::collections::HashMap;
use std::sync::Mutex;
use tokio::sync::mpsc;

pub(crate) use crate::outbound::{Outbound, OutboundTx};
use tokio_util::sync::CancellationToken;

/// ConnectAck code for trouble on the server's side during a login (a database read failed,
/// the new session's queue is full).
///
/// The client gives up for good on the *fatal* ConnectAck codes: 31001 (protocol version),
/// 31002 (app key), 31004 (token), 31009 (user blocked) and 31023 (another mobile device is
/// online, `kickReconnectDevice`). Every other code is *transient*: the client retries on its
/// reconnect schedule. A failure that retrying can cure must therefore never use a fatal code;
/// every such path answers with this one (30002, NETWORK_UNAVAILABLE).
pub(crate) const TRANSIENT_CONNECT_ERROR: u32 = codes::NETWORK_UNAVAILABLE;

/// ConnectAck code of a login beyond `LimitsConfig::max_sessions_per_user` (20604, "over a
/// limit"): transient, so the client retries on its reconnect schedule and gets in once one
/// of the user's other sessions ends.
pub(crate) const TOO_MANY_SESSIONS: u32 = codes::SEND_MSG_FREQUENCY_OVERRUN;

/// Identifies one client connection for the lifetime of the process.
pub(crate) type ConnId = u64;

/// Frames a connection may have queued for writing ([`Session::tx`]) before it counts as a
/// slow client.
pub(crate) const OUTBOUND_QUEUE: usize = 1024;

/// Users [`Hub::offer_shared`] serves per lock.
const OFFER_CHUNK: usize = 1_000;

/// An online, authenticated connection.
#[derive(Clone)]
pub(crate) struct Session {
    pub conn_id: ConnId,
    pub user_id: String,
    pub device_id: String,
    pub platform: Platform,
    pub tx: OutboundTx,
    /// Cancelled to drop the connection without a goodbye.
    pub cancel: CancellationToken,
    /// When the login was admitted (ms): of two logins on different nodes, the later one
    /// wins ([`Hub::login_elsewhere`]).
    pub since_ms: i64,
}

/// A device of a user online now (what the push decision needs to know of it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct OnlineDevice {
    pub device_id: String,
    pub platform: Platform,
}

/// How a login attempt was decided.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Admission {
    /// Registered; the ack (with this inbox head) was queued first on the session's channel.
    Accepted { inbox_head: u64 },
    /// Refused with this ConnectAck code; nothing was registered.
    Refused(u32),
}

/// What the hub knows about one user. It exists only while the user has a session or a login
/// in progress, so the registry is bounded by the users actually connected.
#[derive(Default)]
struct UserState {
    sessions: Vec<Session>,
    /// Logins between [`Hub::begin_login`] and the end of their admission.
    logins: usize,
    /// Highest inbox sequence published while this state existed.
    head: u64,
    /// [`Hub::kick_user`] calls while this state existed, and the code of the last one: a
    /// login that began before a kick is refused with its code (a ban that lands while the
    /// user is logging in must not leave a session behind).
    kicks: u64,
    kick_code: u32,
}

impl UserState {
    fn is_unused(&self) -> bool {
        self.sessions.is_empty() && self.logins == 0
    }
}

#[derive(Default)]
struct Inner {
    users: HashMap<String, UserState>,
}

impl Inner {
    fn drop_if_unused(&mut self, user_id: &str) {
        if self.users.get(user_id).is_some_and(UserState::is_unused) {
            self.users.remove(user_id);
        }
    }
}

/// The online-session registry.
#[derive(Default)]
pub(crate) struct Hub {
    inner: Mutex<Inner>,
    /// Sessions one user may have (0 = unlimited; `LimitsConfig::max_sessions_per_user`).
    max_sessions: usize,
}

/// A login in progress (see [`Hub::begin_login`]); dropping it ends the login.
pub(crate) struct LoginGuard<'a> {
    hub: &'a Hub,
    user_id: String,
    /// The user's kick count when the login began.
    kicks: u64,
}

impl Drop for LoginGuard<'_> {
    fn drop(&mut self) {
        let mut inner = self.hub.lock();
        if let Some(state) = inner.users.get_mut(&self.user_id) {
            state.logins = state.logins.saturating_sub(1);
        }
        inner.drop_if_unused(&self.user_id);
    }
}

impl Hub {
    /// A registry admitting at most `max_sessions` sessions per user (0 = unlimited).
    pub(crate) fn new(max_sessions: usize) -> Self {
        Self {
            inner: Mutex::default(),
            max_sessions,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // A panic while holding the lock cannot leave the maps inconsistent in a harmful way.
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Starts a login of `user_id`: call it before reading the user's inbox head from the
    /// database and keep the guard until [`Hub::admit`] returned. While it lives, every head
    /// delivered for the user is recorded, so the admission sees either the
    /// database's head or a newer one (an entry committed after the read but delivered before
    /// the session was visible would otherwise be neither pushed nor counted in `inbox_head`).
    pub(crate) fn begin_login(&self, user_id: &str) -> LoginGuard<'_> {
        let mut inner = self.lock();
        let state = inner.users.entry(user_id.to_owned()).or_default();
        state.logins += 1;
        LoginGuard {
            hub: self,
            user_id: user_id.to_owned(),
            kicks: state.kicks,
        }
    }

    /// [`Self::admit_with`] on one node (no sessions elsewhere).
    #[cfg(test)]
    pub(crate) fn admit(
        &self,
        login: &LoginGuard<'_>,
        session: Session,
        is_reconnect: bool,
        kick_reconnect_device: bool,
        db_head: u64,
        make_ack: impl FnOnce(u64) -> ServerFrame,
    ) -> Admission {
        self.admit_with(
            login,
            session,
            is_reconnect,
            kick_reconnect_device,
            db_head,
            &[],
            make_ack,
        )
    }

    /// Applies the device rules and registers `session`.
    ///
    /// `db_head` is the inbox head read from the database after `_login` began; `make_ack`
    /// builds the ConnectAck frame from the final head and is queued on the session's channel
    /// before the session becomes visible to delivery. `remote`: the user's devices online
    /// on other nodes, which count for `kickReconnectDevice` and the session cap (the ones
    /// this login replaces there are closed by those nodes, see [`Self::login_elsewhere`]).
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn admit_with(
        &self,
        login: &LoginGuard<'_>,
        session: Session,
        is_reconnect: bool,
        kick_reconnect_device: bool,
        db_head: u64,
        remote: &[OnlineDevice],
        make_ack: impl FnOnce(u64) -> ServerFrame,
    ) -> Admission {
        let mut inner = self.lock();
        let user_id = session.user_id.clone();
        // The entry normally exists (the login guard holds it); after `close_all` it may not.
        let state = inner.users.entry(user_id.clone()).or_default();
        if state.kicks > login.kicks {
            return Admission::Refused(state.kick_code);
        }
        let head = state.head.max(db_head);
        let newcomer_mobile = is_mobile(session.platform);
        if newcomer_mobile && is_reconnect && kick_reconnect_device {
            let other_mobile_online = state
                .sessions
                .iter()
                .map(|s| (s.platform, &s.device_id))
                .chain(remote.iter().map(|d| (d.platform, &d.device_id)))
                .any(|(p, d)| is_mobile(p) && *d != session.device_id);
            if other_mobile_online {
                return Admission::Refused(codes::CONN_OTHER_DEVICE_LOGIN);
            }
        }
        // The sessions that stay besides the newcomer: not its own device's old one, not the
        // other mobile it replaces. Counted before anything is kicked.
        let staying = state
            .sessions
            .iter()
            .map(|s| (s.platform, &s.device_id))
            .chain(remote.iter().map(|d| (d.platform, &d.device_id)))
            .filter(|(p, d)| **d != session.device_id && !(newcomer_mobile && is_mobile(*p)))
            .count();
        if self.max_sessions > 0 && staying >= self.max_sessions {
            return Admission::Refused(TOO_MANY_SESSIONS);
        }
        let mut kept = Vec::with_capacity(state.sessions.len() + 1);
        for old in state.sessions.drain(..) {
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
        let queued = session
            .tx
            .try_send(Outbound::Frame(Box::new(make_ack(head))))
            .is_ok();
        if queued {
            kept.push(session);
        }
        state.sessions = kept;
        if !queued {
            inner.drop_if_unused(&user_id);
            return Admission::Refused(TRANSIENT_CONNECT_ERROR);
        }
        Admission::Accepted { inbox_head: head }
    }

    /// Removes the session `conn_id` of `user_id` if it is still registered.
    pub(crate) fn remove(&self, user_id: &str, conn_id: ConnId) {
        let mut inner = self.lock();
        if let Some(state) = inner.users.get_mut(user_id) {
            state.sessions.retain(|s| s.conn_id != conn_id);
        }
        inner.drop_if_unused(user_id);
    }

    /// True when at least one connection of `user_id` is online.
    pub(crate) fn is_online(&self, user_id: &str) -> bool {
        self.lock()
            .users
            .get(user_id)
            .is_some_and(|u| !u.sessions.is_empty())
    }

    /// The devices online now of each of `users` that has any (one lock for the whole list:
    /// the push decision asks for thousands of group members at once).
    pub(crate) fn online_devices<'a>(
        &self,
        users: impl IntoIterator<Item = &'a str>,
    ) -> HashMap<String, Vec<OnlineDevice>> {
        let inner = self.lock();
        let mut out = HashMap::new();
        for user in users {
            let Some(state) = inner.users.get(user) else {
                continue;
            };
            let online: Vec<OnlineDevice> = state
                .sessions
                .iter()
                .filter(|s| !s.cancel.is_cancelled())
                .map(|s| OnlineDevice {
                    device_id: s.device_id.clone(),
                    platform: s.platform,
                })
                .collect();
            if !online.is_empty() {
                out.insert(user.to_owned(), online);
            }
        }
        out
    }

    /// Number of online connections.
    pub(crate) fn connection_count(&self) -> usize {
        self.lock().users.values().map(|u| u.sessions.len()).sum()
    }

    /// Number of users the registry holds state for (online or logging in).
    pub(crate) fn user_count(&self) -> usize {
        self.lock().users.len()
    }

    /// Closes every session of `user_id` with `Kicked{code}` (e.g. a ban: 31009); logins in
    /// progress are refused with `code`.
    pub(crate) fn kick_user(&self, user_id: &str, code: u32, reason: &str) {
        let mut inner = self.lock();
        let Some(state) = inner.users.get_mut(user_id) else {
            return;
        };
        state.kicks += 1;
        state.kick_code = code;
        for s in state.sessions.drain(..) {
            tracing::info!(user = %s.user_id, conn = s.conn_id, code, "kicking a session");
            kick_with(&s, code, reason);
        }
        inner.drop_if_unused(user_id);
    }

    /// A device of `user_id` was admitted on another node at `at` (its admission time and
    /// a tie-breaker, e.g. the node's id, against [`Session::since_ms`] and `own_tie`): the
    /// same device's older session here is replaced (closed without a goodbye, as a
    /// reconnect on this node does), and a mobile newcomer kicks this node's older mobile
    /// sessions with `Kicked{31010}`, as [`Self::admit_with`] does on one node. A session
    /// here admitted later stays: its own announcement makes the other node give way, so
    /// two logins at the same moment on two nodes never kick each other both.
    pub(crate) fn login_elsewhere(
        &self,
        user_id: &str,
        device_id: &str,
        platform: Platform,
        at: (i64, &str),
        own_tie: &str,
    ) {
        let mut inner = self.lock();
        let Some(state) = inner.users.get_mut(user_id) else {
            return;
        };
        let newcomer_mobile = is_mobile(platform);
        state.sessions.retain(|old| {
            if (old.since_ms, own_tie) > at {
                return true;
            }
            if old.device_id == device_id {
                tracing::debug!(user = %old.user_id, conn = old.conn_id, "same device connected on another node; closing its session here");
                old.cancel.cancel();
                false
            } else if newcomer_mobile && is_mobile(old.platform) {
                tracing::info!(user = %old.user_id, conn = old.conn_id, "kicking the other mobile device (it logged in on another node)");
                kick(old);
                false
            } else {
                true
            }
        });
        inner.drop_if_unused(user_id);
    }

    /// Closes the sessions of `user_id` without a goodbye (all users' when `None`): their
    /// devices reconnect on their usual schedule and sync from their inbox cursor. For
    /// sessions that may have missed entries on the bus.
    pub(crate) fn resync(&self, user_id: Option<&str>) {
        let mut inner = self.lock();
        let users: Vec<String> = match user_id {
            Some(u) => vec![u.to_owned()],
            None => inner.users.keys().cloned().collect(),
        };
        for user in users {
            if let Some(state) = inner.users.get_mut(&user) {
                for s in state.sessions.drain(..) {
                    s.cancel.cancel();
                }
            }
            inner.drop_if_unused(&user);
        }
    }

    /// Hands `body` to every online session of `user_id` as it is: an online-only frame
    /// (e.g. `Transient`) that is in no inbox. A session that cannot take it now misses it.
    /// Returns the number of sessions it was queued for.
    pub(crate) fn send_online(&self, user_id: &str, body: server_frame::Body) -> usize {
        let inner = self.lock();
        let Some(state) = inner.users.get(user_id) else {
            return 0;
        };
        let mut sent = 0;
        for s in &state.sessions {
            let frame = ServerFrame {
                seq: 0,
                body: Some(body.clone()),
            };
            if !s.cancel.is_cancelled() && s.tx.try_send(Outbound::Frame(Box::new(frame))).is_ok() {
                sent += 1;
            }
        }
        sent
    }

    /// Offers the encoded frame `frame` to every online session of `users` but `except`,
    /// without waiting: a session whose queue is full misses it (an ultra-group event, which
    /// the client can catch up on from the channel's stream). The lock is taken per
    /// [`OFFER_CHUNK`] users, so a reader list of 100,000 never holds up admissions and other
    /// deliveries for its whole length. Returns the number of sessions it was queued for.
    pub(crate) fn offer_shared<'a>(
        &self,
        users: impl IntoIterator<Item = &'a str>,
        frame: &bytes::Bytes,
        except: Option<ConnId>,
    ) -> usize {
        let mut users = users.into_iter().peekable();
        let mut sent = 0;
        while users.peek().is_some() {
            let inner = self.lock();
            for user in users.by_ref().take(OFFER_CHUNK) {
                let Some(state) = inner.users.get(user) else {
                    continue;
                };
                for s in &state.sessions {
                    if Some(s.conn_id) == except || s.cancel.is_cancelled() {
                        continue;
                    }
                    if s.tx.try_send(Outbound::Shared(frame.clone())).is_ok() {
                        sent += 1;
                    }
                }
            }
        }
        sent
    }

    /// Asks every session to close (graceful shutdown).
    pub(crate) fn close_all(&self) {
        let mut inner = self.lock();
        for (_, state) in inner.users.drain() {
            for s in state.sessions {
                if s.tx.try_send(Outbound::Close).is_err() {
                    s.cancel.cancel();
                }
            }
        }
    }
}

impl Fanout for Hub {
    /// Records the heads of users online or logging in and pushes each entry to every online
    /// device of its owner (the sending connection included). Slow sessions (full queue) are
    /// disconnected.
    fn deliver(&self, pushes: Vec<Push>) {
        if pushes.is_empty() {
            return;
        }
        let mut inner = self.lock();
        let mut slow: Vec<(String, ConnId)> = Vec::new();
        let mut encoder = PushEncoder::default();
        for push in pushes {
            // Users without state are offline: their head is in the database, read at login.
            let Some(state) = inner.users.get_mut(&push.user_id) else {
                continue;
            };
            state.head = state.head.max(push.seq);
            if state.sessions.is_empty() {
                continue;
            }
            let frame = push_frame(&mut encoder, &push);
            for s in &state.sessions {
                if s.cancel.is_cancelled() {
                    continue;
                }
                if let Err(e) = s.tx.try_send(Outbound::Shared(frame.clone())) {
                    if matches!(e, mpsc::error::TrySendError::Full(_)) {
                        tracing::warn!(user = %s.user_id, conn = s.conn_id, "outbound queue full; disconnecting slow client");
                    }
                    s.cancel.cancel();
                    slow.push((s.user_id.clone(), s.conn_id));
                }
            }
        }
        for (user, conn) in slow {
            if let Some(state) = inner.users.get_mut(&user) {
                state.sessions.retain(|s| s.conn_id != conn);
            }
            inner.drop_if_unused(&user);
        }
    }
}

/// The encoded frame pushing `push` to its owner: the shared encoding of the body unless
/// the owner must see less of it ([`hide_sender_only_entry`]) or it is too large for a frame
/// ([`fit_entry`]), which take a copy of their own.
fn push_frame(encoder: &mut PushEncoder, push: &Push) -> bytes::Bytes {
    let hidden = matches!(push.body.as_ref(), inbox_entry::Body::Message(m)
        if m.sender_id != push.user_id && !m.push_options.is_empty());
    if !hidden {
        let (frame, entry_len) = encoder.shared(push.seq, &push.body);
        if entry_len + ENTRY_OVERHEAD <= SYNC_BYTES {
            return frame;
        }
    }
    let mut entry = InboxEntry {
        seq: push.seq,
        body: Some(inbox_entry::Body::clone(&push.body)),
    };
    hide_sender_only_entry(&push.user_id, &mut entry.body);
    fit_entry(&push.user_id, &mut entry);
    crate::push_frame::owned(&entry)
}

/// The one-device rule covers mobile platforms; a client that does not say (UNSPECIFIED) is an
/// app built on this mobile SDK, so it counts as mobile too.
fn is_mobile(p: Platform) -> bool {
    matches!(p, Platform::Mobile | Platform::Unspecified)
}

/// Sends `Kicked{31010}` then closes; drops the connection at once if its queue is full.
fn kick(old: &Session) {
    kick_with(
        old,
        codes::DISCONN_KICK,
        "another mobile device of this user logged in",
    );
}

/// Sends `Kicked{code}` then closes; drops the connection at once if its queue is full.
fn kick_with(old: &Session, code: u32, reason: &str) {
    let frame = ServerFrame {
        seq: 0,
        body: Some(server_frame::Body::Kicked(Kicked {
            code,
            reason: reason.into(),
        })),
    };
    if old.tx.try_send(Outbound::Frame(Box::new(frame))).is_err()
        || old.tx.try_send(Outbound::Close).is_err()
    {
        old.cancel.cancel();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session(user: &str, conn_id: ConnId) -> (Session, crate::outbound::OutboundRx) {
        let (tx, rx) = crate::outbound::channel(8, 0);
        let s = Session {
            conn_id,
            user_id: user.into(),
            device_id: format!("d{conn_id}"),
            platform: Platform::Web,
            tx,
            cancel: CancellationToken::new(),
            since_ms: 0,
        };
        (s, rx)
    }

    fn ack(_head: u64) -> ServerFrame {
        ServerFrame::default()
    }

    /// The push decision sees each user's online devices with their platforms, and no
    /// entry for users without one.
    #[test]
    fn online_devices_by_user() {
        let hub = Hub::default();
        let (a, _rx_a) = session("u", 1);
        let (mut b, _rx_b) = session("u", 2);
        b.platform = Platform::Mobile;
        for s in [a, b] {
            let login = hub.begin_login("u");
            hub.admit(&login, s, false, false, 0, ack);
        }
        let online = hub.online_devices(["u", "nobody"]);
        assert_eq!(online.len(), 1);
        let mut devices: Vec<_> = online["u"]
            .iter()
            .map(|d| (d.device_id.as_str(), d.platform))
            .collect();
        devices.sort_by_key(|d| d.0);
        assert_eq!(devices, [("d1", Platform::Web), ("d2", Platform::Mobile)]);
        hub.remove("u", 1);
        hub.remove("u", 2);
        assert!(hub.online_devices(["u"]).is_empty());
    }

    /// A shared frame reaches every listed user's sessions across the lock chunks, but not
    /// the excluded connection nor unlisted users.
    #[test]
    fn shared_frames_reach_long_lists() {
        let hub = Hub::default();
        let n = OFFER_CHUNK * 2 + 500;
        let mut receivers = Vec::new();
        for i in 0..=n {
            let user = format!("u{i}");
            let (s, rx) = session(&user, i as ConnId);
            let login = hub.begin_login(&user);
            hub.admit(&login, s, false, false, 0, ack);
            receivers.push(rx);
        }
        let users: Vec<String> = (0..n).map(|i| format!("u{i}")).collect();
        let frame = bytes::Bytes::from_static(b"frame");
        let sent = hub.offer_shared(users.iter().map(String::as_str), &frame, Some(7));
        assert_eq!(sent, n - 1);
        let shared = |rx: &mut crate::outbound::OutboundRx| {
            std::iter::from_fn(|| rx.try_recv().ok()).any(|o| matches!(o, Outbound::Shared(_)))
        };
        assert!(shared(&mut receivers[0]) && shared(&mut receivers[n - 1]));
        assert!(!shared(&mut receivers[7]), "the excluded connection");
        assert!(!shared(&mut receivers[n]), "not listed");
    }

    /// A kick closes the sessions online and refuses a login already under way.
    #[test]
    fn kicks_reach_sessions_and_logins_in_progress() {
        let hub = Hub::default();
        let (online, mut rx) = session("u", 1);
        let login = hub.begin_login("u");
        let admitted = hub.admit(&login, online, false, false, 0, ack);
        assert_eq!(admitted, Admission::Accepted { inbox_head: 0 });
        drop(login);
        let late = hub.begin_login("u");
        hub.kick_user("u", codes::CONN_USER_BLOCKED, "banned");
        assert!(!hub.is_online("u"));
        let _ack = rx.try_recv().unwrap();
        match rx.try_recv().unwrap() {
            Outbound::Frame(f) => match *f {
                ServerFrame {
                    body: Some(server_frame::Body::Kicked(k)),
                    ..
                } => assert_eq!(k.code, codes::CONN_USER_BLOCKED),
                other => panic!("{other:?}"),
            },
            other => panic!("{other:?}"),
        }
        assert!(matches!(rx.try_recv().unwrap(), Outbound::Close));
        let (newcomer, _rx) = session("u", 2);
        let refused = hub.admit(&late, newcomer, false, false, 0, ack);
        assert_eq!(refused, Admission::Refused(codes::CONN_USER_BLOCKED));
        drop(late);
        // A login that begins after the kick is not affected by it.
        let next = hub.begin_login("u");
        let (newcomer, _rx) = session("u", 3);
        let admitted = hub.admit(&next, newcomer, false, false, 0, ack);
        assert_eq!(admitted, Admission::Accepted { inbox_head: 0 });
        assert_eq!(
            hub.send_online("u", server_frame::Body::Pong(Default::default())),
            1
        );
    }

    /// Beyond the cap a new device is refused with the documented code; the same device
    /// reconnecting replaces its session and is admitted.
    #[test]
    fn sessions_per_user_are_capped() {
        let hub = Hub::new(2);
        let mut rxs = Vec::new();
        for conn in 1..=2 {
            let (s, rx) = session("u", conn);
            rxs.push(rx);
            let login = hub.begin_login("u");
            let admitted = hub.admit(&login, s, false, false, 0, ack);
            assert_eq!(admitted, Admission::Accepted { inbox_head: 0 });
        }
        let (third, _rx) = session("u", 3);
        let login = hub.begin_login("u");
        let refused = hub.admit(&login, third, false, false, 0, ack);
        assert_eq!(refused, Admission::Refused(TOO_MANY_SESSIONS));
        let (mut again, _rx) = session("u", 4);
        again.device_id = "d1".into();
        let admitted = hub.admit(&login, again, false, false, 0, ack);
        assert_eq!(admitted, Admission::Accepted { inbox_head: 0 });
        assert_eq!(hub.connection_count(), 2);
    }

    /// A shared frame goes to every session of the users but the excluded one; a session
    /// whose queue is full misses it and stays connected.
    #[test]
    fn shared_frames_skip_the_origin_and_full_queues() {
        let hub = Hub::default();
        let (a1, mut rx1) = session("a", 1);
        let (a2, mut rx2) = session("a", 2);
        let (b, mut rx_b) = session("b", 3);
        let cancel_b = b.cancel.clone();
        for (user, s) in [("a", a1), ("a", a2), ("b", b)] {
            let login = hub.begin_login(user);
            hub.admit(&login, s, false, false, 0, ack);
        }
        // Drain the acks, then fill b's queue (8 slots).
        for rx in [&mut rx1, &mut rx2, &mut rx_b] {
            rx.try_recv().unwrap();
        }
        let frame = bytes::Bytes::from_static(b"frame");
        for _ in 0..8 {
            hub.offer_shared(["b"], &frame, None);
        }
        let queued = hub.offer_shared(["a", "b", "nobody"], &frame, Some(1));
        assert_eq!(
            queued, 1,
            "only a's second session had room and was not excluded"
        );
        assert!(rx1.try_recv().is_err());
        assert!(matches!(rx2.try_recv().unwrap(), Outbound::Shared(f) if f == frame));
        assert!(!cancel_b.is_cancelled() && hub.is_online("b"));
        assert_eq!(std::iter::from_fn(|| rx_b.try_recv().ok()).count(), 8);
    }

    /// Sessions on other nodes count: a `kickReconnectDevice` reconnect is refused while
    /// another mobile is online elsewhere, and the cap counts them.
    #[test]
    fn remote_devices_count_for_the_rules() {
        let hub = Hub::new(2);
        let remote_mobile = [OnlineDevice {
            device_id: "elsewhere".into(),
            platform: Platform::Mobile,
        }];
        let (mut phone, _rx) = session("u", 1);
        phone.platform = Platform::Mobile;
        let login = hub.begin_login("u");
        let refused = hub.admit_with(&login, phone.clone(), true, true, 0, &remote_mobile, ack);
        assert_eq!(refused, Admission::Refused(codes::CONN_OTHER_DEVICE_LOGIN));
        // Not a kickReconnectDevice reconnect: admitted (the other node kicks its mobile).
        let admitted = hub.admit_with(&login, phone, false, false, 0, &remote_mobile, ack);
        assert_eq!(admitted, Admission::Accepted { inbox_head: 0 });
        let remote_webs = [
            OnlineDevice {
                device_id: "w1".into(),
                platform: Platform::Web,
            },
            OnlineDevice {
                device_id: "w2".into(),
                platform: Platform::Web,
            },
        ];
        let (web, _rx) = session("u", 2);
        let refused = hub.admit_with(&login, web, false, false, 0, &remote_webs, ack);
        assert_eq!(refused, Admission::Refused(TOO_MANY_SESSIONS));
    }

    /// A login on another node replaces the same device's session here and kicks the
    /// other mobile with `Kicked{31010}`; a web login elsewhere changes nothing; a resync
    /// closes the sessions without a goodbye.
    #[test]
    fn logins_elsewhere_apply_the_device_rules() {
        let hub = Hub::default();
        let (mut phone, mut rx_phone) = session("u", 1);
        phone.platform = Platform::Mobile;
        let (web, _rx_web) = session("u", 2);
        let (web_cancel, phone_cancel) = (web.cancel.clone(), phone.cancel.clone());
        for s in [phone, web] {
            let login = hub.begin_login("u");
            hub.admit(&login, s, false, false, 0, ack);
        }
        hub.login_elsewhere("u", "other-web", Platform::Web, (1, "b"), "a");
        assert_eq!(hub.connection_count(), 2);
        // An older login elsewhere (or as old, losing the tie) kicks nothing.
        hub.login_elsewhere("u", "other-phone", Platform::Mobile, (-1, "z"), "a");
        hub.login_elsewhere("u", "other-phone", Platform::Mobile, (0, "a"), "b");
        assert_eq!(hub.connection_count(), 2);
        hub.login_elsewhere("u", "other-phone", Platform::Mobile, (0, "b"), "a");
        assert_eq!(hub.connection_count(), 1);
        let _ack = rx_phone.try_recv().unwrap();
        match rx_phone.try_recv().unwrap() {
            Outbound::Frame(f) => assert!(
                matches!(&f.body, Some(server_frame::Body::Kicked(k)) if k.code == codes::DISCONN_KICK)
            ),
            other => panic!("{other:?}"),
        }
        assert!(
            !phone_cancel.is_cancelled(),
            "kicked with a goodbye, not dropped"
        );
        hub.login_elsewhere("u", "d2", Platform::Web, (5, "b"), "a");
        assert!(web_cancel.is_cancelled() && !hub.is_online("u"));
        let (again, _rx) = session("v", 3);
        let cancel = again.cancel.clone();
        let login = hub.begin_login("v");
        hub.admit(&login, again, false, false, 0, ack);
        drop(login);
        hub.resync(None);
        assert!(cancel.is_cancelled());
        assert_eq!(hub.user_count(), 0);
    }
}
