//! Server API security: replay protection and key separation.

/// How Server API requests are authenticated beyond the signature.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ApiSecurityConfig {}
