//! Ultra groups in the session: the session itself keeps no ultra-group state. It tells the
//! engine's ultra-group task (`engine/ultragroup_sync.rs`) when a connection is made (read
//! the channel states again) and hands it every `UltraGroupEvent` the server pushes, in
//! order; the task does the reads and the store work through the ordinary read path.

use rcim_proto::v1::{request, response, Request, UltraGroupEvent};
use tokio::sync::mpsc;

/// What the session tells the ultra-group task.
#[derive(Debug)]
pub(crate) enum UltragroupSignal {
    /// A connection was made: read the channel states (and catch up with every channel).
    Connected,
    /// The server pushed an event of one of the user's groups.
    Event(Box<UltraGroupEvent>),
    /// Change `change_seq` of a channel is applied here: this device made it (its send,
    /// recall, modification or expansion change was answered), and the server sends no
    /// event of it to the requesting connection.
    Known {
        group_id: String,
        channel_id: String,
        change_seq: u64,
    },
}

/// The signal for an answered request of this connection that made a change of an
/// ultra-group channel (an ultra-group send answered with its `change_seq`), if any.
pub(crate) fn own_change(
    request: &Request,
    code: u32,
    result: Option<&response::Body>,
) -> Option<UltragroupSignal> {
    match (&request.body, result) {
        (Some(request::Body::SendMessage(m)), Some(response::Body::SendMessage(r)))
            if code == 0
                && m.conversation_type == rcim_proto::conversation_type::ULTRA_GROUP
                && r.change_seq > 0 =>
        {
            Some(UltragroupSignal::Known {
                group_id: m.target_id.clone(),
                channel_id: m.channel_id.clone(),
                change_seq: r.change_seq,
            })
        }
        _ => None,
    }
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
