//! The queue of operations waiting for the wire or for their answer, with the send rules:
//! at most 5 sends per rolling second of the app's calls (20604), wire pacing under the
//! server's limits (5 sends and 20 other operations per rolling second; a 20604 answer puts the
//! request back and holds its kind for a window), a send timeout while offline (30002) and an ack timeout (30003). Other
//! operations have no deadline: they wait for a connection as long as it takes.
//!
//! Sends to one conversation go one per round trip (the next after the previous one's
//! answer); the queue keeps counts of waiting and in-flight sends per conversation so finding
//! the next send costs nothing extra when a long backlog of one conversation waits.

use super::operations::Entry;
use rcim_proto::v1::{client_frame, ClientFrame};
use rcim_store::ConversationKey;
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
    /// How many of `waiting` are stored sends of each conversation.
    waiting_in: HashMap<ConversationKey, usize>,
    /// When each request of the rolling wire window went out.
    recent: VecDeque<Instant>,
    /// Nothing goes out before this (the server answered 20604: too fast).
    held_until: Option<Instant>,
    limit: usize,
    /// Entries looked at to find the next one (the cost of taking, for tests).
    #[cfg(test)]
    examined: usize,
}

impl Lane {
    fn new(limit: usize) -> Self {
        Self {
            waiting: VecDeque::new(),
            waiting_in: HashMap::new(),
            recent: VecDeque::new(),
            held_until: None,
            limit,
            #[cfg(test)]
            examined: 0,
        }
    }

    /// Queues `entry` in outbox order (after the entries of the same id: sends that are not
    /// stored share one).
    fn insert(&mut self, entry: Entry) {
        if let Some(row) = &entry.row {
            *self.waiting_in.entry(row.key()).or_default() += 1;
        }
        let at = self
            .waiting
            .partition_point(|e| e.outbox_id <= entry.outbox_id);
        self.waiting.insert(at, entry);
    }

    /// How many stored sends of `key` wait.
    fn waiting_in(&self, key: &ConversationKey) -> usize {
        self.waiting_in.get(key).copied().unwrap_or(0)
    }

    /// Takes the waiting entries that `pick` accepts, in queue order.
    fn drain_where(&mut self, pick: impl Fn(&Entry) -> bool) -> Vec<Entry> {
        let (picked, waiting): (Vec<Entry>, Vec<Entry>) = self.waiting.drain(..).partition(pick);
        self.waiting = waiting.into();
        for row in picked.iter().filter_map(|e| e.row.as_ref()) {
            uncount(&mut self.waiting_in, &row.key());
        }
        picked
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
        let at = self.waiting.iter().position(ready);
        #[cfg(test)]
        {
            self.examined += at.map_or(self.waiting.len(), |i| i + 1);
        }
        let entry = self.waiting.remove(at?)?;
        if let Some(row) = &entry.row {
            uncount(&mut self.waiting_in, &row.key());
        }
        self.recent.push_back(now);
        Some(entry)
    }
}

/// One less of `key` in `counts` (gone at zero, so the maps stay as small as what they count).
fn uncount(counts: &mut HashMap<ConversationKey, usize>, key: &ConversationKey) {
    if let Some(n) = counts.get_mut(key) {
        *n -= 1;
        if *n == 0 {
            counts.remove(key);
        }
    }
}

/// Queued and in-flight operations.
pub(crate) struct Queue {
    /// Operations other than sends.
    ops: Lane,
    /// Sends.
    sends: Lane,
    /// On the wire, by request seq.
    inflight: HashMap<u64, Entry>,
    /// How many stored sends of each conversation are on the wire (at most one, but counted
    /// so a stray second can never free its conversation early).
    busy: HashMap<ConversationKey, usize>,
    user_sends: VecDeque<Instant>,
}

impl Default for Queue {
    fn default() -> Self {
        Self {
            ops: Lane::new(OPERATIONS_PER_SECOND),
            sends: Lane::new(SENDS_PER_SECOND),
            inflight: HashMap::new(),
            busy: HashMap::new(),
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
            // Every waiting send is of a conversation with one on the wire: nothing to look
            // for (a backlog of one conversation is not scanned on each answer).
            let blocked: usize = self.busy.keys().map(|k| self.sends.waiting_in(k)).sum();
            if blocked == self.sends.waiting.len() {
                break;
            }
            let busy = &self.busy;
            let free = |e: &Entry| {
                e.row
                    .as_ref()
                    .is_none_or(|row| !busy.contains_key(&row.key()))
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
        if let Some(row) = &entry.row {
            *self.busy.entry(row.key()).or_default() += 1;
        }
        self.inflight.insert(seq, entry);
        frame
    }

    /// Takes the entry with `seq` off the wire (its conversation is free again).
    fn off_the_wire(&mut self, seq: u64) -> Option<Entry> {
        let entry = self.inflight.remove(&seq)?;
        if let Some(row) = &entry.row {
            uncount(&mut self.busy, &row.key());
        }
        Some(entry)
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
        self.off_the_wire(seq)
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
        self.busy.clear();
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
        self.sends
            .drain_where(|e| now.saturating_duration_since(e.since) > timeout)
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
            .filter_map(|seq| self.off_the_wire(seq))
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
        let picked = self.sends.drain_where(&pick);
        let mut entries: Vec<Entry> = inflight
            .into_iter()
            .filter_map(|seq| self.off_the_wire(seq))
            .chain(picked)
            .collect();
        entries.sort_by_key(|e| e.outbox_id);
        entries
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rcim_store::MessageRow;

    /// A stored send to `target` (a private conversation) with outbox id `id`.
    fn send(id: i64, target: &str, now: Instant) -> Entry {
        let row = MessageRow {
            id,
            conversation_type: 1,
            target_id: target.into(),
            channel_id: String::new(),
            message_type: 1,
            object_name: "RC:TxtMsg".into(),
            content: "{}".into(),
            uid: None,
            client_msg_id: Some(format!("c{id}")),
            sender_id: "me".into(),
            direction: 1,
            sent_status: 10,
            received_status: 0,
            sent_time: 0,
            received_time: 0,
            counted: false,
            extra_json: None,
            conv_seq: 0,
            mentioned: false,
            group_receipt: None,
        };
        Entry {
            outbox_id: id,
            request: super::super::operations::send_request(&row),
            event_id: None,
            row: Some(row),
            arg: None,
            since: now,
        }
    }

    /// A backlog of 10,000 sends to one conversation drains one per round trip, in order, and
    /// finding each next send looks at a bounded number of entries (not the whole backlog
    /// behind the one in flight on every answer).
    #[test]
    fn a_long_backlog_to_one_conversation_drains_in_linear_work() {
        const N: i64 = 10_000;
        let mut now = Instant::now();
        let mut queue = Queue::default();
        for id in 1..=N {
            queue.push(send(id, "bob", now));
        }
        // Another conversation's send behind the backlog still goes out at once.
        queue.push(send(N + 1, "carol", now));
        let mut next_seq = 0;
        let mut sent = Vec::new();
        while sent.len() < N as usize + 1 {
            let frames = queue.take_ready(now, || {
                next_seq += 1;
                next_seq
            });
            if frames.is_empty() {
                // The wire window is full: the next second.
                now += WIRE_WINDOW;
                continue;
            }
            assert!(
                frames.len() <= 2,
                "more than one send per conversation on the wire"
            );
            for frame in frames {
                let entry = queue.answered(frame.seq).expect("in flight");
                sent.push(entry.outbox_id);
            }
        }
        let carol = sent.iter().position(|id| *id == N + 1).unwrap();
        assert!(carol < 2, "carol's send waited for bob's backlog: {carol}");
        sent.retain(|id| *id != N + 1);
        assert_eq!(sent, (1..=N).collect::<Vec<_>>(), "bob's sends in order");
        assert!(!queue.has_inflight());
        assert!(queue.busy.is_empty() && queue.sends.waiting_in.is_empty());
        // The old scan looked at the whole backlog on each answer: about N * N / 2.
        assert!(
            queue.sends.examined <= 3 * N as usize,
            "looked at {} entries to send {N}",
            queue.sends.examined
        );
    }
}
