//! Push provider configuration.

/// Which push providers the server sends through, with their credentials and limits.
/// `Default` = no provider: pushes are decided and dropped (logged at debug).
#[derive(Debug, Clone, Default)]
pub struct PushConfig {}
