//! The other nodes: their announcements (gateway, liveness) and the presence questions
//! the device rules ask them.

use super::NatsBus;
use super::{lock, PRESENCE_TIMEOUT};
use crate::bus::wire::{self, Header};
use crate::hub::OnlineDevice;
use futures::StreamExt as _;
use rcim_proto::v1::Platform;
use std::sync::atomic::Ordering;
use std::sync::Arc;

impl NatsBus {
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

    /// Announces this node every `announce_every` until the stop.
    pub(super) async fn announce_loop(self: Arc<Self>, gateway: Option<String>) {
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
}
