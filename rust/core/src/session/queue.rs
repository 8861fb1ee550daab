//! The queue of operations waiting for the wire or for their answer, with the send rules:
//! at most 5 sends per rolling second of the app's calls (20604), wire pacing under the
//! server's limit, a send timeout while offline (30002) and an ack timeout (30003). Other
//! operations have no deadline: they wait for a connection as long as it takes.

use super::operations::Entry;
use rcim_proto::v1::{client_frame, ClientFrame};
use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

/// At most this many sends per rolling second (IMLib's client limit, enforced by the server too).
pub(crate) const SENDS_PER_SECOND: usize = 5;

/// A message on the wire without an answer for this long fails with 30003 (it keeps its client
/// id, so resending it later is still deduplicated by the server).
pub(crate) const ACK_TIMEOUT: Duration = Duration::from_secs(20);

/// The rolling window of the user's send calls.
const USER_WINDOW: Duration = Duration::from_secs(1);

/// The rolling window of sends on the wire; a little longer than the server's second so network
/// jitter never makes paced resends look too fast.
const WIRE_WINDOW: Duration = Duration::from_millis(1050);

/// Queued and in-flight operations.
#[derive(Default)]
pub(crate) struct Queue {
    /// Operations other than sends, in queue order.
    ops: VecDeque<Entry>,
    /// Sends, in queue order.
    sends: VecDeque<Entry>,
    /// On the wire, by request seq.
    inflight: HashMap<u64, Entry>,
    recent_sends: VecDeque<Instant>,
    user_sends: VecDeque<Instant>,
}

impl Queue {
    /// Counts a send call of the app made at `requested`; false when it is over the app's
    /// limit of 5 per rolling second (it then fails at once and does not count).
    pub(crate) fn admit_user_send(&mut self, requested: Instant) -> bool {
        while self
            .user_sends
            .front()
            .is_some_and(|t| requested.saturating_duration_since(*t) >= USER_WINDOW)
        {
            self.user_sends.pop_front();
        }
        if self.user_sends.len() >= SENDS_PER_SECOND {
            return false;
        }
        self.user_sends.push_back(requested);
        true
    }

    /// Queues an operation, in outbox order.
    pub(crate) fn push(&mut self, entry: Entry) {
        let list = if entry.is_send() {
            &mut self.sends
        } else {
            &mut self.ops
        };
        let at = list.partition_point(|e| e.outbox_id < entry.outbox_id);
        list.insert(at, entry);
    }

    /// When the next send may go out, if the wire window is full and a send waits.
    pub(crate) fn next_send_slot(&mut self, now: Instant) -> Option<Instant> {
        while self
            .recent_sends
            .front()
            .is_some_and(|t| now.saturating_duration_since(*t) >= WIRE_WINDOW)
        {
            self.recent_sends.pop_front();
        }
        (!self.sends.is_empty() && self.recent_sends.len() >= SENDS_PER_SECOND)
            .then(|| self.recent_sends[0] + WIRE_WINDOW)
    }

    /// Takes what may go on the wire now (operations, then sends within the wire window), as
    /// frames numbered by `seq`.
    pub(crate) fn take_ready(
        &mut self,
        now: Instant,
        mut seq: impl FnMut() -> u64,
    ) -> Vec<ClientFrame> {
        let mut frames = Vec::new();
        while let Some(entry) = self.ops.pop_front() {
            frames.push(self.put_in_flight(entry, seq(), now));
        }
        while !self.sends.is_empty() && self.next_send_slot(now).is_none() {
            let Some(entry) = self.sends.pop_front() else {
                break;
            };
            self.recent_sends.push_back(now);
            frames.push(self.put_in_flight(entry, seq(), now));
        }
        frames
    }

    fn put_in_flight(&mut self, mut entry: Entry, seq: u64, now: Instant) -> ClientFrame {
        entry.since = now;
        let frame = ClientFrame {
            seq,
            body: Some(client_frame::Body::Request(entry.request.clone())),
        };
        self.inflight.insert(seq, entry);
        frame
    }

    /// The operation answered by the response with `seq`.
    pub(crate) fn answered(&mut self, seq: u64) -> Option<Entry> {
        self.inflight.remove(&seq)
    }

    /// Whether sends are on the wire without an answer yet.
    pub(crate) fn has_inflight_sends(&self) -> bool {
        self.inflight.values().any(Entry::is_send)
    }

    /// After a lost connection, unanswered operations go back to the front of the queue in
    /// their original order (the server answers a repeated request id with the original
    /// answer). The wire window starts afresh with the next connection.
    pub(crate) fn requeue_inflight(&mut self, now: Instant) {
        for (_, mut entry) in self.inflight.drain() {
            entry.since = now;
            let list = if entry.is_send() {
                &mut self.sends
            } else {
                &mut self.ops
            };
            let at = list.partition_point(|e| e.outbox_id < entry.outbox_id);
            list.insert(at, entry);
        }
        self.recent_sends.clear();
    }

    /// Sends that waited longer than `timeout` for a connection.
    pub(crate) fn take_expired(&mut self, now: Instant, timeout: Duration) -> Vec<Entry> {
        let (expired, waiting): (Vec<Entry>, Vec<Entry>) = self
            .sends
            .drain(..)
            .partition(|e| now.saturating_duration_since(e.since) > timeout);
        self.sends = waiting.into();
        expired
    }

    /// Sends on the wire whose answer is overdue although the connection looks alive.
    pub(crate) fn take_overdue(&mut self, now: Instant) -> Vec<Entry> {
        let overdue: Vec<u64> = self
            .inflight
            .iter()
            .filter(|(_, e)| e.is_send() && now.saturating_duration_since(e.since) > ACK_TIMEOUT)
            .map(|(seq, _)| *seq)
            .collect();
        let mut entries: Vec<Entry> = overdue
            .into_iter()
            .filter_map(|seq| self.inflight.remove(&seq))
            .collect();
        entries.sort_by_key(|e| e.outbox_id);
        entries
    }

    /// Every queued and unanswered send, in queue order (the session gives up on them).
    pub(crate) fn take_all_sends(&mut self) -> Vec<Entry> {
        let inflight: Vec<u64> = self
            .inflight
            .iter()
            .filter(|(_, e)| e.is_send())
            .map(|(seq, _)| *seq)
            .collect();
        let mut entries: Vec<Entry> = inflight
            .into_iter()
            .filter_map(|seq| self.inflight.remove(&seq))
            .chain(self.sends.drain(..))
            .collect();
        entries.sort_by_key(|e| e.outbox_id);
        entries
    }
}
