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
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

/// Committed batches waiting for the worker; beyond it a batch's pushes are dropped (and
/// counted) rather than delaying delivery.
const QUEUE_BATCHES: usize = 4096;

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
    /// Messages whose decision failed on a storage error (logged).
    pub failed_messages: u64,
    /// What the dispatcher did with the notifications (delivered, retried...).
    pub dispatch: DispatchStats,
}

#[derive(Default)]
struct Counters {
    decided: AtomicU64,
    not_queued: AtomicU64,
    dropped_batches: AtomicU64,
    failed_messages: AtomicU64,
}

/// The entries of one batch that may push: (receiver, the shared entry body).
type Batch = Vec<(String, Arc<inbox_entry::Body>)>;

/// Decides and composes pushes for committed entries. [`Default`] is the service of a
/// server without providers: it takes nothing and decides nothing.
#[derive(Default)]
pub(crate) struct PushService {
    queue: Option<mpsc::Sender<Batch>>,
    parts: Option<Arc<Parts>>,
    counters: Arc<Counters>,
    /// Broadcast pushes of the last day (`/push.json` to everyone), for its limits.
    broadcasts: direct::BroadcastLimiter,
}

impl PushService {
    /// Starts the worker; it ends with `stop` or when the service is dropped.
    pub(crate) fn start(parts: Parts, stop: CancellationToken) -> (Arc<Self>, JoinHandle<()>) {
        let (tx, rx) = mpsc::channel(QUEUE_BATCHES);
        let parts = Arc::new(parts);
        let counters = Arc::new(Counters::default());
        let worker = tokio::spawn(run(parts.clone(), counters.clone(), rx, stop));
        let service = Self {
            queue: Some(tx),
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
            failed_messages: c.failed_messages.load(Ordering::Relaxed),
            dispatch: self
                .parts
                .as_ref()
                .map(|p| p.dispatcher.stats())
                .unwrap_or_default(),
        }
    }

    /// Sends a notification written by the operator to `audience` (a broadcast within its
    /// limits, else [`direct::BROADCAST_LIMITED`]); returns the number of notifications
    /// queued. Without providers nothing is sent (and 0 returned).
    pub(crate) async fn push_direct(
        &self,
        push: &direct::DirectPush,
        audience: direct::Audience,
    ) -> Result<u64, ServiceError> {
        direct::check_broadcast(&self.broadcasts, &audience)?;
        let Some(parts) = &self.parts else {
            tracing::debug!("no push provider; a direct push is dropped");
            return Ok(0);
        };
        let h = direct::send(parts, push, audience).await?;
        count_sent(&self.counters, h.handed, h.queued);
        Ok(h.queued)
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
        let Some(queue) = &self.queue else {
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
        if queue.try_send(batch).is_err() {
            self.counters
                .dropped_batches
                .fetch_add(1, Ordering::Relaxed);
            tracing::warn!("push queue full; a batch's pushes are dropped");
        }
    }
}

/// The worker: decides each batch in commit order.
async fn run(
    parts: Arc<Parts>,
    counters: Arc<Counters>,
    mut rx: mpsc::Receiver<Batch>,
    stop: CancellationToken,
) {
    loop {
        let batch = tokio::select! {
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
async fn push_message(
    parts: &Parts,
    counters: &Counters,
    m: &Message,
    receivers: Vec<String>,
) -> anyhow::Result<()> {
    let Some(facts) = MessageFacts::of(m) else {
        return Ok(());
    };
    let is_group = m.conversation_type == conversation_type::GROUP;
    let target = if is_group { &m.to_id } else { &m.sender_id };
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
    let online = parts
        .hub
        .online_devices(recipients.iter().map(|r| r.user_id.as_str()));
    let sender_name = parts.store.user_name(m.sender_id.clone()).await?;
    let group_name = if is_group {
        parts.store.group_name(m.to_id.clone()).await?
    } else {
        String::new()
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
    };
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
        let Some(text) = source.text(ReceiverView {
            language,
            hide_content: r.settings.hide_content,
        }) else {
            continue;
        };
        let text = Arc::new(text);
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
