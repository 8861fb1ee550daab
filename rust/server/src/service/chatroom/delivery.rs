//! Delivery to room members: a room frame is encoded once and the same bytes are offered to
//! each member connection's bounded outbound queue without waiting.
//!
//! Priorities (R009): a low-priority message may use only the first
//! `ChatroomConfig::low_priority_share` slots of a member's queue; beyond that it is dropped
//! for that member (and counted), so a member that reads slowly loses messages instead of
//! holding up the room or being disconnected. High-priority messages (configured object
//! names, and every room event) may use the whole queue; a member whose queue is completely
//! full is a slow reader and is disconnected, as the hub does.

use crate::hub::{ConnId, Outbound, OutboundTx};
use bytes::Bytes;
use rcim_proto::v1::{chat_room_event, server_frame, ChatRoomEvent, ServerFrame};
use std::sync::atomic::{AtomicU64, Ordering};
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

/// A connection that joined a room: where its frames go.
#[derive(Clone, Debug)]
pub(crate) struct MemberConn {
    pub conn_id: ConnId,
    pub tx: OutboundTx,
    /// Cancelled to drop the connection (slow reader).
    pub cancel: CancellationToken,
}

/// How a frame is offered to a member's queue.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Priority {
    /// Dropped for a member whose queue holds `share` frames or more.
    Low { share: usize },
    /// Kept while the queue has any room.
    High,
}

/// What became of one offer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Offered {
    Queued,
    /// Low priority, dropped for this member.
    Dropped,
    /// The queue was full: the connection was cancelled.
    Disconnected,
    /// The connection is gone already.
    Closed,
}

/// Delivery counters since the server started.
#[derive(Default, Debug)]
pub(crate) struct Counters {
    pub delivered: AtomicU64,
    pub dropped: AtomicU64,
    pub disconnected: AtomicU64,
}

/// Counters of chatroom delivery since the server started (monitoring, benchmarks).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ChatroomStats {
    /// Room frames queued for member connections (messages and events).
    pub delivered: u64,
    /// Low-priority messages dropped for members whose queue was filling up (R009).
    pub dropped: u64,
    /// Member connections disconnected because their queue was full.
    pub slow_disconnects: u64,
}

impl Counters {
    /// A snapshot.
    pub(crate) fn stats(&self) -> ChatroomStats {
        ChatroomStats {
            delivered: self.delivered.load(Ordering::Relaxed),
            dropped: self.dropped.load(Ordering::Relaxed),
            slow_disconnects: self.disconnected.load(Ordering::Relaxed),
        }
    }

    /// Adds the outcomes of one delivery.
    pub(crate) fn add(&self, t: &Tally) {
        let add = |c: &AtomicU64, n: usize| {
            if n > 0 {
                c.fetch_add(n as u64, Ordering::Relaxed);
            }
        };
        add(&self.delivered, t.queued);
        add(&self.dropped, t.dropped);
        add(&self.disconnected, t.disconnected);
    }

    /// Counts one offer's outcome.
    pub(crate) fn count(&self, o: Offered) {
        let c = match o {
            Offered::Queued => &self.delivered,
            Offered::Dropped => &self.dropped,
            Offered::Disconnected => &self.disconnected,
            Offered::Closed => return,
        };
        c.fetch_add(1, Ordering::Relaxed);
    }
}

/// Outcomes of the offers of one delivery, added to the [`Counters`] at once.
#[derive(Default, Debug)]
pub(crate) struct Tally {
    pub queued: usize,
    pub dropped: usize,
    pub disconnected: usize,
}

impl Tally {
    pub(crate) fn add(&mut self, o: Offered) {
        match o {
            Offered::Queued => self.queued += 1,
            Offered::Dropped => self.dropped += 1,
            Offered::Disconnected => self.disconnected += 1,
            Offered::Closed => {}
        }
    }
}

/// The frame `ServerFrame{chatroom: ChatRoomEvent{room_id, body}}`, encoded.
pub(crate) fn encode_event(room_id: &str, body: chat_room_event::Body) -> Bytes {
    let frame = ServerFrame {
        seq: 0,
        body: Some(server_frame::Body::Chatroom(ChatRoomEvent {
            room_id: room_id.to_owned(),
            body: Some(body),
        })),
    };
    Bytes::from(prost::Message::encode_to_vec(&frame))
}

/// Offers `frame` to `conn` without waiting (see the module docs).
pub(crate) fn offer(conn: &MemberConn, frame: &Bytes, priority: Priority) -> Offered {
    // No cancellation check first (it takes a lock): a cancelled connection's queue is
    // dropped soon, and until then what is queued there is simply never written.
    if let Priority::Low { share } = priority {
        // The same share of the queue's bytes as of its frames.
        let max_bytes = conn.tx.max_bytes();
        let byte_share = max_bytes / conn.tx.max_capacity().max(1) * share;
        if conn.tx.queued() >= share || (max_bytes > 0 && conn.tx.queued_bytes() >= byte_share) {
            return Offered::Dropped;
        }
    }
    match conn.tx.try_send(Outbound::Shared(frame.clone())) {
        Ok(()) => Offered::Queued,
        Err(mpsc::error::TrySendError::Full(_)) if conn.cancel.is_cancelled() => Offered::Closed,
        Err(mpsc::error::TrySendError::Full(_)) => {
            tracing::warn!(
                conn = conn.conn_id,
                "outbound queue full; disconnecting a slow chatroom member"
            );
            conn.cancel.cancel();
            Offered::Disconnected
        }
        Err(mpsc::error::TrySendError::Closed(_)) => Offered::Closed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conn(capacity: usize) -> (MemberConn, crate::outbound::OutboundRx) {
        let (tx, rx) = crate::outbound::channel(capacity, 0);
        let c = MemberConn {
            conn_id: 1,
            tx,
            cancel: CancellationToken::new(),
        };
        (c, rx)
    }

    /// Low-priority frames stop at the share and are counted as dropped; high-priority ones
    /// fill the rest of the queue; one more high-priority frame disconnects the member.
    #[test]
    fn low_priority_frames_stop_at_the_share() {
        let (c, mut rx) = conn(8);
        let frame = encode_event("r", chat_room_event::Body::Status(0));
        let counters = Counters::default();
        let low = Priority::Low { share: 3 };
        let outcomes: Vec<Offered> = (0..5).map(|_| offer(&c, &frame, low)).collect();
        outcomes.iter().for_each(|o| counters.count(*o));
        assert_eq!(
            outcomes,
            [
                Offered::Queued,
                Offered::Queued,
                Offered::Queued,
                Offered::Dropped,
                Offered::Dropped
            ]
        );
        for _ in 3..8 {
            assert_eq!(offer(&c, &frame, Priority::High), Offered::Queued);
        }
        assert!(!c.cancel.is_cancelled());
        assert_eq!(offer(&c, &frame, Priority::High), Offered::Disconnected);
        counters.count(Offered::Disconnected);
        assert!(c.cancel.is_cancelled());
        assert_eq!(offer(&c, &frame, Priority::High), Offered::Closed);
        let stats = counters.stats();
        assert_eq!(
            (stats.delivered, stats.dropped, stats.slow_disconnects),
            (3, 2, 1)
        );
        // A reader that catches up gets low-priority frames again, the very same bytes.
        let mut c2 = conn(8);
        for _ in 0..3 {
            assert_eq!(offer(&c2.0, &frame, low), Offered::Queued);
        }
        assert_eq!(offer(&c2.0, &frame, low), Offered::Dropped);
        let Some(Outbound::Shared(first)) = c2.1.try_recv().ok() else {
            panic!("expected a shared frame")
        };
        assert_eq!(first, frame);
        assert_eq!(offer(&c2.0, &frame, low), Offered::Queued);
        let decoded: ServerFrame = prost::Message::decode(frame).unwrap();
        let Some(server_frame::Body::Chatroom(ev)) = decoded.body else {
            panic!("{decoded:?}")
        };
        assert_eq!(ev.room_id, "r");
        // The slow member's queue holds what was queued before the disconnect: 3 + 5.
        assert_eq!(std::iter::from_fn(|| rx.try_recv().ok()).count(), 8);
    }
}
