//! Operations: the Server API's replay protection, the admin listener, the public gateway
//! address, `/metrics` and the health checks (read with `curl`, as an operator would), the
//! `token` subcommand and JSON logs of the real binary.

mod common;

use common::*;
use std::process::{Command, Stdio};
use std::time::Duration;

/// A signed Server API POST to `base` + `path` with exactly these `nonce` and `timestamp`:
/// (HTTP status, business code).
async fn signed(base: &str, path: &str, nonce: &str, ts: &str, form: &str) -> (u16, u64) {
    let resp = reqwest::Client::new()
        .post(format!("{base}{path}"))
        .header("App-Key", APP_KEY)
        .header("Nonce", nonce)
        .header("Timestamp", ts)
        .header("Signature", sign(APP_SECRET, nonce, ts))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(form.to_owned())
        .send()
        .await
        .expect("http request");
    let status = resp.status().as_u16();
    let body: serde_json::Value = resp.json().await.expect("json body");
    (status, body["code"].as_u64().unwrap_or(0))
}

/// `curl URL` (a child process, awaited without blocking the server's runtime): the status
/// code and the body. `-k`: HTTPS servers here have self-signed certificates.
async fn curl(url: &str) -> (u16, String) {
    let out = tokio::process::Command::new("curl")
        .args([
            "-s",
            "-S",
            "-k",
            "--max-time",
            "5",
            "-o",
            "-",
            "-w",
            "\n%{http_code}",
            url,
        ])
        .output()
        .await
        .expect("curl runs");
    assert!(out.status.success(), "curl {url}: {out:?}");
    let text = String::from_utf8(out.stdout).expect("utf-8");
    let (body, code) = text.rsplit_once('\n').expect("status line");
    (code.trim().parse().expect("status"), body.to_owned())
}

/// The value of the sample line `name` (exact name and labels) in a metrics exposition.
fn sample(text: &str, name: &str) -> Option<f64> {
    text.lines()
        .find_map(|l| l.strip_prefix(name)?.strip_prefix(' ')?.parse().ok())
}

#[tokio::test]
async fn replayed_and_stale_signatures_are_refused() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let mut config = config(dir.path());
    config.ops.metrics_public = true;
    let server = rcim_server::start(config).await.unwrap();
    let base = server.api_url();
    let check = "/user/checkOnline.json";
    let now_s = (now_ms() / 1000).to_string();

    // First use of a nonce: accepted; the same headers again (a captured request replayed,
    // even against another endpoint): 1004.
    assert_eq!(
        signed(&base, check, "777", &now_s, "userId=a").await,
        (200, 200)
    );
    assert_eq!(
        signed(&base, check, "777", &now_s, "userId=a").await,
        (401, 1004)
    );
    let replay = signed(&base, "/user/getToken.json", "777", &now_s, "userId=evil").await;
    assert_eq!(replay, (401, 1004));

    // Milliseconds are accepted as well as seconds (RongCloud's SDKs send either).
    let now_ms_text = now_ms().to_string();
    assert_eq!(
        signed(&base, check, "778", &now_ms_text, "userId=a").await,
        (200, 200)
    );

    // A timestamp outside the 5-minute window, either way: 1004, signature valid or not. Ten
    // seconds past it: a whole-second timestamp is up to 1 s off the server's millisecond clock.
    let old = (now_ms() / 1000 - 310).to_string();
    assert_eq!(
        signed(&base, check, "779", &old, "userId=a").await,
        (401, 1004)
    );
    let future = (now_ms() / 1000 + 310).to_string();
    assert_eq!(
        signed(&base, check, "780", &future, "userId=a").await,
        (401, 1004)
    );
    assert_eq!(
        signed(&base, check, "781", "yesterday", "userId=a").await,
        (401, 1004)
    );

    // Refusals are counted by code in the metrics.
    let (_, text) = curl(&format!("{base}/metrics")).await;
    assert_eq!(
        sample(&text, "rcim_server_api_responses_total{code=\"200\"}"),
        Some(2.0)
    );
    assert_eq!(
        sample(&text, "rcim_server_api_responses_total{code=\"1004\"}"),
        Some(5.0)
    );
    server.shutdown().await;
}

#[tokio::test]
async fn replay_protection_can_be_turned_off_for_clients_that_reuse_headers() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let mut config = config(dir.path());
    config.api_security.replay_window = Duration::ZERO;
    let server = rcim_server::start(config).await.unwrap();
    let base = server.api_url();
    // RongCloud's Node.js SDK signs once at start-up and sends those headers forever.
    for _ in 0..3 {
        let got = signed(
            &base,
            "/user/checkOnline.json",
            "1",
            "1500000000",
            "userId=a",
        )
        .await;
        assert_eq!(got, (200, 200));
    }
    server.shutdown().await;
}

#[tokio::test]
async fn metrics_and_health_answer_curl() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let mut config = config(dir.path());
    config.ops.metrics_public = true;
    let server = rcim_server::start(config).await.unwrap();
    let base = server.navi_url();
    assert_eq!(curl(&format!("{base}/healthz")).await, (200, "ok\n".into()));
    assert_eq!(
        curl(&format!("{base}/readyz")).await,
        (200, "ready\n".into())
    );

    let mut alice = RawClient::connect(server.gateway_addr(), "alice", "a1").await;
    let _bob = RawClient::connect(server.gateway_addr(), "bob", "b1").await;
    for i in 0..3 {
        let ack = alice.send_text(&format!("m{i}"), "bob", "hi").await;
        assert_eq!(ack.code, 0);
    }
    let (status, text) = curl(&format!("{base}/metrics")).await;
    assert_eq!(status, 200);
    assert_eq!(sample(&text, "rcim_connections"), Some(2.0), "{text}");
    assert_eq!(sample(&text, "rcim_online_users"), Some(2.0));
    assert_eq!(sample(&text, "rcim_messages_received_total"), Some(3.0));
    assert_eq!(sample(&text, "rcim_send_ack_seconds_count"), Some(3.0));
    // Each message is one entry for bob and one for alice's other devices (none online,
    // but the entry is in her inbox too).
    assert!(sample(&text, "rcim_inbox_entries_delivered_total").is_some_and(|n| n >= 3.0));
    assert!(sample(&text, "rcim_writer_queue_depth").is_some());
    assert_eq!(sample(&text, "rcim_pushes_decided_total"), Some(0.0));
    assert!(text.ends_with("# EOF\n"));
    server.shutdown().await;
}

/// `/metrics` is not public unless asked for: by default the public listener answers it
/// 404 (with or without an admin listener); `metrics_public` serves it there too.
#[tokio::test]
async fn metrics_are_served_publicly_only_when_asked_for() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let (status, _) = curl(&format!("{}/metrics", server.navi_url())).await;
    assert_eq!(status, 404, "/metrics public by default");
    // The Server API is still there without an admin listener.
    let api = Api {
        base: server.api_url(),
        client: reqwest::Client::new(),
    };
    assert!(api.get_token("alice").await.contains('.'));
    server.shutdown().await;

    let dir = tempfile::tempdir().unwrap();
    let mut config = config(dir.path());
    config.ops.admin_http = Some("127.0.0.1:0".parse().unwrap());
    config.ops.metrics_public = true;
    let server = rcim_server::start(config).await.unwrap();
    for base in [server.navi_url(), server.api_url()] {
        let (status, text) = curl(&format!("{base}/metrics")).await;
        assert_eq!(status, 200, "{base}");
        assert!(text.ends_with("# EOF\n"));
    }
    server.shutdown().await;
}

#[tokio::test]
async fn admin_listener_takes_the_server_api_and_metrics_off_the_public_one() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let mut config = config(dir.path());
    config.ops.admin_http = Some("127.0.0.1:0".parse().unwrap());
    let server = rcim_server::start(config).await.unwrap();
    let public = server.navi_url();
    let admin = server.api_url();
    assert_ne!(public, admin);
    assert_eq!(
        Some(admin.trim_start_matches("http://").parse().unwrap()),
        server.admin_addr()
    );

    let public_api = Api {
        base: public.clone(),
        client: reqwest::Client::new(),
    };
    let (status, body) = public_api
        .call_with(
            "/user/getToken.json",
            &[("userId", "a")],
            APP_KEY,
            APP_SECRET,
            "",
        )
        .await;
    assert_eq!((status, body["code"].as_u64()), (404, Some(404)), "{body}");
    let admin_api = Api {
        base: admin.clone(),
        client: reqwest::Client::new(),
    };
    let token = admin_api.get_token("alice").await;
    assert!(token.contains('.'));

    assert_eq!(curl(&format!("{public}/metrics")).await.0, 404);
    assert_eq!(curl(&format!("{admin}/metrics")).await.0, 200);
    assert_eq!(
        curl(&format!("{public}/navi.json?appKey={APP_KEY}"))
            .await
            .0,
        200
    );
    assert_eq!(
        curl(&format!("{admin}/navi.json?appKey={APP_KEY}")).await.0,
        404
    );
    for base in [&public, &admin] {
        assert_eq!(curl(&format!("{base}/healthz")).await.0, 200);
        assert_eq!(curl(&format!("{base}/readyz")).await.0, 200);
    }
    server.shutdown().await;
}

#[tokio::test]
async fn navigation_hands_out_the_public_gateway() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let mut config = config(dir.path());
    config.ops.public_gateway = Some("im.example.com:443".into());
    let server = rcim_server::start(config).await.unwrap();
    let (status, body) = curl(&format!("{}/navi.json?appKey={APP_KEY}", server.navi_url())).await;
    assert_eq!(status, 200);
    let navi: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(navi["server"], "im.example.com:443", "{navi}");
    assert_eq!(navi["servers"][0], "im.example.com:443");
    server.shutdown().await;

    for refused in [
        "no-port",
        "http://im.example.com:443",
        "tls://tls://im.example.com:443",
    ] {
        let mut bad = common::config(dir.path());
        bad.ops.public_gateway = Some(refused.into());
        assert!(rcim_server::start(bad).await.is_err(), "{refused}");
    }
}

/// The navigation entry for `public_gateway`, with or without TLS on the server itself.
async fn navi_entry(public_gateway: &str, tls: bool) -> String {
    let dir = tempfile::tempdir().unwrap();
    let mut config = config(dir.path());
    config.ops.public_gateway = Some(public_gateway.into());
    if tls {
        let cert = rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_string()]).unwrap();
        let (cert_file, key_file) = (dir.path().join("cert.pem"), dir.path().join("key.pem"));
        std::fs::write(&cert_file, cert.cert.pem()).unwrap();
        std::fs::write(&key_file, cert.signing_key.serialize_pem()).unwrap();
        config.tls = rcim_server::TlsConfig::from_files(cert_file, key_file);
    }
    let server = rcim_server::start(config).await.unwrap();
    let (status, body) = curl(&format!("{}/navi.json?appKey={APP_KEY}", server.navi_url())).await;
    assert_eq!(status, 200, "{body}");
    let navi: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(navi["server"], navi["servers"][0]);
    server.shutdown().await;
    navi["server"].as_str().unwrap().to_owned()
}

/// An explicit scheme in the public gateway is handed out as the operator wrote it (a
/// TLS-terminating proxy in front of a plain gateway: `tls://`); without one, `tls://` is
/// added only when the server itself has a certificate, and never twice.
#[tokio::test]
async fn public_gateway_scheme_is_explicit_or_follows_the_servers_tls() {
    init_tracing();
    let cases = [
        ("proxy.example.com:443", false, "proxy.example.com:443"),
        (
            "tls://proxy.example.com:443",
            false,
            "tls://proxy.example.com:443",
        ),
        ("tcp://10.0.0.1:8100", false, "10.0.0.1:8100"),
        ("im.example.com:443", true, "tls://im.example.com:443"),
        ("tls://im.example.com:443", true, "tls://im.example.com:443"),
        ("tcp://10.0.0.1:8100", true, "10.0.0.1:8100"),
    ];
    for (public_gateway, tls, handed_out) in cases {
        assert_eq!(
            navi_entry(public_gateway, tls).await,
            handed_out,
            "{public_gateway} with TLS {tls}"
        );
    }
}

/// `rcim-server token ...` with the app from the environment.
fn token_command(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_rcim-server"))
        .arg("token")
        .args(args)
        .env("RCIM_APP_KEY", APP_KEY)
        .env("RCIM_APP_SECRET", APP_SECRET)
        .output()
        .expect("rcim-server runs")
}

#[tokio::test]
async fn token_subcommand_mints_a_token_the_gateway_accepts() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let out = token_command(&["--user", "carol"]);
    assert!(out.status.success(), "{out:?}");
    let token = String::from_utf8(out.stdout).unwrap().trim().to_owned();
    let mut login = Login::new("carol", "c1");
    login.token = token.clone();
    let (_carol, ack) = RawClient::login(server.gateway_addr(), login).await;
    assert_eq!((ack.code, ack.user_id.as_str()), (0, "carol"));
    let claims = rcim_server::verify_signature(&token, APP_SECRET).unwrap();
    assert_eq!(claims.expiry_ms, 0);

    // With an expiry: valid now, expiring in about an hour.
    let out = token_command(&["--user", "dave", "--expires-in", "3600"]);
    let token = String::from_utf8(out.stdout).unwrap().trim().to_owned();
    let claims = rcim_server::verify_signature(&token, APP_SECRET).unwrap();
    let left = claims.expiry_ms - now_ms();
    assert!((3_590_000..=3_600_000).contains(&left), "{left}");

    // Signed with another secret: refused by the server.
    let out = Command::new(env!("CARGO_BIN_EXE_rcim-server"))
        .args([
            "token",
            "--user",
            "eve",
            "--app-key",
            APP_KEY,
            "--app-secret",
            "guess",
        ])
        .env_remove("RCIM_APP_KEY")
        .env_remove("RCIM_APP_SECRET")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "the options alone are enough: {out:?}"
    );
    let mut login = Login::new("eve", "e1");
    login.token = String::from_utf8(out.stdout).unwrap().trim().to_owned();
    let (_eve, ack) = RawClient::login(server.gateway_addr(), login).await;
    assert_eq!(ack.code, rcim_proto::codes::CONN_TOKEN_INCORRECT);

    // A user id the gateway would refuse is refused here, with a message and no token.
    let out = token_command(&["--user", &"x".repeat(65)]);
    assert!(!out.status.success());
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("user id"));
    server.shutdown().await;
}

#[test]
fn json_log_format_writes_one_object_per_line() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_rcim-server"))
        .args([
            "--listen",
            "127.0.0.1:0",
            "--http",
            "127.0.0.1:0",
            "--log-format",
            "json",
        ])
        .arg("--data-dir")
        .arg(dir.path())
        .env("RCIM_APP_KEY", APP_KEY)
        .env("RCIM_APP_SECRET", APP_SECRET)
        .env("RUST_LOG", "info")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("rcim-server starts");
    let stdout = child.stdout.take().unwrap();
    let mut lines = std::io::BufRead::lines(std::io::BufReader::new(stdout));
    let ready = lines
        .by_ref()
        .map_while(Result::ok)
        .map(|l| serde_json::from_str::<serde_json::Value>(&l).expect("a JSON line"))
        .find(|v| v["message"] == "rcim-server listening")
        .expect("the listening line");
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(ready["level"], "INFO");
    assert!(ready["gateway"]
        .as_str()
        .is_some_and(|g| g.starts_with("127.0.0.1:")));
    assert!(ready["timestamp"].is_string());
}
