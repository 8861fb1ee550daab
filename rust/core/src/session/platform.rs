//! What the platform tells the engine about the device (the bridge's `rcim_platform_event`):
//! network reachability and whether the app is in the foreground. The session pauses
//! reconnecting while there is no network and restarts its reconnect schedule from the start
//! when the network comes back or changes, or the app comes to the foreground.

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
