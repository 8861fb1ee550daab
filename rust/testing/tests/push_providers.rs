//! The push providers against their stand-ins: the APNs and FCM clients' requests (payload,
//! headers, authentication) and the dispatcher's queueing, retries, timeouts and
//! unregistered tokens.

use rcim_server::push::dispatch::{DispatchStats, Dispatcher, OnUnregistered};
use rcim_server::push::{AndroidFields, IosFields, Notification, ProviderKind};
use rcim_server::PushConfig;
use rcim_testing::push_standin::{PushStandIns, APNS_KEY_ID, APNS_TEAM_ID, APNS_TOPIC};
use serde_json::json;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

const WAIT: Duration = Duration::from_secs(10);

type Unregistered = Arc<Mutex<Vec<(ProviderKind, String)>>>;

fn recorder() -> (OnUnregistered, Unregistered) {
    let seen: Unregistered = Arc::default();
    let sink = seen.clone();
    let on: OnUnregistered = Arc::new(move |kind, token| sink.lock().unwrap().push((kind, token)));
    (on, seen)
}

fn notification(provider: ProviderKind, token: &str) -> Notification {
    Notification {
        provider,
        token: token.into(),
        title: String::new(),
        body: format!("to {token}"),
        data: String::new(),
        badge: None,
        voip: false,
        rc: serde_json::Value::Null,
        ios: IosFields::default(),
        android: AndroidFields::default(),
    }
}

/// A notification with every field set.
fn full(provider: ProviderKind, token: &str) -> Notification {
    Notification {
        title: "Alice".into(),
        body: "hello there".into(),
        data: r#"{"k":"v"}"#.into(),
        badge: Some(3),
        rc: json!({"cType": "PR", "fId": "alice", "tId": "", "oName": "RC:TxtMsg",
                   "id": "MSG-1", "channelId": ""}),
        ios: IosFields {
            thread_id: "thread-1".into(),
            collapse_id: "collapse-1".into(),
            category: "MESSAGE".into(),
            rich_media_uri: "https://example.com/a.png".into(),
        },
        android: AndroidFields {
            channel_id: "chat".into(),
            collapse_key: "ck-1".into(),
            image_url: "https://example.com/b.png".into(),
            notification_id: "tag-1".into(),
        },
        ..notification(provider, token)
    }
}

async fn eventually(what: &str, mut cond: impl FnMut() -> bool) {
    let deadline = Instant::now() + WAIT;
    while !cond() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

async fn stats_until(
    d: &Dispatcher,
    mut cond: impl FnMut(&DispatchStats) -> bool,
) -> DispatchStats {
    let mut last = d.stats();
    eventually("dispatcher stats", || {
        last = d.stats();
        cond(&last)
    })
    .await;
    last
}

#[tokio::test]
async fn apns_requests_carry_the_payload_headers_and_a_valid_provider_token() {
    rcim_testing::init_logging();
    let push = PushStandIns::start().await;
    let dir = tempfile::tempdir().unwrap();
    let (on, _) = recorder();
    let d = Dispatcher::from_config(&push.config(dir.path()), on).unwrap();

    assert!(d.enqueue(full(ProviderKind::Apns, "ios-1")));
    let got = push.apns.wait_for(1, WAIT).await;
    assert_eq!(got[0].token, "ios-1");
    assert_eq!(
        got[0].body,
        json!({
            "aps": {"alert": {"title": "Alice", "body": "hello there"}, "badge": 3,
                    "sound": "default", "thread-id": "thread-1", "category": "MESSAGE",
                    "mutable-content": 1},
            "rc": {"cType": "PR", "fId": "alice", "tId": "", "oName": "RC:TxtMsg",
                   "id": "MSG-1", "channelId": ""},
            "appData": "{\"k\":\"v\"}",
            "richMediaUri": "https://example.com/a.png",
        })
    );
    let h = &got[0].headers;
    assert_eq!(h["apns-topic"], APNS_TOPIC);
    assert_eq!(h["apns-push-type"], "alert");
    assert_eq!(h["apns-priority"], "10");
    assert_eq!(h["apns-collapse-id"], "collapse-1");
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let expiration: u64 = h["apns-expiration"].parse().unwrap();
    assert!(
        (now + 86_000..=now + 86_500).contains(&expiration),
        "{expiration}"
    );
    // The provider token: ES256, our key id, our team (the stand-in checked its signature
    // with the key's public half).
    let jwt = h["authorization"].strip_prefix("Bearer ").unwrap();
    let header = jsonwebtoken::decode_header(jwt).unwrap();
    assert_eq!(header.alg, jsonwebtoken::Algorithm::ES256);
    assert_eq!(header.kid.as_deref(), Some(APNS_KEY_ID));
    assert_eq!(push.apns.auth_failures(), 0);

    // A VoIP push goes to the VoIP topic; a bare one has no title, badge or extras. The
    // provider token is reused.
    let voip = Notification {
        voip: true,
        ..notification(ProviderKind::Apns, "ios-2")
    };
    assert!(d.enqueue(voip));
    let got = push.apns.wait_for(2, WAIT).await;
    let h = &got[1].headers;
    assert_eq!(h["apns-topic"], format!("{APNS_TOPIC}.voip"));
    assert_eq!(h["apns-push-type"], "voip");
    assert!(!h.contains_key("apns-collapse-id"));
    assert_eq!(
        got[1].body,
        json!({"aps": {"alert": {"body": "to ios-2"}, "sound": "default"}})
    );
    assert_eq!(h["authorization"], got[0].headers["authorization"]);
    assert_eq!(
        stats_until(&d, |s| s.delivered == 2).await,
        DispatchStats {
            enqueued: 2,
            delivered: 2,
            ..Default::default()
        }
    );

    // The stand-in really checks: a token signed with another key is refused.
    let other = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap();
    let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::ES256);
    header.kid = Some(APNS_KEY_ID.into());
    let forged = jsonwebtoken::encode(
        &header,
        &json!({"iss": APNS_TEAM_ID, "iat": now}),
        &jsonwebtoken::EncodingKey::from_ec_pem(other.serialize_pem().as_bytes()).unwrap(),
    )
    .unwrap();
    let client = reqwest::Client::builder()
        .http2_prior_knowledge()
        .build()
        .unwrap();
    let answer = client
        .post(format!("{}/3/device/ios-3", push.apns.endpoint()))
        .bearer_auth(forged)
        .json(&json!({"aps": {}}))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 403);
    assert_eq!(push.apns.auth_failures(), 1);
    assert_eq!(push.apns.received().len(), 2);
    d.close().await;
}

#[tokio::test]
async fn fcm_requests_carry_the_message_and_reuse_one_access_token() {
    rcim_testing::init_logging();
    let push = PushStandIns::start().await;
    let dir = tempfile::tempdir().unwrap();
    let (on, _) = recorder();
    let d = Dispatcher::from_config(&push.config(dir.path()), on).unwrap();

    assert!(d.enqueue(full(ProviderKind::Fcm, "android-1")));
    let got = push.fcm.wait_for(1, WAIT).await;
    assert_eq!(got[0].token, "android-1");
    let rc = json!({"cType": "PR", "fId": "alice", "tId": "", "oName": "RC:TxtMsg",
                    "id": "MSG-1", "channelId": ""});
    assert_eq!(
        got[0].body,
        json!({"message": {
            "token": "android-1",
            "notification": {"title": "Alice", "body": "hello there",
                             "image": "https://example.com/b.png"},
            "android": {"collapse_key": "ck-1",
                        "notification": {"channel_id": "chat", "tag": "tag-1",
                                         "notification_count": 3}},
            "data": {"rc": rc.to_string(), "appData": "{\"k\":\"v\"}"},
        }})
    );
    let data_rc: serde_json::Value =
        serde_json::from_str(got[0].body["message"]["data"]["rc"].as_str().unwrap()).unwrap();
    assert_eq!(data_rc, rc);

    for token in ["android-2", "android-3"] {
        assert!(d.enqueue(notification(ProviderKind::Fcm, token)));
    }
    let got = push.fcm.wait_for(3, WAIT).await;
    let bare = got.iter().find(|r| r.token == "android-2").unwrap();
    assert_eq!(
        bare.body,
        json!({"message": {"token": "android-2", "notification": {"body": "to android-2"},
                           "android": {"notification": {}}}})
    );
    // One access token from the service-account flow, reused for every send.
    assert_eq!(push.fcm.token_requests(), 1);
    let bearer = &got[0].headers["authorization"];
    assert!(bearer.starts_with("Bearer ya29.stand-in-1"), "{bearer}");
    assert!(got.iter().all(|r| &r.headers["authorization"] == bearer));
    assert_eq!(push.fcm.auth_failures(), 0);

    // The stand-in really checks: a token it did not issue is refused.
    let client = reqwest::Client::builder()
        .http2_prior_knowledge()
        .build()
        .unwrap();
    let answer = client
        .post(format!(
            "{}/v1/projects/rcim-test/messages:send",
            push.fcm.endpoint()
        ))
        .bearer_auth("ya29.made-up")
        .json(&json!({"message": {"token": "android-4"}}))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 401);
    assert_eq!(push.fcm.auth_failures(), 1);
    d.close().await;
}

#[tokio::test]
async fn unregistered_tokens_are_reported_once_and_not_retried() {
    rcim_testing::init_logging();
    let push = PushStandIns::start().await;
    let dir = tempfile::tempdir().unwrap();
    let (on, seen) = recorder();
    let d = Dispatcher::from_config(&push.config(dir.path()), on).unwrap();
    push.apns.unregister("ios-gone");
    push.fcm.unregister("android-gone");

    for n in [
        notification(ProviderKind::Apns, "ios-gone"),
        notification(ProviderKind::Fcm, "android-gone"),
        notification(ProviderKind::Apns, "ios-live"),
        notification(ProviderKind::Fcm, "android-live"),
    ] {
        assert!(d.enqueue(n));
    }
    let stats = stats_until(&d, |s| s.unregistered + s.delivered == 4).await;
    assert_eq!(
        stats,
        DispatchStats {
            enqueued: 4,
            delivered: 2,
            unregistered: 2,
            ..Default::default()
        }
    );
    let mut seen = seen.lock().unwrap().clone();
    seen.sort_by(|a, b| a.1.cmp(&b.1));
    assert_eq!(
        seen,
        vec![
            (ProviderKind::Fcm, "android-gone".to_string()),
            (ProviderKind::Apns, "ios-gone".to_string()),
        ]
    );
    assert_eq!(push.apns.attempts("ios-gone"), 1);
    assert_eq!(push.fcm.attempts("android-gone"), 1);
    let apns: Vec<_> = push.apns.received().into_iter().map(|r| r.token).collect();
    let fcm: Vec<_> = push.fcm.received().into_iter().map(|r| r.token).collect();
    assert_eq!(apns, ["ios-live"]);
    assert_eq!(fcm, ["android-live"]);
    d.close().await;
}

#[tokio::test]
async fn server_errors_are_retried_until_the_last_attempt() {
    rcim_testing::init_logging();
    let push = PushStandIns::start().await;
    let dir = tempfile::tempdir().unwrap();
    let (on, seen) = recorder();
    // maxAttempts 3: two failures then success; four failures = given up after three.
    let d = Dispatcher::from_config(&push.config(dir.path()), on).unwrap();
    push.apns.fail_times("ios-flaky", 2);
    push.fcm.fail_times("android-flaky", 2);
    push.fcm.fail_times("android-down", 4);
    for n in [
        notification(ProviderKind::Apns, "ios-flaky"),
        notification(ProviderKind::Fcm, "android-flaky"),
        notification(ProviderKind::Fcm, "android-down"),
    ] {
        assert!(d.enqueue(n));
    }
    let stats = stats_until(&d, |s| s.delivered + s.failed == 3).await;
    assert_eq!(
        stats,
        DispatchStats {
            enqueued: 3,
            delivered: 2,
            retried: 6,
            failed: 1,
            ..Default::default()
        }
    );
    assert_eq!(push.apns.attempts("ios-flaky"), 3);
    assert_eq!(push.fcm.attempts("android-flaky"), 3);
    assert_eq!(push.fcm.attempts("android-down"), 3);
    let fcm: Vec<_> = push.fcm.received().into_iter().map(|r| r.token).collect();
    assert_eq!(fcm, ["android-flaky"]);
    assert_eq!(push.apns.received()[0].token, "ios-flaky");
    assert!(seen.lock().unwrap().is_empty());
    d.close().await;
}

#[tokio::test]
async fn retry_after_is_honoured() {
    rcim_testing::init_logging();
    let push = PushStandIns::start().await;
    let dir = tempfile::tempdir().unwrap();
    let (on, _) = recorder();
    // The backoff alone would retry after about 50 ms.
    let d = Dispatcher::from_config(&push.config(dir.path()), on).unwrap();
    push.apns.throttle("ios-busy", 1, 1);
    push.fcm.throttle("android-busy", 1, 1);
    let started = Instant::now();
    assert!(d.enqueue(notification(ProviderKind::Apns, "ios-busy")));
    assert!(d.enqueue(notification(ProviderKind::Fcm, "android-busy")));
    push.apns.wait_for(1, WAIT).await;
    push.fcm.wait_for(1, WAIT).await;
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(push.apns.attempts("ios-busy"), 2);
    assert_eq!(push.fcm.attempts("android-busy"), 2);
    let stats = stats_until(&d, |s| s.delivered == 2).await;
    assert_eq!(stats.retried, 2);
    d.close().await;
}

#[tokio::test]
async fn a_hanging_request_times_out_and_is_retried_while_others_go_through() {
    rcim_testing::init_logging();
    let push = PushStandIns::start().await;
    let dir = tempfile::tempdir().unwrap();
    let (on, _) = recorder();
    let config = PushConfig {
        request_timeout: Duration::from_secs(1),
        concurrency: 2,
        ..push.config(dir.path())
    };
    let d = Dispatcher::from_config(&config, on).unwrap();
    // The first attempt for ios-slow hangs past the timeout; the retry is answered.
    push.apns.hang_times("ios-slow", Duration::from_secs(30), 1);
    // Every FCM request hangs: FCM's slots are all taken, APNs keeps going.
    for token in ["android-stuck-1", "android-stuck-2", "android-stuck-3"] {
        push.fcm.hang(token, Duration::from_secs(30));
        assert!(d.enqueue(notification(ProviderKind::Fcm, token)));
    }
    assert!(d.enqueue(notification(ProviderKind::Apns, "ios-slow")));
    for i in 0..5 {
        assert!(d.enqueue(notification(ProviderKind::Apns, &format!("ios-{i}"))));
    }
    let got = push.apns.wait_for(5, WAIT).await;
    // The five others arrived while ios-slow was still hanging (one slot of two).
    assert!(got.iter().take(5).all(|r| r.token != "ios-slow"), "{got:?}");
    let got = push.apns.wait_for(6, WAIT).await;
    assert_eq!(got[5].token, "ios-slow");
    assert_eq!(push.apns.attempts("ios-slow"), 2);
    // The stand-in records before the client reads its answer.
    let stats = stats_until(&d, |s| s.delivered == 6).await;
    assert!(stats.retried >= 1, "{stats:?}");
    assert!(push.fcm.received().is_empty());
    d.close().await;
}

#[tokio::test]
async fn a_full_queue_drops_and_counts() {
    rcim_testing::init_logging();
    let push = PushStandIns::start().await;
    let dir = tempfile::tempdir().unwrap();
    let (on, _) = recorder();
    let config = PushConfig {
        queue_capacity: 2,
        concurrency: 1,
        request_timeout: Duration::from_secs(30),
        fcm: None,
        ..push.config(dir.path())
    };
    let d = Dispatcher::from_config(&config, on).unwrap();
    assert!(d.has_provider(ProviderKind::Apns));
    assert!(!d.has_provider(ProviderKind::Fcm));
    push.apns.hang("ios-stuck", Duration::from_secs(30));
    // One in flight (hanging), two queued, the next one dropped.
    assert!(d.enqueue(notification(ProviderKind::Apns, "ios-stuck")));
    eventually("the first send", || push.apns.attempts("ios-stuck") == 1).await;
    assert!(d.enqueue(notification(ProviderKind::Apns, "ios-2")));
    assert!(d.enqueue(notification(ProviderKind::Apns, "ios-3")));
    assert!(!d.enqueue(notification(ProviderKind::Apns, "ios-4")));
    // No FCM provider configured: dropped at once.
    assert!(!d.enqueue(notification(ProviderKind::Fcm, "android-1")));
    assert_eq!(
        d.stats(),
        DispatchStats {
            enqueued: 3,
            dropped: 2,
            ..Default::default()
        }
    );
    // Closing abandons the hanging send and drops what is queued; nothing more is taken.
    let closing = Instant::now();
    d.close().await;
    assert!(closing.elapsed() < Duration::from_secs(5));
    assert!(!d.enqueue(notification(ProviderKind::Apns, "ios-5")));
    assert_eq!(
        d.stats(),
        DispatchStats {
            enqueued: 3,
            dropped: 5,
            ..Default::default()
        }
    );
    assert!(push.apns.received().is_empty());
}

#[tokio::test]
async fn bad_credentials_are_start_errors() {
    let push = PushStandIns::start().await;
    let dir = tempfile::tempdir().unwrap();
    let path = push.write_config(dir.path());
    let config = PushConfig::from_file(&path).unwrap();
    assert!(config.apns.is_some() && config.fcm.is_some());
    assert_eq!(config.default_language, "zh_CN");
    assert_eq!(
        config.apns.unwrap().voip_topic,
        format!("{APNS_TOPIC}.voip")
    );

    // An APNs key that is not a P-256 key.
    std::fs::write(dir.path().join("apns-key.p8"), &push.fcm.key_pem).unwrap();
    let e = format!("{:#}", PushConfig::from_file(&path).unwrap_err());
    assert!(e.contains("APNs key file"), "{e}");
    std::fs::write(dir.path().join("apns-key.p8"), "not a key").unwrap();
    let e = format!("{:#}", PushConfig::from_file(&path).unwrap_err());
    assert!(e.contains("APNs key file"), "{e}");

    // A service account without a key, or with a broken one.
    push.write_config(dir.path());
    let mut account = push.fcm.service_account_json();
    account.as_object_mut().unwrap().remove("private_key");
    let account_path = dir.path().join("fcm-service-account.json");
    std::fs::write(&account_path, account.to_string()).unwrap();
    let e = format!("{:#}", PushConfig::from_file(&path).unwrap_err());
    assert!(e.contains("has no private_key"), "{e}");
    account["private_key"] =
        json!("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
    std::fs::write(&account_path, account.to_string()).unwrap();
    let e = format!("{:#}", PushConfig::from_file(&path).unwrap_err());
    assert!(e.contains("not an RSA key"), "{e}");

    // A missing file and an unknown option are named.
    std::fs::remove_file(&account_path).unwrap();
    let e = format!("{:#}", PushConfig::from_file(&path).unwrap_err());
    assert!(
        e.contains("cannot read the FCM service-account file"),
        "{e}"
    );
    std::fs::write(&path, r#"{"queueCapcity": 3}"#).unwrap();
    let e = format!("{:#}", PushConfig::from_file(&path).unwrap_err());
    assert!(e.contains("queueCapcity"), "{e}");
    std::fs::write(&path, r#"{"concurrency": 0}"#).unwrap();
    assert!(PushConfig::from_file(&path).is_err());
    std::fs::write(&path, "{}").unwrap();
    let empty = PushConfig::from_file(&path).unwrap();
    assert!(empty.apns.is_none() && empty.fcm.is_none());
}
