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
//! Record notices ([`crate::bus::records`]): a notice dropped on the way (full queue, failed
//! publication) would leave the other nodes' memory behind the store for good, so the node
//! remembers it and, once the queue flows, orders every node to read its records again
//! ([`Header::ReloadRecords`]). After its own reconnection a node reads its records again and
//! orders the others to do so too (its own notices may have been lost in the outage).
//!
//! Questions ([`crate::bus::questions`]): the device rules need the user's sessions on the
//! other nodes, the chatrooms their members, rings and activity. Every node answers the
//! questions of one cluster subject; the asking node waits for as many answers as it knows
//! live nodes ([`NatsBus::gateways`]' table), at most [`ASK_TIMEOUT`].
//!
//! Files: this one the connection and the publishing side; `watch.rs` the subscriptions to
//! users' and rooms' subjects; `receive.rs` what arrives and the connection events;
//! `nodes.rs` the other nodes (announcements, questions, the shared rates' counts).

mod nodes;
mod receive;
mod watch;

use super::records::RecordChange;
use super::subjects::Subjects;
use super::wire::{self, Header};
use super::{BusStats, Inbound, UgAudience};
use crate::model::Push;
use async_nats::Client;
use bytes::Bytes;
use rcim_proto::v1::{inbox_entry, ultra_group_event, Platform, UltraGroupEvent};
use receive::on_event;
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::time::{Duration, Instant};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;
use watch::Watch;

/// Messages waiting for NATS, all subjects together.
pub(crate) const OUT_QUEUE: usize = 8192;
/// Bytes of the messages waiting for NATS, all together (a message is at most
/// [`wire::MAX_MESSAGE_BYTES`] and a little).
pub(crate) const OUT_QUEUE_BYTES: usize = 64 * 1024 * 1024;
/// Users remembered for a resync after their entries were dropped; beyond it, every
/// session of the cluster resyncs.
pub(crate) const MAX_LOST_USERS: usize = 10_000;
/// How long a question waits for the other nodes' answers.
pub(crate) const ASK_TIMEOUT: Duration = Duration::from_millis(300);
/// How long a subscription may take to be confirmed before a login goes on without it.
pub(crate) const SUBSCRIBE_TIMEOUT: Duration = Duration::from_secs(2);
/// Messages one subscription may hold before NATS calls this node a slow consumer.
const SUBSCRIPTION_CAPACITY: usize = 4096;

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
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
    /// [`Subjects::records`], compared with every publication's subject.
    records_subject: String,
    /// A record notice was dropped (or may have been, in an outage): the next run of the
    /// publisher orders every node to read its records again.
    records_lost: Arc<AtomicBool>,
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
        let records_lost = Arc::new(AtomicBool::new(false));
        let (events_inbound, events_interrupted) = (inbound.clone(), interrupted);
        let events_lost = records_lost.clone();
        let client = async_nats::ConnectOptions::new()
            .name(format!("rcim-server {node}"))
            // Never receive our own publications: local sessions were served directly.
            .no_echo()
            .subscription_capacity(SUBSCRIPTION_CAPACITY)
            .connection_timeout(Duration::from_secs(5))
            .event_callback(move |event| {
                let inbound = events_inbound.clone();
                let interrupted = events_interrupted.clone();
                let lost = events_lost.clone();
                async move { on_event(event, &inbound, &interrupted, &lost) }
            })
            .connect(url)
            .await
            .map_err(|e| anyhow::anyhow!("connecting to the bus {}: {e}", redacted(url)))?;
        let (out, out_rx) = mpsc::channel(OUT_QUEUE);
        let records_subject = subjects.records();
        tracing::info!(bus = %redacted(url), node = %node, "connected to the NATS bus");
        Ok(Arc::new(Self {
            client,
            subjects,
            node,
            out,
            out_bytes: AtomicUsize::new(0),
            out_rx: Mutex::new(Some(out_rx)),
            lost: Mutex::default(),
            records_lost,
            records_subject,
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

    /// Starts the node's tasks once the server can take what arrives: the question
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
        let questions = sub(self.subjects.questions()).await?;
        let ultragroups = sub(self.subjects.ultragroups()).await?;
        let orders = sub(self.subjects.all()).await?;
        let records = sub(self.subjects.records()).await?;
        let nodes = sub(self.subjects.nodes()).await?;
        let rates = sub(self.subjects.rates()).await?;
        self.client
            .flush()
            .await
            .map_err(|e| anyhow::anyhow!("flushing the bus subscriptions: {e}"))?;
        let tasks = vec![
            tokio::spawn(self.clone().read_loop(questions, None, self.stop.clone())),
            tokio::spawn(self.clone().read_loop(ultragroups, None, self.stop.clone())),
            tokio::spawn(self.clone().read_loop(orders, None, self.stop.clone())),
            tokio::spawn(self.clone().read_loop(records, None, self.stop.clone())),
            tokio::spawn(self.clone().read_loop(nodes, None, self.stop.clone())),
            tokio::spawn(self.clone().read_loop(rates, None, self.stop.clone())),
            tokio::spawn(self.clone().hits_loop()),
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

    /// Publishes a change of a record kept in memory by every node (in the order of the
    /// calls); a dropped one orders a reload (see the module docs).
    pub(crate) fn publish_records(&self, change: &RecordChange) {
        let header = Header::Records {
            change: change.clone(),
        };
        if !self.queue(self.subjects.records(), wire::encode(&header, b"")) {
            tracing::warn!("the bus queue is full; a record notice was dropped");
            self.records_lost.store(true, Ordering::SeqCst);
        }
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
            self.publish_or_remember(subject, payload).await;
            if rx.is_empty() {
                self.order_resyncs().await;
            }
        }
        // What was queued before the close still goes out (bounded by the queue).
        while let Ok((subject, payload)) = rx.try_recv() {
            self.publish_or_remember(subject, payload).await;
        }
        let gone = Header::NodeGone {
            node: self.node.clone(),
        };
        self.publish_now(self.subjects.nodes(), wire::encode(&gone, b""))
            .await;
        let _ = tokio::time::timeout(Duration::from_secs(2), self.client.flush()).await;
    }

    /// [`Self::publish_now`] of a queued message; a record notice that fails is remembered
    /// (see the module docs).
    async fn publish_or_remember(&self, subject: String, payload: Bytes) {
        let records = subject == self.records_subject;
        if !self.publish_now(subject, payload).await && records {
            self.records_lost.store(true, Ordering::SeqCst);
        }
    }

    async fn publish_now(&self, subject: String, payload: Bytes) -> bool {
        match self.client.publish(subject, payload).await {
            Ok(()) => {
                self.published.fetch_add(1, Ordering::Relaxed);
                true
            }
            Err(e) => {
                self.dropped.fetch_add(1, Ordering::Relaxed);
                tracing::warn!(error = %e, "publishing on the bus failed");
                false
            }
        }
    }

    /// Publishes the resync orders for the users whose entries were dropped, and the order
    /// to read the records again when a record notice was.
    async fn order_resyncs(&self) {
        if self.records_lost.swap(false, Ordering::SeqCst) {
            tracing::warn!("record notices may have been lost; every node reads its records again");
            let order = wire::encode(&Header::ReloadRecords, b"");
            if !self.publish_now(self.subjects.all(), order).await {
                self.records_lost.store(true, Ordering::SeqCst);
            }
        }
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
