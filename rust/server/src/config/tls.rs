//! TLS for the listeners: certificate and key files, reloaded on SIGHUP.

use std::path::PathBuf;

/// Certificates of the gateway and the HTTP listeners (none: plain TCP).
///
/// With both files set, the gateway speaks TLS and the HTTP listener HTTPS (navigation, the
/// Server API, the file service); navigation then hands out the gateway as `tls://host:port`.
/// The files are read at start and again on every SIGHUP (a failed reload keeps the
/// certificate in use).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TlsConfig {
    /// PEM certificate chain, the server's certificate first (e.g. `fullchain.pem`).
    pub cert_file: Option<PathBuf>,
    /// PEM private key of that certificate (PKCS#8, PKCS#1 or SEC1).
    pub key_file: Option<PathBuf>,
}

impl TlsConfig {
    /// TLS with the certificate chain and key in these PEM files.
    pub fn from_files(cert_file: impl Into<PathBuf>, key_file: impl Into<PathBuf>) -> Self {
        Self {
            cert_file: Some(cert_file.into()),
            key_file: Some(key_file.into()),
        }
    }

    /// Whether the listeners speak TLS.
    pub fn enabled(&self) -> bool {
        self.cert_file.is_some() && self.key_file.is_some()
    }
}
