//! Ultra groups in the session: the session itself keeps no ultra-group state. It tells the
//! engine's ultra-group task (`engine/ultragroup_sync.rs`) when a connection is made (read
//! the channel states again) and hands it every `UltraGroupEvent` the server pushes, in
//! order; the task does the reads and the store work through the ordinary read path.

use rcim_proto::v1::UltraGroupEvent;
use tokio::sync::mpsc;

/// What the session tells the ultra-group task.
#[derive(Debug)]
pub(crate) enum UltragroupSignal {
    /// A connection was made: read the channel states (and catch up with every channel).
    Connected,
    /// The server pushed an event of one of the user's groups.
    Event(Box<UltraGroupEvent>),
}

/// How many signals may wait for the ultra-group task. Beyond it a signal is dropped: the
/// task notices the gap (a change sequence skipping ahead) at the next event of the channel,
/// and reads everything again at the next connection.
pub(crate) const SIGNAL_QUEUE_LEN: usize = 1024;

/// Hands `signal` to the task without waiting (a full queue drops it, see
/// [`SIGNAL_QUEUE_LEN`]).
pub(crate) fn forward(to: &Option<mpsc::Sender<UltragroupSignal>>, signal: UltragroupSignal) {
    if let Some(to) = to {
        if let Err(e) = to.try_send(signal) {
            tracing::warn!(error = %e, "ultra-group signal dropped");
        }
    }
}
