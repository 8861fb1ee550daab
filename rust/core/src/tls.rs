//! TLS of the client (rustls): one `ClientConfig` for navigation, media (reqwest) and the
//! gateway (`tokio-rustls`), so the three trust the same certificates.
//!
//! Trust: the platform's roots through `rustls-platform-verifier` (the OS verifier on iOS and
//! macOS, the system store on Linux and Windows) rather than a built-in list such as
//! `webpki-roots`: an app then trusts what the device trusts, including enterprise roots,
//! revocation and root updates, without shipping a new build. On Android the platform
//! verifier needs the app's JNI context handed over first (and panics without it), which the
//! Android glue does not do yet: there the Mozilla roots of `webpki-root-certs` stand in. For
//! self-hosters, the RCIM extension [`TlsOptions`] adds CAs (a private or self-signed CA) and
//! pins the server's own certificate.

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject as _;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, RootCertStore, SignatureScheme};
use serde::Deserialize;
use sha2::{Digest as _, Sha256};
use std::sync::Arc;

/// `tls` of `RCIMIWEngineOptions` (an RCIM extension): extra trust for self-hosted servers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TlsOptions {
    /// PEM certificates of CAs trusted besides the platform's roots (each string may hold
    /// several `BEGIN CERTIFICATE` blocks). A server whose chain ends at one of them is
    /// accepted for the names its certificate holds.
    #[serde(default)]
    pub ca_certificates: Vec<String>,
    /// SHA-256 fingerprints of certificates (of the DER, as `openssl x509 -noout
    /// -fingerprint -sha256` prints it; hex with or without colons, or base64). When any is
    /// given, a server is accepted only if its chain verifies and its own certificate (the
    /// end-entity one, never an intermediate or a CA) has one of these fingerprints: a
    /// renewed certificate needs its new fingerprint listed before it goes live.
    #[serde(default)]
    pub pinned_sha256: Vec<String>,
}

/// Why the TLS options cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum TlsOptionsError {
    /// A `caCertificates` entry holds no certificate or is not PEM.
    #[error("tls.caCertificates[{0}]: {1}")]
    BadCa(usize, String),
    /// A `pinnedSha256` entry is not a SHA-256 in hex or base64.
    #[error("tls.pinnedSha256[{0}] is not a SHA-256 (64 hex digits or 44 base64 characters)")]
    BadPin(usize),
    /// rustls refused the setup.
    #[error("TLS setup: {0}")]
    Setup(String),
}

/// The client's rustls configuration for these options (no ALPN: reqwest and the gateway
/// each speak their one protocol).
pub fn client_config(options: &TlsOptions) -> Result<rustls::ClientConfig, TlsOptionsError> {
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let verifier = Arc::new(Verifier::new(options, provider.clone())?);
    Ok(rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| TlsOptionsError::Setup(e.to_string()))?
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth())
}

/// A configuration that refuses every server: what the engine uses when its TLS options are
/// invalid, so a mistake never means less checking.
pub fn refusing_config(why: String) -> rustls::ClientConfig {
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let verifier = Arc::new(Verifier {
        platform: None,
        added: None,
        pins: Vec::new(),
        refuse: Some(why),
        provider: provider.clone(),
    });
    rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("the provider supports the default versions")
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth()
}

/// Platform roots, then the added CAs; then the pins.
#[derive(Debug)]
struct Verifier {
    /// The platform verifier (`None` where it cannot start; the added CAs still work).
    platform: Option<Arc<dyn ServerCertVerifier>>,
    /// WebPKI over the added CAs only (kept apart: the platform verifier cannot take extra
    /// roots on Android).
    added: Option<Arc<dyn ServerCertVerifier>>,
    pins: Vec<[u8; 32]>,
    /// Set when the options were invalid: every server is refused with this.
    refuse: Option<String>,
    provider: Arc<CryptoProvider>,
}

impl Verifier {
    fn new(options: &TlsOptions, provider: Arc<CryptoProvider>) -> Result<Self, TlsOptionsError> {
        let mut roots = RootCertStore::empty();
        for (i, pem) in options.ca_certificates.iter().enumerate() {
            let certs = CertificateDer::pem_slice_iter(pem.as_bytes())
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| TlsOptionsError::BadCa(i, e.to_string()))?;
            if certs.is_empty() {
                return Err(TlsOptionsError::BadCa(i, "no certificate".into()));
            }
            for cert in certs {
                roots
                    .add(cert)
                    .map_err(|e| TlsOptionsError::BadCa(i, e.to_string()))?;
            }
        }
        let added = if roots.is_empty() {
            None
        } else {
            let v = WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider.clone())
                .build()
                .map_err(|e| TlsOptionsError::Setup(e.to_string()))?;
            Some(v as Arc<dyn ServerCertVerifier>)
        };
        let pins = options
            .pinned_sha256
            .iter()
            .enumerate()
            .map(|(i, p)| parse_pin(p).ok_or(TlsOptionsError::BadPin(i)))
            .collect::<Result<Vec<_>, _>>()?;
        let platform = platform_verifier(provider.clone());
        Ok(Self {
            platform,
            added,
            pins,
            refuse: None,
            provider,
        })
    }
}

/// The verifier of the platform's roots (`None` where it cannot start).
#[cfg(not(target_os = "android"))]
fn platform_verifier(provider: Arc<CryptoProvider>) -> Option<Arc<dyn ServerCertVerifier>> {
    match rustls_platform_verifier::Verifier::new(provider) {
        Ok(v) => Some(Arc::new(v) as Arc<dyn ServerCertVerifier>),
        Err(e) => {
            tracing::warn!(error = %e, "the platform's certificate verifier is unavailable");
            None
        }
    }
}

/// Android: WebPKI over the Mozilla roots (see the module doc).
#[cfg(target_os = "android")]
fn platform_verifier(provider: Arc<CryptoProvider>) -> Option<Arc<dyn ServerCertVerifier>> {
    let mut roots = RootCertStore::empty();
    roots.add_parsable_certificates(webpki_root_certs::TLS_SERVER_ROOT_CERTS.iter().cloned());
    match WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider).build() {
        Ok(v) => Some(v as Arc<dyn ServerCertVerifier>),
        Err(e) => {
            tracing::warn!(error = %e, "the built-in roots are unusable");
            None
        }
    }
}

/// A SHA-256 given as hex (colons and spaces allowed, any case) or base64.
fn parse_pin(pin: &str) -> Option<[u8; 32]> {
    let hex: String = pin.chars().filter(|c| !matches!(c, ':' | ' ')).collect();
    let bytes = if hex.len() == 64 && hex.chars().all(|c| c.is_ascii_hexdigit()) {
        (0..32)
            .map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).ok())
            .collect::<Option<Vec<u8>>>()?
    } else {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD
            .decode(pin.trim())
            .ok()?
    };
    bytes.try_into().ok()
}

/// The SHA-256 of a certificate's DER.
fn fingerprint(cert: &CertificateDer<'_>) -> [u8; 32] {
    Sha256::digest(cert.as_ref()).into()
}

impl ServerCertVerifier for Verifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        if let Some(why) = &self.refuse {
            return Err(rustls::Error::General(why.clone()));
        }
        let mut outcome = Err(rustls::Error::General(
            "no certificate verifier available".into(),
        ));
        for verifier in [&self.platform, &self.added].into_iter().flatten() {
            outcome = verifier.verify_server_cert(
                end_entity,
                intermediates,
                server_name,
                ocsp_response,
                now,
            );
            if outcome.is_ok() {
                break;
            }
        }
        let verified = outcome?;
        // Only the server's own certificate is matched: the verifiers build their own path
        // and ignore what else the server sends, so a pinned certificate merely appended to
        // another trusted chain (anyone can fetch the real one) must not count.
        if !self.pins.is_empty() && !self.pins.contains(&fingerprint(end_entity)) {
            return Err(rustls::Error::General(
                "the server's certificate is not one of the pinned certificates".into(),
            ));
        }
        Ok(verified)
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pins_parse_as_hex_or_base64_and_bad_options_are_refused() {
        let hex = "AB:".repeat(31) + "AB";
        assert_eq!(parse_pin(&hex), Some([0xab; 32]));
        assert_eq!(parse_pin(&"ab".repeat(32)), Some([0xab; 32]));
        use base64::Engine as _;
        let b64 = base64::engine::general_purpose::STANDARD.encode([7u8; 32]);
        assert_eq!(parse_pin(&b64), Some([7; 32]));
        assert_eq!(parse_pin("abcd"), None);
        let bad_pin = TlsOptions {
            pinned_sha256: vec!["nope".into()],
            ..Default::default()
        };
        assert!(matches!(
            client_config(&bad_pin),
            Err(TlsOptionsError::BadPin(0))
        ));
        let bad_ca = TlsOptions {
            ca_certificates: vec!["not a pem".into()],
            ..Default::default()
        };
        assert!(matches!(
            client_config(&bad_ca),
            Err(TlsOptionsError::BadCa(0, _))
        ));
    }
}
