//! Push provider configuration.

/// Which push providers the server sends through, with their credentials and limits.
/// `Default` = no provider: pushes are decided and dropped (logged at debug).
#[derive(Debug, Clone)]
pub struct PushConfig {
    /// Language of receivers that never chose one.
    pub default_language: String,
}

impl Default for PushConfig {
    fn default() -> Self {
        Self {
            default_language: "zh_CN".into(),
        }
    }
}
