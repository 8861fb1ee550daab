//! Offline pushes of ultra-group messages, off the request path and in a share of their own.
//!
//! A send hands the push service one job per message ([`UgJob`]: the message and its
//! directed users), never a list of receivers: the request path does O(1) work whatever the
//! group's size. The jobs wait in their own bounded queue ([`UG_JOBS`] messages) with their
//! own worker, so a busy ultra group cannot take the room of the other conversation types'
//! queue (their pushes are never dropped because of it); beyond it a message's pushes are
//! dropped and counted (`PushStats::dropped_batches`).
//!
//! The worker picks the candidates from the directory (members who can read the channel, no
//! connection on this node, not the sender: O(members) in memory, on a blocking thread) and
//! decides them in pages of [`UG_PAGE`]: each page starts with one batched store read that
//! keeps only the receivers with a registered push device, so members without a phone cost
//! an index lookup in a batch and nothing more (then the sender's name, the template if any,
//! and one badge write for the devices pushed). Cost for 100,000 members: a ~100k-entry walk
//! of a hash set (a few ms) and 100 pages of a few store reads each per message, at most
//! [`UG_JOBS`] messages queued; delivery to online readers never waits on it.

use super::{push_message, Counters};
use crate::service::push::Parts;
use rcim_proto::v1::Message;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

/// Ultra-group messages waiting for their push decision at most.
pub(crate) const UG_JOBS: usize = 256;
/// Receivers one store read decides at most.
pub(crate) const UG_PAGE: usize = 1_000;

/// The pushes of one stored channel message: to every member who can read the channel, or
/// only `directed` when not empty.
#[derive(Debug, Clone)]
pub(crate) struct UgJob {
    pub message: Arc<Message>,
    pub directed: Vec<String>,
}

/// The worker of the ultra-group jobs, in order.
pub(super) async fn run(
    parts: Arc<Parts>,
    counters: Arc<Counters>,
    mut rx: mpsc::Receiver<UgJob>,
    stop: CancellationToken,
) {
    loop {
        let job = tokio::select! {
            _ = stop.cancelled() => break,
            j = rx.recv() => match j {
                Some(j) => j,
                None => break,
            },
        };
        if let Err(e) = push_job(&parts, &counters, &job).await {
            counters.failed_messages.fetch_add(1, Ordering::Relaxed);
            let uid = &job.message.uid;
            tracing::warn!(%uid, error = %e, "deciding an ultra-group message's pushes failed");
        }
    }
}

async fn push_job(parts: &Arc<Parts>, counters: &Counters, job: &UgJob) -> anyhow::Result<()> {
    let m = job.message.clone();
    let directory = parts.ultragroups.clone();
    let directed = job.directed.clone();
    let candidates = tokio::task::spawn_blocking(move || {
        directory.push_candidates(&m.to_id, &m.channel_id, &m.sender_id, &directed)
    })
    .await?;
    for page in candidates.chunks(UG_PAGE) {
        push_message(parts, counters, &job.message, page.to_vec()).await?;
    }
    Ok(())
}
