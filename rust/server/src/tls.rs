//! TLS for the listeners (rustls): the certificate chain and key come from PEM files and are
//! read again on SIGHUP, so a renewed certificate (e.g. by an ACME client) takes effect
//! without a restart. Connections already open keep the certificate they shook hands with.
//!
//! One [`Tls`] serves the gateway and the HTTP listener(s): a resolver hands every new
//! handshake the certificate loaded last. A reload that fails (missing file, key not matching
//! the certificate) keeps the previous certificate and logs why.

use crate::config::TlsConfig;
use anyhow::Context as _;
use rustls::pki_types::pem::PemObject as _;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::server::{ClientHello, ResolvesServerCert};
use rustls::sign::CertifiedKey;
use std::sync::{Arc, RwLock};
use std::time::Duration;
use tokio::net::TcpStream;
use tokio_rustls::server::TlsStream;
use tokio_rustls::TlsAcceptor;
use tokio_util::either::Either;
use tokio_util::sync::CancellationToken;

/// Longest a client may take to complete the TLS handshake before its connection is dropped
/// (a client that opens a socket and says nothing must not hold it).
pub(crate) const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// The listeners' TLS: the acceptor and what reloads its certificate.
#[derive(Clone)]
pub(crate) struct Tls {
    acceptor: TlsAcceptor,
    resolver: Arc<ReloadingCert>,
}

impl Tls {
    /// Loads the certificate files of `config`; `None` when TLS is off. A certificate without
    /// a key (or the reverse) is refused.
    pub(crate) fn from_config(config: &TlsConfig) -> anyhow::Result<Option<Self>> {
        let (cert, key) = match (&config.cert_file, &config.key_file) {
            (Some(cert), Some(key)) => (cert, key),
            (None, None) => return Ok(None),
            _ => anyhow::bail!("TLS needs both a certificate file and a key file"),
        };
        let resolver = Arc::new(ReloadingCert {
            cert_file: cert.clone(),
            key_file: key.clone(),
            current: RwLock::new(Arc::new(load_certified_key(cert, key)?)),
        });
        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        let mut server = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .context("TLS protocol versions")?
            .with_no_client_auth()
            .with_cert_resolver(resolver.clone());
        // HTTP/1.1 only: the HTTP listener serves HTTP/1 (navigation, Server API, files).
        // The gateway speaks its own protocol and ignores ALPN.
        server.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(Some(Self {
            acceptor: TlsAcceptor::from(Arc::new(server)),
            resolver,
        }))
    }

    /// Reads the certificate files again; on failure the previous certificate stays.
    pub(crate) fn reload(&self) -> anyhow::Result<()> {
        self.resolver.reload()
    }

    /// The TLS handshake on an accepted socket, bounded by [`HANDSHAKE_TIMEOUT`].
    pub(crate) async fn accept(&self, stream: TcpStream) -> std::io::Result<TlsStream<TcpStream>> {
        match tokio::time::timeout(HANDSHAKE_TIMEOUT, self.acceptor.accept(stream)).await {
            Ok(r) => r,
            Err(_) => Err(std::io::Error::new(
                std::io::ErrorKind::TimedOut,
                "TLS handshake timed out",
            )),
        }
    }
}

/// Reloads `tls` on every SIGHUP until `stop` (Unix; elsewhere nothing).
pub(crate) async fn reload_on_sighup(tls: Tls, stop: CancellationToken) {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let mut hup = match signal(SignalKind::hangup()) {
            Ok(s) => s,
            Err(e) => {
                tracing::warn!(error = %e, "cannot listen for SIGHUP; certificates load only at start");
                return;
            }
        };
        loop {
            tokio::select! {
                _ = stop.cancelled() => break,
                got = hup.recv() => if got.is_none() { break },
            }
            match tls.reload() {
                Ok(()) => tracing::info!("SIGHUP: TLS certificate reloaded"),
                Err(e) => {
                    tracing::error!(error = %format!("{e:#}"), "SIGHUP: TLS reload failed; keeping the previous certificate")
                }
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = (tls, stop);
    }
}

/// The certificate every new handshake gets: the one loaded last.
#[derive(Debug)]
struct ReloadingCert {
    cert_file: std::path::PathBuf,
    key_file: std::path::PathBuf,
    current: RwLock<Arc<CertifiedKey>>,
}

impl ReloadingCert {
    fn reload(&self) -> anyhow::Result<()> {
        let loaded = load_certified_key(&self.cert_file, &self.key_file)?;
        *self.current.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(loaded);
        Ok(())
    }
}

impl ResolvesServerCert for ReloadingCert {
    fn resolve(&self, _hello: ClientHello<'_>) -> Option<Arc<CertifiedKey>> {
        Some(
            self.current
                .read()
                .unwrap_or_else(|p| p.into_inner())
                .clone(),
        )
    }
}

/// The chain (leaf first) and its key from PEM files; refuses a key that does not match.
fn load_certified_key(
    cert_file: &std::path::Path,
    key_file: &std::path::Path,
) -> anyhow::Result<CertifiedKey> {
    let chain = CertificateDer::pem_file_iter(cert_file)
        .with_context(|| format!("reading {}", cert_file.display()))?
        .collect::<Result<Vec<_>, _>>()
        .with_context(|| format!("parsing {}", cert_file.display()))?;
    if chain.is_empty() {
        anyhow::bail!("no certificate in {}", cert_file.display());
    }
    let key = PrivateKeyDer::from_pem_file(key_file)
        .with_context(|| format!("reading the private key {}", key_file.display()))?;
    let provider = rustls::crypto::aws_lc_rs::default_provider();
    CertifiedKey::from_der(chain, key, &provider).with_context(|| {
        format!(
            "the key {} does not fit the certificate {}",
            key_file.display(),
            cert_file.display()
        )
    })
}

/// An accepted connection: plain TCP (left) or TLS over TCP, handshake done (right).
pub(crate) type MaybeTls = Either<TcpStream, Box<TlsStream<TcpStream>>>;

#[cfg(test)]
mod tests {
    use super::*;

    fn write_pair(dir: &std::path::Path, name: &str) -> (std::path::PathBuf, std::path::PathBuf) {
        let key = rcgen::KeyPair::generate().unwrap();
        let cert = rcgen::CertificateParams::new(vec!["localhost".to_string()])
            .unwrap()
            .self_signed(&key)
            .unwrap();
        let (c, k) = (
            dir.join(format!("{name}.crt")),
            dir.join(format!("{name}.key")),
        );
        std::fs::write(&c, cert.pem()).unwrap();
        std::fs::write(&k, key.serialize_pem()).unwrap();
        (c, k)
    }

    /// Good files load; a key of another certificate, a missing file or half a config are
    /// refused with a reason, and a failed reload keeps the certificate in use.
    #[tokio::test]
    async fn certificate_files_load_and_bad_ones_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let (cert, key) = write_pair(dir.path(), "a");
        let (_, other_key) = write_pair(dir.path(), "b");
        assert!(Tls::from_config(&TlsConfig::default()).unwrap().is_none());
        let tls = Tls::from_config(&TlsConfig::from_files(&cert, &key))
            .unwrap()
            .expect("TLS on");
        let in_use = tls.resolver.current.read().unwrap().cert.clone();

        let mismatch = Tls::from_config(&TlsConfig::from_files(&cert, &other_key));
        assert!(format!("{:#}", mismatch.err().unwrap()).contains("does not fit"));
        let missing = Tls::from_config(&TlsConfig::from_files(dir.path().join("none"), &key));
        assert!(missing.is_err());
        let half = TlsConfig {
            cert_file: Some(cert.clone()),
            key_file: None,
        };
        assert!(Tls::from_config(&half).is_err());

        std::fs::copy(&other_key, &key).unwrap();
        assert!(tls.reload().is_err());
        assert_eq!(tls.resolver.current.read().unwrap().cert, in_use);
    }
}
