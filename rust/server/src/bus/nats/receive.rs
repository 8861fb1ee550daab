//! What arrives from NATS: each subscription's reader hands its messages to the inbound
//! side; connection events resync the sessions after an interruption.

use super::lock;
use super::NatsBus;
use crate::bus::wire::{self, Header};
use crate::bus::Inbound;
use crate::model::Push;
use async_nats::Subscriber;
use bytes::Bytes;
use futures::StreamExt as _;
use rcim_proto::v1::{Platform, UltraGroupEvent};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Instant;
use tokio_util::sync::CancellationToken;

impl NatsBus {
    /// Hands what arrives on `sub` to the inbound side until `cancel` (or the stop).
    /// `user`: the user whose subject it is.
    pub(super) async fn read_loop(
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
            Header::Ask { question } => {
                let Some(reply) = reply else { return };
                let (answer, body) = inbound.answer(question);
                let answer = Header::Answer {
                    node: self.node.clone(),
                    answer,
                };
                // Straight to NATS: the asker is waiting, with its own timeout.
                self.publish_now(reply, wire::encode(&answer, &body)).await;
            }
            Header::Answer { .. } => {}
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
                if let Some((room, message)) = room_of(&body) {
                    inbound.room_frame(&room, body, high, message);
                }
            }
            Header::Records { change } => inbound.records(change),
            Header::Hits { hits, .. } => inbound.hits(hits),
            Header::ReloadRecords => {
                tracing::warn!("a node may have lost record notices; reading the records again");
                inbound.reload_records();
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

/// The room a chatroom frame is for, and the message it carries if it is one.
fn room_of(frame: &Bytes) -> Option<(String, Option<rcim_proto::v1::Message>)> {
    use rcim_proto::v1::{chat_room_event, server_frame, ServerFrame};
    let f: ServerFrame = prost::Message::decode(frame.clone()).ok()?;
    match f.body? {
        server_frame::Body::Chatroom(ev) => {
            let message = match ev.body {
                Some(chat_room_event::Body::Message(m)) => Some(m),
                _ => None,
            };
            Some((ev.room_id, message))
        }
        _ => None,
    }
}

/// Connection events: after an interruption (or a slow-consumer report) this node reads its
/// records again and every session of this node resyncs, since what other nodes published
/// meanwhile did not reach it ([`Inbound::reconnected`]). After an interruption the other
/// nodes are also ordered to read their records again (`records_lost`: this node's own
/// notices may not have reached them).
pub(super) fn on_event(
    event: async_nats::Event,
    inbound: &OnceLock<Arc<dyn Inbound>>,
    interrupted: &AtomicBool,
    records_lost: &AtomicBool,
) {
    match event {
        async_nats::Event::Disconnected => {
            tracing::warn!("lost the connection to the bus; reconnecting");
            interrupted.store(true, Ordering::SeqCst);
        }
        async_nats::Event::Connected => {
            if interrupted.swap(false, Ordering::SeqCst) {
                tracing::warn!(
                    "reconnected to the bus; reading the records again, closing every session"
                );
                records_lost.store(true, Ordering::SeqCst);
                if let Some(inbound) = inbound.get() {
                    inbound.reconnected();
                }
            }
        }
        async_nats::Event::SlowConsumer(sid) => {
            tracing::warn!(
                sid,
                "a bus subscription overflowed; reading the records again, closing every session"
            );
            if let Some(inbound) = inbound.get() {
                inbound.reconnected();
            }
        }
        other => tracing::info!(event = %other, "bus event"),
    }
}
