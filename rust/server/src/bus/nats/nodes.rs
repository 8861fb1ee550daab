//! The other nodes: their announcements (gateway, liveness) and the questions asked of
//! them all (see [`crate::bus::questions`]).

use super::NatsBus;
use super::{lock, ASK_TIMEOUT};
use crate::bus::questions::{Answer, Answers, Question};
use crate::bus::wire::{self, Header};
use crate::hub::OnlineDevice;
use futures::StreamExt as _;
use rcim_proto::v1::Platform;
use std::collections::{HashMap, HashSet};
use std::sync::atomic::Ordering;
use std::sync::Arc;

/// Counts one message of shared-rate counts carries at most (keys are at most a few
/// hundred bytes).
const HITS_PER_MESSAGE: usize = 1_000;

impl NatsBus {
    /// Asks every other live node `question` (see [`crate::bus::questions`]): their answers
    /// (with their bodies), waiting for one from each live node, at most [`ASK_TIMEOUT`].
    /// Incomplete when a live node did not answer in time or NATS is unreachable.
    pub(crate) async fn ask_all(&self, question: Question) -> Answers {
        let mut waiting: HashSet<String> = self
            .live_nodes()
            .into_iter()
            .map(|(node, _)| node)
            .collect();
        if waiting.is_empty() {
            return Answers::default();
        }
        if !self.connected() {
            return Answers {
                list: Vec::new(),
                complete: false,
            };
        }
        let mut answers = Vec::with_capacity(waiting.len());
        let ask = async {
            let inbox = self.client.new_inbox();
            let mut sub = self.client.subscribe(inbox.clone()).await.ok()?;
            let payload = wire::encode(
                &Header::Ask {
                    question: question.clone(),
                },
                b"",
            );
            self.client
                .publish_with_reply(self.subjects.questions(), inbox, payload)
                .await
                .ok()?;
            // Counted by node: a node that just started (not yet announced) answers too,
            // and its answer is kept, but only the known nodes' are waited for.
            while !waiting.is_empty() {
                let msg = sub.next().await?;
                if let Some((Header::Answer { node, answer }, body)) = wire::decode(&msg.payload) {
                    self.received.fetch_add(1, Ordering::Relaxed);
                    waiting.remove(&node);
                    answers.push((answer, body));
                }
            }
            Some(())
        };
        let complete = matches!(tokio::time::timeout(ASK_TIMEOUT, ask).await, Ok(Some(())));
        if !complete {
            tracing::debug!(?question, "not every node answered in time");
        }
        Answers {
            list: answers,
            complete,
        }
    }

    /// The devices of `users` online on the other nodes, by user.
    pub(crate) async fn remote_devices(
        &self,
        users: &[String],
    ) -> HashMap<String, Vec<OnlineDevice>> {
        let mut out: HashMap<String, Vec<OnlineDevice>> = HashMap::new();
        // Unreachable NATS: the rules apply to this node's sessions only until it is back
        // (and every session here resyncs then).
        let question = Question::Devices {
            users: users.to_vec(),
        };
        for (answer, _) in self.ask_all(question).await.list {
            if let Answer::Devices { devices } = answer {
                for (user, device_id, p) in devices {
                    out.entry(user).or_default().push(OnlineDevice {
                        device_id,
                        platform: Platform::try_from(p).unwrap_or(Platform::Unspecified),
                    });
                }
            }
        }
        out
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

    /// Tells the other nodes what this node counted of the shared rates, every
    /// [`crate::limits::GOSSIP_EVERY`] when it counted something, until the stop.
    pub(super) async fn hits_loop(self: Arc<Self>) {
        let mut tick = tokio::time::interval(crate::limits::GOSSIP_EVERY);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                _ = self.stop.cancelled() => break,
                _ = tick.tick() => {}
            }
            let Some(inbound) = self.inbound() else {
                continue;
            };
            let hits = inbound.take_hits();
            // In messages of at most HITS_PER_MESSAGE entries each: far below NATS's
            // payload limit, whatever the keys.
            let mut keyed = hits.keyed.chunks(HITS_PER_MESSAGE);
            let mut users = hits.users.chunks(HITS_PER_MESSAGE);
            loop {
                let (k, u) = (keyed.next(), users.next());
                if k.is_none() && u.is_none() {
                    break;
                }
                let header = Header::Hits {
                    node: self.node.clone(),
                    hits: crate::limits::RateHits {
                        keyed: k.unwrap_or_default().to_vec(),
                        users: u.unwrap_or_default().to_vec(),
                    },
                };
                self.queue(self.subjects.rates(), wire::encode(&header, b""));
            }
        }
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
