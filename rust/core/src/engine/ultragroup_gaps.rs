//! The change sequences of each ultra-group channel this device knows beyond its cursor.
//!
//! A channel's cursor (kept in the store) says "every change up to here is applied". It moves
//! only through contiguous known sequences: the events this device got (messages, changes,
//! `skipped_seq` ticks for what it may not see) and the answers to its own sends, recalls,
//! modifications and expansion changes (the server sends no event to the requesting
//! connection). A sequence beyond `cursor + 1` opens a gap: the events around it are applied
//! at once, and when the gap is still open after [`GAP_WAIT`] (an answer or an event may
//! simply be late) the channel's changes are fetched once. So neither own sends nor directed
//! messages of others cost a fetch, and a refused fetch never loses a live message.

use std::collections::{BTreeSet, HashMap};
use std::time::{Duration, Instant};

/// How long a gap may stay open before the channel's changes are fetched.
pub(crate) const GAP_WAIT: Duration = Duration::from_secs(2);

/// Known sequences kept per channel beyond the cursor; a channel with more is fetched at once.
const MAX_KNOWN: usize = 1024;

/// A channel: (group id, channel id as the engine keeps it).
pub(crate) type ChannelId = (String, String);

/// An open gap of one channel.
#[derive(Debug)]
struct Gap {
    /// Sequences known beyond the cursor (never contiguous with it).
    known: BTreeSet<u64>,
    /// When the gap (as it is now) opened.
    since: Instant,
    /// The highest history sequence (`conv_seq`) held locally when it opened: what a fetch of
    /// changes to held messages covers (see `ultragroup_sync::catch_up_channel`).
    held: u64,
}

/// A gap whose wait is over: fetch the channel's changes after its cursor up to `top`.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Overdue {
    pub(crate) channel: ChannelId,
    /// The highest sequence known.
    pub(crate) top: u64,
    /// See [`Gap::held`].
    pub(crate) held: u64,
}

/// The open gaps of every channel of the session.
#[derive(Debug, Default)]
pub(crate) struct Gaps {
    channels: HashMap<ChannelId, Gap>,
}

impl Gaps {
    /// Notes that change `seq` of `channel` (whose stored cursor is `cursor`, `held` its
    /// highest local history sequence) is known now. Returns the cursor to store: `cursor`
    /// moved through every contiguous known sequence.
    pub(crate) fn note(
        &mut self,
        channel: &ChannelId,
        cursor: u64,
        seq: u64,
        held: u64,
        now: Instant,
    ) -> u64 {
        let gap = self.channels.remove(channel);
        if seq <= cursor && gap.is_none() {
            return cursor;
        }
        let mut gap = gap.unwrap_or(Gap {
            known: BTreeSet::new(),
            since: now,
            held,
        });
        if seq > cursor {
            gap.known.insert(seq);
        }
        let mut moved = cursor;
        // Sequences at or below the cursor (it may have moved by a fetch) are done.
        gap.known = gap.known.split_off(&(moved + 1));
        while gap.known.first() == Some(&(moved + 1)) {
            gap.known.pop_first();
            moved += 1;
        }
        if gap.known.is_empty() {
            return moved;
        }
        if moved > cursor {
            // What remains is a later gap: it waits from now.
            gap.since = now;
            gap.held = held;
        }
        if gap.known.len() > MAX_KNOWN {
            gap.since = now.checked_sub(GAP_WAIT).unwrap_or(now);
        }
        self.channels.insert(channel.clone(), gap);
        moved
    }

    /// When the oldest open gap's wait ends (`None`: no gap).
    pub(crate) fn next_deadline(&self) -> Option<Instant> {
        self.channels.values().map(|g| g.since + GAP_WAIT).min()
    }

    /// Takes out the gaps whose wait is over at `now`.
    pub(crate) fn overdue(&mut self, now: Instant) -> Vec<Overdue> {
        let due: Vec<ChannelId> = self
            .channels
            .iter()
            .filter(|(_, g)| g.since + GAP_WAIT <= now)
            .map(|(c, _)| c.clone())
            .collect();
        due.into_iter()
            .filter_map(|channel| {
                let gap = self.channels.remove(&channel)?;
                Some(Overdue {
                    top: gap.known.last().copied().unwrap_or(0),
                    held: gap.held,
                    channel,
                })
            })
            .collect()
    }

    /// Forgets every gap (a connection reads the channel states again).
    pub(crate) fn clear(&mut self) {
        self.channels.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ch(name: &str) -> ChannelId {
        ("g".into(), name.into())
    }

    #[test]
    fn the_cursor_moves_through_contiguous_known_sequences_only() {
        let mut gaps = Gaps::default();
        let now = Instant::now();
        let a = ch("a");
        // The next one: applied, no gap.
        assert_eq!(gaps.note(&a, 4, 5, 9, now), 5);
        assert_eq!(gaps.next_deadline(), None);
        // Old or repeated ones change nothing.
        assert_eq!(gaps.note(&a, 5, 3, 9, now), 5);
        // 7 and 8 arrive before 6 (e.g. the answer to this device's own send is late).
        assert_eq!(gaps.note(&a, 5, 7, 9, now), 5);
        assert_eq!(gaps.note(&a, 5, 8, 9, now), 5);
        assert_eq!(gaps.next_deadline(), Some(now + GAP_WAIT));
        let later = now + Duration::from_millis(500);
        assert_eq!(gaps.note(&a, 5, 6, 9, later), 8);
        assert_eq!(
            gaps.next_deadline(),
            None,
            "the gap closed: nothing to fetch"
        );
        assert!(gaps.overdue(later + GAP_WAIT).is_empty());
    }

    #[test]
    fn a_gap_left_open_is_fetched_once_after_the_wait() {
        let mut gaps = Gaps::default();
        let now = Instant::now();
        let (a, b) = (ch("a"), ch("b"));
        assert_eq!(gaps.note(&a, 1, 3, 40, now), 1);
        assert_eq!(gaps.note(&a, 1, 5, 41, now), 1);
        let later = now + Duration::from_millis(300);
        assert_eq!(gaps.note(&b, 0, 2, 0, later), 0);
        assert!(gaps.overdue(now + Duration::from_millis(1900)).is_empty());
        let due = gaps.overdue(now + GAP_WAIT);
        assert_eq!(
            due,
            [Overdue {
                channel: a.clone(),
                top: 5,
                held: 40
            }]
        );
        let rest = gaps.overdue(now + GAP_WAIT * 3);
        assert_eq!(
            rest.len(),
            1,
            "channel a is fetched once; b waits its own time"
        );
        assert_eq!(rest[0].channel, b);
        assert_eq!(gaps.next_deadline(), None);
    }

    #[test]
    fn a_partly_closed_gap_waits_again_and_a_fetch_ahead_clears_it() {
        let mut gaps = Gaps::default();
        let now = Instant::now();
        let a = ch("a");
        assert_eq!(gaps.note(&a, 0, 2, 0, now), 0);
        assert_eq!(gaps.note(&a, 0, 4, 0, now), 0);
        let later = now + Duration::from_secs(1);
        // 1 fills the first hole; 3 is still missing: a new gap from now.
        assert_eq!(gaps.note(&a, 0, 1, 7, later), 2);
        assert_eq!(gaps.next_deadline(), Some(later + GAP_WAIT));
        // The cursor moved past everything (a fetch): the next note closes the gap.
        assert_eq!(gaps.note(&a, 10, 4, 7, later), 10);
        assert_eq!(gaps.next_deadline(), None);
    }

    #[test]
    fn too_many_known_sequences_are_fetched_without_waiting() {
        let mut gaps = Gaps::default();
        let now = Instant::now();
        let a = ch("a");
        for seq in 0..=MAX_KNOWN as u64 {
            gaps.note(&a, 0, 2 + seq * 2, 0, now);
        }
        assert!(gaps.next_deadline().is_some_and(|d| d <= now));
        assert_eq!(gaps.overdue(now).len(), 1);
    }
}
