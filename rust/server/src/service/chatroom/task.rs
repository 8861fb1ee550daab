//! The chatroom task: announces member actions in batches, destroys idle rooms, runs the KV
//! side of departures queued by callers without shared state, and logs the
//! delivery counters when they moved. Runs until the server stops.

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
/// Member-event ticks between two logs of the delivery counters when they moved (about ten
/// seconds; what a benchmark of a separate server process reads).
const STATS_LOG_TICKS: u32 = 50;

/// Runs the chatroom task (see the module docs).
pub(crate) async fn run(shared: Arc<Shared>) {
    let Some(mut hook_rx) = shared.chatrooms.take_hooks() else {
        return;
    };
    let mut tick = tokio::time::interval(MEMBER_EVENT_INTERVAL);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut ticks = 0u32;
    let mut logged = shared.chatrooms.stats();
    loop {
        tokio::select! {
            _ = shared.stop.cancelled() => break,
            _ = shared.kill.cancelled() => break,
            hook = hook_rx.recv() => match hook {
                Some(Hook::MemberLeft { room, user }) => {
                    hooks::member_left(&shared, &room, &user).await;
                }
                None => break,
            },
            _ = tick.tick() => {
                shared.chatrooms.flush_member_events();
                ticks += 1;
                if ticks % IDLE_CHECK_TICKS == 0 {
                    destroy_idle(&shared).await;
                    // Rooms without a member here any more need no frames from the other
                    // nodes (an offline member still counts them toward the auto-kick).
                    shared.bus.retain_rooms(|room| shared.chatrooms.has_members(room));
                }
                if ticks % STATS_LOG_TICKS == 0 {
                    let stats = shared.chatrooms.stats();
                    if stats != logged {
                        tracing::info!(
                            delivered = stats.delivered,
                            dropped = stats.dropped,
                            slow_disconnects = stats.slow_disconnects,
                            "chatroom delivery counters"
                        );
                        logged = stats;
                    }
                }
            }
        }
    }
    tracing::debug!("chatroom task stopped");
}
