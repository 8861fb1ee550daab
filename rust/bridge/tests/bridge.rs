//! The bridge's contract, without C++: replies, argument errors, object factories, destroy,
//! the method table.

mod support;

use rcim_bridge::BridgeEngine;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};
use support::*;

#[test]
fn invalid_configs_are_refused() {
    let sink = Arc::new(Recorder::default());
    assert!(BridgeEngine::create("{", sink.clone()).is_err());
    assert!(BridgeEngine::create(r#"{"appKey":"","dataDir":"/tmp"}"#, sink.clone()).is_err());
    assert!(BridgeEngine::create(r#"{"appKey":5,"dataDir":"/tmp"}"#, sink).is_err());
}

#[test]
fn argument_errors_answer_param_error_and_fire_nothing() {
    let (engine, rec, _dir) = engine();
    engine.call(1, "ping", "{}");
    assert_eq!(rec.reply(1)["code"], 0);
    engine.call(2, "sendMessage", r#"{"message": 42}"#);
    assert_eq!(rec.reply(2)["code"], 1);
    engine.call(
        3,
        "getMessages",
        r#"{"type":1,"targetId":"b","sentTime":0,"order":0,"policy":0,"count":"20"}"#,
    );
    assert_eq!(rec.reply(3)["code"], 1);
    engine.call(
        4,
        "getMessages",
        r#"{"type":1,"targetId":"b","sentTime":0,"order":0,"policy":0,"count":21}"#,
    );
    assert_eq!(rec.reply(4)["code"], 1);
    engine.call(5, "noSuchMethod", "{}");
    assert_eq!(rec.reply(5)["code"], 1);
    engine.call(6, "connect", "not json");
    assert_eq!(rec.reply(6)["code"], 1);
    engine.call(7, "connect", r#"{"token": 1, "timeout": 0}"#);
    assert_eq!(rec.reply(7)["code"], 1);
    engine.call(8, "changeLogLevel", r#"{"level": 9}"#);
    assert_eq!(rec.reply(8)["code"], 1);
    std::thread::sleep(Duration::from_millis(200));
    assert!(
        rec.events.lock().unwrap().is_empty(),
        "no events after rejected calls"
    );
}

#[test]
fn create_text_message_resolves_the_object() {
    let (engine, rec, _dir) = engine();
    engine.call(
        1,
        "createTextMessage",
        r#"{"type":1,"targetId":"bob","channelId":null,"text":"hi"}"#,
    );
    let reply = rec.reply(1);
    assert_eq!(reply["code"], 0);
    assert_eq!(reply["value"]["text"], "hi");
    assert_eq!(reply["value"]["messageType"], 2);
    assert_eq!(reply["value"]["conversationType"], 1);
    assert_eq!(reply["value"]["targetId"], "bob");
}

#[test]
fn every_create_method_resolves_its_type_or_answers_param_error() {
    let (engine, rec, _dir) = engine();
    let to = r#""type":1,"targetId":"bob","channelId":null"#;
    let quoted =
        r#"{"conversationType":1,"messageType":2,"targetId":"bob","messageUId":"U1","text":"q"}"#;
    let cases = [
        ("createImageMessage", r#""path":"/a.jpg""#.to_string(), 4),
        ("createFileMessage", r#""path":"/a.pdf""#.into(), 5),
        ("createGIFMessage", r#""path":"/a.gif""#.into(), 7),
        (
            "createVoiceMessage",
            r#""path":"/a.aac","duration":3"#.into(),
            3,
        ),
        (
            "createSightMessage",
            r#""path":"/a.mp4","duration":3"#.into(),
            6,
        ),
        (
            "createReferenceMessage",
            format!(r#""referenceMessage":{quoted},"text":"r""#),
            9,
        ),
        (
            "createCustomMessage",
            r#""policy":1,"messageIdentifier":"App:Card","fields":{"a":"b"}"#.into(),
            1,
        ),
        (
            "createLocationMessage",
            r#""longitude":116.3,"latitude":39.9,"poiName":"P","thumbnailPath":"/t.jpg""#.into(),
            12,
        ),
    ];
    for (i, (method, args, message_type)) in cases.iter().enumerate() {
        let id = i as u64 + 1;
        engine.call(id, method, &format!("{{{to},{args}}}"));
        let reply = rec.reply(id);
        assert_eq!(reply["code"], 0, "{method}: {reply}");
        assert_eq!(reply["value"]["messageType"], *message_type, "{method}");
        assert_eq!(reply["value"]["channelId"], "", "{method}");
    }
    assert_eq!(rec.reply(7)["value"]["fields"]["a"], "b");
    let bad = [
        (
            "createTextMessage",
            r#""type":1,"targetId":"bob","channelId":"123456789012345678901","text":"x""#,
        ),
        (
            "createCustomMessage",
            r#""type":1,"targetId":"bob","policy":1,"messageIdentifier":"RC:X","fields":{}"#,
        ),
        (
            "createCustomMessage",
            r#""type":1,"targetId":"bob","policy":5,"messageIdentifier":"A","fields":{}"#,
        ),
        (
            "createLocationMessage",
            r#""type":1,"targetId":"bob","longitude":200,"latitude":0,"poiName":"","thumbnailPath":"""#,
        ),
        (
            "createTextMessage",
            r#""type":0,"targetId":"bob","text":"x""#,
        ),
    ];
    for (i, (method, args)) in bad.iter().enumerate() {
        let id = 100 + i as u64;
        engine.call(id, method, &format!("{{{args}}}"));
        assert_eq!(rec.reply(id)["code"], 1, "{method} {args}");
    }
}

#[test]
fn calls_needing_the_database_before_connect_answer_33001() {
    let (engine, rec, _dir) = engine();
    engine.call(1, "getMessageById", r#"{"messageId": 1}"#);
    assert_eq!(rec.reply(1)["code"], 33001);
    engine.call(
        2,
        "getConversations",
        r#"{"conversationTypes":[1],"channelId":null,"startTime":0,"count":10}"#,
    );
    assert_eq!(rec.reply(2)["code"], 33001);
}

#[test]
fn a_bad_token_surfaces_31004_with_the_event_id() {
    let (engine, rec, _dir) = engine();
    engine.call(
        1,
        "connect",
        r#"{"token":"garbage","timeout":5,"eventId":"e1"}"#,
    );
    assert_eq!(rec.reply(1)["code"], 0);
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let events = rec.events.lock().unwrap().clone();
        if let Some(e) = events.iter().find(|e| e["name"] == "onConnected") {
            assert_eq!(e["args"]["code"], 31004);
            assert_eq!(e["args"]["userId"], "");
            assert_eq!(e["eventId"], "e1");
            assert!(events
                .iter()
                .any(|e| e["name"] == "onConnectionStatusChanged" && e["args"]["status"] == 5));
            break;
        }
        assert!(Instant::now() < deadline);
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[test]
fn no_callback_runs_after_destroy_returns() {
    let (engine, rec, _dir) = engine();
    engine.call(1, "benchEvents", r#"{"count": 200000}"#);
    assert_eq!(rec.reply(1)["code"], 0);
    while rec.event_count.load(Ordering::SeqCst) < 10 {
        std::thread::yield_now();
    }
    engine.destroy();
    rec.closed.store(true, Ordering::SeqCst);
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(rec.after_close.load(Ordering::SeqCst), 0);
    // Calls after destroy are refused (no reply will come); destroy is idempotent.
    assert!(!engine.call(9, "ping", "{}"));
    engine.destroy();
}

#[test]
fn the_method_table_lists_its_names() {
    let (engine, rec, _dir) = engine();
    engine.call(1, "__methods", "{}");
    let reply = rec.reply(1);
    assert_eq!(reply["code"], 0);
    let names: Vec<&str> = reply["value"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    for name in [
        "__methods",
        "connect",
        "sendMessage",
        "getMessages",
        "loadMessages",
        "getMessageById",
        "changeConversationTopStatus",
        "searchMessages",
        "searchMessagesByUserId",
        "sendMediaMessage",
        "cancelSendingMediaMessage",
        "downloadMediaMessage",
        "cancelDownloadingMediaMessage",
        "deleteLocalMessages",
        "deleteMessages",
        "clearMessages",
    ] {
        assert!(names.contains(&name), "{name} missing from {names:?}");
    }
    let mut unique = names.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), names.len(), "a name appears twice");
}
