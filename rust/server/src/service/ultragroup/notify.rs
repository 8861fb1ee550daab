//! Telling connected users that their ultra-group channels changed.

use crate::hub::Hub;
use rcim_proto::v1::{server_frame, ultra_group_event, UltraGroupEvent};

/// Sends `UltraGroupEvent{group_id: group, resync: true}` to every connection of `users` on
/// this node (they read the states of that group's channels again, `UltraGroupSyncRequest.
/// only_group_id`: one change costs each of them one group's channels, not all of theirs).
/// A connection whose queue is full misses it, like any online-only frame; it reads the
/// states again at its next connect. On several nodes each node tells its own connections:
/// every node applies every directory change and finds the users it affects among those
/// online there (presence is per node), see `directory_sync.rs`.
pub(crate) fn resync(hub: &Hub, group: &str, users: &[String]) {
    for u in users {
        hub.send_online(u, resync_body(group));
    }
}

fn resync_body(group: &str) -> server_frame::Body {
    server_frame::Body::Ultragroup(UltraGroupEvent {
        group_id: group.to_owned(),
        body: Some(ultra_group_event::Body::Resync(true)),
        ..Default::default()
    })
}
