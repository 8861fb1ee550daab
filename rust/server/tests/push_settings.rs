//! Push settings and registrations kept by the server: the three push settings travel like
//! the other user settings (to the user's other devices, in the login pages), malformed ones
//! and malformed push registrations answer 33003, a device's registration follows its
//! connects and `Disconnect{receive_push}`, and the Server API manages push templates.

mod common;
mod settings_common;

use common::*;
use rcim_proto::codes;
use rcim_proto::v1::{
    change_user_setting, client_frame, user_setting_changed, Disconnect, PushProvider,
    PushRegistration, PushSettings,
};
use serde_json::{json, Value};
use settings_common::*;
use std::path::Path;

fn language(l: &str) -> change_user_setting::Change {
    change_user_setting::Change::PushLanguage(l.into())
}

fn registration(provider: PushProvider, token: &str) -> Option<PushRegistration> {
    Some(PushRegistration {
        provider: provider as i32,
        token: token.into(),
    })
}

/// The push registrations stored for `user`: (device, provider, token, enabled, badge).
fn stored_devices(dir: &Path, user: &str) -> Vec<(String, i64, String, bool, i64)> {
    let conn = rusqlite::Connection::open(dir.join("rcim.sqlite3")).unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT device_id, provider, token, enabled, badge FROM push_devices \
             WHERE user_id = ?1 ORDER BY device_id",
        )
        .unwrap();
    stmt.query_map([user], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
    })
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap()
}

#[tokio::test]
async fn push_settings_reach_the_other_devices_and_the_login_pages() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let addr = server.gateway_addr();
    let mut phone = RawClient::connect(addr, "a", "phone").await;
    let mut desk = RawClient::connect_web(addr, "a", "desk").await;
    let page = settings_page(&mut phone, 0, 0).await;
    assert_eq!(page.push, None, "defaults: no push settings");

    let changes = [
        (
            language("en_US"),
            user_setting_changed::Change::PushLanguage("en_US".into()),
        ),
        (
            change_user_setting::Change::PushContentShow(false),
            user_setting_changed::Change::PushContentShow(false),
        ),
        (
            change_user_setting::Change::PushReceive(true),
            user_setting_changed::Change::PushReceive(true),
        ),
    ];
    for (n, (change, expected)) in changes.into_iter().enumerate() {
        assert_eq!(user_setting(&mut phone, change).await, codes::OK);
        let pushed = next_event(&mut desk).await;
        let s = as_user_setting(&pushed);
        assert_eq!(
            (s.settings_version, s.device_id.as_str()),
            (n as u64 + 1, "phone")
        );
        assert_eq!(s.change, Some(expected));
    }
    let expected = PushSettings {
        language: "en_US".into(),
        hide_content: true,
        receive_while_desktop_online: true,
    };
    assert_eq!(
        settings_page(&mut desk, 0, 0).await.push,
        Some(expected.clone())
    );

    // A new device reads them at login; they survive a restart.
    server.shutdown().await;
    let server = start(dir.path()).await;
    let addr = server.gateway_addr();
    let (mut tablet, ack) = RawClient::login(addr, Login::new("a", "tablet")).await;
    assert_eq!((ack.code, ack.settings_version), (0, 3));
    let page = settings_page(&mut tablet, 0, 0).await;
    assert_eq!((page.version, page.push), (3, Some(expected)));

    // Back to the defaults: the language "" is the App's default.
    assert_eq!(user_setting(&mut tablet, language("")).await, codes::OK);
    assert_eq!(
        user_setting(
            &mut tablet,
            change_user_setting::Change::PushContentShow(true)
        )
        .await,
        codes::OK
    );
    assert_eq!(
        user_setting(&mut tablet, change_user_setting::Change::PushReceive(false)).await,
        codes::OK
    );
    let page = settings_page(&mut tablet, 0, 0).await;
    assert_eq!((page.version, page.push), (6, None));
    server.shutdown().await;
}

#[tokio::test]
async fn malformed_push_languages_answer_33003() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let mut phone = RawClient::connect(server.gateway_addr(), "a", "phone").await;
    for bad in ["abcdefghijklmnopq", "zh CN", "zh.CN", "中文", "en/US"] {
        assert_eq!(
            user_setting(&mut phone, language(bad)).await,
            codes::PARAMETER_INVALID,
            "{bad}"
        );
    }
    for ok in ["abcdefghijklmnop", "zh_CN", "x-custom"] {
        assert_eq!(
            user_setting(&mut phone, language(ok)).await,
            codes::OK,
            "{ok}"
        );
    }
    // Only the accepted ones changed the settings.
    let page = settings_page(&mut phone, 0, 0).await;
    assert_eq!(page.version, 3);
    assert_eq!(page.push.unwrap().language, "x-custom");
    server.shutdown().await;
}

#[tokio::test]
async fn malformed_push_registrations_answer_33003() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let addr = server.gateway_addr();
    let long = "x".repeat(513);
    let bad = [
        registration(PushProvider::Apns, ""),
        registration(PushProvider::Fcm, &long),
        registration(PushProvider::Unspecified, "token"),
        // Not of the provider's shape: APNs tokens are hex, FCM's [A-Za-z0-9_:-].
        registration(PushProvider::Apns, "apns-1"),
        registration(PushProvider::Apns, "0123 abcd"),
        registration(PushProvider::Apns, "0123abcdg"),
        registration(PushProvider::Fcm, "a b"),
        registration(PushProvider::Fcm, "tok/../x"),
        registration(PushProvider::Fcm, "tok\nx"),
        registration(PushProvider::Fcm, "tokén"),
        Some(PushRegistration {
            provider: 9,
            token: "token".into(),
        }),
    ];
    for push in bad {
        let mut login = Login::new("a", "phone");
        login.push = push.clone();
        let (mut c, ack) = RawClient::login(addr, login).await;
        assert_eq!(ack.code, codes::PARAMETER_INVALID, "{push:?}");
        c.expect_closed().await;
    }
    assert!(stored_devices(dir.path(), "a").is_empty());
    let mut login = Login::new("a", "tablet");
    login.push = registration(PushProvider::Apns, "0123456789abcdefABCDEF");
    let (_t, ack) = RawClient::login(addr, login).await;
    assert_eq!(ack.code, codes::OK);
    let mut login = Login::new("a", "other");
    login.push = registration(PushProvider::Fcm, "fcm_Tok:en-1");
    let (_o, ack) = RawClient::login(addr, login).await;
    assert_eq!(ack.code, codes::OK);
    let mut login = Login::new("a", "phone");
    login.push = registration(PushProvider::Fcm, &"x".repeat(512));
    let (_c, ack) = RawClient::login(addr, login).await;
    assert_eq!(ack.code, codes::OK);
    assert_eq!(
        stored_devices(dir.path(), "a"),
        [
            ("other".into(), 2, "fcm_Tok:en-1".into(), true, 0),
            ("phone".into(), 2, "x".repeat(512), true, 0),
            ("tablet".into(), 1, "0123456789abcdefABCDEF".into(), true, 0),
        ]
    );
    server.shutdown().await;
}

/// A connect registers the device's token (the ack follows the registration); a token
/// registered by another user's device moves there; `Disconnect{receive_push: false}` stops
/// the device's pushes before the connection closes; connecting again (with or without the
/// token) resumes them.
#[tokio::test]
async fn registrations_follow_connects_and_disconnects() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let addr = server.gateway_addr();
    let mut login = Login::new("a", "phone");
    login.push = registration(PushProvider::Apns, "a0a1");
    let (mut phone, ack) = RawClient::login(addr, login).await;
    assert_eq!(ack.code, 0);
    assert_eq!(
        stored_devices(dir.path(), "a"),
        [("phone".into(), 1, "a0a1".into(), true, 0)]
    );

    phone
        .send(client_frame::Body::Disconnect(Disconnect {
            receive_push: false,
        }))
        .await;
    phone.expect_closed().await;
    assert_eq!(
        stored_devices(dir.path(), "a"),
        [("phone".into(), 1, "a0a1".into(), false, 0)]
    );
    // Back without a token: the registration stays and pushes resume.
    let mut phone = RawClient::connect(addr, "a", "phone").await;
    assert_eq!(
        stored_devices(dir.path(), "a"),
        [("phone".into(), 1, "a0a1".into(), true, 0)]
    );
    phone
        .send(client_frame::Body::Disconnect(Disconnect {
            receive_push: true,
        }))
        .await;
    phone.expect_closed().await;
    assert!(stored_devices(dir.path(), "a")[0].3);

    // The same phone, now logged in as b: a's pushes must not reach it.
    let mut login = Login::new("b", "phone");
    login.push = registration(PushProvider::Apns, "a0a1");
    let (_b, ack) = RawClient::login(addr, login).await;
    assert_eq!(ack.code, 0);
    assert!(stored_devices(dir.path(), "a").is_empty());
    assert_eq!(
        stored_devices(dir.path(), "b"),
        [("phone".into(), 1, "a0a1".into(), true, 0)]
    );
    server.shutdown().await;
}

fn texts(items: &[(&str, &str, &str)]) -> Value {
    Value::Array(
        items
            .iter()
            .map(|(l, t, c)| json!({"language": l, "title": t, "content": c}))
            .collect(),
    )
}

#[tokio::test]
async fn push_templates_through_the_server_api() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let api = Api::new(&server);
    let ok = |(status, body): (u16, Value)| {
        assert_eq!((status, &body["code"]), (200, &json!(200)), "{body}");
        body
    };
    let query = || async {
        ok(call_json(&api, "/push/template/query.json", &json!({})).await)["templates"].clone()
    };
    assert_eq!(query().await, json!([]));

    let t1 = texts(&[
        ("zh_CN", "新消息", "{name} 给你发了消息"),
        ("en_US", "New message", "{name} wrote to you"),
    ]);
    ok(call_json(
        &api,
        "/push/template/set.json",
        &json!({"templateId": "welcome", "templates": t1}),
    )
    .await);
    ok(call_json(
        &api,
        "/push/template/set.json",
        &json!({"templateId": "a-1", "templates": texts(&[("ar_SA", "", "مرحبا")])}),
    )
    .await);
    assert_eq!(
        query().await,
        json!([
            {"templateId": "a-1", "templates": texts(&[("ar_SA", "", "مرحبا")])},
            {"templateId": "welcome", "templates": t1},
        ])
    );
    // Set again: replaced whole.
    let t1b = texts(&[("en_US", "", "{name}: hi")]);
    ok(call_json(
        &api,
        "/push/template/set.json",
        &json!({"templateId": "welcome", "templates": t1b}),
    )
    .await);
    assert_eq!(
        query().await[1],
        json!({"templateId": "welcome", "templates": t1b})
    );
    // A form body with the texts as JSON text works too.
    let form = [
        ("templateId", "form"),
        ("templates", r#"[{"language":"en_US","content":"c"}]"#),
    ];
    api.call("/push/template/set.json", &form).await;
    assert_eq!(
        query().await[1],
        json!({"templateId": "form", "templates": texts(&[("en_US", "", "c")])})
    );
    for id in ["form", "a-1", "never-set"] {
        ok(call_json(
            &api,
            "/push/template/delete.json",
            &json!({"templateId": id}),
        )
        .await);
    }
    assert_eq!(
        query().await,
        json!([{"templateId": "welcome", "templates": t1b}])
    );

    // Malformed input: 1002, nothing changed.
    let one = texts(&[("en_US", "", "c")]);
    let long_title = "t".repeat(51);
    let long_content = "c".repeat(201);
    let many: Vec<Value> = (0..21)
        .map(|i| json!({"language": format!("l{i}"), "content": "c"}))
        .collect();
    let bad = [
        json!({"templates": one}),
        json!({"templateId": "", "templates": one}),
        json!({"templateId": "x".repeat(21), "templates": one}),
        json!({"templateId": "no spaces", "templates": one}),
        json!({"templateId": "x"}),
        json!({"templateId": "x", "templates": []}),
        json!({"templateId": "x", "templates": many}),
        json!({"templateId": "x", "templates": ["text"]}),
        json!({"templateId": "x", "templates": texts(&[("", "", "c")])}),
        json!({"templateId": "x", "templates": texts(&[("en US", "", "c")])}),
        json!({"templateId": "x", "templates": texts(&[("en_US", &long_title, "c")])}),
        json!({"templateId": "x", "templates": texts(&[("en_US", "", &long_content)])}),
        json!({"templateId": "x", "templates": texts(&[("en_US", "", "")])}),
        json!({"templateId": "x", "templates": [{"language": "en_US", "content": 5}]}),
        json!({"templateId": "x", "templates": texts(&[("en_US", "", "a"), ("en_US", "", "b")])}),
    ];
    for body in &bad {
        let (status, answer) = call_json(&api, "/push/template/set.json", body).await;
        assert_eq!(
            (status, &answer["code"]),
            (400, &json!(1002)),
            "{body}: {answer}"
        );
    }
    let (status, answer) = call_json(&api, "/push/template/delete.json", &json!({})).await;
    assert_eq!((status, &answer["code"]), (400, &json!(1002)), "{answer}");
    // The limits themselves are accepted: 20 characters of id, 50 of title, 200 of content
    // (counted in characters), 20 languages.
    let at_limits: Vec<Value> = (0..20)
        .map(|i| json!({"language": format!("l{i}"), "title": "标".repeat(50), "content": "内".repeat(200)}))
        .collect();
    ok(call_json(
        &api,
        "/push/template/set.json",
        &json!({"templateId": "x".repeat(20), "templates": at_limits}),
    )
    .await);
    assert_eq!(query().await.as_array().unwrap().len(), 2);

    // At most 100 templates: the 101st is refused with 20605; replacing one still works.
    for i in 2..100 {
        ok(call_json(
            &api,
            "/push/template/set.json",
            &json!({"templateId": format!("t{i:03}"), "templates": one}),
        )
        .await);
    }
    let (status, answer) = call_json(
        &api,
        "/push/template/set.json",
        &json!({"templateId": "one-more", "templates": one}),
    )
    .await;
    assert_eq!((status, &answer["code"]), (200, &json!(20605)), "{answer}");
    ok(call_json(
        &api,
        "/push/template/set.json",
        &json!({"templateId": "welcome", "templates": one}),
    )
    .await);
    let all = query().await;
    assert_eq!(all.as_array().unwrap().len(), 100);
    assert!(!all
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t["templateId"] == "one-more"));
    server.shutdown().await;
}
