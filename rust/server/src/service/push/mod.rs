//! The push service: for each committed message, which offline devices of its receivers get
//! a notification (DND rules of [`crate::service::dnd`], push settings, online state) and
//! what it says (per type and language, templates, the generic text); hands the result to
//! the [`crate::push::dispatch::Dispatcher`]. It runs beside delivery and never delays it.

use crate::model::Push;

/// Decides and composes pushes for committed entries.
#[derive(Default)]
pub(crate) struct PushService {}

impl PushService {
    /// Takes a committed batch (called right after live delivery). Never waits: a full
    /// queue drops the batch's pushes (logged, counted).
    pub(crate) fn offer(&self, _entries: &[Push]) {}
}
