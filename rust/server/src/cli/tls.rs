//! TLS: the certificate and key files of the listeners.

use crate::config::{ServerConfig, TlsConfig};
use std::path::PathBuf;

/// Options of this group; each also reads an `RCIM_*` environment variable.
#[derive(Debug, clap::Args)]
pub(super) struct TlsArgs {
    /// PEM certificate chain (server certificate first). With --tls-key, the gateway speaks
    /// TLS and the HTTP listener HTTPS; both files are read again on SIGHUP.
    #[arg(long, env = "RCIM_TLS_CERT", value_name = "FILE", requires = "tls_key")]
    tls_cert: Option<PathBuf>,
    /// PEM private key of --tls-cert.
    #[arg(long, env = "RCIM_TLS_KEY", value_name = "FILE", requires = "tls_cert")]
    tls_key: Option<PathBuf>,
}

impl TlsArgs {
    pub(super) fn apply(self, config: &mut ServerConfig) -> anyhow::Result<()> {
        config.tls = TlsConfig {
            cert_file: self.tls_cert,
            key_file: self.tls_key,
        };
        Ok(())
    }
}
