//! Platform events in the core: no network pauses the session (the connection closes,
//! `NETWORK_UNAVAILABLE`, no attempts: see `wait`); a network coming back or changing, or the
//! app coming to the foreground, restarts the reconnect schedule from its first (immediate)
//! step when not connected. A network change also replaces a connection: its socket is bound
//! to the old network and would only be found dead by the heartbeat timeout.

use super::{Phase, SessionCore};
use crate::session::platform::PlatformEvent;
use crate::session::types::Action;

impl SessionCore {
    pub(super) fn platform(&mut self, event: PlatformEvent) {
        let now = self.now;
        match event {
            PlatformEvent::NetworkLost => {
                self.no_network = true;
                match self.phase {
                    Phase::Online { .. } => {
                        self.drop_connection(now, false);
                        self.wait(now);
                    }
                    Phase::Connecting | Phase::Waiting { .. } => {
                        self.out.push(Action::Close { fresh_navi: false });
                        self.wait(now);
                    }
                    _ => {}
                }
            }
            PlatformEvent::NetworkAvailable { changed } => {
                self.no_network = false;
                self.restart_schedule(changed);
            }
            PlatformEvent::Foreground if !self.no_network => self.restart_schedule(false),
            PlatformEvent::Foreground | PlatformEvent::Background => {}
        }
    }

    /// Not connected: try at once, with the reconnect schedule back at its start. An attempt
    /// already running, or a connection, is kept unless the network changed under it (it
    /// would hang on the old one): then it is replaced at once.
    fn restart_schedule(&mut self, network_changed: bool) {
        let now = self.now;
        match self.phase {
            Phase::Online { .. } if network_changed => {
                self.drop_connection(now, true);
                self.attempt = 0;
                self.wait(now);
            }
            Phase::Waiting { .. } | Phase::Paused => {
                self.attempt = 0;
                self.wait(now);
            }
            Phase::Connecting => {
                self.attempt = 0;
                if network_changed {
                    self.out.push(Action::Close { fresh_navi: true });
                    self.open();
                }
            }
            _ => {}
        }
    }
}
