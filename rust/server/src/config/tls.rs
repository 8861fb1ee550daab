//! TLS for the listeners: certificate and key files, reloaded on SIGHUP.

/// Certificates of the gateway and the HTTP listeners (none: plain TCP).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TlsConfig {}
