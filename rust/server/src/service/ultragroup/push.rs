//! Offline pushes of ultra-group messages (R236–R244). A channel message is in no inbox, so
//! the commit feed never offers it to the push service: the send path calls [`after_send`]
//! once the message is stored, which hands the push service one job for the message (O(1)
//! on the request path). The push service's ultra-group worker then picks the members who
//! can read the channel and have no connection on this node (the directed users only, for a
//! directed message), never the sender, keeps those with a registered device, and applies
//! their levels (`service::dnd`: quiet hours, the user's channel level, their ultra-group type
//! level, the channel's default, the group's default, the App's). Its cost and bounds are in
//! `service::push::ultragroup`.

use crate::service::push::ultragroup::UgJob;
use crate::state::Shared;
use rcim_proto::v1::Message;
use std::sync::Arc;

/// Queues the pushes of `m` (stored in channel `m.channel_id` of group `m.to_id`):
/// undirected (`directed` empty) to every member who can read the channel, else to
/// `directed`; only members without a connection, never the sender. Never waits.
pub(crate) fn after_send(shared: &Shared, m: &Message, directed: &[String]) {
    if shared.push.parts().is_none() {
        return;
    }
    shared.push.offer_ultragroup(UgJob {
        message: Arc::new(m.clone()),
        directed: directed.to_vec(),
    });
}
