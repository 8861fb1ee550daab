//! What the platform tells the engine about the device (the bridge's `rcim_platform_event`):
//! network reachability and whether the app is in the foreground. The session pauses
//! reconnecting while there is no network and restarts its reconnect schedule from the start
//! when the network comes back or changes, or the app comes to the foreground.
//!
//! The events reach a session as a [`PlatformState`] on a `watch` channel rather than through
//! its command queue: a full queue must not lose one (a lost "network back" would leave the
//! session paused for ever). The state counts the events, so the session derives what
//! happened since it last looked even when several came at once.

/// One platform event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PlatformEvent {
    /// No network: close the connection and wait for one.
    NetworkLost,
    /// A network is available (`changed`: another network than before).
    NetworkAvailable { changed: bool },
    /// The app came to the foreground.
    Foreground,
    /// The app went to the background (nothing changes: the connection stays).
    Background,
}

impl PlatformEvent {
    /// The event of the C hook's `(kind, value)`: kind 1 = network (0 none, 1 available,
    /// 2 changed), kind 2 = app state (1 foreground, 0 background); `None` for anything else.
    pub(crate) fn from_raw(kind: u32, value: i32) -> Option<Self> {
        match (kind, value) {
            (1, 0) => Some(Self::NetworkLost),
            (1, 1) => Some(Self::NetworkAvailable { changed: false }),
            (1, 2) => Some(Self::NetworkAvailable { changed: true }),
            (2, 1) => Some(Self::Foreground),
            (2, 0) => Some(Self::Background),
            _ => None,
        }
    }
}

/// What the platform said so far: the network state and how many events of each kind came.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct PlatformState {
    /// The last network event said there is none.
    pub(crate) network_down: bool,
    losses: u64,
    availables: u64,
    changes: u64,
    foregrounds: u64,
}

impl PlatformState {
    /// The state after `event`.
    pub(crate) fn record(&mut self, event: PlatformEvent) {
        match event {
            PlatformEvent::NetworkLost => {
                self.network_down = true;
                self.losses += 1;
            }
            PlatformEvent::NetworkAvailable { changed } => {
                self.network_down = false;
                if changed {
                    self.changes += 1;
                } else {
                    self.availables += 1;
                }
            }
            PlatformEvent::Foreground => self.foregrounds += 1,
            PlatformEvent::Background => {}
        }
    }

    /// A session's starting point: the network state as it is, no event seen.
    pub(crate) fn initial(&self) -> Self {
        Self {
            network_down: false,
            ..*self
        }
    }

    /// The events that lead a session from `seen` to this state, several of a kind merged
    /// into one: a loss (closes the connection), then, if there is a network now, its return
    /// (changed if it changed at any point), then the foreground.
    pub(crate) fn events_since(&self, seen: &PlatformState) -> Vec<PlatformEvent> {
        let mut events = Vec::new();
        if self.losses > seen.losses || (self.network_down && !seen.network_down) {
            events.push(PlatformEvent::NetworkLost);
        }
        if self.network_down {
            return events;
        }
        if self.changes > seen.changes {
            events.push(PlatformEvent::NetworkAvailable { changed: true });
        } else if self.availables > seen.availables {
            events.push(PlatformEvent::NetworkAvailable { changed: false });
        }
        if self.foregrounds > seen.foregrounds {
            events.push(PlatformEvent::Foreground);
        }
        events
    }
}
