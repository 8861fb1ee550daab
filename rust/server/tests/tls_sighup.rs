//! The `rcim-server` binary with `--tls-cert`/`--tls-key`: the gateway and the HTTP listener
//! shake hands with the certificate from the files, and a SIGHUP after the files changed
//! makes new handshakes use the new certificate without a restart (the process stays up).
#![cfg(unix)]

use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, IsCa, KeyPair};
use rustls::pki_types::{CertificateDer, ServerName};
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::net::TcpStream;

/// A CA and a server certificate for 127.0.0.1 it signed, written as `cert.pem`/`key.pem`;
/// returns the CA's DER and the server certificate's DER.
fn write_cert(ca: &CertifiedIssuer<'static, KeyPair>, dir: &Path) -> CertificateDer<'static> {
    let params = CertificateParams::new(vec!["127.0.0.1".to_string()]).unwrap();
    let key = KeyPair::generate().unwrap();
    let cert = params.signed_by(&key, ca).unwrap();
    std::fs::write(dir.join("cert.pem"), cert.pem()).unwrap();
    std::fs::write(dir.join("key.pem"), key.serialize_pem()).unwrap();
    cert.der().clone()
}

fn new_ca() -> CertifiedIssuer<'static, KeyPair> {
    let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    CertifiedIssuer::self_signed(params, KeyPair::generate().unwrap()).unwrap()
}

fn free_port() -> SocketAddr {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
}

/// The certificate `addr` presents to a client trusting `ca`.
async fn presented(addr: SocketAddr, ca: &CertificateDer<'static>) -> std::io::Result<Vec<u8>> {
    let mut roots = rustls::RootCertStore::empty();
    roots.add(ca.clone()).unwrap();
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::aws_lc_rs::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_root_certificates(roots)
    .with_no_client_auth();
    let tcp = TcpStream::connect(addr).await?;
    let tls = tokio_rustls::TlsConnector::from(Arc::new(config))
        .connect(ServerName::try_from("127.0.0.1").unwrap(), tcp)
        .await?;
    let certs = tls.get_ref().1.peer_certificates().unwrap_or_default();
    Ok(certs.first().map(|c| c.to_vec()).unwrap_or_default())
}

/// Polls `presented` until it gives `want` (or 15 s pass).
async fn wait_presented(addr: SocketAddr, ca: &CertificateDer<'static>, want: &[u8]) {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        match presented(addr, ca).await {
            Ok(cert) if cert == want => return,
            other if Instant::now() > deadline => {
                panic!("{addr} never presented the expected certificate: {other:?}")
            }
            _ => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    }
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn sighup_reloads_the_certificate_of_both_listeners() {
    let data = tempfile::tempdir().unwrap();
    let certs = tempfile::tempdir().unwrap();
    let ca = new_ca();
    let ca_der = ca.der().clone();
    let first = write_cert(&ca, certs.path());
    let (gateway, http) = (free_port(), free_port());
    let mut server = Server(
        Command::new(env!("CARGO_BIN_EXE_rcim-server"))
            .args(["--data-dir", data.path().to_str().unwrap()])
            .args([
                "--listen",
                &gateway.to_string(),
                "--http",
                &http.to_string(),
            ])
            .args(["--app-key", "k", "--app-secret", "s"])
            .arg("--tls-cert")
            .arg(certs.path().join("cert.pem"))
            .arg("--tls-key")
            .arg(certs.path().join("key.pem"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    wait_presented(gateway, &ca_der, first.as_ref()).await;
    wait_presented(http, &ca_der, first.as_ref()).await;

    let second = write_cert(&ca, certs.path());
    assert_ne!(first, second);
    // Not before the signal: the files are read at start and on SIGHUP only.
    assert_eq!(presented(gateway, &ca_der).await.unwrap(), first.to_vec());
    let hup = Command::new("kill")
        .args(["-HUP", &server.0.id().to_string()])
        .status()
        .unwrap();
    assert!(hup.success());
    wait_presented(gateway, &ca_der, second.as_ref()).await;
    wait_presented(http, &ca_der, second.as_ref()).await;
    assert!(
        server.0.try_wait().unwrap().is_none(),
        "SIGHUP must not stop the server"
    );
}
