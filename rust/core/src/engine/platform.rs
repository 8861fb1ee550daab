//! Network and app-state changes the platform reports (the bridge's `rcim_platform_event`).
//! The network state is the device's, so it is kept for the process: a session started while
//! there is no network begins paused.

use super::Engine;
use crate::session::{Command, PlatformEvent};
use std::sync::atomic::{AtomicBool, Ordering};

/// The platform last said there is no network.
static NETWORK_DOWN: AtomicBool = AtomicBool::new(false);

impl Engine {
    /// Takes a platform event: kind 1 = network (value 0 none, 1 available, 2 changed to
    /// another network), kind 2 = app state (1 foreground, 0 background). Unknown values are
    /// ignored. Without a session only the network state is kept.
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
        // A full command queue only delays the reaction: the session catches up on its own
        // (heartbeats, the reconnect schedule).
        let _ = self.hand_over(Command::Platform(event));
    }

    /// Tells a new session that there is no network, if so.
    pub(super) fn tell_network_state(&self) {
        if NETWORK_DOWN.load(Ordering::Acquire) {
            let _ = self.hand_over(Command::Platform(PlatformEvent::NetworkLost));
        }
    }
}
