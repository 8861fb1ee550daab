//! Offline pushes of ultra-group messages (R236–R244). A channel message is in no inbox, so
//! the commit feed never offers it to the push service: the send path calls [`after_send`]
//! once the message is stored. It picks the members who can read the channel and have no
//! connection on this node (the directed users only, for a directed message), never the
//! sender, and offers them to the push service's bounded queue; the push worker then keeps
//! those with a registered device whose levels allow the push (`service::dnd`: quiet hours,
//! the user's channel level, their ultra-group type level, the channel's default, the group's
//! default, the App's).
//!
//! Cost: nothing without a push provider. Otherwise O(members) in memory per message to pick
//! the candidates (100,000 members: a walk of a hash set, a few milliseconds), then one
//! batched store read over them in the push worker (five queries whatever their number). The
//! queue holds at most 200,000 candidates: messages beyond it lose their pushes (counted in
//! `PushStats::dropped_*`), they never delay delivery.

use crate::fanout::CommitObserver;
use crate::model::Push;
use crate::state::Shared;
use rcim_proto::v1::{inbox_entry, Message};
use std::sync::Arc;

/// Offers the pushes of `m` (stored in channel `m.channel_id` of group `m.to_id`) to the
/// push service: undirected (`directed` empty) to every member who can read the channel,
/// else to `directed`; only members without a connection, never the sender. Never waits.
pub(crate) fn after_send(shared: &Shared, m: &Message, directed: &[String]) {
    if shared.push.parts().is_none() {
        return;
    }
    let candidates =
        shared
            .ultragroups
            .push_candidates(&m.to_id, &m.channel_id, &m.sender_id, directed);
    if candidates.is_empty() {
        return;
    }
    let body = Arc::new(inbox_entry::Body::Message(m.clone()));
    let entries: Vec<Push> = candidates
        .into_iter()
        .map(|user_id| Push {
            user_id,
            seq: 0,
            body: body.clone(),
        })
        .collect();
    shared.push.offer(&entries);
}
