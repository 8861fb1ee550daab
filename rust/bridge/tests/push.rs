//! The bridge rows of push: `setDeviceToken` (before connect, argument checks) and the push
//! settings (argument errors answer 1, accepted calls are queued while offline, their result
//! events carry the listener parameter names). Their answers from a server are covered by the
//! session tests of rcim-core and the Hermes test `push-settings.test.ts`.

mod support;

use serde_json::{json, Value};
use support::*;

#[test]
fn set_device_token_works_before_connect_and_refuses_bad_tokens() {
    let (engine, rec, _dir) = engine();
    let cases = [
        (json!({ "deviceToken": "abc123" }), 0),
        (json!({ "deviceToken": "t".repeat(512) }), 0),
        (json!({ "deviceToken": "" }), 1),
        (json!({ "deviceToken": "t".repeat(513) }), 1),
        (json!({ "deviceToken": 5 }), 1),
        (json!({}), 1),
    ];
    for (i, (args, expected)) in cases.iter().enumerate() {
        assert_eq!(
            call(&engine, &rec, 10 + i as u64, "setDeviceToken", args.clone()),
            *expected,
            "{args}"
        );
    }
}

#[test]
fn push_settings_refuse_bad_arguments_and_are_queued_offline() {
    let (engine, rec, _dir) = connected();
    let refused = [
        ("changePushLanguage", json!({ "language": "en US" })),
        ("changePushLanguage", json!({ "language": "a".repeat(17) })),
        ("changePushLanguage", json!({ "language": 1 })),
        ("changePushLanguage", json!({})),
        (
            "changePushContentShowStatus",
            json!({ "showContent": "no" }),
        ),
        ("changePushContentShowStatus", json!({})),
        ("changePushReceiveStatus", json!({ "receive": 1 })),
    ];
    for (i, (method, args)) in refused.iter().enumerate() {
        assert_eq!(
            call(&engine, &rec, 100 + i as u64, method, args.clone()),
            1,
            "{method} {args}"
        );
    }
    let accepted = [
        (
            "changePushLanguage",
            json!({ "language": "en_US", "eventId": "a" }),
        ),
        ("changePushLanguage", json!({ "language": "" })),
        (
            "changePushContentShowStatus",
            json!({ "showContent": false, "eventId": "b" }),
        ),
        (
            "changePushReceiveStatus",
            json!({ "receive": true, "eventId": "c" }),
        ),
    ];
    for (i, (method, args)) in accepted.iter().enumerate() {
        assert_eq!(
            call(&engine, &rec, 200 + i as u64, method, args.clone()),
            0,
            "{method}"
        );
    }
    // No server: nothing answered them.
    std::thread::sleep(std::time::Duration::from_millis(50));
    assert!(
        !rec.names().iter().any(|n| n.starts_with("onPush")),
        "{:?}",
        rec.names()
    );
}

#[test]
fn push_settings_before_connect_answer_client_not_init() {
    let (engine, rec, _dir) = engine();
    for (i, (method, args)) in [
        ("changePushLanguage", json!({ "language": "en_US" })),
        (
            "changePushContentShowStatus",
            json!({ "showContent": true }),
        ),
        ("changePushReceiveStatus", json!({ "receive": false })),
    ]
    .iter()
    .enumerate()
    {
        assert_eq!(
            call(&engine, &rec, 10 + i as u64, method, args.clone()),
            33001,
            "{method}"
        );
    }
}

#[test]
fn push_setting_events_carry_the_listener_parameter_names() {
    use rcim_bridge::events::to_json;
    use rcim_core::Event;
    let parsed = |e: &Event| serde_json::from_str::<Value>(&to_json(e)).unwrap();
    let cases = [
        (
            Event::PushLanguageChanged {
                code: 0,
                language: "en_US".into(),
                event_id: Some("e".into()),
            },
            json!({ "name": "onPushLanguageChanged", "eventId": "e",
                "args": { "code": 0, "language": "en_US" } }),
        ),
        (
            Event::PushContentShowStatusChanged {
                code: 33003,
                show_content: false,
                event_id: None,
            },
            json!({ "name": "onPushContentShowStatusChanged",
                "args": { "code": 33003, "showContent": false } }),
        ),
        (
            Event::PushReceiveStatusChanged {
                code: 0,
                receive: true,
                event_id: None,
            },
            json!({ "name": "onPushReceiveStatusChanged",
                "args": { "code": 0, "receive": true } }),
        ),
    ];
    for (event, expected) in cases {
        assert_eq!(parsed(&event), expected);
    }
}
