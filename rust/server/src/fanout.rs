//! Live delivery behind the [`Fanout`] trait: the in-process [`crate::hub::Hub`] today, a
//! message bus later. The store never calls it: the wiring reads the store's commit feed and
//! hands each committed batch to the fan-out ([`deliver_commits`]).

use crate::model::Push;
use crate::store::CommitFeed;
use std::sync::Arc;

/// Pushes committed inbox entries to online devices.
pub(crate) trait Fanout: Send + Sync + 'static {
    /// Pushes each entry to every online device of its owner, in the order given (per user:
    /// inbox sequence order). Never waits: a device that cannot keep up is disconnected and
    /// resyncs from its cursor when it comes back. An entry with sequence 0 is online only
    /// (a status message): it is in no inbox, and a device that misses it never gets it.
    fn deliver(&self, entries: Vec<Push>);
}

/// Sees every committed batch before live delivery: the offline push service. It must
/// never wait (delivery waits for it).
pub(crate) trait CommitObserver: Send + Sync + 'static {
    /// Takes note of a committed batch.
    fn offer(&self, entries: &[Push]);
}

/// Delivers every batch of `feed` through `fanout`, offers it to the offline push service,
/// then answers the batch's writers (so a request's own pushes precede its answer). Ends when
/// the store stops.
pub(crate) async fn deliver_commits(
    mut feed: CommitFeed,
    fanout: Arc<dyn Fanout>,
    push: Arc<dyn CommitObserver>,
) {
    while let Some(batch) = feed.recv().await {
        push.offer(&batch.entries);
        fanout.deliver(batch.entries);
        batch.release.run();
    }
}
