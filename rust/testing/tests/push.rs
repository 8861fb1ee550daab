//! Offline push end to end: a real server configured with the APNs and FCM stand-ins
//! (HTTP/2 on loopback, recording what they accept), protocol-level devices that register
//! push tokens, and messages from clients and the Server API. Each test asserts what the
//! stand-ins received (or did not), and where it matters what the server's counters say.

mod push_support;

use push_support::*;
use rcim_proto::v1::{change_user_setting, ChangeUserSetting, Platform, QuietHours};
use rcim_testing::push_standin::Received;
use rcim_testing::server_api;
use serde_json::{json, Value};
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(10);

impl Env {
    /// Registers a mobile device of `user` with `token` and leaves it offline.
    async fn offline_phone(&self, user: &str, device_id: &str, token: Token<'_>) {
        Device::register(&self.server, user, device_id, Platform::Mobile, token).await;
    }

    async fn start() -> Env {
        Env::start_with(|_| {}).await
    }

    /// A server whose providers are the stand-ins, with `adjust` applied to its push
    /// configuration.
    async fn start_with(adjust: impl FnOnce(&mut rcim_server::push::PushConfig)) -> Env {
        // The tests send faster than a client may (5 a second).
        Env::start_tweaked(adjust, |c| c.send_rate_per_sec = 0).await
    }

    /// Registers `user` with a display name.
    async fn named(&self, user: &str, name: &str) {
        let r = server_api(
            &self.server.navi_url(),
            "/user/getToken.json",
            &[("userId", user), ("name", name)],
        )
        .await;
        assert_eq!(r["code"], 200, "{r}");
    }

    /// A connected desktop device of `user` without a token (a sender).
    async fn desktop(&self, user: &str) -> Device {
        Device::connect(
            &self.server,
            user,
            &format!("{user}-pc"),
            Platform::Desktop,
            Token::None,
        )
        .await
    }

    /// Waits until the server decided `n` notifications in all and the dispatcher is idle,
    /// then checks it decided no more.
    async fn settle(&self, n: u64) {
        let running = self.server.running();
        let deadline = std::time::Instant::now() + WAIT;
        while running.push_stats().decided < n {
            assert!(
                std::time::Instant::now() < deadline,
                "decided {:?}, expected {n}",
                running.push_stats()
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        self.idle().await;
        assert_eq!(running.push_stats().decided, n, "no more pushes decided");
    }

    /// Waits until every notification the dispatcher took has its final outcome (delivered,
    /// failed or unregistered): nothing is in flight, queued or waiting for a retry.
    async fn idle(&self) {
        let running = self.server.running();
        let deadline = std::time::Instant::now() + WAIT;
        loop {
            let d = running.push_stats().dispatch;
            if d.enqueued == d.delivered + d.failed + d.unregistered {
                return;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "dispatcher busy: {d:?}"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// A barrier before an absence check: a message to a fresh offline user whose push must
    /// arrive. The service decides in commit order, so every message sent before it has been
    /// decided and its notifications handed to the dispatcher; then the dispatcher is waited
    /// for until idle, so no push of those messages can still arrive after the check.
    async fn barrier(&self, sender: &mut Device, tag: &str) {
        let user = format!("barrier-{tag}");
        // APNs tokens are hex.
        let token: String = user.bytes().map(|b| format!("{b:02x}")).collect();
        self.offline_phone(&user, "phone", Token::Apns(&token))
            .await;
        sender.send(text(&user, "barrier")).await;
        let deadline = std::time::Instant::now() + WAIT;
        while !self.push.apns.received().iter().any(|r| r.token == token) {
            assert!(std::time::Instant::now() < deadline, "barrier push");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        self.idle().await;
    }
}

fn for_token(received: &[Received], token: &str) -> Vec<Received> {
    received
        .iter()
        .filter(|r| r.token == token)
        .cloned()
        .collect()
}

fn quiet_hours(level: u32) -> ChangeUserSetting {
    ChangeUserSetting {
        change: Some(change_user_setting::Change::QuietHours(QuietHours {
            start_time: "00:00:00".into(),
            span_minutes: 1439,
            level,
            utc_offset_minutes: 0,
        })),
    }
}

/// An offline receiver gets exactly one push per message on each registered device, with
/// the sender's name as title, the text as body, the message's data, the conversation in
/// `rc`, the badge counting up, and the per-message iOS / Android fields.
#[tokio::test]
async fn offline_receiver_gets_one_push_per_message_with_its_fields() {
    let env = Env::start().await;
    env.named("alice", "Alice").await;
    env.offline_phone("bob", "bob-phone", Token::Apns("b0ba0b5e"))
        .await;
    env.offline_phone("bob", "bob-tab", Token::Fcm("bob-fcm"))
        .await;
    let mut alice = env.desktop("alice").await;
    let options = json!({
        "iOSPushOptions": {"threadId": "th-1", "apnsCollapseId": "col-1"},
        "androidPushOptions": {"channelIdFCM": "chan-1", "collapseKeyFCM": "ck-1"}
    });
    let sent = alice
        .send(rcim_proto::v1::SendMessage {
            push_data: "pd-1".into(),
            push_options: options.to_string(),
            ..text("bob", "hello bob")
        })
        .await;
    let apns = env.push.apns.wait_for(1, WAIT).await;
    let fcm = env.push.fcm.wait_for(1, WAIT).await;
    let a = &apns[0];
    assert_eq!(a.token, "b0ba0b5e");
    assert_eq!(a.body["aps"]["alert"]["title"], "Alice");
    assert_eq!(a.body["aps"]["alert"]["body"], "hello bob");
    assert_eq!(a.body["aps"]["badge"], 1);
    assert_eq!(a.body["aps"]["thread-id"], "th-1");
    assert_eq!(a.body["appData"], "pd-1");
    assert_eq!(a.headers["apns-collapse-id"], "col-1");
    assert_eq!(a.headers["apns-push-type"], "alert");
    let rc = &a.body["rc"];
    assert_eq!(
        (
            &rc["cType"],
            &rc["fId"],
            &rc["tId"],
            &rc["oName"],
            &rc["id"]
        ),
        (
            &json!("PR"),
            &json!("alice"),
            &json!(""),
            &json!("RC:TxtMsg"),
            &json!(sent.uid)
        )
    );
    let f = &fcm[0];
    assert_eq!(f.token, "bob-fcm");
    let m = &f.body["message"];
    assert_eq!(m["notification"]["title"], "Alice");
    assert_eq!(m["notification"]["body"], "hello bob");
    assert_eq!(m["android"]["notification"]["channel_id"], "chan-1");
    assert_eq!(m["android"]["collapse_key"], "ck-1");
    assert_eq!(m["data"]["appData"], "pd-1");
    let rc: Value = serde_json::from_str(m["data"]["rc"].as_str().unwrap()).unwrap();
    assert_eq!(rc["id"], json!(sent.uid));
    // A second message: one more push per device, the badge counts on.
    alice.send(text("bob", "again")).await;
    let apns = env.push.apns.wait_for(2, WAIT).await;
    env.push.fcm.wait_for(2, WAIT).await;
    assert_eq!(apns[1].body["aps"]["badge"], 2);
    assert_eq!(apns[1].body["aps"]["alert"]["body"], "again");
    env.settle(4).await;
    assert_eq!(env.push.apns.received().len(), 2);
    assert_eq!(env.push.fcm.received().len(), 2);
}

/// A device online gets the message live and no push; its user's other, offline device is
/// pushed; a web or desktop device online holds back every push of its user.
#[tokio::test]
async fn online_devices_get_no_push() {
    let env = Env::start().await;
    env.offline_phone("bob", "bob-tab", Token::Fcm("bob-fcm"))
        .await;
    let bob_phone = Device::connect(
        &env.server,
        "bob",
        "bob-phone",
        Platform::Mobile,
        Token::Apns("b0ba0b5e"),
    )
    .await;
    let mut alice = env.desktop("alice").await;
    alice.send(text("bob", "one")).await;
    let fcm = env.push.fcm.wait_for(1, WAIT).await;
    assert_eq!(fcm[0].token, "bob-fcm");
    env.barrier(&mut alice, "1").await;
    assert!(for_token(&env.push.apns.received(), "b0ba0b5e").is_empty());
    // Bob's phone goes away, his web client comes online: nothing at all.
    bob_phone.close().await;
    let bob_web = Device::connect(&env.server, "bob", "bob-web", Platform::Web, Token::None).await;
    alice.send(text("bob", "two")).await;
    env.barrier(&mut alice, "2").await;
    assert!(for_token(&env.push.apns.received(), "b0ba0b5e").is_empty());
    assert_eq!(env.push.fcm.received().len(), 1);
    bob_web.close().await;
    alice.send(text("bob", "three")).await;
    env.push.fcm.wait_for(2, WAIT).await;
    let apns = env.push.apns.wait_for(3, WAIT).await;
    assert_eq!(for_token(&apns, "b0ba0b5e").len(), 1);
}

/// Do-not-disturb: a BLOCKED conversation and blocking quiet hours push nothing; a group
/// at MENTION level pushes only a message that mentions the receiver, with its
/// mentionedContent as the body.
#[tokio::test]
async fn do_not_disturb_and_mentions() {
    let env = Env::start().await;
    env.named("alice", "Alice").await;
    let url = env.server.navi_url();
    let r = server_api(
        &url,
        "/group/create.json",
        &[
            ("userId", "alice"),
            ("userId", "bob"),
            ("groupId", "g1"),
            ("groupName", "Team"),
        ],
    )
    .await;
    assert_eq!(r["code"], 200, "{r}");
    let mut bob =
        Device::connect(&env.server, "bob", "bob-pc", Platform::Desktop, Token::None).await;
    bob.conversation_level(1, "alice", 5).await;
    bob.conversation_level(2, "g1", 2).await;
    bob.close().await;
    env.offline_phone("bob", "bob-phone", Token::Apns("b0ba0b5e"))
        .await;
    let mut alice = env.desktop("alice").await;
    alice.send(text("bob", "blocked conversation")).await;
    alice.send(group_text("g1", "plain group message")).await;
    env.barrier(&mut alice, "1").await;
    assert!(for_token(&env.push.apns.received(), "b0ba0b5e").is_empty());
    // The mentionedContent in the content is the body, before the message's own push text
    // (R131): the server reads it from the content, as Server API publishes carry it only
    // there.
    let mention = json!({"content": "@bob look", "mentionedInfo": {"type": 2,
        "userIdList": ["bob"], "mentionedContent": "Alice mentioned you"}});
    alice
        .send(rcim_proto::v1::SendMessage {
            content: mention.to_string(),
            push_content: "a group message".into(),
            ..group_text("g1", "")
        })
        .await;
    env.barrier(&mut alice, "2").await;
    let got = for_token(&env.push.apns.received(), "b0ba0b5e");
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].body["aps"]["alert"]["body"], "Alice mentioned you");
    assert_eq!(got[0].body["aps"]["alert"]["title"], "Team");
    assert_eq!(got[0].body["rc"]["cType"], "GRP");
    assert_eq!(got[0].body["rc"]["tId"], "g1");
    // Quiet hours all day, BLOCKED: not even a mention.
    let mut bob =
        Device::connect(&env.server, "bob", "bob-pc", Platform::Desktop, Token::None).await;
    bob.user_setting(quiet_hours(2)).await;
    bob.close().await;
    alice
        .send(rcim_proto::v1::SendMessage {
            content: mention.to_string(),
            ..group_text("g1", "")
        })
        .await;
    env.barrier(&mut alice, "3").await;
    assert_eq!(for_token(&env.push.apns.received(), "b0ba0b5e").len(), 1);
}

/// `disconnect(false)` stops the device's pushes; its next connect resumes them.
#[tokio::test]
async fn disconnect_without_receive_push_stops_pushes() {
    let env = Env::start().await;
    let bob = Device::connect(
        &env.server,
        "bob",
        "bob-phone",
        Platform::Mobile,
        Token::Apns("b0ba0b5e"),
    )
    .await;
    bob.disconnect(false).await;
    let mut alice = env.desktop("alice").await;
    alice.send(text("bob", "not pushed")).await;
    env.barrier(&mut alice, "1").await;
    assert!(for_token(&env.push.apns.received(), "b0ba0b5e").is_empty());
    // Connecting again (no token sent: the registration is kept) re-enables it.
    Device::register(
        &env.server,
        "bob",
        "bob-phone",
        Platform::Mobile,
        Token::None,
    )
    .await;
    alice.send(text("bob", "pushed")).await;
    env.barrier(&mut alice, "2").await;
    let got = for_token(&env.push.apns.received(), "b0ba0b5e");
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].body["aps"]["alert"]["body"], "pushed");
    // disconnect(true) keeps them.
    let bob = Device::connect(
        &env.server,
        "bob",
        "bob-phone",
        Platform::Mobile,
        Token::None,
    )
    .await;
    bob.disconnect(true).await;
    alice.send(text("bob", "still pushed")).await;
    env.barrier(&mut alice, "3").await;
    assert_eq!(for_token(&env.push.apns.received(), "b0ba0b5e").len(), 2);
}

/// Hiding push content gives the generic text in the receiver's language (no title); the
/// sender's forceShowDetailContent shows the real one.
#[tokio::test]
async fn hidden_content_and_forced_detail() {
    let env = Env::start().await;
    env.named("alice", "Alice").await;
    let mut bob =
        Device::connect(&env.server, "bob", "bob-pc", Platform::Desktop, Token::None).await;
    bob.user_setting(ChangeUserSetting {
        change: Some(change_user_setting::Change::PushContentShow(false)),
    })
    .await;
    bob.user_setting(ChangeUserSetting {
        change: Some(change_user_setting::Change::PushLanguage("en_US".into())),
    })
    .await;
    bob.close().await;
    env.offline_phone("bob", "bob-phone", Token::Apns("b0ba0b5e"))
        .await;
    let mut alice = env.desktop("alice").await;
    alice.send(text("bob", "secret")).await;
    let got = env.push.apns.wait_for(1, WAIT).await;
    assert_eq!(
        got[0].body["aps"]["alert"]["body"],
        "You received a notification"
    );
    assert!(got[0].body["aps"]["alert"]
        .get("title")
        .is_none_or(|t| t == ""));
    alice
        .send(rcim_proto::v1::SendMessage {
            push_options: json!({"forceShowDetailContent": true}).to_string(),
            ..text("bob", "shown anyway")
        })
        .await;
    let got = env.push.apns.wait_for(2, WAIT).await;
    assert_eq!(got[1].body["aps"]["alert"]["body"], "shown anyway");
    assert_eq!(got[1].body["aps"]["alert"]["title"], "Alice");
    // Default language (zh_CN) for a receiver who chose none.
    let mut cy = Device::connect(&env.server, "cy", "cy-pc", Platform::Desktop, Token::None).await;
    cy.user_setting(ChangeUserSetting {
        change: Some(change_user_setting::Change::PushContentShow(false)),
    })
    .await;
    cy.close().await;
    env.offline_phone("cy", "cy-phone", Token::Fcm("cy-fcm"))
        .await;
    alice.send(text("cy", "secret")).await;
    let got = env.push.fcm.wait_for(1, WAIT).await;
    assert_eq!(
        got[0].body["message"]["notification"]["body"],
        "您收到了一条通知"
    );
}

/// A message with a template id and no push title or content is pushed with the template
/// in the receiver's language, `{name}` being the sender's name; a receiver whose language
/// the template lacks gets the default text.
#[tokio::test]
async fn template_in_the_receivers_language() {
    let env = Env::start().await;
    env.named("alice", "Alice").await;
    let r = api_json(
        &env.server,
        "/push/template/set.json",
        json!({"templateId": "greet", "templates": [
            {"language": "en_US", "title": "Hi", "content": "{name} says hello"},
            {"language": "ar_SA", "title": "مرحبا", "content": "{name} يقول مرحبا"}
        ]}),
    )
    .await;
    assert_eq!(r["code"], 200, "{r}");
    for (user, lang, token) in [
        ("bob", "en_US", "b0ba0b5e"),
        ("cy", "ar_SA", "c0ba0b5e"),
        ("dan", "zh_CN", "da0ba0b5"),
    ] {
        let mut d = Device::connect(&env.server, user, "pc", Platform::Desktop, Token::None).await;
        d.user_setting(ChangeUserSetting {
            change: Some(change_user_setting::Change::PushLanguage(lang.into())),
        })
        .await;
        d.close().await;
        env.offline_phone(user, "phone", Token::Apns(token)).await;
    }
    let mut alice = env.desktop("alice").await;
    for to in ["bob", "cy", "dan"] {
        alice
            .send(rcim_proto::v1::SendMessage {
                push_options: json!({"templateId": "greet"}).to_string(),
                ..text(to, "hello")
            })
            .await;
    }
    let got = env.push.apns.wait_for(3, WAIT).await;
    let alert = |token: &str| for_token(&got, token)[0].body["aps"]["alert"].clone();
    assert_eq!(
        alert("b0ba0b5e"),
        json!({"title": "Hi", "body": "Alice says hello"})
    );
    assert_eq!(
        alert("c0ba0b5e"),
        json!({"title": "مرحبا", "body": "Alice يقول مرحبا"})
    );
    assert_eq!(
        alert("da0ba0b5"),
        json!({"title": "Alice", "body": "hello"})
    );
}

/// A token the provider calls unregistered is removed: the next message is not sent to it.
#[tokio::test]
async fn unregistered_token_is_removed() {
    let env = Env::start().await;
    env.push.apns.unregister("b0ba0b5e");
    env.offline_phone("bob", "bob-phone", Token::Apns("b0ba0b5e"))
        .await;
    let mut alice = env.desktop("alice").await;
    alice.send(text("bob", "one")).await;
    let deadline = std::time::Instant::now() + WAIT;
    while env.push.apns.attempts("b0ba0b5e") < 1 {
        assert!(std::time::Instant::now() < deadline);
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // The removal is asynchronous: give it a moment, then a second message.
    tokio::time::sleep(Duration::from_millis(300)).await;
    alice.send(text("bob", "two")).await;
    env.barrier(&mut alice, "1").await;
    assert_eq!(env.push.apns.attempts("b0ba0b5e"), 1);
    assert!(for_token(&env.push.apns.received(), "b0ba0b5e").is_empty());
}

/// A provider that hangs or fails delays no message: the receivers online get theirs at
/// once; the failing sends are retried until they go through.
#[tokio::test]
async fn hanging_or_failing_provider_delays_no_message_and_is_retried() {
    let env = Env::start().await;
    env.push
        .apns
        .hang_times("b0ba0b5e", Duration::from_secs(3), 1);
    env.push.fcm.fail_times("cy-fcm", 2);
    env.offline_phone("bob", "bob-phone", Token::Apns("b0ba0b5e"))
        .await;
    env.offline_phone("cy", "cy-phone", Token::Fcm("cy-fcm"))
        .await;
    let mut dan =
        Device::connect(&env.server, "dan", "dan-pc", Platform::Desktop, Token::None).await;
    let mut alice = env.desktop("alice").await;
    let start = std::time::Instant::now();
    alice.send(text("bob", "to the hanging provider")).await;
    alice.send(text("cy", "to the failing provider")).await;
    // Live delivery to an online receiver right after: answered and delivered at once.
    alice.send(text("dan", "live")).await;
    let live = dan
        .request(rcim_proto::v1::request::Body::Sync(Default::default()))
        .await;
    let Some(rcim_proto::v1::response::Body::Sync(page)) = live.body else {
        panic!("sync: {live:?}");
    };
    assert!(page.entries.iter().any(|e| matches!(&e.body,
        Some(rcim_proto::v1::inbox_entry::Body::Message(m)) if m.content.contains("live"))));
    // Well under the hanging provider's 3 s and the 1 s attempt timeout.
    assert!(
        start.elapsed() < Duration::from_millis(900),
        "{:?}",
        start.elapsed()
    );
    // FCM: two 500s, then delivered on the third attempt.
    let got = env.push.fcm.wait_for(1, WAIT).await;
    assert_eq!(got[0].token, "cy-fcm");
    assert_eq!(env.push.fcm.attempts("cy-fcm"), 3);
    // APNs: the first attempt times out (1 s) and the retry goes through.
    let got = env.push.apns.wait_for(1, WAIT).await;
    assert_eq!(got[0].token, "b0ba0b5e");
    assert!(env.push.apns.attempts("b0ba0b5e") >= 2);
}

/// Server API publishes carry `pushExt` (title, iOS and FCM fields) into the push, and
/// `disablePush` suppresses it.
#[tokio::test]
async fn publish_push_ext_and_disable_push() {
    let env = Env::start().await;
    env.offline_phone("bob", "bob-phone", Token::Apns("b0ba0b5e"))
        .await;
    let url = env.server.navi_url();
    let ext = json!({"title": "From the API", "pushConfigs": [{"APNs": {"thread-id": "t9"}}]})
        .to_string();
    let content = json!({"content": "api text"}).to_string();
    let base = [
        ("fromUserId", "alice"),
        ("toUserId", "bob"),
        ("objectName", "RC:TxtMsg"),
        ("content", content.as_str()),
    ];
    let mut form = base.to_vec();
    form.push(("disablePush", "true"));
    let r = server_api(&url, "/message/private/publish.json", &form).await;
    assert_eq!(r["code"], 200, "{r}");
    let mut form = base.to_vec();
    form.extend([("pushExt", ext.as_str()), ("pushData", "api-data")]);
    let r = server_api(&url, "/message/private/publish.json", &form).await;
    assert_eq!(r["code"], 200, "{r}");
    let got = env.push.apns.wait_for(1, WAIT).await;
    assert_eq!(got[0].body["aps"]["alert"]["title"], "From the API");
    assert_eq!(got[0].body["aps"]["alert"]["body"], "api text");
    assert_eq!(got[0].body["aps"]["thread-id"], "t9");
    assert_eq!(got[0].body["appData"], "api-data");
    env.settle(1).await;
    let bad = [base.to_vec(), vec![("pushExt", "[1]")]].concat();
    let r = server_api(&url, "/message/private/publish.json", &bad).await;
    assert_eq!(r["code"], 1002, "{r}");
}

/// `/push/user.json` and `/push.json`: pushes without a message to listed users or to
/// everyone, per platform, with the broadcast limits and the unsupported tags refused.
#[tokio::test]
async fn push_api_without_a_message() {
    let env = Env::start().await;
    env.offline_phone("bob", "bob-phone", Token::Apns("b0ba0b5e"))
        .await;
    env.offline_phone("cy", "cy-phone", Token::Fcm("cy-fcm"))
        .await;
    let r = api_json(
        &env.server,
        "/push/user.json",
        json!({"userIds": ["bob", "cy"], "notification": {"title": "News", "pushContent": "Read it",
            "ios": {"badge": 7}, "android": {"channelId": "news"}}}),
    )
    .await;
    assert_eq!(r["code"], 200, "{r}");
    assert!(r["id"].as_str().is_some_and(|id| !id.is_empty()));
    let a = env.push.apns.wait_for(1, WAIT).await;
    let f = env.push.fcm.wait_for(1, WAIT).await;
    assert_eq!(
        a[0].body["aps"]["alert"],
        json!({"title": "News", "body": "Read it"})
    );
    assert_eq!(a[0].body["aps"]["badge"], 7);
    assert!(a[0].body.get("rc").is_none());
    assert_eq!(f[0].body["message"]["notification"]["body"], "Read it");
    assert_eq!(
        f[0].body["message"]["android"]["notification"]["channel_id"],
        "news"
    );
    // /push.json to everyone, iOS only: bob's APNs device, not cy's FCM one.
    let broadcast = json!({"platform": ["ios"], "audience": {"is_to_all": true},
        "notification": {"alert": "To all", "ios": {"title": "T"}}});
    let r = api_json(&env.server, "/push.json", broadcast.clone()).await;
    assert_eq!(r["code"], 200, "{r}");
    let a = env.push.apns.wait_for(2, WAIT).await;
    assert_eq!(
        a[1].body["aps"]["alert"],
        json!({"title": "T", "body": "To all"})
    );
    // 2 broadcasts an hour.
    assert_eq!(
        api_json(&env.server, "/push.json", broadcast.clone()).await["code"],
        200
    );
    assert_eq!(
        api_json(&env.server, "/push.json", broadcast).await["code"],
        1008
    );
    // A user list with a message: the system message reaches the inbox, the push says the
    // alert.
    let r = api_json(
        &env.server,
        "/push.json",
        json!({"platform": ["ios", "android"], "fromuserid": "admin",
            "audience": {"userid": ["cy"]},
            "message": {"objectName": "RC:TxtMsg", "content": "{\"content\":\"sys\"}"},
            "notification": {"alert": "System news"}}),
    )
    .await;
    assert_eq!(r["code"], 200, "{r}");
    let f = env.push.fcm.wait_for(2, WAIT).await;
    assert_eq!(f[1].body["message"]["notification"]["body"], "System news");
    let mut cy = Device::connect(&env.server, "cy", "cy-pc", Platform::Desktop, Token::None).await;
    let sync = cy
        .request(rcim_proto::v1::request::Body::Sync(Default::default()))
        .await;
    let Some(rcim_proto::v1::response::Body::Sync(page)) = sync.body else {
        panic!("sync: {sync:?}");
    };
    assert!(page.entries.iter().any(|e| matches!(&e.body,
        Some(rcim_proto::v1::inbox_entry::Body::Message(m))
            if m.conversation_type == 4 && m.sender_id == "admin")));
    // Tags are not supported; a missing alert is a parameter error.
    let r = api_json(
        &env.server,
        "/push.json",
        json!({"platform": ["ios"], "audience": {"tag": ["vip"]}, "notification": {"alert": "x"}}),
    )
    .await;
    assert_eq!(r["code"], 1002, "{r}");
    let r = api_json(
        &env.server,
        "/push.json",
        json!({"platform": ["ios"], "audience": {"userid": ["bob"]}, "notification": {}}),
    )
    .await;
    assert_eq!(r["code"], 1002, "{r}");
    // Oversized fields: 1002, and nothing is sent.
    let sent_before = (
        env.push.apns.received().len(),
        env.push.fcm.received().len(),
    );
    let long = |n: usize| "é".repeat(n);
    let user_pushes = [
        json!({"title": long(51), "pushContent": "x"}),
        json!({"title": long(50), "pushContent": long(201)}),
        json!({"pushContent": "x", "ios": {"title": long(51)}}),
        json!({"pushContent": "x", "ios": {"apns-collapse-id": "café"}}),
        json!({"pushContent": "x", "ios": {"apns-collapse-id": "c".repeat(65)}}),
        json!({"pushContent": "x", "android": {"extras": {"k": "v".repeat(3000)}}}),
        json!({"pushContent": "x", "android": {"channelId": "c".repeat(300)}}),
    ];
    for notification in user_pushes {
        let r = api_json(
            &env.server,
            "/push/user.json",
            json!({"userIds": ["bob", "cy"], "notification": notification}),
        )
        .await;
        assert_eq!(r["code"], 1002, "{notification} → {r}");
    }
    for notification in [
        json!({"alert": long(201)}),
        json!({"alert": "x", "android": {"alert": long(201)}}),
        json!({"alert": "x", "ios": {"extras": {"k": "v".repeat(3000)}}}),
    ] {
        let r = api_json(
            &env.server,
            "/push.json",
            json!({"platform": ["ios", "android"], "audience": {"userid": ["bob", "cy"]},
                "notification": notification}),
        )
        .await;
        assert_eq!(r["code"], 1002, "{notification} → {r}");
    }
    // At the limits: accepted.
    let r = api_json(
        &env.server,
        "/push/user.json",
        json!({"userIds": ["bob"], "notification": {"title": long(50), "pushContent": long(200),
            "ios": {"apns-collapse-id": "c".repeat(64)}}}),
    )
    .await;
    assert_eq!(r["code"], 200, "{r}");
    let a = env.push.apns.wait_for(sent_before.0 + 1, WAIT).await;
    assert_eq!(a.len(), sent_before.0 + 1);
    assert_eq!(a[sent_before.0].body["aps"]["alert"]["body"], long(200));
    assert_eq!(env.push.fcm.received().len(), sent_before.1);
}

/// A direct push to more devices than the dispatcher's queues hold waits for room instead
/// of dropping the rest: every device gets it.
#[tokio::test]
async fn direct_push_larger_than_the_queue_reaches_everyone() {
    let env = Env::start_with(|c| {
        c.queue_capacity = 2;
        c.concurrency = 1;
    })
    .await;
    let users: Vec<String> = (0..12).map(|i| format!("u{i:02}")).collect();
    for (i, user) in users.iter().enumerate() {
        let token = format!("{i:08x}");
        env.offline_phone(user, "phone", Token::Apns(&token)).await;
    }
    let r = api_json(
        &env.server,
        "/push/user.json",
        json!({"userIds": users, "notification": {"pushContent": "to many"}}),
    )
    .await;
    assert_eq!(r["code"], 200, "{r}");
    let got = env.push.apns.wait_for(users.len(), WAIT).await;
    assert_eq!(got.len(), users.len());
    env.settle(users.len() as u64).await;
    let stats = env.server.running().push_stats();
    assert_eq!(
        (stats.not_queued, stats.dispatch.dropped),
        (0, 0),
        "{stats:?}"
    );
}
