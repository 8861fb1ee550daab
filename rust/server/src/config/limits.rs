//! Abuse limits: every bound a hostile client or peer meets.

/// Connections, sessions, in-flight requests, rates, queue bytes, timeouts and bodies.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LimitsConfig {}
