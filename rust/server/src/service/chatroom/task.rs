//! The chatroom task: announces member actions in batches, destroys idle rooms, and runs the
//! KV side of departures and destroys queued by callers without shared state. Runs until the
//! server stops.

use super::hooks;
use super::ops::destroy_idle;
use super::registry::Hook;
use crate::state::Shared;
use std::sync::Arc;
use std::time::Duration;

/// How often member actions are announced (JOIN/LEAVE events are batched per room).
pub(crate) const MEMBER_EVENT_INTERVAL: Duration = Duration::from_millis(200);
/// Member-event ticks between two looks for idle rooms (about a second).
const IDLE_CHECK_TICKS: u32 = 5;

/// Runs the chatroom task (see the module docs).
pub(crate) async fn run(shared: Arc<Shared>) {
    let Some(mut hook_rx) = shared.chatrooms.take_hooks() else {
        return;
    };
    let mut tick = tokio::time::interval(MEMBER_EVENT_INTERVAL);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut ticks = 0u32;
    loop {
        tokio::select! {
            _ = shared.stop.cancelled() => break,
            _ = shared.kill.cancelled() => break,
            hook = hook_rx.recv() => match hook {
                Some(Hook::MemberLeft { room, user }) => {
                    hooks::member_left(&shared, &room, &user).await;
                }
                Some(Hook::RoomDestroyed(room)) => hooks::room_destroyed(&shared, &room).await,
                None => break,
            },
            _ = tick.tick() => {
                shared.chatrooms.flush_member_events();
                ticks += 1;
                if ticks % IDLE_CHECK_TICKS == 0 {
                    destroy_idle(&shared).await;
                }
            }
        }
    }
    tracing::debug!("chatroom task stopped");
}
