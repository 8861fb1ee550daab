//! Telling connected users that their ultra-group channels changed.

use crate::bus::Bus;
use crate::hub::Hub;
use rcim_proto::v1::{server_frame, ultra_group_event, UltraGroupEvent};

/// Sends `UltraGroupEvent{group_id: group, resync: true}` to every connection of `users`
/// (they read the states of that group's channels again, `UltraGroupSyncRequest.
/// only_group_id`: one change costs each of them one group's channels, not all of theirs).
/// A connection whose queue is full misses it, like any online-only frame; it reads the
/// states again at its next connect. The users' sessions on other nodes get it too.
pub(crate) fn resync(hub: &Hub, bus: &Bus, group: &str, users: &[String]) {
    let event = UltraGroupEvent {
        group_id: group.to_owned(),
        body: Some(ultra_group_event::Body::Resync(true)),
        ..Default::default()
    };
    for u in users {
        let body = server_frame::Body::Ultragroup(event.clone());
        bus.send_online(u, &body);
        hub.send_online(u, body);
    }
}
