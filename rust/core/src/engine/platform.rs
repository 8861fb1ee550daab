//! Network and app-state changes the platform reports (the bridge's `rcim_platform_event`).
//! The network state is the device's, so it is kept for the process: a session started while
//! there is no network begins paused. Events reach the session on the engine's platform
//! `watch` (see [`crate::session::PlatformState`]), never through the command queue, where a
//! full queue would drop them.

use super::Engine;
use crate::session::{PlatformEvent, PlatformState};
use std::sync::atomic::{AtomicBool, Ordering};
use tokio::sync::watch;

/// The platform last said there is no network.
static NETWORK_DOWN: AtomicBool = AtomicBool::new(false);

/// The platform state a new engine starts from: the process's network state.
pub(super) fn platform_watch() -> watch::Sender<PlatformState> {
    let mut state = PlatformState::default();
    if NETWORK_DOWN.load(Ordering::Acquire) {
        state.record(PlatformEvent::NetworkLost);
    }
    watch::Sender::new(state)
}

impl Engine {
    /// Takes a platform event: kind 1 = network (value 0 none, 1 available, 2 changed to
    /// another network), kind 2 = app state (1 foreground, 0 background). Unknown values are
    /// ignored. Without a session the state waits for the next one.
    pub fn platform_event(&self, kind: u32, value: i32) {
        let Some(event) = PlatformEvent::from_raw(kind, value) else {
            tracing::debug!(kind, value, "unknown platform event");
            return;
        };
        match event {
            PlatformEvent::NetworkLost => NETWORK_DOWN.store(true, Ordering::Release),
            PlatformEvent::NetworkAvailable { .. } => NETWORK_DOWN.store(false, Ordering::Release),
            _ => {}
        }
        self.platform.send_modify(|state| state.record(event));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes::Code;
    use crate::config::{EngineConfig, EngineOptions};
    use crate::event::Event;
    use crate::model::connection_status as status;
    use rcim_store::ConversationKey;
    use std::time::Duration;

    /// A token the engine accepts for app "k", user "alice" (only the server checks it).
    const ALICE_TOKEN: &str = "eyJhIjoiayIsInUiOiJhbGljZSJ9.sig";

    async fn wait_for_status(events: &mut crate::engine::EventStream, wanted: u32) {
        let wait = async {
            while let Some(event) = events.recv().await {
                if event == (Event::ConnectionStatusChanged { status: wanted }) {
                    return;
                }
            }
        };
        tokio::time::timeout(Duration::from_secs(20), wait)
            .await
            .unwrap_or_else(|_| panic!("no status {wanted}"));
    }

    /// A single-threaded runtime: the session task does not run before the test awaits, so
    /// its command queue is full when the platform says there is no network.
    #[tokio::test]
    async fn a_platform_event_is_not_lost_when_the_command_queue_is_full() {
        let dir = tempfile::tempdir().unwrap();
        let options = EngineOptions {
            // Nothing listens there: attempts fail at once.
            navi_server: Some("http://127.0.0.1:9".into()),
            ..EngineOptions::default()
        };
        let config = EngineConfig::new("k", &options, dir.path().into());
        let (engine, mut events) = Engine::new(config);
        engine.connect(ALICE_TOKEN, 0, None).unwrap();
        let bob = ConversationKey::new(1, "bob", "");
        let mut queued = 0;
        while engine
            .change_conversation_top_status(bob.clone(), true, None)
            .is_ok()
        {
            queued += 1;
        }
        assert_eq!(
            engine.change_conversation_top_status(bob.clone(), true, None),
            Err(Code::SEND_MSG_FREQUENCY_OVERRUN)
        );
        assert!(queued > 0);
        engine.platform_event(1, 0);
        wait_for_status(&mut events, status::NETWORK_UNAVAILABLE).await;
        // And the network's return ends the pause.
        engine.platform_event(1, 1);
        wait_for_status(&mut events, status::CONNECTING).await;
    }
}
