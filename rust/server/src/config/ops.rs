//! Operations: what navigation advertises, the admin listener, metrics and health.

/// Operator-facing settings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OpsConfig {}
