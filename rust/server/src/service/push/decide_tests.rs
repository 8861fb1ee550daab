//! The decision table: which entries are pushable, and which devices of a receiver are
//! notified given their online devices, settings and do-not-disturb.

use super::*;
use crate::push::ProviderKind;
use rcim_proto::v1::{PushSettings, QuietHours};
use std::sync::Arc;

fn message(ctype: u32, sender: &str) -> Message {
    Message {
        uid: "U1".into(),
        conversation_type: ctype,
        to_id: "g1".into(),
        sender_id: sender.into(),
        object_name: "RC:TxtMsg".into(),
        content: r#"{"content":"hi"}"#.into(),
        ..Default::default()
    }
}

fn device(id: &str) -> PushDevice {
    PushDevice {
        device_id: id.into(),
        provider: ProviderKind::Apns,
        token: format!("tok-{id}"),
    }
}

fn recipient(devices: &[&str]) -> PushRecipient {
    PushRecipient {
        user_id: "bob".into(),
        devices: devices.iter().map(|d| device(d)).collect(),
        settings: PushSettings::default(),
        quiet_hours: None,
        type_level: None,
        conversation_level: None,
    }
}

fn online(list: &[(&str, Platform)]) -> Vec<OnlineDevice> {
    list.iter()
        .map(|(d, p)| OnlineDevice {
            device_id: (*d).into(),
            platform: *p,
        })
        .collect()
}

fn facts(content: &str) -> MessageFacts {
    MessageFacts::of(&Message {
        content: content.into(),
        ..message(conversation_type::GROUP, "al")
    })
    .unwrap()
}

/// Device ids chosen for `r` with `on` online, in a group conversation.
fn chosen(r: &PushRecipient, on: &[OnlineDevice], f: &MessageFacts) -> Vec<String> {
    devices(&DeviceChoice {
        recipient: r,
        online: on,
        conversation_type: conversation_type::GROUP,
        facts: f,
        default_levels: None,
        app_level: AppLevel::Unset,
        now_ms: 1_700_006_400_000 + 12 * 3_600_000,
    })
    .into_iter()
    .map(|d| d.device_id.clone())
    .collect()
}

#[test]
fn pushable_entries() {
    use conversation_type::*;
    let body = |m: Message| Arc::new(inbox_entry::Body::Message(m));
    for (ctype, pushes) in [
        (PRIVATE, true),
        (GROUP, true),
        (SYSTEM, true),
        (CHATROOM, false),
        (ULTRA_GROUP, true),
    ] {
        let b = body(message(ctype, "al"));
        assert_eq!(pushable_entry("bob", &b).is_some(), pushes, "type {ctype}");
    }
    // The sender's own copy, a status message, and what is not a message never push.
    assert!(pushable_entry("al", &body(message(GROUP, "al"))).is_none());
    let status = Message {
        status: true,
        ..message(PRIVATE, "al")
    };
    assert!(pushable_entry("bob", &body(status)).is_none());
    let recall = inbox_entry::Body::Recall(Default::default());
    assert!(pushable_entry("bob", &recall).is_none());
    // disableNotification: no facts, no push.
    let off = Message {
        push_options: r#"{"disableNotification":true}"#.into(),
        ..message(PRIVATE, "al")
    };
    assert!(MessageFacts::of(&off).is_none());
    assert!(MessageFacts::of(&message(PRIVATE, "al")).is_some());
}

#[test]
fn offline_devices_only_and_the_desktop_rule() {
    let f = facts(r#"{"content":"hi"}"#);
    let r = recipient(&["phone", "pad"]);
    // Nothing online: every enabled device.
    assert_eq!(chosen(&r, &[], &f), ["phone", "pad"]);
    // An online device gets its message live, not as a push.
    assert_eq!(
        chosen(&r, &online(&[("phone", Platform::Mobile)]), &f),
        ["pad"]
    );
    // A desktop or Web device online: no push at all...
    for p in [Platform::Desktop, Platform::Web] {
        assert!(chosen(&r, &online(&[("pc", p)]), &f).is_empty(), "{p:?}");
    }
    // ...unless the receiver asked for pushes while one is online (R261).
    let mut r2 = r.clone();
    r2.settings.receive_while_desktop_online = true;
    assert_eq!(
        chosen(&r2, &online(&[("pc", Platform::Desktop)]), &f),
        ["phone", "pad"]
    );
}

#[test]
fn do_not_disturb_and_mentions() {
    let plain = facts(r#"{"content":"hi"}"#);
    let me = facts(r#"{"content":"@bob","mentionedInfo":{"type":2,"userIdList":["bob"]}}"#);
    let other = facts(r#"{"content":"@cy","mentionedInfo":{"type":2,"userIdList":["cy"]}}"#);
    let all = facts(r#"{"content":"@all","mentionedInfo":{"type":1}}"#);
    // (conversation level, expected for plain / me / other / all)
    let table: [(Option<u32>, [bool; 4]); 6] = [
        (None, [true, true, true, true]),
        (Some(0), [true, true, true, true]),
        (Some(2), [false, true, false, true]),
        (Some(3), [false, true, false, false]),
        (Some(4), [false, false, false, true]),
        (Some(5), [false, false, false, false]),
    ];
    for (level, expected) in table {
        let mut r = recipient(&["phone"]);
        r.conversation_level = level;
        let got = [&plain, &me, &other, &all].map(|f| !chosen(&r, &[], f).is_empty());
        assert_eq!(got, expected, "level {level:?}");
    }
    // Quiet hours around the decision time (12:00 UTC): blocked, or mentions only.
    let mut r = recipient(&["phone"]);
    r.quiet_hours = Some(QuietHours {
        start_time: "11:00:00".into(),
        span_minutes: 120,
        level: 2,
        utc_offset_minutes: 0,
    });
    assert!(chosen(&r, &[], &me).is_empty());
    r.quiet_hours.as_mut().unwrap().level = 1;
    assert!(chosen(&r, &[], &plain).is_empty());
    assert_eq!(chosen(&r, &[], &me), ["phone"]);
    // Outside the window nothing is held back.
    r.quiet_hours.as_mut().unwrap().start_time = "13:00:00".into();
    assert_eq!(chosen(&r, &[], &plain), ["phone"]);
}
