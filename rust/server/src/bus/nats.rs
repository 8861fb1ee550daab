//! The NATS bus (`--bus nats://…`).
//!
//! Publishing: [`NatsBus::publish_inbox`] and the other publishers never wait: they put the
//! message in one bounded queue ([`OUT_QUEUE`] messages, [`OUT_QUEUE_BYTES`]) drained in order by one task, so the
//! store's writer and other users' delivery never wait on NATS. When the queue is full the
//! message is dropped and counted; a user whose inbox entries were dropped is remembered
//! (up to [`MAX_LOST_USERS`], beyond that "everyone") and, as soon as the queue flows
//! again, told to resync on their subject ([`Header::Resync`], or [`Header::ResyncAll`]):
//! the nodes holding their sessions close them, and the devices reconnect on their usual
//! schedule and sync from their inbox cursor. Chatroom and ultra-group frames dropped this
//! way are lost like a slow member's low-priority messages (ultra-group readers catch up on
//! the channel's next `change_seq`).
//!
//! Outages: async-nats reconnects by itself and re-subscribes. Whatever other nodes
//! published while this node was disconnected never reaches it, so when the connection
//! comes back (and when NATS reports that this node's subscriptions overflowed) every
//! session of this node is closed to resync from its cursor: nothing is lost silently.
//! Sessions stay up during the outage and keep receiving what this node itself produces;
//! logins go on without waiting for NATS (their subscriptions are sent on reconnect, and
//! the device rules count this node's sessions only). Known gap: a login admitted just
//! after the reconnection's resync whose subscription was queued during the outage may
//! miss what other nodes publish in the moment before NATS takes that subscription.
//!
//! Presence: the device rules need the user's sessions on the other nodes. Every node
//! answers presence questions on one cluster subject; the asking node waits for as many
//! answers as it knows live nodes ([`NatsBus::gateways`]' table), at most
//! [`PRESENCE_TIMEOUT`].

use super::subjects::Subjects;
use super::wire::{self, Header};
use super::{BusStats, Inbound, UgAudience};
use crate::hub::OnlineDevice;
use crate::model::Push;
use async_nats::{Client, Subscriber};
use bytes::Bytes;
use futures::StreamExt as _;
use rcim_proto::v1::{inbox_entry, ultra_group_event, Platform, UltraGroupEvent};
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::time::{Duration, Instant};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

/// Messages waiting for NATS, all subjects together.
pub(crate) const OUT_QUEUE: usize = 8192;
/// Bytes of the messages waiting for NATS, all together (a message is at most
/// [`wire::MAX_MESSAGE_BYTES`] and a little).
pub(crate) const OUT_QUEUE_BYTES: usize = 64 * 1024 * 1024;
/// Users remembered for a resync after their entries were dropped; beyond it, every
/// session of the cluster resyncs.
pub(crate) const MAX_LOST_USERS: usize = 10_000;
/// How long a login waits for the other nodes' presence answers.
pub(crate) const PRESENCE_TIMEOUT: Duration = Duration::from_millis(300);
/// How long a subscription may take to be confirmed before a login goes on without it.
const SUBSCRIBE_TIMEOUT: Duration = Duration::from_secs(2);
/// Messages one subscription may hold before NATS calls this node a slow consumer.
const SUBSCRIPTION_CAPACITY: usize = 4096;

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// One subscription of this node to a user's or a room's subject.
struct Watch {
    /// Connections (logins) that need it; the room map does not count.
    count: usize,
    /// Ends the reader task, which drops the subscription (unsubscribing).
    cancel: CancellationToken,
    /// Set once the subscription exists.
    ready: Arc<tokio::sync::OnceCell<()>>,
}

/// Users whose inbox entries were dropped on the way to NATS.
#[derive(Default)]
struct Lost {
    users: HashSet<String>,
    everyone: bool,
}

/// A node on the bus.
pub(crate) struct NatsBus {
    client: Client,
    subjects: Subjects,
    /// This node's id on the bus (random per start).
    node: String,
    out: mpsc::Sender<(String, Bytes)>,
    /// Bytes in `out` (at most [`OUT_QUEUE_BYTES`]).
    out_bytes: AtomicUsize,
    out_rx: Mutex<Option<mpsc::Receiver<(String, Bytes)>>>,
    lost: Mutex<Lost>,
    users: Mutex<HashMap<String, Watch>>,
    rooms: Mutex<HashMap<String, Watch>>,
    /// The other live nodes: their gateway and when they last announced themselves.
    nodes: Mutex<HashMap<String, (Option<String>, Instant)>>,
    node_ttl: Duration,
    announce_every: Duration,
    inbound: Arc<OnceLock<Arc<dyn Inbound>>>,
    /// Ends the publisher once the store's last commits were queued ([`Self::close`]).
    closing: CancellationToken,
    published: AtomicU64,
    received: AtomicU64,
    dropped: AtomicU64,
    stop: CancellationToken,
}

impl NatsBus {
    /// Connects to `url` (several servers separated by commas). Fails when no server
    /// answers at start: a node that believes it is alone while others run would break the
    /// device rules, so it refuses to start instead.
    pub(crate) async fn connect(
        url: &str,
        subjects: Subjects,
        config: &crate::config::ClusterConfig,
        stop: CancellationToken,
    ) -> anyhow::Result<Arc<Self>> {
        let inbound: Arc<OnceLock<Arc<dyn Inbound>>> = Arc::default();
        // The connection dropped since the sessions were last resynced.
        let interrupted = Arc::new(AtomicBool::new(false));
        let node = uuid::Uuid::new_v4().simple().to_string();
        let (events_inbound, events_interrupted) = (inbound.clone(), interrupted);
        let client = async_nats::ConnectOptions::new()
            .name(format!("rcim-server {node}"))
            // Never receive our own publications: local sessions were served directly.
            .no_echo()
            .subscription_capacity(SUBSCRIPTION_CAPACITY)
            .connection_timeout(Duration::from_secs(5))
            .event_callback(move |event| {
                let inbound = events_inbound.clone();
                let interrupted = events_interrupted.clone();
                async move { on_event(event, &inbound, &interrupted) }
            })
            .connect(url)
            .await
            .map_err(|e| anyhow::anyhow!("connecting to the bus {}: {e}", redacted(url)))?;
        let (out, out_rx) = mpsc::channel(OUT_QUEUE);
        tracing::info!(bus = %redacted(url), node = %node, "connected to the NATS bus");
        Ok(Arc::new(Self {
            client,
            subjects,
            node,
            out,
            out_bytes: AtomicUsize::new(0),
            out_rx: Mutex::new(Some(out_rx)),
            lost: Mutex::default(),
            users: Mutex::default(),
            rooms: Mutex::default(),
            nodes: Mutex::default(),
            node_ttl: config.node_ttl,
            announce_every: config.announce_every,
            inbound,
            closing: CancellationToken::new(),
            published: AtomicU64::new(0),
            received: AtomicU64::new(0),
            dropped: AtomicU64::new(0),
            stop,
        }))
    }

    /// Starts the node's tasks once the server can take what arrives: the presence
    /// answers, the ultra-group, order and node subscriptions, the announcements of
    /// `gateway` (how clients reach this node), which end with the stop token; and the
    /// publisher, which ends after [`Self::close`] (returned apart).
    pub(crate) async fn start(
        self: &Arc<Self>,
        inbound: Arc<dyn Inbound>,
        gateway: Option<String>,
    ) -> anyhow::Result<(Vec<JoinHandle<()>>, JoinHandle<()>)> {
        let _ = self.inbound.set(inbound);
        let rx = lock(&self.out_rx)
            .take()
            .ok_or_else(|| anyhow::anyhow!("the bus is started already"))?;
        let sub = |subject: String| {
            let client = self.client.clone();
            async move {
                client
                    .subscribe(subject.clone())
                    .await
                    .map_err(|e| anyhow::anyhow!("subscribing to {subject}: {e}"))
            }
        };
        let presence = sub(self.subjects.presence()).await?;
        let ultragroups = sub(self.subjects.ultragroups()).await?;
        let orders = sub(self.subjects.all()).await?;
        let nodes = sub(self.subjects.nodes()).await?;
        self.client
            .flush()
            .await
            .map_err(|e| anyhow::anyhow!("flushing the bus subscriptions: {e}"))?;
        let tasks = vec![
            tokio::spawn(self.clone().read_loop(presence, None, self.stop.clone())),
            tokio::spawn(self.clone().read_loop(ultragroups, None, self.stop.clone())),
            tokio::spawn(self.clone().read_loop(orders, None, self.stop.clone())),
            tokio::spawn(self.clone().read_loop(nodes, None, self.stop.clone())),
            tokio::spawn(self.clone().announce_loop(gateway)),
        ];
        Ok((tasks, tokio::spawn(self.clone().publish_loop(rx))))
    }

    /// A crash ([`crate::RunningServer::abort`]): every task and subscription of the bus
    /// ends now, nothing more is published.
    pub(crate) fn halt(&self) {
        self.stop.cancel();
        self.closing.cancel();
    }

    /// Ends the publisher after what is queued now (call it once the store delivered its
    /// last commits): it then says this node is gone and flushes.
    pub(crate) fn close(&self) {
        self.closing.cancel();
    }

    fn inbound(&self) -> Option<&Arc<dyn Inbound>> {
        self.inbound.get()
    }

    /// Queues `payload` for `subject` without waiting; false (counted) when the queue is
    /// full (messages or bytes).
    fn queue(&self, subject: String, payload: Bytes) -> bool {
        let len = payload.len();
        let before = self.out_bytes.fetch_add(len, Ordering::Relaxed);
        if before + len > OUT_QUEUE_BYTES || self.out.try_send((subject, payload)).is_err() {
            self.out_bytes.fetch_sub(len, Ordering::Relaxed);
            self.dropped.fetch_add(1, Ordering::Relaxed);
            return false;
        }
        true
    }

    /// Publishes each user's entries of a committed batch on their subject, in order, in
    /// messages of at most [`wire::MAX_MESSAGE_BYTES`]. A body shared by many inboxes (a
    /// group message) is encoded once.
    pub(crate) fn publish_inbox(&self, entries: &[Push]) {
        let mut order: Vec<&str> = Vec::new();
        let mut by_user: HashMap<&str, Vec<&Push>> = HashMap::new();
        for p in entries {
            let list = by_user.entry(p.user_id.as_str()).or_default();
            if list.is_empty() {
                order.push(p.user_id.as_str());
            }
            list.push(p);
        }
        let mut bodies: HashMap<*const inbox_entry::Body, Vec<u8>> = HashMap::new();
        for user in order {
            let subject = self.subjects.user(user);
            let mut raw = Vec::new();
            let flush = |raw: &mut Vec<u8>| {
                let payload = wire::encode(&Header::Inbox, raw);
                raw.clear();
                if !self.queue(subject.clone(), payload) {
                    self.lose(user);
                }
            };
            for p in &by_user[user] {
                let body = bodies
                    .entry(Arc::as_ptr(&p.body))
                    .or_insert_with(|| wire::encode_body(&p.body));
                if !raw.is_empty() && raw.len() + body.len() + 16 > wire::MAX_MESSAGE_BYTES {
                    flush(&mut raw);
                }
                wire::put_entry(&mut raw, p.seq, body);
            }
            if !raw.is_empty() {
                flush(&mut raw);
            }
        }
    }

    /// Remembers that entries of `user` were dropped (see the module docs).
    fn lose(&self, user: &str) {
        let mut lost = lock(&self.lost);
        if lost.everyone {
            return;
        }
        if lost.users.len() >= MAX_LOST_USERS {
            lost.users.clear();
            lost.everyone = true;
        } else {
            lost.users.insert(user.to_owned());
        }
        tracing::warn!(
            user,
            "the bus queue is full; dropped entries will be resynced"
        );
    }

    /// Tells the other nodes that `device_id` of `user` was admitted here at `since_ms`.
    pub(crate) fn announce_login(
        &self,
        user: &str,
        device_id: &str,
        platform: Platform,
        since_ms: i64,
    ) {
        let header = Header::Login {
            node: self.node.clone(),
            device_id: device_id.to_owned(),
            platform: platform as i32,
            at_ms: since_ms,
        };
        self.queue(self.subjects.user(user), wire::encode(&header, b""));
    }

    /// Publishes an online-only frame for `user`'s sessions elsewhere.
    pub(crate) fn send_online(&self, user: &str, body: &rcim_proto::v1::server_frame::Body) {
        let frame = rcim_proto::v1::ServerFrame {
            seq: 0,
            body: Some(body.clone()),
        };
        let bytes = prost::Message::encode_to_vec(&frame);
        self.queue(
            self.subjects.user(user),
            wire::encode(&Header::Online, &bytes),
        );
    }

    /// Publishes a kick of `user`'s sessions elsewhere.
    pub(crate) fn kick_user(&self, user: &str, code: u32, reason: &str) {
        let header = Header::Kick {
            code,
            reason: reason.to_owned(),
        };
        self.queue(self.subjects.user(user), wire::encode(&header, b""));
    }

    /// Publishes a chatroom frame.
    pub(crate) fn publish_room(&self, room: &str, frame: &Bytes, high: bool) {
        self.queue(
            self.subjects.room(room),
            wire::encode(&Header::Room { high }, frame),
        );
    }

    /// Publishes an ultra-group event.
    pub(crate) fn publish_ultragroup(
        &self,
        group: &str,
        channel: &str,
        body: &ultra_group_event::Body,
        only: UgAudience,
    ) {
        let event = UltraGroupEvent {
            group_id: group.to_owned(),
            channel_id: channel.to_owned(),
            body: Some(body.clone()),
        };
        let bytes = prost::Message::encode_to_vec(&event);
        self.queue(
            self.subjects.ultragroup(group),
            wire::encode(&Header::UltraGroup { only }, &bytes),
        );
    }

    /// Subscribes to `user`'s subject unless this node already is (counted).
    pub(crate) async fn watch_user(self: &Arc<Self>, user: &str) {
        let subject = self.subjects.user(user);
        let (ready, cancel) = {
            let mut users = lock(&self.users);
            let w = users.entry(user.to_owned()).or_insert_with(new_watch);
            w.count += 1;
            (w.ready.clone(), w.cancel.clone())
        };
        self.subscribe_once(&ready, subject, Some(user.to_owned()), cancel)
            .await;
    }

    /// One connection of `user` less; the last one unsubscribes.
    pub(crate) fn unwatch_user(&self, user: &str) {
        let mut users = lock(&self.users);
        if let Some(w) = users.get_mut(user) {
            w.count = w.count.saturating_sub(1);
            if w.count == 0 {
                w.cancel.cancel();
                users.remove(user);
            }
        }
    }

    /// Subscribes to `room`'s subject unless this node already is.
    pub(crate) async fn watch_room(self: &Arc<Self>, room: &str) {
        let subject = self.subjects.room(room);
        let (ready, cancel) = {
            let mut rooms = lock(&self.rooms);
            let w = rooms.entry(room.to_owned()).or_insert_with(new_watch);
            (w.ready.clone(), w.cancel.clone())
        };
        self.subscribe_once(&ready, subject, None, cancel).await;
    }

    /// Unsubscribes from the rooms `keep` refuses.
    pub(crate) fn retain_rooms(&self, keep: impl Fn(&str) -> bool) {
        lock(&self.rooms).retain(|room, w| {
            let kept = keep(room);
            if !kept {
                w.cancel.cancel();
            }
            kept
        });
    }

    /// Subscribes to `subject` and starts its reader, once per `ready` cell; then waits
    /// until NATS confirms it. At most [`SUBSCRIBE_TIMEOUT`] in all, and no wait for the
    /// confirmation while NATS is unreachable: a login then goes on (see the module docs on
    /// outages). Abandoning the subscription halfway is safe: its reader starts right
    /// before the cell is set, so a later attempt never makes a second reader.
    async fn subscribe_once(
        self: &Arc<Self>,
        ready: &tokio::sync::OnceCell<()>,
        subject: String,
        user: Option<String>,
        cancel: CancellationToken,
    ) {
        let started = tokio::time::Instant::now();
        let made = tokio::time::timeout(
            SUBSCRIBE_TIMEOUT,
            ready.get_or_try_init(|| async {
                let sub = self.client.subscribe(subject.clone()).await?;
                tokio::spawn(self.clone().read_loop(sub, user.clone(), cancel.clone()));
                anyhow::Ok(())
            }),
        )
        .await;
        match made {
            Ok(Ok(_)) => {}
            Ok(Err(e)) => {
                tracing::warn!(%subject, error = %e, "subscribing on the bus failed");
                return;
            }
            Err(_) => {
                tracing::warn!(%subject, "the bus took no subscription in time");
                return;
            }
        }
        if !self.connected() {
            return;
        }
        // The server has the subscription once it answered the flush's ping.
        let left = SUBSCRIBE_TIMEOUT.saturating_sub(started.elapsed());
        match tokio::time::timeout(left, self.client.flush()).await {
            Ok(Ok(())) => {}
            Ok(Err(e)) => {
                tracing::warn!(%subject, error = %e, "flushing a bus subscription failed")
            }
            Err(_) => tracing::warn!(%subject, "the bus did not confirm a subscription in time"),
        }
    }

    /// Whether the connection to NATS is up now.
    fn connected(&self) -> bool {
        self.client.connection_state() == async_nats::connection::State::Connected
    }

    /// The devices of `user` online on the other nodes: asks them all, waits for as many
    /// answers as there are live nodes, at most [`PRESENCE_TIMEOUT`].
    pub(crate) async fn remote_devices(&self, user: &str) -> Vec<OnlineDevice> {
        let expected = self.live_nodes().len();
        // Unreachable NATS: the rules apply to this node's sessions only until it is back
        // (and every session here resyncs then).
        if expected == 0 || !self.connected() {
            return Vec::new();
        }
        let mut devices = Vec::new();
        let ask = async {
            let inbox = self.client.new_inbox();
            let mut sub = self.client.subscribe(inbox.clone()).await.ok()?;
            let question = wire::encode(
                &Header::Presence {
                    user: user.to_owned(),
                },
                b"",
            );
            self.client
                .publish_with_reply(self.subjects.presence(), inbox, question)
                .await
                .ok()?;
            let mut answered = 0;
            while answered < expected {
                let Some(msg) = sub.next().await else { break };
                if let Some((Header::Devices { devices: d, .. }, _)) = wire::decode(&msg.payload) {
                    self.received.fetch_add(1, Ordering::Relaxed);
                    answered += 1;
                    devices.extend(d.into_iter().map(|(device_id, p)| OnlineDevice {
                        device_id,
                        platform: Platform::try_from(p).unwrap_or(Platform::Unspecified),
                    }));
                }
            }
            Some(())
        };
        if tokio::time::timeout(PRESENCE_TIMEOUT, ask).await.is_err() {
            tracing::debug!(
                user,
                "not every node answered the presence question in time"
            );
        }
        devices
    }

    /// The other live nodes: (node id, gateway).
    fn live_nodes(&self) -> Vec<(String, Option<String>)> {
        let mut nodes = lock(&self.nodes);
        let ttl = self.node_ttl;
        nodes.retain(|_, (_, seen)| seen.elapsed() < ttl);
        let mut live: Vec<_> = nodes
            .iter()
            .map(|(n, (gw, _))| (n.clone(), gw.clone()))
            .collect();
        live.sort();
        live
    }

    /// The gateways the other live nodes announced.
    pub(crate) fn gateways(&self) -> Vec<String> {
        self.live_nodes()
            .into_iter()
            .filter_map(|(_, gw)| gw)
            .collect()
    }

    /// The counters.
    pub(crate) fn stats(&self) -> BusStats {
        BusStats {
            published: self.published.load(Ordering::Relaxed),
            received: self.received.load(Ordering::Relaxed),
            dropped: self.dropped.load(Ordering::Relaxed),
        }
    }

    /// Drains the queue into NATS in order; after each run, orders the resyncs of what was
    /// dropped.
    async fn publish_loop(self: Arc<Self>, mut rx: mpsc::Receiver<(String, Bytes)>) {
        loop {
            let next = tokio::select! {
                biased;
                m = rx.recv() => m,
                _ = self.closing.cancelled() => None,
            };
            let Some((subject, payload)) = next else {
                break;
            };
            self.publish_now(subject, payload).await;
            if rx.is_empty() {
                self.order_resyncs().await;
            }
        }
        // What was queued before the close still goes out (bounded by the queue).
        while let Ok((subject, payload)) = rx.try_recv() {
            self.publish_now(subject, payload).await;
        }
        let gone = Header::NodeGone {
            node: self.node.clone(),
        };
        self.publish_now(self.subjects.nodes(), wire::encode(&gone, b""))
            .await;
        let _ = tokio::time::timeout(Duration::from_secs(2), self.client.flush()).await;
    }

    async fn publish_now(&self, subject: String, payload: Bytes) {
        match self.client.publish(subject, payload).await {
            Ok(()) => {
                self.published.fetch_add(1, Ordering::Relaxed);
            }
            Err(e) => {
                self.dropped.fetch_add(1, Ordering::Relaxed);
                tracing::warn!(error = %e, "publishing on the bus failed");
            }
        }
    }

    /// Publishes the resync orders for the users whose entries were dropped.
    async fn order_resyncs(&self) {
        let lost = std::mem::take(&mut *lock(&self.lost));
        if lost.everyone {
            tracing::warn!("ordering every session of the cluster to resync");
            self.publish_now(self.subjects.all(), wire::encode(&Header::ResyncAll, b""))
                .await;
            return;
        }
        for user in lost.users {
            self.publish_now(
                self.subjects.user(&user),
                wire::encode(&Header::Resync, b""),
            )
            .await;
        }
    }

    /// Announces this node every `announce_every` until the stop.
    async fn announce_loop(self: Arc<Self>, gateway: Option<String>) {
        let header = Header::Node {
            node: self.node.clone(),
            gateway,
        };
        let payload = wire::encode(&header, b"");
        let mut tick = tokio::time::interval(self.announce_every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                _ = self.stop.cancelled() => break,
                _ = tick.tick() => {}
            }
            // Through the queue: an announcement never waits on a stalled NATS either.
            self.queue(self.subjects.nodes(), payload.clone());
        }
    }

    /// Hands what arrives on `sub` to the inbound side until `cancel` (or the stop).
    /// `user`: the user whose subject it is.
    async fn read_loop(
        self: Arc<Self>,
        mut sub: Subscriber,
        user: Option<String>,
        cancel: CancellationToken,
    ) {
        loop {
            let msg = tokio::select! {
                biased;
                _ = cancel.cancelled() => break,
                _ = self.stop.cancelled() => break,
                m = sub.next() => m,
            };
            let Some(msg) = msg else { break };
            self.received.fetch_add(1, Ordering::Relaxed);
            let Some((header, body)) = wire::decode(&msg.payload) else {
                tracing::warn!(subject = %msg.subject, "an unreadable bus message; ignored");
                continue;
            };
            self.handle(
                header,
                body,
                user.as_deref(),
                msg.reply.map(|r| r.to_string()),
            )
            .await;
        }
        // Dropping the subscriber unsubscribes.
    }

    async fn handle(&self, header: Header, body: Bytes, user: Option<&str>, reply: Option<String>) {
        let Some(inbound) = self.inbound() else {
            return;
        };
        match header {
            Header::Inbox => {
                let Some(user) = user else { return };
                let Some(entries) = wire::entries(body) else {
                    tracing::warn!(
                        user,
                        "undecodable inbox entries on the bus; resyncing the user"
                    );
                    inbound.resync_user(user);
                    return;
                };
                let pushes = entries
                    .into_iter()
                    .map(|(seq, body)| Push {
                        user_id: user.to_owned(),
                        seq,
                        body: Arc::new(body),
                    })
                    .collect();
                inbound.inbox(pushes);
            }
            Header::Login {
                node,
                device_id,
                platform,
                at_ms,
            } => {
                if let Some(user) = user {
                    let platform = Platform::try_from(platform).unwrap_or(Platform::Unspecified);
                    let at = (at_ms, node.as_str());
                    inbound.login_elsewhere(user, &device_id, platform, at, &self.node);
                }
            }
            Header::Online => {
                let Some(user) = user else { return };
                let frame: Option<rcim_proto::v1::ServerFrame> = prost::Message::decode(body).ok();
                if let Some(b) = frame.and_then(|f| f.body) {
                    inbound.online(user, b);
                }
            }
            Header::Kick { code, reason } => {
                if let Some(user) = user {
                    inbound.kick(user, code, &reason);
                }
            }
            Header::Resync => {
                if let Some(user) = user {
                    tracing::info!(user, "a node dropped entries of this user; resyncing");
                    inbound.resync_user(user);
                }
            }
            Header::ResyncAll => {
                tracing::warn!("a node dropped entries; resyncing every session");
                inbound.resync_all();
            }
            Header::Presence { user } => {
                let Some(reply) = reply else { return };
                let devices = inbound
                    .devices(&user)
                    .into_iter()
                    .map(|d| (d.device_id, d.platform as i32))
                    .collect();
                let answer = Header::Devices {
                    node: self.node.clone(),
                    devices,
                };
                // Straight to NATS: the asker is waiting, with its own timeout.
                self.publish_now(reply, wire::encode(&answer, b"")).await;
            }
            Header::Devices { .. } => {}
            Header::Node { node, gateway } => {
                let mut nodes = lock(&self.nodes);
                // Crashed nodes (a new id per start) go here too, not only when asked.
                let ttl = self.node_ttl;
                nodes.retain(|_, (_, seen)| seen.elapsed() < ttl);
                nodes.insert(node, (gateway, Instant::now()));
            }
            Header::NodeGone { node } => {
                lock(&self.nodes).remove(&node);
            }
            Header::Room { high } => {
                if let Some(room) = room_of(&body) {
                    inbound.room_frame(&room, body, high);
                }
            }
            Header::UltraGroup { only } => {
                let Ok(event) = <UltraGroupEvent as prost::Message>::decode(body) else {
                    return;
                };
                if let Some(b) = event.body {
                    inbound.ultragroup(&event.group_id, &event.channel_id, b, only);
                }
            }
        }
    }
}

/// The room a chatroom frame is for.
fn room_of(frame: &Bytes) -> Option<String> {
    use rcim_proto::v1::{server_frame, ServerFrame};
    let f: ServerFrame = prost::Message::decode(frame.clone()).ok()?;
    match f.body? {
        server_frame::Body::Chatroom(ev) => Some(ev.room_id),
        _ => None,
    }
}

/// `urls` without the credentials they may hold (`nats://user:password@host`), for logs.
fn redacted(urls: &str) -> String {
    urls.split(',')
        .map(|url| match (url.find("://"), url.rfind('@')) {
            (Some(scheme), Some(at)) if at > scheme => {
                format!("{}://***@{}", &url[..scheme], &url[at + 1..])
            }
            _ => url.to_owned(),
        })
        .collect::<Vec<_>>()
        .join(",")
}

fn new_watch() -> Watch {
    Watch {
        count: 0,
        cancel: CancellationToken::new(),
        ready: Arc::default(),
    }
}

/// Connection events: after an interruption (or a slow-consumer report) every session of
/// this node resyncs, since what other nodes published meanwhile did not reach it.
fn on_event(
    event: async_nats::Event,
    inbound: &OnceLock<Arc<dyn Inbound>>,
    interrupted: &AtomicBool,
) {
    match event {
        async_nats::Event::Disconnected => {
            tracing::warn!("lost the connection to the bus; reconnecting");
            interrupted.store(true, Ordering::SeqCst);
        }
        async_nats::Event::Connected => {
            if interrupted.swap(false, Ordering::SeqCst) {
                tracing::warn!("reconnected to the bus; closing every session so it resyncs");
                if let Some(inbound) = inbound.get() {
                    inbound.resync_all();
                }
            }
        }
        async_nats::Event::SlowConsumer(sid) => {
            tracing::warn!(
                sid,
                "a bus subscription overflowed; closing every session so it resyncs"
            );
            if let Some(inbound) = inbound.get() {
                inbound.resync_all();
            }
        }
        other => tracing::info!(event = %other, "bus event"),
    }
}

#[cfg(test)]
mod tests {
    use super::redacted;

    #[test]
    fn logged_urls_hide_credentials() {
        assert_eq!(redacted("nats://10.0.0.1:4222"), "nats://10.0.0.1:4222");
        assert_eq!(
            redacted("nats://u:secret@10.0.0.1:4222,tls://tok@b:4222"),
            "nats://***@10.0.0.1:4222,tls://***@b:4222"
        );
    }
}
