//! Server API (HTTP) and navigation.

mod common;

use common::*;
use rcim_proto::codes;

#[tokio::test]
async fn signature_accepted_with_both_header_spellings() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let api = Api::new(&server);
    for prefix in ["", "RC-"] {
        let (status, body) = api
            .call_with(
                "/user/getToken.json",
                &[("userId", "alice"), ("name", "Alice")],
                APP_KEY,
                APP_SECRET,
                prefix,
            )
            .await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["code"], 200);
        assert_eq!(body["userId"], "alice");
        assert!(body["token"].as_str().is_some_and(|t| t.contains('.')));
    }
    server.shutdown().await;
}

#[tokio::test]
async fn auth_and_parameter_errors() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let api = Api::new(&server);

    let (status, body) = api
        .call_with(
            "/user/getToken.json",
            &[("userId", "a")],
            APP_KEY,
            "wrong",
            "",
        )
        .await;
    assert_eq!((status, body["code"].as_u64()), (401, Some(1004)), "{body}");
    assert!(body["errorMessage"].is_string());

    let (status, body) = api
        .call_with(
            "/user/getToken.json",
            &[("userId", "a")],
            "nope",
            APP_SECRET,
            "",
        )
        .await;
    assert_eq!((status, body["code"].as_u64()), (401, Some(1001)), "{body}");

    let (status, body) = api
        .call_with(
            "/user/getToken.json",
            &[("name", "x")],
            APP_KEY,
            APP_SECRET,
            "",
        )
        .await;
    assert_eq!((status, body["code"].as_u64()), (400, Some(1002)), "{body}");

    let (status, body) = api
        .call_with(
            "/user/getToken.json",
            &[("userId", "bad id!")],
            APP_KEY,
            APP_SECRET,
            "",
        )
        .await;
    assert_eq!((status, body["code"].as_u64()), (400, Some(1002)), "{body}");

    let (status, body) = api
        .call_with(
            "/message/private/publish.json",
            &[
                ("fromUserId", "a"),
                ("toUserId", "b"),
                ("objectName", "RC:TxtMsg"),
            ],
            APP_KEY,
            APP_SECRET,
            "",
        )
        .await;
    assert_eq!((status, body["code"].as_u64()), (400, Some(1002)), "{body}");

    let (status, body) = api
        .call_with("/no/such.json", &[], APP_KEY, APP_SECRET, "")
        .await;
    assert_eq!((status, body["code"].as_u64()), (404, Some(404)), "{body}");

    // Signatures compare case-insensitively and need no particular timestamp unit
    // (milliseconds here, seconds elsewhere).
    let nonce = "12345";
    let ts = &now_ms().to_string();
    let sig = sign(APP_SECRET, nonce, ts).to_uppercase();
    let resp = api
        .client
        .post(format!("{}/user/checkOnline.json", api.base))
        .header("App-Key", APP_KEY)
        .header("Nonce", nonce)
        .header("Timestamp", ts)
        .header("Signature", sig)
        .body("userId=nobody")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .send()
        .await
        .unwrap();
    let body: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(body["code"], 200, "{body}");
    assert_eq!(body["status"], "0");
    server.shutdown().await;
}

#[tokio::test]
async fn navigation_returns_the_gateway() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let client = reqwest::Client::new();
    let body: serde_json::Value = client
        .get(format!("{}/navi.json?appKey={APP_KEY}", server.navi_url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(body["code"], 200);
    assert_eq!(body["server"], server.gateway_addr().to_string());
    assert_eq!(body["servers"][0], server.gateway_addr().to_string());
    assert_eq!(body["heartbeatSecs"], 30);
    let body: serde_json::Value = client
        .post(format!("{}/navi.json", server.navi_url()))
        .form(&[("appKey", APP_KEY)])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(body["code"], 200);
    let body: serde_json::Value = client
        .get(format!("{}/navi.json?appKey=other", server.navi_url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(body["code"], 1001);
    server.shutdown().await;
}

#[tokio::test]
async fn get_token_connects_and_expire_invalidates_it() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let api = Api::new(&server);
    let token = api.get_token("alice").await;
    let mut login = Login::new("alice", "d1");
    login.token = token.clone();
    let (c, ack) = RawClient::login(server.gateway_addr(), login.clone()).await;
    assert_eq!(ack.code, 0);
    assert_eq!(ack.user_id, "alice");
    assert_eq!(ack.heartbeat_secs, 30);
    assert!(ack.server_time > 0);
    let body = api
        .call("/user/checkOnline.json", &[("userId", "alice")])
        .await;
    assert_eq!(body["status"], "1");
    drop(c);

    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    let now = now_ms().to_string();
    api.call(
        "/user/token/expire.json",
        &[("userId", "alice"), ("time", now.as_str())],
    )
    .await;
    let (mut c, ack) = RawClient::login(server.gateway_addr(), login).await;
    assert_eq!(ack.code, codes::CONN_TOKEN_INCORRECT);
    c.expect_closed().await;

    // A fresh token works again.
    let mut login = Login::new("alice", "d1");
    login.token = api.get_token("alice").await;
    let (_c, ack) = RawClient::login(server.gateway_addr(), login).await;
    assert_eq!(ack.code, 0);
    server.shutdown().await;
}

#[tokio::test]
async fn publish_reaches_online_and_offline_users() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let api = Api::new(&server);
    let mut bob = RawClient::connect(server.gateway_addr(), "bob", "bob-phone").await;

    let content = r#"{"content":"hello from the server"}"#;
    let body = api
        .call(
            "/message/private/publish.json",
            &[
                ("fromUserId", "system"),
                ("toUserId", "bob"),
                ("toUserId", "carol"),
                ("objectName", "RC:TxtMsg"),
                ("content", content),
                ("pushContent", "hi"),
            ],
        )
        .await;
    let uids = body["messageUIDs"].as_array().expect("messageUIDs");
    assert_eq!(uids.len(), 2);
    assert_eq!(uids[0]["userId"], "bob");
    assert_eq!(uids[1]["userId"], "carol");

    let entry = bob.next_push().await;
    assert_eq!(entry.seq, 1);
    let m = message(&entry);
    assert_eq!(m.sender_id, "system");
    assert_eq!(m.to_id, "bob");
    assert_eq!(m.content, content);
    assert_eq!(m.push_content, "hi");
    assert_eq!(m.uid, uids[0]["messageUID"].as_str().unwrap());

    // carol was offline: the message waits in her inbox.
    let mut carol = RawClient::connect(server.gateway_addr(), "carol", "carol-phone").await;
    let pkg = carol.sync(0, 200).await;
    assert_eq!(pkg.entries.len(), 1);
    assert!(!pkg.has_more);
    assert_eq!(pkg.inbox_head, 1);
    assert_eq!(message(&pkg.entries[0]).content, content);
    assert_eq!(
        message(&pkg.entries[0]).uid,
        uids[1]["messageUID"].as_str().unwrap()
    );
    server.shutdown().await;
}

/// Review finding 1: the Server API applies the same caps as the gateway, so no published
/// message can be too large for a frame.
#[tokio::test]
async fn publish_caps_push_fields() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let api = Api::new(&server);
    let long = "p".repeat(4097);
    for field in ["pushContent", "pushData"] {
        let (status, body) = api
            .call_with(
                "/message/private/publish.json",
                &[
                    ("fromUserId", "a"),
                    ("toUserId", "b"),
                    ("objectName", "RC:TxtMsg"),
                    ("content", "{}"),
                    (field, long.as_str()),
                ],
                APP_KEY,
                APP_SECRET,
                "",
            )
            .await;
        assert_eq!((status, body["code"].as_u64()), (400, Some(1005)), "{body}");
    }
    let big = "x".repeat(rcim_proto::MAX_CONTENT_LEN + 1);
    let (status, body) = api
        .call_with(
            "/message/private/publish.json",
            &[
                ("fromUserId", "a"),
                ("toUserId", "b"),
                ("objectName", "RC:TxtMsg"),
                ("content", big.as_str()),
            ],
            APP_KEY,
            APP_SECRET,
            "",
        )
        .await;
    assert_eq!((status, body["code"].as_u64()), (400, Some(1005)), "{body}");
    let at_cap = "p".repeat(4096);
    api.call(
        "/message/private/publish.json",
        &[
            ("fromUserId", "a"),
            ("toUserId", "b"),
            ("objectName", "RC:TxtMsg"),
            ("content", "{}"),
            ("pushContent", at_cap.as_str()),
            ("pushData", at_cap.as_str()),
        ],
    )
    .await;
    server.shutdown().await;
}
