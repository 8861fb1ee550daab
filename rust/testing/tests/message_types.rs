//! End to end: every non-media message type between two real engines and a real server, the
//! storage and unread rules on both sides' stores, RongCloud-shaped Server API publishes, and
//! the channelId rules.

use rcim_core::engine::create::Target;
use rcim_core::model::{custom_policy, message_type};
use rcim_core::{Code, ConversationKey, Event, Message};
use rcim_testing::*;
use serde_json::{json, Map, Value};
use std::time::Duration;

fn to(target_id: &str) -> Target<'_> {
    Target {
        conversation_type: 1,
        target_id,
        channel_id: None,
    }
}

fn key(target_id: &str) -> ConversationKey {
    ConversationKey::new(1, target_id, "")
}

/// Sends `message` and returns (attached, sent) after checking it succeeded.
async fn send(client: &mut TestClient, message: Message) -> (Message, Message) {
    assert_eq!(client.engine.send_message(message, None), Ok(()));
    let Event::MessageAttached {
        message: attached, ..
    } = client
        .wait_for("attached", |e| matches!(e, Event::MessageAttached { .. }))
        .await
    else {
        unreachable!()
    };
    (attached, client.sent().await)
}

fn custom(engine: &rcim_core::Engine, policy: u32, n: &str) -> Message {
    let fields: Map<String, Value> = [("n".to_string(), json!(n))].into_iter().collect();
    engine
        .create_custom_message(to("bob"), policy, "App:Card", fields)
        .unwrap()
}

async fn counts(client: &TestClient, peer: &str) -> (u64, u64) {
    (
        answer(client.engine.message_count(key(peer))).await,
        answer(client.engine.unread_count(key(peer))).await,
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn custom_messages_are_stored_and_counted_by_policy() {
    let server = TestServer::start().await;
    let mut alice = server.online("alice").await;
    let mut bob = server.online("bob").await;
    for (policy, stored) in [
        (custom_policy::NORMAL, true),
        (custom_policy::STORAGE, true),
        (custom_policy::COMMAND, false),
    ] {
        let message = custom(&alice.engine, policy, &policy.to_string());
        let (attached, sent) = send(&mut alice, message).await;
        assert_eq!(attached.message_id.is_some(), stored, "policy {policy}");
        assert_eq!(sent.message_id.is_some(), stored, "policy {policy}");
        assert!(sent.message_uid.is_some());
        let got = bob.received().await;
        assert_eq!(got.message_type, message_type::CUSTOM, "{got:?}");
        assert_eq!(got.fields["identifier"], "App:Card");
        assert_eq!(got.fields["policy"], policy);
        assert_eq!(got.fields["fields"], json!({"n": policy.to_string()}));
        assert_eq!(got.message_id.is_some(), stored, "policy {policy}");
    }
    // NORMAL and STORAGE stored on both sides; only NORMAL counted.
    assert_eq!(counts(&bob, "alice").await, (2, 1));
    assert_eq!(counts(&alice, "bob").await.0, 2);
}

/// Needs the server's handling of the `status` flag (online only).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn status_messages_reach_online_receivers_only_and_are_never_stored() {
    let server = TestServer::start().await;
    let mut alice = server.online("alice").await;
    let mut bob = server.online("bob").await;
    let message = custom(&alice.engine, custom_policy::STATUS, "typing");
    let (attached, _) = send(&mut alice, message).await;
    assert_eq!(attached.message_id, None);
    let got = bob.received().await;
    assert_eq!(got.fields["policy"], custom_policy::STATUS);
    assert_eq!(got.message_id, None);

    bob.engine.disconnect(false).unwrap();
    bob.wait_for(
        "signed out",
        |e| matches!(e, Event::ConnectionStatusChanged { status } if *status == 7),
    )
    .await;
    let message = custom(&alice.engine, custom_policy::STATUS, "offline");
    send(&mut alice, message).await;
    alice.send_and_wait("bob", "after").await;
    let token = server.token("bob").await;
    bob.connect(&token).await;
    let got = bob.received().await;
    assert_eq!(
        text_of(&got),
        "after",
        "the status message was delivered offline"
    );
    assert_eq!(counts(&bob, "alice").await, (1, 1));
    assert_eq!(counts(&alice, "bob").await, (1, 0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn commands_are_never_stored_and_command_notifications_never_counted() {
    let server = TestServer::start().await;
    let mut alice = server.online("alice").await;
    let mut bob = server.online("bob").await;
    let fields = |name: &str| -> Map<String, Value> {
        json!({"name": name, "data": "{\"k\":1}"})
            .as_object()
            .unwrap()
            .clone()
    };
    let command = rcim_core::codec::new_message(1, "bob", None, message_type::COMMAND, fields("c"));
    let (attached, sent) = send(&mut alice, command).await;
    assert_eq!((attached.message_id, sent.message_id), (None, None));
    let got = bob.received().await;
    assert_eq!(got.message_type, message_type::COMMAND);
    assert_eq!(
        (got.fields["name"].as_str(), got.fields["data"].as_str()),
        (Some("c"), Some("{\"k\":1}"))
    );
    assert_eq!(got.message_id, None);

    let notification = rcim_core::codec::new_message(
        1,
        "bob",
        None,
        message_type::COMMAND_NOTIFICATION,
        fields("n"),
    );
    let (attached, _) = send(&mut alice, notification).await;
    assert!(attached.message_id.is_some());
    let got = bob.received().await;
    assert_eq!(got.message_type, message_type::COMMAND_NOTIFICATION);
    assert!(got.message_id.is_some());
    assert_eq!(counts(&bob, "alice").await, (1, 0));
    assert_eq!(counts(&alice, "bob").await.0, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn location_and_reference_arrive_typed_with_their_fields() {
    let server = TestServer::start().await;
    let mut alice = server.online("alice").await;
    let mut bob = server.online("bob").await;
    // A map picture larger than the default 408 × 240 thumbnail box.
    let thumbnail = alice.dir.path().join("map.png");
    image::RgbImage::from_fn(816, 300, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
    })
    .save(&thumbnail)
    .unwrap();
    let location = answer(alice.engine.create_location_message(
        to("bob"),
        116.39,
        39.9,
        "Tiananmen",
        thumbnail.to_str().unwrap(),
    ))
    .await;
    let (attached, _) = send(&mut alice, location).await;
    assert_eq!(
        attached.fields["thumbnailPath"],
        thumbnail.to_str().unwrap()
    );
    let got = bob.received().await;
    assert_eq!(got.message_type, message_type::LOCATION);
    assert_eq!(got.fields["longitude"], 116.39);
    assert_eq!(got.fields["latitude"], 39.9);
    assert_eq!(got.fields["poiName"], "Tiananmen");
    // The receiver has no file: its thumbnailPath is the JPEG thumbnail as a data URI,
    // scaled into the box with its aspect kept.
    let path = got.fields["thumbnailPath"].as_str().unwrap();
    let b64 = path.strip_prefix("data:image/jpeg;base64,").unwrap();
    let jpeg = base64::Engine::decode(&base64::engine::general_purpose::STANDARD, b64).unwrap();
    let decoded = image::load_from_memory_with_format(&jpeg, image::ImageFormat::Jpeg).unwrap();
    assert_eq!((decoded.width(), decoded.height()), (408, 150));

    let quoted = bob.send_and_wait("alice", "the original").await;
    let reference = alice.received().await;
    assert_eq!(reference.message_uid, quoted.message_uid);
    let reply = alice
        .engine
        .create_reference_message(to("bob"), &reference, "my reply")
        .unwrap();
    send(&mut alice, reply).await;
    let got = bob.received().await;
    assert_eq!(got.message_type, message_type::REFERENCE);
    assert_eq!(got.fields["text"], "my reply");
    let inner: Message = serde_json::from_value(got.fields["referenceMessage"].clone()).unwrap();
    assert_eq!(text_of(&inner), "the original");
    assert_eq!(inner.message_uid, quoted.message_uid);
    assert_eq!(inner.sender_user_id.as_deref(), Some("bob"));
    // Stored typed too.
    let stored = answer(bob.engine.message_by_id(got.message_id.unwrap())).await;
    assert_eq!(stored.fields, got.fields);
}

async fn publish(server: &TestServer, object_name: &str, content: &str) {
    let reply = server_api(
        &server.navi_url(),
        "/message/private/publish.json",
        &[
            ("fromUserId", "alice"),
            ("toUserId", "bob"),
            ("objectName", object_name),
            ("content", content),
        ],
    )
    .await;
    assert_eq!(reply["code"], 200, "{reply}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_api_publishes_arrive_typed_or_unknown() {
    let server = TestServer::start().await;
    server.token("alice").await;
    let mut bob = server.online("bob").await;
    let cases = [
        (
            "RC:ImgMsg",
            r#"{"content":"/9j/AA==","imageUri":"http://x/a.jpg","full":true}"#,
            message_type::IMAGE,
            json!({"local": "", "remote": "http://x/a.jpg", "thumbnailBase64String": "/9j/AA==",
                   "original": true}),
        ),
        (
            "RC:FileMsg",
            r#"{"name":"a.pdf","size":2048,"type":"pdf","fileUrl":"http://x/a.pdf"}"#,
            message_type::FILE,
            json!({"local": "", "remote": "http://x/a.pdf", "name": "a.pdf", "size": 2048,
                   "fileType": "pdf"}),
        ),
        (
            "RC:LBSMsg",
            r#"{"content":"/9j/AA==","latitude":31.2,"longitude":121.5,"poi":"Bund"}"#,
            message_type::LOCATION,
            json!({"latitude": 31.2, "longitude": 121.5, "poiName": "Bund",
                   "thumbnailPath": "data:image/jpeg;base64,/9j/AA==",
                   "thumbnailBase64String": "/9j/AA=="}),
        ),
        (
            "App:Mystery",
            r#"{"x":1}"#,
            message_type::UNKNOWN,
            json!({"objectName": "App:Mystery", "rawData": "{\"x\":1}"}),
        ),
    ];
    for (object_name, content, message_type, fields) in cases {
        publish(&server, object_name, content).await;
        let got = bob.received().await;
        assert_eq!(got.message_type, message_type, "{object_name}: {got:?}");
        assert_eq!(Value::Object(got.fields.clone()), fields, "{object_name}");
        let stored = answer(bob.engine.message_by_id(got.message_id.unwrap())).await;
        assert_eq!(stored.message_type, message_type);
    }
    assert_eq!(counts(&bob, "alice").await, (4, 4));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn channel_ids_are_checked_and_ignored_outside_ultra_groups() {
    let server = TestServer::start().await;
    let mut alice = server.online("alice").await;
    let mut bob = server.online("bob").await;
    let long = "c".repeat(21);
    let mut message = rcim_core::codec::new_text_message(1, "bob", None, "too long");
    message.channel_id = Some(long.clone());
    assert_eq!(
        alice.engine.send_message(message, None),
        Err(Code::PARAM_ERROR)
    );
    let long_target = Target {
        channel_id: Some(&long),
        ..to("bob")
    };
    assert_eq!(
        alice
            .engine
            .create_text_message(long_target, "x")
            .unwrap_err(),
        Code::PARAM_ERROR
    );
    assert!(alice.drain(Duration::from_millis(200)).await.is_empty());
    assert_eq!(counts(&alice, "bob").await.0, 0);

    // A channel id in a private conversation does not split it.
    let mut with_channel = rcim_core::codec::new_text_message(1, "bob", None, "one");
    with_channel.channel_id = Some("c1".into());
    let (attached, _) = send(&mut alice, with_channel).await;
    assert_eq!(attached.channel_id.as_deref(), Some(""));
    alice.send_and_wait("bob", "two").await;
    for expected in ["one", "two"] {
        let got = bob.received().await;
        assert_eq!(text_of(&got), expected);
        assert_eq!(got.channel_id.as_deref(), Some(""));
    }
    for (client, peer) in [(&alice, "bob"), (&bob, "alice")] {
        let conversations = answer(client.engine.conversations(vec![1], "", 0, 50)).await;
        assert_eq!(conversations.len(), 1, "{}", client.user);
        assert_eq!(conversations[0].target_id, peer);
        assert_eq!(counts(client, peer).await.0, 2);
    }
    let via_channel = answer(
        bob.engine
            .message_count(ConversationKey::new(1, "alice", "c1")),
    )
    .await;
    assert_eq!(via_channel, 2, "queries ignore the channel too");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn media_recall_and_unknown_messages_are_refused_by_send_message() {
    let server = TestServer::start().await;
    let mut alice = server.online("alice").await;
    let image = alice
        .engine
        .create_image_message(to("bob"), "/no/such.jpg")
        .unwrap();
    assert_eq!(
        alice.engine.send_message(image, None),
        Err(Code::PARAM_ERROR)
    );
    let mut unknown =
        rcim_core::codec::new_message(1, "bob", None, message_type::UNKNOWN, Map::new());
    unknown.fields.insert("objectName".into(), json!("App:X"));
    unknown.fields.insert("rawData".into(), json!("{}"));
    assert_eq!(
        alice.engine.send_message(unknown, None),
        Err(Code::PARAM_ERROR)
    );
    let recall = rcim_core::codec::new_message(1, "bob", None, message_type::RECALL, Map::new());
    assert_eq!(
        alice.engine.send_message(recall, None),
        Err(Code::PARAM_ERROR)
    );
    assert!(alice.drain(Duration::from_millis(200)).await.is_empty());
}
