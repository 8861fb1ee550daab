//! The registry of running media transfers, so cancel calls and the session's end reach them.
//!
//! A transfer is registered under the session that started it (its database slot) and a
//! [`TransferKey`]; another session never sees it. It ends through its [`Registration`]:
//! [`Registration::settle`] decides, under the registry's lock, whether a cancel call came
//! first (the transfer then reports the cancel) or not (later cancel calls find nothing: 34204
//! at once). A settled transfer keeps its key until its registration is dropped, so a new
//! transfer of the same key cannot start while the settled one still finishes its work (a
//! download's rename, its cleanup of parts). A transfer aborted with its session ([`Transfers::abort_session`]) is stopped
//! like a cancelled one but has no cancel call: it reports a failure.

use crate::db::Db;
use crate::event::EventId;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use tokio_util::sync::CancellationToken;

/// The database slot of a session (`Session::db`): what a transfer is bound to.
pub(crate) type SessionSlot = Arc<OnceLock<Db>>;

/// What a running transfer is known by within its session.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum TransferKey {
    /// The upload of a stored media message.
    Upload(i64),
    /// The download of a stored message (by id) or of a URL (a message that is not stored).
    Download(String),
}

/// A key within the registry: the session's slot address (kept alive by [`Running`], so it
/// is not reused while registered) and the key.
type Id = (usize, TransferKey);

fn id(session: &SessionSlot, key: TransferKey) -> Id {
    (Arc::as_ptr(session) as usize, key)
}

struct Running {
    cancel: CancellationToken,
    /// Set by the cancel call (with its event id).
    canceled_by: Option<EventId>,
    /// Its cancellable life ended ([`Registration::settle`]): cancel calls find nothing.
    settled: bool,
    /// Its session (to abort it with the session).
    session: SessionSlot,
}

/// The media transfers in progress.
#[derive(Default)]
pub(crate) struct Transfers {
    running: Mutex<HashMap<Id, Running>>,
}

impl Transfers {
    fn lock(&self) -> MutexGuard<'_, HashMap<Id, Running>> {
        self.running.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Registers a transfer of `session`; `None` when one with that key runs already.
    pub(super) fn start(
        self: &Arc<Self>,
        session: &SessionSlot,
        key: TransferKey,
    ) -> Option<Registration> {
        let id = id(session, key);
        let mut running = self.lock();
        if running.contains_key(&id) {
            return None;
        }
        let cancel = CancellationToken::new();
        running.insert(
            id.clone(),
            Running {
                cancel: cancel.clone(),
                canceled_by: None,
                settled: false,
                session: session.clone(),
            },
        );
        Some(Registration {
            transfers: self.clone(),
            id,
            cancel,
            settled: OnceLock::new(),
        })
    }

    /// Cancels a running transfer of `session` for the call `event_id`; false when none runs
    /// (or it settled already).
    pub(super) fn cancel(
        &self,
        session: &SessionSlot,
        key: TransferKey,
        event_id: EventId,
    ) -> bool {
        let mut running = self.lock();
        let Some(entry) = running.get_mut(&id(session, key)) else {
            return false;
        };
        if entry.settled {
            return false;
        }
        if entry.canceled_by.is_some() {
            // Cancelled already: that call gets the event.
            return false;
        }
        entry.canceled_by = Some(event_id);
        entry.cancel.cancel();
        true
    }

    /// Settles a transfer: `Some(cancel call)` when the app cancelled it first.
    fn settle(&self, id: &Id) -> Option<EventId> {
        let mut running = self.lock();
        let entry = running.get_mut(id)?;
        entry.settled = true;
        entry.canceled_by.clone()
    }

    /// Runs `job` unless a transfer of `session` with `key` is registered (settled or not),
    /// under the registry's lock: no transfer of that key can start meanwhile.
    pub(super) fn unless_registered(
        &self,
        session: &SessionSlot,
        key: TransferKey,
        job: impl FnOnce(),
    ) {
        let running = self.lock();
        if !running.contains_key(&id(session, key)) {
            job();
        }
    }

    /// Stops the transfers of `session` (disconnect, another connect): they end as failed,
    /// not as cancelled.
    pub(crate) fn abort_session(&self, session: &SessionSlot) {
        for running in self.lock().values() {
            if !running.settled && Arc::ptr_eq(&running.session, session) {
                running.cancel.cancel();
            }
        }
    }

    /// Stops every transfer (engine destroyed); they end as failed, not as cancelled.
    pub(crate) fn abort_all(&self) {
        for running in self.lock().values().filter(|r| !r.settled) {
            running.cancel.cancel();
        }
    }
}

/// A registered transfer; dropping it unregisters it.
pub(super) struct Registration {
    transfers: Arc<Transfers>,
    id: Id,
    cancel: CancellationToken,
    settled: OnceLock<Option<EventId>>,
}

impl Registration {
    /// Cancelled by a cancel call or by the session's end.
    pub(super) fn token(&self) -> &CancellationToken {
        &self.cancel
    }

    /// Its key.
    pub(super) fn key(&self) -> &TransferKey {
        &self.id.1
    }

    /// Ends the transfer's cancellable life, once (later calls give the same answer):
    /// `Some(cancel call)` when a cancel call came first; otherwise cancel calls from now on
    /// find nothing to cancel.
    pub(super) fn settle(&self) -> Option<EventId> {
        self.settled
            .get_or_init(|| self.transfers.settle(&self.id))
            .clone()
    }
}

impl Drop for Registration {
    fn drop(&mut self) {
        self.settle();
        self.transfers.lock().remove(&self.id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cancel_reaches_a_running_transfer_once() {
        let transfers = Arc::new(Transfers::default());
        let session = SessionSlot::default();
        let key = TransferKey::Upload(7);
        let running = transfers.start(&session, key.clone()).unwrap();
        assert!(transfers.start(&session, key.clone()).is_none());
        assert!(transfers.cancel(&session, key.clone(), Some("c".into())));
        assert!(running.token().is_cancelled());
        assert!(!transfers.cancel(&session, key.clone(), Some("again".into())));
        assert_eq!(running.settle(), Some(Some("c".into())));
        assert_eq!(running.settle(), Some(Some("c".into())), "the same answer");
        assert!(!transfers.cancel(&session, key.clone(), None));
        drop(running);
        let again = transfers.start(&session, key.clone()).unwrap();
        assert_eq!(again.settle(), None);
    }

    #[test]
    fn a_transfer_settled_before_the_cancel_is_not_cancelled() {
        let transfers = Arc::new(Transfers::default());
        let session = SessionSlot::default();
        let key = TransferKey::Download("#1".into());
        let running = transfers.start(&session, key.clone()).unwrap();
        // Completed (e.g. the download's rename) before the cancel call: it finds nothing.
        assert_eq!(running.settle(), None);
        assert!(!transfers.cancel(&session, key.clone(), Some("late".into())));
        assert!(!running.token().is_cancelled());
        assert_eq!(running.settle(), None);
        // Settled, it still holds its key until dropped: no second transfer of it meanwhile.
        assert!(transfers.start(&session, key.clone()).is_none());
        let mut ran = false;
        transfers.unless_registered(&session, key.clone(), || ran = true);
        assert!(!ran, "a settled transfer's files are still its own");
        transfers.abort_all();
        assert!(!running.token().is_cancelled(), "settled: nothing to abort");
        drop(running);
        transfers.unless_registered(&session, key.clone(), || ran = true);
        assert!(ran);
        assert!(transfers.start(&session, key).is_some());
    }

    #[test]
    fn transfers_belong_to_their_session() {
        let transfers = Arc::new(Transfers::default());
        let (a, b) = (SessionSlot::default(), SessionSlot::default());
        let key = TransferKey::Upload(1);
        let of_a = transfers.start(&a, key.clone()).unwrap();
        // The same message id in another user's database is another transfer.
        let of_b = transfers.start(&b, key.clone()).unwrap();
        assert!(!transfers.cancel(&SessionSlot::default(), key.clone(), None));
        transfers.abort_session(&a);
        assert!(of_a.token().is_cancelled());
        assert!(!of_b.token().is_cancelled());
        // Aborted, not cancelled by a call: it reports a failure.
        assert_eq!(of_a.settle(), None);
        transfers.abort_all();
        assert!(of_b.token().is_cancelled());
    }
}
