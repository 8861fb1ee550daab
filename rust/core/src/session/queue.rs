//! The queue of operations waiting for the wire or for their answer, with the send rules:
//! at most 5 sends per rolling second of the app's calls (20604), wire pacing under the
//! server's limits (5 sends and 20 other operations per rolling second; a 20604 answer puts the
//! request back and holds its kind for a window), a send timeout while offline (30002) and an ack timeout (30003). Other
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

/// At most this many other operations (recalls, receipts, settings) per rolling second on the
/// wire: well under the server's limit of 50 per connection, so a burst of operations queued
/// offline never trips it.
pub(crate) const OPERATIONS_PER_SECOND: usize = 20;

/// The rolling window of the user's send calls.
const USER_WINDOW: Duration = Duration::from_secs(1);

/// The rolling window of requests on the wire; a little longer than the server's second so
/// network jitter never makes paced resends look too fast.
const WIRE_WINDOW: Duration = Duration::from_millis(1050);

/// One kind of queued operation (sends, or the others), paced on the wire on its own.
struct Lane {
    /// Waiting for the wire, in queue order.
    waiting: VecDeque<Entry>,
    /// When each request of the rolling wire window went out.
    recent: VecDeque<Instant>,
    /// Nothing goes out before this (the server answered 20604: too fast).
    held_until: Option<Instant>,
    limit: usize,
}

impl Lane {
    fn new(limit: usize) -> Self {
        Self {
            waiting: VecDeque::new(),
            recent: VecDeque::new(),
            held_until: None,
            limit,
        }
    }

    /// Queues `entry` in outbox order (after the entries of the same id: sends that are not
    /// stored share one).
    fn insert(&mut self, entry: Entry) {
        let at = self
            .waiting
            .partition_point(|e| e.outbox_id <= entry.outbox_id);
        self.waiting.insert(at, entry);
    }

    /// When the next request may go out, if one waits and the lane is held or its window full.
    fn next_slot(&mut self, now: Instant) -> Option<Instant> {
        while self
            .recent
            .front()
            .is_some_and(|t| now.saturating_duration_since(*t) >= WIRE_WINDOW)
        {
            self.recent.pop_front();
        }
        if self.held_until.is_some_and(|t| t <= now) {
            self.held_until = None;
        }
        if self.waiting.is_empty() {
            return None;
        }
        let window = (self.recent.len() >= self.limit).then(|| self.recent[0] + WIRE_WINDOW);
        match (window, self.held_until) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        }
    }

    /// The next entry that may go on the wire now, counted in the window.
    fn take(&mut self, now: Instant) -> Option<Entry> {
        self.take_first(now, |_| true)
    }

    /// The first entry that may go on the wire now and that `ready` accepts (entries it
    /// refuses keep their place), counted in the window.
    fn take_first(&mut self, now: Instant, ready: impl Fn(&Entry) -> bool) -> Option<Entry> {
        if self.next_slot(now).is_some() {
            return None;
        }
        let at = self.waiting.iter().position(ready)?;
        let entry = self.waiting.remove(at)?;
        self.recent.push_back(now);
        Some(entry)
    }
}

/// Whether two stored sends are in one conversation.
fn same_conversation(a: &rcim_store::MessageRow, b: &rcim_store::MessageRow) -> bool {
    a.conversation_type == b.conversation_type
        && a.target_id == b.target_id
        && a.channel_id == b.channel_id
}

/// Queued and in-flight operations.
pub(crate) struct Queue {
    /// Operations other than sends.
    ops: Lane,
    /// Sends.
    sends: Lane,
    /// On the wire, by request seq.
    inflight: HashMap<u64, Entry>,
    user_sends: VecDeque<Instant>,
}

impl Default for Queue {
    fn default() -> Self {
        Self {
            ops: Lane::new(OPERATIONS_PER_SECOND),
            sends: Lane::new(SENDS_PER_SECOND),
            inflight: HashMap::new(),
            user_sends: VecDeque::new(),
        }
    }
}

impl Queue {
    /// Counts a send call of the app made at `requested`; false when it is over the app's
    /// limit of 5 per rolling second (it then fails at once and does not count).
    pub(crate) fn admit_user_send(&mut self, requested: Instant) -> bool {
        // Media sends arrive after their upload, stamped with their (earlier) call: the
        // times are not in order, so every old one is dropped, wherever it is.
        self.user_sends
            .retain(|t| requested.saturating_duration_since(*t) < USER_WINDOW);
        if self.user_sends.len() >= SENDS_PER_SECOND {
            return false;
        }
        self.user_sends.push_back(requested);
        true
    }

    fn lane(&mut self, entry: &Entry) -> &mut Lane {
        if entry.is_send() {
            &mut self.sends
        } else {
            &mut self.ops
        }
    }

    /// Queues an operation, in outbox order.
    pub(crate) fn push(&mut self, entry: Entry) {
        self.lane(&entry).insert(entry);
    }

    /// When the next request may go out, if one waits but its lane's window is full (or held).
    pub(crate) fn next_slot(&mut self, now: Instant) -> Option<Instant> {
        match (self.ops.next_slot(now), self.sends.next_slot(now)) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Takes what may go on the wire now (operations, then sends, each within its wire
    /// window), as frames numbered by `seq`.
    pub(crate) fn take_ready(
        &mut self,
        now: Instant,
        mut seq: impl FnMut() -> u64,
    ) -> Vec<ClientFrame> {
        let mut frames = Vec::new();
        while let Some(entry) = self.ops.take(now) {
            frames.push(self.put_in_flight(entry, seq(), now));
        }
        // One send per conversation on the wire at a time: the server may refuse one (20604,
        // over its rate) and accept the next, which would then be stored before it. Sends to
        // other conversations still go out together.
        loop {
            let busy: Vec<&rcim_store::MessageRow> = self
                .inflight
                .values()
                .filter_map(|e| e.row.as_ref())
                .collect();
            let free = |e: &Entry| {
                e.row
                    .as_ref()
                    .is_none_or(|row| !busy.iter().any(|b| same_conversation(b, row)))
            };
            let Some(entry) = self.sends.take_first(now, free) else {
                break;
            };
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

    /// The server answered `entry` with 20604 (too many requests): it goes back to the queue
    /// and its lane waits a full window before sending again.
    pub(crate) fn retry_later(&mut self, mut entry: Entry, now: Instant) {
        entry.since = now;
        let lane = self.lane(&entry);
        lane.held_until = Some(now + WIRE_WINDOW);
        lane.insert(entry);
    }

    /// The operation answered by the response with `seq`.
    pub(crate) fn answered(&mut self, seq: u64) -> Option<Entry> {
        self.inflight.remove(&seq)
    }

    /// Whether operations are on the wire without an answer yet.
    pub(crate) fn has_inflight(&self) -> bool {
        !self.inflight.is_empty()
    }

    /// After a lost connection, unanswered operations go back to the front of the queue in
    /// their original order (the server answers a repeated request id with the original
    /// answer). The wire window starts afresh with the next connection.
    pub(crate) fn requeue_inflight(&mut self, now: Instant) {
        let inflight: Vec<Entry> = self.inflight.drain().map(|(_, e)| e).collect();
        for mut entry in inflight {
            entry.since = now;
            self.push(entry);
        }
        for lane in [&mut self.ops, &mut self.sends] {
            lane.recent.clear();
            lane.held_until = None;
        }
    }

    /// Sends that waited longer than `timeout` for a connection.
    pub(crate) fn take_expired(&mut self, now: Instant, timeout: Duration) -> Vec<Entry> {
        let (expired, waiting): (Vec<Entry>, Vec<Entry>) = self
            .sends
            .waiting
            .drain(..)
            .partition(|e| now.saturating_duration_since(e.since) > timeout);
        self.sends.waiting = waiting.into();
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

    /// Queued and unanswered sends that cannot wait for the next session: messages that are
    /// not stored (nothing keeps them), and sends into chatrooms (no membership outlives its
    /// session).
    pub(crate) fn take_transient(&mut self) -> Vec<Entry> {
        self.take_sends(|e| e.is_transient() || e.is_chatroom_send())
    }

    /// Every queued and unanswered send, in queue order (the session gives up on them).
    pub(crate) fn take_all_sends(&mut self) -> Vec<Entry> {
        self.take_sends(|_| true)
    }

    /// The queued and unanswered sends matching `pick`, in queue order.
    fn take_sends(&mut self, pick: impl Fn(&Entry) -> bool) -> Vec<Entry> {
        let inflight: Vec<u64> = self
            .inflight
            .iter()
            .filter(|(_, e)| e.is_send() && pick(e))
            .map(|(seq, _)| *seq)
            .collect();
        let (picked, waiting): (Vec<Entry>, Vec<Entry>) =
            self.sends.waiting.drain(..).partition(|e| pick(e));
        self.sends.waiting = waiting.into();
        let mut entries: Vec<Entry> = inflight
            .into_iter()
            .filter_map(|seq| self.inflight.remove(&seq))
            .chain(picked)
            .collect();
        entries.sort_by_key(|e| e.outbox_id);
        entries
    }
}
