//! Typing status: handed to the target's online sessions as a `Transient` frame, never
//! stored, and throttled to one per (sender, conversation) per [`TYPING_INTERVAL`] so a
//! client typing fast cannot flood its peer.

use super::error::ServiceError;
use crate::hub::Hub;
use crate::model::{MAX_CHANNEL_ID_CHARS, MAX_ID_LEN, MAX_OBJECT_NAME_CHARS};
use crate::store::ServerStore;
use crate::util::now_ms;
use rcim_proto::conversation_type;
use rcim_proto::v1::{server_frame, transient, Transient, TypingEvent, TypingStatus};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Shortest interval between two forwarded typing events of one sender in one conversation.
pub(crate) const TYPING_INTERVAL: Duration = Duration::from_secs(2);
/// Entries of the throttle beyond which those older than the interval are dropped.
const MAX_TRACKED: usize = 10_000;

/// When each (sender, conversation) last had a typing event forwarded.
#[derive(Default)]
pub(crate) struct TypingThrottle {
    state: Mutex<ThrottleState>,
}

#[derive(Default)]
struct ThrottleState {
    last: HashMap<(String, String), Instant>,
    /// When the map was last pruned: a full map is scanned at most once per interval, so a
    /// flood of distinct pairs does not run a scan of every entry on every event (under the
    /// one lock all typing shares).
    pruned_at: Option<Instant>,
}

impl TypingThrottle {
    /// True when an event of `sender` in `conversation` may be forwarded now (and records it).
    fn admit(&self, sender: &str, conversation: String, now: Instant) -> bool {
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        let key = (sender.to_owned(), conversation);
        if let Some(t) = state.last.get(&key) {
            if now.duration_since(*t) < TYPING_INTERVAL {
                return false;
            }
        }
        if state.last.len() >= MAX_TRACKED && !state.last.contains_key(&key) {
            let due = state
                .pruned_at
                .is_none_or(|p| now.duration_since(p) >= TYPING_INTERVAL);
            if !due {
                // Full and pruned within the interval: every entry may still throttle, and
                // a new pair is not tracked (its events pass unthrottled until the next
                // prune makes room), which keeps the map bounded without another scan.
                return true;
            }
            // Entries older than the interval no longer throttle anything.
            state
                .last
                .retain(|_, t| now.duration_since(*t) < TYPING_INTERVAL);
            state.pruned_at = Some(now);
            if state.last.len() >= MAX_TRACKED {
                return true;
            }
        }
        state.last.insert(key, now);
        true
    }
}

/// `sender` is typing in a private conversation with `r.target_id`: the target's online
/// sessions get a `TypingEvent` (at most one per [`TYPING_INTERVAL`]; more are dropped
/// silently), unless the target blacklisted the sender (dropped silently too: as for a
/// blacklisted sender's messages, R060, the target wants nothing from them, and the sender
/// is not told more than a 405 to a message would). 33003: not private, or an invalid
/// target, channel or object name.
pub(crate) async fn typing(
    store: &dyn ServerStore,
    hub: &Hub,
    bus: &crate::bus::Bus,
    throttle: &TypingThrottle,
    sender: &str,
    r: TypingStatus,
) -> Result<(), ServiceError> {
    if r.conversation_type != conversation_type::PRIVATE {
        return Err(ServiceError::Invalid(
            "typing status is for private conversations".into(),
        ));
    }
    if r.target_id.is_empty() || r.target_id.len() > MAX_ID_LEN {
        return Err(ServiceError::Invalid("invalid target".into()));
    }
    if r.channel_id.chars().count() > MAX_CHANNEL_ID_CHARS {
        return Err(ServiceError::Invalid("channel id too long".into()));
    }
    if r.object_name.is_empty() || r.object_name.chars().count() > MAX_OBJECT_NAME_CHARS {
        return Err(ServiceError::Invalid("invalid object name".into()));
    }
    if r.target_id == sender {
        return Ok(());
    }
    let conversation = format!("{}\u{1f}{}", r.target_id, r.channel_id);
    if !throttle.admit(sender, conversation, Instant::now()) {
        return Ok(());
    }
    // After the throttle, so a flood of events costs no store reads.
    if store
        .blacklisted(r.target_id.clone(), sender.to_owned())
        .await?
    {
        return Ok(());
    }
    let event = TypingEvent {
        conversation_type: conversation_type::PRIVATE,
        // As the receiver sees the conversation: the typing user.
        target_id: sender.to_owned(),
        channel_id: r.channel_id,
        user_id: sender.to_owned(),
        object_name: r.object_name,
        sent_time: now_ms(),
    };
    let body = server_frame::Body::Transient(Transient {
        body: Some(transient::Body::Typing(event)),
    });
    bus.send_online(&r.target_id, &body);
    hub.send_online(&r.target_id, body);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn throttle_per_sender_and_conversation() {
        let t = TypingThrottle::default();
        let start = Instant::now();
        assert!(t.admit("a", "b".into(), start));
        assert!(!t.admit("a", "b".into(), start + Duration::from_millis(1900)));
        assert!(t.admit("a", "c".into(), start));
        assert!(t.admit("x", "b".into(), start));
        assert!(t.admit("a", "b".into(), start + TYPING_INTERVAL));
    }

    /// A full map is scanned at most once per interval, never grows past its bound, and the
    /// pairs it tracks stay throttled.
    #[test]
    fn full_throttle_prunes_once_per_interval() {
        let t = TypingThrottle::default();
        let start = Instant::now();
        for i in 0..MAX_TRACKED {
            assert!(t.admit("s", i.to_string(), start));
        }
        let later = start + Duration::from_millis(10);
        // The first new pair triggers a (fruitless: nothing is old yet) prune ...
        assert!(t.admit("new", "0".into(), later));
        let first = t.state.lock().unwrap().pruned_at;
        assert_eq!(first, Some(later));
        // ... and the flood after it does not scan again within the interval.
        for i in 1..1000 {
            assert!(t.admit("new", i.to_string(), later + Duration::from_millis(i)));
        }
        let s = t.state.lock().unwrap();
        assert_eq!(s.pruned_at, first, "no second scan within the interval");
        assert_eq!(s.last.len(), MAX_TRACKED, "bounded");
        drop(s);
        assert!(
            !t.admit("s", "1".into(), later),
            "tracked pairs stay throttled"
        );
        // Once the interval has passed, the stale entries are dropped and new pairs tracked.
        let after = start + TYPING_INTERVAL + Duration::from_secs(1);
        assert!(t.admit("n2", "x".into(), after));
        let s = t.state.lock().unwrap();
        assert_eq!(s.pruned_at, Some(after));
        assert_eq!(s.last.len(), 1);
    }
}
