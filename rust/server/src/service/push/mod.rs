//! The push service: for each committed message, which offline devices of its receivers get
//! a notification ([`decide`]: online state, push settings, the DND rules of
//! [`crate::service::dnd`]) and what it says ([`compose`], [`texts`]: per type and language,
//! templates, the generic text); hands the result to the
//! [`crate::push::dispatch::Dispatcher`]. It runs beside delivery and never delays it: the
//! commit feed only offers batches to a bounded queue ([`PushService::offer`]), and one
//! worker decides them in order. Pushes without a message (the Server API's `/push.json`,
//! `/push/user.json`) are in [`direct`].

pub(crate) mod compose;
pub(crate) mod decide;
pub(crate) mod direct;
pub(crate) mod options;
mod parts;
pub(crate) mod texts;
pub(crate) mod ultragroup;

pub(crate) use parts::Parts;

use crate::fanout::CommitObserver;
use crate::model::Push;
use crate::push::dispatch::DispatchStats;
use crate::push::records::{PushQuery, PushReceiver};
use crate::service::dnd::AppLevel;
use crate::service::error::ServiceError;
use compose::{ReceiverView, Source};
use decide::{DeviceChoice, MessageFacts};
use rcim_proto::conversation_type;
use rcim_proto::v1::{inbox_entry, Message};
use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::Arc;
use tokio::sync::{mpsc, OwnedSemaphorePermit, Semaphore};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

/// Pushable entries waiting for the worker (one per receiver of a message; a group message
/// to 3,000 members is 3,000). Beyond it a batch's pushes are dropped (and counted) rather
/// than delaying delivery.
const QUEUE_ENTRIES: usize = 200_000;

/// At most one "queue full" warning per this many milliseconds (the counters keep the
/// exact figures).
const DROP_WARNING_EVERY_MS: i64 = 1_000;

/// Counters of the push service (monitoring, tests, the benchmark).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PushStats {
    /// Notifications decided and handed to the dispatcher (one per device).
    pub decided: u64,
    /// Of those, the ones the dispatcher refused (its queue full, or no provider of the
    /// device's kind).
    pub not_queued: u64,
    /// Committed batches dropped because the service's queue was full.
    pub dropped_batches: u64,
    /// The pushable entries of those batches.
    pub dropped_entries: u64,
    /// Messages whose decision failed on a storage error (logged).
    pub failed_messages: u64,
    /// What the dispatcher did with the notifications (delivered, retried...).
    pub dispatch: DispatchStats,
}

#[derive(Default)]
pub(super) struct Counters {
    decided: AtomicU64,
    not_queued: AtomicU64,
    dropped_batches: AtomicU64,
    dropped_entries: AtomicU64,
    pub(super) failed_messages: AtomicU64,
    /// When the last "queue full" warning was logged (ms).
    last_drop_warning_ms: AtomicI64,
}

/// The entries of one batch that may push: (receiver, the shared entry body).
type Batch = Vec<(String, Arc<inbox_entry::Body>)>;

/// A batch in the queue with its room in it (one permit per entry, released when the worker
/// is done with the batch).
type Queued = (Batch, OwnedSemaphorePermit);

/// Decides and composes pushes for committed entries. [`Default`] is the service of a
/// server without providers: it takes nothing and decides nothing.
#[derive(Default)]
pub(crate) struct PushService {
    /// The worker's queue and the room in it, in entries ([`QUEUE_ENTRIES`]): the queue's
    /// bound.
    queue: Option<(mpsc::UnboundedSender<Queued>, Arc<Semaphore>)>,
    /// The ultra-group jobs' own bounded queue (see [`ultragroup`]).
    ultragroup: Option<mpsc::Sender<ultragroup::UgJob>>,
    parts: Option<Arc<Parts>>,
    counters: Arc<Counters>,
    /// Broadcast pushes of the last day (`/push.json` to everyone), for its limits.
    broadcasts: direct::BroadcastLimiter,
}

impl PushService {
    /// Starts the worker; it ends with `stop` or when the service is dropped.
    pub(crate) fn start(parts: Parts, stop: CancellationToken) -> (Arc<Self>, JoinHandle<()>) {
        let (tx, rx) = mpsc::unbounded_channel();
        let parts = Arc::new(parts);
        let counters = Arc::new(Counters::default());
        let (ug_tx, ug_rx) = mpsc::channel(ultragroup::UG_JOBS);
        let ug_worker = ultragroup::run(parts.clone(), counters.clone(), ug_rx, stop.clone());
        let main_worker = run(parts.clone(), counters.clone(), rx, stop);
        let worker = tokio::spawn(async move {
            tokio::join!(main_worker, ug_worker);
        });
        let service = Self {
            queue: Some((tx, Arc::new(Semaphore::new(QUEUE_ENTRIES)))),
            ultragroup: Some(ug_tx),
            parts: Some(parts),
            counters,
            broadcasts: Default::default(),
        };
        (Arc::new(service), worker)
    }

    /// The store, hub and dispatcher; `None` without providers.
    pub(crate) fn parts(&self) -> Option<&Arc<Parts>> {
        self.parts.as_ref()
    }

    /// The counters so far.
    pub(crate) fn stats(&self) -> PushStats {
        let c = &self.counters;
        PushStats {
            decided: c.decided.load(Ordering::Relaxed),
            not_queued: c.not_queued.load(Ordering::Relaxed),
            dropped_batches: c.dropped_batches.load(Ordering::Relaxed),
            dropped_entries: c.dropped_entries.load(Ordering::Relaxed),
            failed_messages: c.failed_messages.load(Ordering::Relaxed),
            dispatch: self
                .parts
                .as_ref()
                .map(|p| p.dispatcher.stats())
                .unwrap_or_default(),
        }
    }

    /// Queues the pushes of a stored ultra-group message (see [`ultragroup`]). Never waits:
    /// a full queue drops them (logged, counted as a dropped batch).
    pub(crate) fn offer_ultragroup(&self, job: ultragroup::UgJob) {
        let Some(queue) = &self.ultragroup else {
            return;
        };
        if queue.try_send(job).is_err() {
            self.dropped(0);
        }
    }

    /// Sends a notification written by the operator to `audience` (a broadcast within its
    /// limits, else [`direct::BROADCAST_LIMITED`]). The sending goes on in the background:
    /// an audience can be larger than the dispatcher's queues, so it waits for room in them
    /// (within its own budget) and logs and counts what it could not queue. Without providers
    /// nothing is sent.
    pub(crate) fn push_direct(
        &self,
        push: direct::DirectPush,
        audience: direct::Audience,
    ) -> Result<(), ServiceError> {
        direct::check_broadcast(&self.broadcasts, &audience)?;
        let Some(parts) = self.parts.clone() else {
            tracing::debug!("no push provider; a direct push is dropped");
            return Ok(());
        };
        let counters = self.counters.clone();
        tokio::spawn(async move {
            match direct::send(&parts, &push, audience).await {
                Ok(h) => {
                    count_sent(&counters, h.handed, h.queued);
                    if h.queued < h.handed {
                        tracing::warn!(
                            handed = h.handed,
                            queued = h.queued,
                            "a direct push could not queue all its notifications"
                        );
                    }
                }
                Err(e) => tracing::warn!(error = %e, "a direct push failed"),
            }
        });
        Ok(())
    }
}

fn count_sent(c: &Counters, handed: u64, queued: u64) {
    c.decided.fetch_add(handed, Ordering::Relaxed);
    c.not_queued.fetch_add(handed - queued, Ordering::Relaxed);
}

impl CommitObserver for PushService {
    /// Takes a committed batch (called right before live delivery). Never waits: a full
    /// queue drops the batch's pushes (logged, counted).
    fn offer(&self, entries: &[Push]) {
        let Some((queue, room)) = &self.queue else {
            return;
        };
        let batch: Batch = entries
            .iter()
            .filter(|p| decide::pushable_entry(&p.user_id, &p.body).is_some())
            .map(|p| (p.user_id.clone(), p.body.clone()))
            .collect();
        if batch.is_empty() {
            return;
        }
        let room = u32::try_from(batch.len())
            .ok()
            .and_then(|n| room.clone().try_acquire_many_owned(n).ok());
        let sent = match room {
            Some(permit) => queue.send((batch, permit)).map_err(|e| e.0 .0),
            None => Err(batch),
        };
        if let Err(batch) = sent {
            self.dropped(batch.len());
        }
    }
}

impl PushService {
    /// Counts a dropped batch of `entries`; warns at most once per
    /// [`DROP_WARNING_EVERY_MS`].
    fn dropped(&self, entries: usize) {
        let c = &self.counters;
        let batches = c.dropped_batches.fetch_add(1, Ordering::Relaxed) + 1;
        let total = c
            .dropped_entries
            .fetch_add(entries as u64, Ordering::Relaxed)
            + entries as u64;
        let now = crate::util::now_ms();
        let last = c.last_drop_warning_ms.load(Ordering::Relaxed);
        if now - last >= DROP_WARNING_EVERY_MS
            && c.last_drop_warning_ms
                .compare_exchange(last, now, Ordering::Relaxed, Ordering::Relaxed)
                .is_ok()
        {
            tracing::warn!(
                dropped_batches = batches,
                dropped_entries = total,
                "push queue full; pushes dropped"
            );
        }
    }
}

/// The worker: decides each batch in commit order.
async fn run(
    parts: Arc<Parts>,
    counters: Arc<Counters>,
    mut rx: mpsc::UnboundedReceiver<Queued>,
    stop: CancellationToken,
) {
    loop {
        let (batch, room) = tokio::select! {
            _ = stop.cancelled() => break,
            b = rx.recv() => match b {
                Some(b) => b,
                None => break,
            },
        };
        for (body, receivers) in by_message(batch) {
            let inbox_entry::Body::Message(m) = &*body else {
                continue;
            };
            if let Err(e) = push_message(&parts, &counters, m, receivers).await {
                counters.failed_messages.fetch_add(1, Ordering::Relaxed);
                tracing::warn!(uid = %m.uid, error = %e, "deciding a message's pushes failed");
            }
        }
        drop(room);
    }
}

/// The batch's entries grouped by message (a group fan-out shares one body), in order.
fn by_message(batch: Batch) -> Vec<(Arc<inbox_entry::Body>, Vec<String>)> {
    let mut groups: Vec<(Arc<inbox_entry::Body>, Vec<String>)> = Vec::new();
    let mut index: HashMap<*const inbox_entry::Body, usize> = HashMap::new();
    for (user, body) in batch {
        let key = Arc::as_ptr(&body);
        match index.get(&key) {
            Some(&i) => groups[i].1.push(user),
            None => {
                index.insert(key, groups.len());
                groups.push((body, vec![user]));
            }
        }
    }
    groups
}

/// Decides, composes and hands to the dispatcher the pushes of one message to `receivers`.
pub(super) async fn push_message(
    parts: &Parts,
    counters: &Counters,
    m: &Message,
    receivers: Vec<String>,
) -> anyhow::Result<()> {
    let Some(facts) = MessageFacts::of(m) else {
        return Ok(());
    };
    let is_group = m.conversation_type == conversation_type::GROUP;
    let is_ultra_group = m.conversation_type == conversation_type::ULTRA_GROUP;
    let target = if is_group || is_ultra_group {
        &m.to_id
    } else {
        &m.sender_id
    };
    let query = PushQuery {
        conversation_type: m.conversation_type,
        channel_id: m.channel_id.clone(),
        receivers: receivers
            .into_iter()
            .map(|user_id| PushReceiver {
                user_id,
                target_id: target.clone(),
            })
            .collect(),
    };
    let recipients = parts.store.push_recipients(query).await?;
    if recipients.is_empty() {
        return Ok(());
    }
    // Before the online check: `bump_badges` skips devices that connected after it.
    let now = crate::util::now_ms();
    let mut online = parts
        .hub
        .online_devices(recipients.iter().map(|r| r.user_id.as_str()));
    if parts.bus.is_distributed() {
        // A device online on another node gets the message there, not a push.
        let users: Vec<String> = recipients.iter().map(|r| r.user_id.clone()).collect();
        for (user, devices) in parts.bus.remote_devices_of(&users).await {
            online.entry(user).or_default().extend(devices);
        }
    }
    let sender_name = parts.store.user_name(m.sender_id.clone()).await?;
    let group_name = if is_group {
        parts.store.group_name(m.to_id.clone()).await?
    } else if is_ultra_group {
        parts.ultragroups.name_of(&m.to_id).unwrap_or_default()
    } else {
        String::new()
    };
    // (channel, group), as the decision consults them.
    let default_levels = if is_ultra_group {
        parts
            .ultragroups
            .default_levels(&m.to_id, &m.channel_id)
            .map(|(group, channel)| (channel, group))
    } else {
        None
    };
    let template = if facts.options.template_id.is_empty() {
        None
    } else {
        let id = &facts.options.template_id;
        parts
            .store
            .push_templates()
            .await?
            .into_iter()
            .find(|t| t.id == *id)
    };
    let source = Source {
        msg: m,
        options: &facts.options,
        sender_name: &sender_name,
        group_name: &group_name,
        template: template.as_ref(),
        mentioned_content: &facts.mentions.content,
    };
    // The text depends on the receiver only through (language, hide_content): composed once
    // per view, not per receiver.
    let mut texts: HashMap<(&str, bool), Option<Arc<compose::Text>>> = HashMap::new();
    let mut planned = Vec::new();
    for r in &recipients {
        let devices = decide::devices(&DeviceChoice {
            recipient: r,
            online: online
                .get(&r.user_id)
                .map(Vec::as_slice)
                .unwrap_or_default(),
            conversation_type: m.conversation_type,
            facts: &facts,
            default_levels,
            app_level: AppLevel::default(),
            now_ms: now,
        });
        if devices.is_empty() {
            continue;
        }
        let language = if r.settings.language.is_empty() {
            &parts.default_language
        } else {
            &r.settings.language
        };
        let hide_content = r.settings.hide_content;
        let text = texts.entry((language, hide_content)).or_insert_with(|| {
            source
                .text(ReceiverView {
                    language,
                    hide_content,
                })
                .map(Arc::new)
        });
        let Some(text) = text.clone() else {
            continue;
        };
        planned.extend(devices.into_iter().map(|d| (&r.user_id, d, text.clone())));
    }
    if planned.is_empty() {
        return Ok(());
    }
    let badges = parts
        .store
        .bump_badges(
            planned
                .iter()
                .map(|(u, d, _)| ((*u).clone(), d.device_id.clone()))
                .collect(),
            now,
        )
        .await?;
    let mut queued = 0;
    for ((_, device, text), badge) in planned.iter().zip(badges) {
        if parts
            .dispatcher
            .enqueue(source.notification(text, device, badge))
        {
            queued += 1;
        }
    }
    count_sent(counters, planned.len() as u64, queued);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A service whose queue has room for `entries` and no worker.
    fn service(entries: usize) -> (PushService, mpsc::UnboundedReceiver<Queued>) {
        let (tx, rx) = mpsc::unbounded_channel();
        let service = PushService {
            queue: Some((tx, Arc::new(Semaphore::new(entries)))),
            ..Default::default()
        };
        (service, rx)
    }

    /// One message to `receivers` (one entry each, sharing the body).
    fn batch(receivers: &[&str]) -> Vec<Push> {
        let body = Arc::new(inbox_entry::Body::Message(Message {
            conversation_type: conversation_type::GROUP,
            sender_id: "al".into(),
            to_id: "g1".into(),
            ..Default::default()
        }));
        receivers
            .iter()
            .map(|u| Push {
                user_id: (*u).into(),
                seq: 1,
                body: body.clone(),
            })
            .collect()
    }

    #[test]
    fn the_queue_is_bounded_by_entries_and_drops_without_waiting() {
        let (s, mut rx) = service(5);
        s.offer(&batch(&["b", "c", "d"]));
        // 3 of 5 taken: a batch of 3 does not fit and is dropped whole, one of 2 fits.
        s.offer(&batch(&["e", "f", "g"]));
        s.offer(&batch(&["h", "i"]));
        let stats = s.stats();
        assert_eq!((stats.dropped_batches, stats.dropped_entries), (1, 3));
        let (first, room) = rx.try_recv().unwrap();
        assert_eq!(first.len(), 3);
        assert_eq!(rx.try_recv().unwrap().0.len(), 2);
        // The worker done with a batch gives its room back.
        drop(room);
        s.offer(&batch(&["j", "k", "l"]));
        assert_eq!(rx.try_recv().unwrap().0.len(), 3);
        // The sender's own entry is not pushable and takes no room.
        s.offer(&batch(&["al"]));
        assert!(rx.try_recv().is_err());
        assert_eq!(s.stats().dropped_batches, 1);
    }

    /// Ultra-group messages queue one job each, in a queue of their own: a full one drops
    /// the message's pushes without taking room from the other types' queue.
    #[test]
    fn ultra_group_jobs_have_their_own_bounded_queue() {
        let (mut s, mut rx) = service(3);
        let (ug_tx, mut ug_rx) = mpsc::channel(1);
        s.ultragroup = Some(ug_tx);
        let job = || ultragroup::UgJob {
            message: Arc::new(Message {
                conversation_type: conversation_type::ULTRA_GROUP,
                to_id: "ug".into(),
                ..Default::default()
            }),
            directed: Vec::new(),
        };
        s.offer_ultragroup(job());
        s.offer_ultragroup(job());
        assert_eq!(s.stats().dropped_batches, 1);
        assert!(ug_rx.try_recv().is_ok());
        assert!(ug_rx.try_recv().is_err());
        // The other types' queue still has all its room.
        s.offer(&batch(&["b", "c", "d"]));
        assert_eq!(rx.try_recv().unwrap().0.len(), 3);
        assert_eq!(s.stats().dropped_batches, 1);
    }
}
