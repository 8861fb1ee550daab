//! End to end over TLS: a server with a certificate from a private CA, engines that trust it
//! through the `tls` option (navigation over HTTPS, the gateway over TLS, media over HTTPS),
//! and engines that must refuse it (another CA, a wrong pin); a reloaded certificate.

use rcim_core::model::message_type;
use rcim_core::tls::TlsOptions;
use rcim_core::{EngineOptions, Event};
use rcim_server::TlsConfig;
use rcim_testing::certs::TestCa;
use rcim_testing::*;
use std::time::Duration;

mod media_support;
use media_support::*;

/// A reqwest client trusting what `options` trust (the engine's own TLS setup).
fn https_client(options: &TlsOptions) -> reqwest::Client {
    reqwest::Client::builder()
        .tls_backend_preconfigured(rcim_core::tls::client_config(options).unwrap())
        .build()
        .unwrap()
}

fn trusting(ca: &TestCa) -> TlsOptions {
    TlsOptions {
        ca_certificates: vec![ca.pem()],
        ..Default::default()
    }
}

/// A server whose listeners use a certificate of `ca`, written into its own directory.
async fn tls_server(ca: &TestCa) -> (TestServer, tempfile::TempDir) {
    let certs = tempfile::tempdir().unwrap();
    let (cert, key) = ca.server_cert().write(certs.path());
    let server = TestServer::start_with(|c| c.tls = TlsConfig::from_files(cert, key)).await;
    (server, certs)
}

async fn token(server: &TestServer, client: &reqwest::Client, user: &str) -> String {
    let reply = server_api_via(
        client,
        &server.navi_url(),
        "/user/getToken.json",
        &[("userId", user)],
    )
    .await;
    assert_eq!(reply["code"], 200, "getToken over HTTPS: {reply}");
    reply["token"].as_str().unwrap().to_string()
}

fn client(server: &TestServer, user: &str, tls: TlsOptions) -> TestClient {
    let options = EngineOptions {
        tls: Some(tls),
        ..Default::default()
    };
    TestClient::with_options(&server.navi_url(), user, options)
}

/// Connects with a 3 s timeout and returns the `Connected` code (0 = connected).
async fn connect_code(client: &mut TestClient, token: &str) -> i64 {
    assert_eq!(client.engine.connect(token, 3, Some("c".into())), Ok(()));
    match client
        .wait_for("Connected", |e| matches!(e, Event::Connected { .. }))
        .await
    {
        Event::Connected { code, .. } => i64::from(code),
        _ => unreachable!(),
    }
}

/// Navigation, the Server API and the file service over HTTPS, the gateway over TLS: two
/// engines trusting the server's CA exchange a text and a file.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn engines_exchange_messages_and_files_over_tls() {
    let ca = TestCa::new("rcim test CA");
    let (server, _certs) = tls_server(&ca).await;
    assert!(server.navi_url().starts_with("https://"));
    let https = https_client(&trusting(&ca));

    // Navigation hands out the gateway with its TLS scheme.
    let navi: serde_json::Value = https
        .get(format!("{}/navi.json?appKey={APP_KEY}", server.navi_url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(navi["code"], 200, "{navi}");
    assert_eq!(
        navi["servers"][0],
        format!("tls://{}", server.gateway()),
        "{navi}"
    );
    // Plain HTTP on the HTTPS port gets no answer.
    let plain = reqwest::Client::new()
        .get(format!("http://{}/navi.json", server.running().http_addr()))
        .timeout(Duration::from_secs(5))
        .send()
        .await;
    assert!(plain.is_err(), "plain HTTP answered: {plain:?}");

    let mut alice = client(&server, "alice", trusting(&ca));
    let mut bob = client(&server, "bob", trusting(&ca));
    alice.connect(&token(&server, &https, "alice").await).await;
    bob.connect(&token(&server, &https, "bob").await).await;

    alice.send_and_wait("bob", "over tls").await;
    let received = bob.received().await;
    assert_eq!(text_of(&received), "over tls");

    // A file message: uploaded and downloaded over HTTPS.
    let files = Files::new();
    let path = files.path("data.bin");
    let sent = send_media(&mut alice, media(message_type::FILE, "bob", &path), "file").await;
    assert_eq!(sent.code, 0, "{:?}", sent.message);
    let remote = str_field(&sent.message, "remote").to_string();
    assert!(remote.starts_with("https://"), "{remote}");
    let received = bob.received().await;
    let (_, code, downloaded) = download(&mut bob, received, "file").await;
    assert_eq!(code, 0);
    let local = std::path::PathBuf::from(str_field(&downloaded, "local"));
    assert_eq!(
        sha(&local),
        sha(&path),
        "the downloaded file is the uploaded one"
    );
}

/// An engine trusting another CA, or pinning another certificate, refuses the server: the
/// connection fails and no message goes anywhere. The right pin connects.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_outside_the_trusted_cas_or_pins_is_refused() {
    let ca = TestCa::new("rcim test CA");
    let certs = tempfile::tempdir().unwrap();
    let leaf = ca.server_cert();
    let (cert, key) = leaf.write(certs.path());
    let server = TestServer::start_with(|c| c.tls = TlsConfig::from_files(cert, key)).await;
    let https = https_client(&trusting(&ca));
    let token = token(&server, &https, "carol").await;

    // Another CA: navigation over HTTPS fails, the engine never connects.
    let other = TestCa::new("another CA");
    let mut stranger = client(&server, "carol", trusting(&other));
    let code = connect_code(&mut stranger, &token).await;
    assert_ne!(code, 0, "connected to a server signed by an untrusted CA");
    assert_eq!(server.running().connection_count(), 0);
    // The platform's roots alone do not know the private CA either.
    let mut default = client(&server, "carol", TlsOptions::default());
    assert_ne!(connect_code(&mut default, &token).await, 0);

    // Trusted CA but a pin that does not match: refused.
    let wrong_pin = TlsOptions {
        pinned_sha256: vec!["00".repeat(32)],
        ..trusting(&ca)
    };
    let mut pinned_wrong = client(&server, "carol", wrong_pin);
    assert_ne!(connect_code(&mut pinned_wrong, &token).await, 0);

    // The server's own certificate pinned (colon form, as openssl prints it): connected.
    let colons = leaf
        .sha256_hex()
        .to_uppercase()
        .as_bytes()
        .chunks(2)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect::<Vec<_>>()
        .join(":");
    let pinned = TlsOptions {
        pinned_sha256: vec![colons],
        ..trusting(&ca)
    };
    let mut pinned_right = client(&server, "carol", pinned);
    assert_eq!(connect_code(&mut pinned_right, &token).await, 0);
}

/// A reloaded certificate serves the next handshakes: a client trusting only the new CA
/// connects after the reload, and a connection made before it stays up.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reloaded_certificate_serves_new_connections_and_keeps_old_ones() {
    let old_ca = TestCa::new("old CA");
    let (server, certs) = tls_server(&old_ca).await;
    let https = https_client(&trusting(&old_ca));
    let mut before = client(&server, "dave", trusting(&old_ca));
    before.connect(&token(&server, &https, "dave").await).await;
    let erin_token = token(&server, &https, "erin").await;

    let new_ca = TestCa::new("new CA");
    let mut early = client(&server, "erin", trusting(&new_ca));
    assert_ne!(
        connect_code(&mut early, &erin_token).await,
        0,
        "the new CA is not in use yet"
    );
    new_ca.server_cert().write(certs.path());
    server.running().reload_tls().unwrap();

    let mut after = client(&server, "erin", trusting(&new_ca));
    assert_eq!(connect_code(&mut after, &erin_token).await, 0);
    // The old connection still works both ways.
    before.send_and_wait("erin", "after reload").await;
    assert_eq!(text_of(&after.received().await), "after reload");

    // A broken file is refused and the certificate in use stays.
    std::fs::write(certs.path().join("key.pem"), "not a key").unwrap();
    assert!(server.running().reload_tls().is_err());
    let mut again = client(&server, "erin", trusting(&new_ca));
    assert_eq!(connect_code(&mut again, &erin_token).await, 0);
}

/// A pin matches the server's own certificate, never one the server merely sends along: a
/// server with a certificate from another trusted CA that appends the pinned certificate (as
/// an extra intermediate; the real one is public) is refused, while the same chain connects
/// without the pin, and with a pin of its own certificate.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pinned_certificate_appended_to_another_trusted_chain_is_refused() {
    let real_ca = TestCa::new("real CA");
    let real = real_ca.server_cert();
    let other_ca = TestCa::new("other trusted CA");
    let impostor = other_ca.server_cert();
    let certs = tempfile::tempdir().unwrap();
    let (cert, key) = impostor.write(certs.path());
    // The impostor's chain with the real server's certificate appended.
    std::fs::write(&cert, format!("{}{}", impostor.cert_pem, real.cert_pem)).unwrap();
    let server = TestServer::start_with(|c| c.tls = TlsConfig::from_files(cert, key)).await;
    let both = TlsOptions {
        ca_certificates: vec![real_ca.pem(), other_ca.pem()],
        ..Default::default()
    };
    let https = https_client(&both);
    let token = token(&server, &https, "frank").await;

    // The chain itself is trusted: no pin, it connects.
    let mut unpinned = client(&server, "frank", both.clone());
    assert_eq!(connect_code(&mut unpinned, &token).await, 0);
    assert_eq!(unpinned.engine.disconnect(false), Ok(()));

    // The real server's certificate pinned: the appended copy does not count.
    let pin_real = TlsOptions {
        pinned_sha256: vec![real.sha256_hex()],
        ..both.clone()
    };
    let navi = https_client(&pin_real)
        .get(format!("{}/navi.json?appKey={APP_KEY}", server.navi_url()))
        .send()
        .await;
    assert!(navi.is_err(), "navigation accepted the impostor: {navi:?}");
    let mut pinned = client(&server, "frank", pin_real);
    assert_ne!(
        connect_code(&mut pinned, &token).await,
        0,
        "connected to a server whose own certificate is not pinned"
    );

    // The server's own certificate pinned: connected.
    let pin_own = TlsOptions {
        pinned_sha256: vec![impostor.sha256_hex()],
        ..both
    };
    let mut own = client(&server, "frank", pin_own);
    assert_eq!(connect_code(&mut own, &token).await, 0);
}
