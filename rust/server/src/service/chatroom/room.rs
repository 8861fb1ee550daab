//! One room in memory: its members (users, each with the connections that joined the room),
//! the ring of its most recent messages, its clock and its activity. Plain data under the
//! room's lock; the registry ([`super::registry`]) decides, this file keeps the books.

use super::delivery::MemberConn;
use crate::hub::ConnId;
use crate::store::RoomRecord;
use rcim_proto::v1::{ChatRoomMemberAction, Message};
use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

/// `RCIMIWChatRoomMemberAction` JOIN.
pub(super) const MEMBER_JOIN: u32 = 1;
/// `RCIMIWChatRoomMemberAction` LEAVE.
pub(super) const MEMBER_LEAVE: u32 = 2;
/// Most bytes of messages a room's ring keeps (the oldest go first beyond it): 50 messages
/// of 128 KB would be 6 MB per room.
pub(super) const MAX_RING_BYTES: usize = 1024 * 1024;

/// A member of a room: a user with the connections that joined it.
pub(super) struct Member {
    /// When the user joined (ms).
    pub joined_ms: i64,
    /// Join order (members are listed in it).
    pub order: u64,
    /// The user's connections in the room; empty while the user is offline.
    pub conns: Vec<MemberConn>,
}

/// A room's state.
pub(super) struct Room {
    pub record: RoomRecord,
    pub members: HashMap<String, Member>,
    /// Members whose connections all dropped (R194): since when, and the room's message
    /// count then.
    offline: HashMap<String, (Instant, u64)>,
    next_order: u64,
    /// The most recent messages, oldest first, at most `ring_len` and [`MAX_RING_BYTES`].
    ring: VecDeque<Message>,
    ring_len: usize,
    /// Encoded bytes of the messages in `ring`.
    ring_bytes: usize,
    /// Messages the room ever produced (auto-kick counts them).
    pub messages: u64,
    /// The last join, leave or message.
    pub last_activity: Instant,
    /// The last sent time given out: each message gets a later one, so history pages by
    /// time never split or skip messages.
    last_sent: i64,
    /// JOIN/LEAVE actions not announced yet (sent in batches).
    pub pending_actions: Vec<ChatRoomMemberAction>,
    /// When the registry's idle index looks at this room next (`None`: never destroyed for
    /// being idle).
    pub idle_check: Option<Instant>,
}

impl Room {
    pub(super) fn new(record: RoomRecord, ring_len: usize) -> Self {
        Self {
            members: HashMap::new(),
            offline: HashMap::new(),
            next_order: 0,
            ring: VecDeque::with_capacity(ring_len.min(8)),
            ring_len,
            ring_bytes: 0,
            messages: 0,
            last_activity: Instant::now(),
            // Sent times go on after the room's stored ones (a restart, a clock set back).
            last_sent: record.last_sent_time,
            record,
            pending_actions: Vec::new(),
            idle_check: None,
        }
    }

    /// Adds `conn` of `user` (a new member joins, JOIN queued; an offline one is back).
    /// Returns whether the user was not a member before.
    pub(super) fn add(&mut self, user: &str, conn: MemberConn, now_ms: i64) -> bool {
        self.last_activity = Instant::now();
        self.offline.remove(user);
        if let Some(m) = self.members.get_mut(user) {
            m.conns.retain(|c| c.conn_id != conn.conn_id);
            m.conns.push(conn);
            return false;
        }
        self.next_order += 1;
        self.members.insert(
            user.to_owned(),
            Member {
                joined_ms: now_ms,
                order: self.next_order,
                conns: vec![conn],
            },
        );
        self.queue_action(user, MEMBER_JOIN);
        true
    }

    /// Removes `user` (LEAVE queued); their connections, or `None` when not a member.
    pub(super) fn remove(&mut self, user: &str) -> Option<Vec<MemberConn>> {
        let m = self.members.remove(user)?;
        self.offline.remove(user);
        self.last_activity = Instant::now();
        self.queue_action(user, MEMBER_LEAVE);
        Some(m.conns)
    }

    /// Connection `conn_id` of `user` dropped: when it was the user's last one in the room,
    /// the member goes offline (auto-kicked later, R194).
    pub(super) fn conn_closed(&mut self, user: &str, conn_id: ConnId) {
        if let Some(m) = self.members.get_mut(user) {
            m.conns.retain(|c| c.conn_id != conn_id);
            if m.conns.is_empty() {
                let messages = self.messages;
                self.offline
                    .entry(user.to_owned())
                    .or_insert_with(|| (Instant::now(), messages));
            }
        }
    }

    fn queue_action(&mut self, user: &str, action: u32) {
        self.pending_actions.push(ChatRoomMemberAction {
            user_id: user.to_owned(),
            action,
        });
    }

    /// The next sent time: `now_ms`, or just after the last one.
    pub(super) fn next_sent_time(&mut self, now_ms: i64) -> i64 {
        self.last_sent = now_ms.max(self.last_sent + 1);
        self.last_sent
    }

    /// Records a new message: in the ring (unless online-only), counted, activity.
    pub(super) fn record(&mut self, m: &Message) {
        self.messages += 1;
        self.last_activity = Instant::now();
        if m.status || self.ring_len == 0 {
            return;
        }
        self.ring_bytes += prost::Message::encoded_len(m);
        self.ring.push_back(m.clone());
        self.trim_ring();
    }

    /// [`Self::record`] for a message from another node, which a ring filled from the
    /// other nodes' may hold already (then it is only counted).
    pub(super) fn record_once(&mut self, m: &Message) {
        if self.ring.iter().any(|r| r.uid == m.uid) {
            self.messages += 1;
            self.last_activity = Instant::now();
            return;
        }
        self.record(m);
    }

    /// Adds messages of another node's ring that this one lacks, in time order, within the
    /// ring's limits.
    pub(super) fn merge_ring(&mut self, messages: Vec<Message>) {
        let known: std::collections::HashSet<String> =
            self.ring.iter().map(|m| m.uid.clone()).collect();
        let mut all: Vec<Message> = self.ring.drain(..).collect();
        all.extend(
            messages
                .into_iter()
                .filter(|m| !m.status && !known.contains(&m.uid)),
        );
        all.sort_by_key(|m| m.sent_time);
        let mut seen = std::collections::HashSet::new();
        all.retain(|m| seen.insert(m.uid.clone()));
        self.ring_bytes = 0;
        for m in all {
            self.ring_bytes += prost::Message::encoded_len(&m);
            self.ring.push_back(m);
        }
        self.trim_ring();
    }

    fn trim_ring(&mut self) {
        while self.ring.len() > self.ring_len || self.ring_bytes > MAX_RING_BYTES {
            let Some(old) = self.ring.pop_front() else {
                break;
            };
            self.ring_bytes -= prost::Message::encoded_len(&old);
        }
    }

    /// The last `count` messages of the ring, oldest first.
    pub(super) fn recent(&self, count: usize) -> Vec<Message> {
        let skip = self.ring.len().saturating_sub(count);
        self.ring.iter().skip(skip).cloned().collect()
    }

    /// Offline members due for the auto-kick (R194): offline at least `after`, or more than
    /// `max_messages` messages produced since they went offline.
    pub(super) fn auto_kick_due(&self, after: Duration, max_messages: u32) -> Vec<String> {
        self.offline
            .iter()
            .filter(|(_, (since, at))| {
                since.elapsed() >= after
                    || self.messages.saturating_sub(*at) > u64::from(max_messages)
            })
            .map(|(user, _)| user.clone())
            .collect()
    }

    /// Members in join order: (user, join time ms).
    pub(super) fn member_list(&self) -> Vec<(String, i64)> {
        let mut list: Vec<(&String, &Member)> = self.members.iter().collect();
        list.sort_by_key(|(_, m)| m.order);
        list.into_iter()
            .map(|(u, m)| (u.clone(), m.joined_ms))
            .collect()
    }

    /// Every member connection (the targets of a room event).
    pub(super) fn conns(&self) -> impl Iterator<Item = (&String, &MemberConn)> {
        self.members
            .iter()
            .flat_map(|(u, m)| m.conns.iter().map(move |c| (u, c)))
    }

    /// Idle for `idle` (no join, leave or message).
    pub(super) fn idle_for(&self, idle: Duration) -> bool {
        self.last_activity.elapsed() >= idle
    }
}
