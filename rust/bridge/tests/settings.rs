//! The bridge rows of the user settings, the blacklist, `removeConversations`, conversation
//! paging and the chatroom refusals: argument errors answer 1, local reads reach their
//! listener with the §3 parameter names, server-side changes are accepted (queued) while
//! offline. Their answers from a server (the `…Changed` / `…Added` events) are covered by the
//! session tests of rcim-core and by the end-to-end tests against the reference server.

mod support;

use serde_json::{json, Value};
use support::*;

fn text(conversation_type: u32, target: &str, direction: u8, time: i64) -> Value {
    json!({ "conversationType": conversation_type, "targetId": target, "messageType": 2,
        "text": "x", "direction": direction, "sentTime": time })
}

#[test]
fn argument_errors_and_chatroom_refusals_answer_param_error() {
    let (engine, rec, _dir) = connected();
    let refused = [
        (
            "changeConversationTypeNotificationLevel",
            json!({ "type": 3, "level": 5 }),
        ),
        (
            "changeConversationTypeNotificationLevel",
            json!({ "type": 1, "level": 6 }),
        ),
        (
            "changeConversationTypeNotificationLevel",
            json!({ "type": 0, "level": 1 }),
        ),
        ("getConversationTypeNotificationLevel", json!({ "type": 3 })),
        ("loadConversationTypeNotificationLevel", json!({})),
        (
            "changeNotificationQuietHours",
            json!({ "startTime": "24:00:00", "spanMinutes": 10, "level": 0 }),
        ),
        (
            "changeNotificationQuietHours",
            json!({ "startTime": "8:00", "spanMinutes": 10, "level": 0 }),
        ),
        (
            "changeNotificationQuietHours",
            json!({ "startTime": "08:00:00", "spanMinutes": 0, "level": 0 }),
        ),
        (
            "changeNotificationQuietHours",
            json!({ "startTime": "08:00:00", "spanMinutes": 1440, "level": 0 }),
        ),
        (
            "changeNotificationQuietHours",
            json!({ "startTime": "08:00:00", "spanMinutes": 60, "level": 3 }),
        ),
        (
            "changeNotificationQuietHours",
            json!({ "startTime": "08:00:00", "spanMinutes": 60, "level": 1,
                "utcOffsetMinutes": 900 }),
        ),
        ("addToBlacklist", json!({ "userId": "" })),
        ("addToBlacklist", json!({ "userId": "alice" })),
        ("addToBlacklist", json!({ "userId": "x".repeat(65) })),
        ("removeFromBlacklist", json!({})),
        ("getBlacklistStatus", json!({ "userId": "" })),
        ("loadBlacklistStatus", json!({ "userId": 5 })),
        ("removeConversations", json!({ "conversationTypes": [] })),
        ("removeConversations", json!({ "conversationTypes": [9] })),
        // Chatrooms: no unread counts, no do-not-disturb lists.
        ("getUnreadCount", json!({ "type": 3, "targetId": "room" })),
        (
            "clearUnreadCount",
            json!({ "type": 3, "targetId": "room", "timestamp": 0 }),
        ),
        (
            "getUnreadCountByConversationTypes",
            json!({ "conversationTypes": [1, 3], "contain": true }),
        ),
        (
            "getBlockedConversations",
            json!({ "conversationTypes": [3] }),
        ),
    ];
    for (i, (method, args)) in refused.iter().enumerate() {
        let code = call(&engine, &rec, 100 + i as u64, method, args.clone());
        assert_eq!(code, 1, "{method} {args}");
    }
    // Nothing reached a listener.
    std::thread::sleep(std::time::Duration::from_millis(50));
    assert!(
        !rec.names()
            .iter()
            .any(|n| n.ends_with("Loaded") || n.ends_with("Removed")),
        "{:?}",
        rec.names()
    );
}

#[test]
fn local_reads_of_the_settings_reach_their_listeners() {
    let (engine, rec, _dir) = connected();
    assert_eq!(
        call(
            &engine,
            &rec,
            2,
            "getConversationTypeNotificationLevel",
            json!({ "type": 2, "eventId": "t" }),
        ),
        0
    );
    assert_eq!(
        rec.event_named("onConversationTypeNotificationLevelLoaded", 0),
        json!({ "name": "onConversationTypeNotificationLevelLoaded", "eventId": "t",
            "args": { "code": 0, "type": 2, "level": 1 } })
    );
    call(
        &engine,
        &rec,
        3,
        "getNotificationQuietHours",
        json!({ "eventId": "q" }),
    );
    assert_eq!(
        rec.event_named("onNotificationQuietHoursLoaded", 0),
        json!({ "name": "onNotificationQuietHoursLoaded", "eventId": "q",
            "args": { "code": 0, "startTime": "", "spanMinutes": 0, "level": 0 } })
    );
    call(&engine, &rec, 4, "loadNotificationQuietHours", json!({}));
    rec.event_named("onNotificationQuietHoursLoaded", 1);
    call(
        &engine,
        &rec,
        5,
        "getBlacklistStatus",
        json!({ "userId": "bob" }),
    );
    assert_eq!(
        rec.event_named("onBlacklistStatusLoaded", 0),
        json!({ "name": "onBlacklistStatusLoaded",
            "args": { "code": 0, "userId": "bob", "status": 2 } })
    );
    call(&engine, &rec, 6, "getBlacklist", json!({ "eventId": "b" }));
    assert_eq!(
        rec.event_named("onBlacklistLoaded", 0),
        json!({ "name": "onBlacklistLoaded", "eventId": "b",
            "args": { "code": 0, "userIds": [] } })
    );
    call(&engine, &rec, 7, "loadBlacklist", json!({}));
    rec.event_named("onBlacklistLoaded", 1);
    call(
        &engine,
        &rec,
        8,
        "loadBlacklistStatus",
        json!({ "userId": "bob" }),
    );
    rec.event_named("onBlacklistStatusLoaded", 1);
    call(
        &engine,
        &rec,
        9,
        "loadConversationTypeNotificationLevel",
        json!({ "type": 1 }),
    );
    rec.event_named("onConversationTypeNotificationLevelLoaded", 1);
}

#[test]
fn setting_changes_are_accepted_while_offline() {
    let (engine, rec, _dir) = connected();
    let accepted = [
        (
            "changeConversationTypeNotificationLevel",
            json!({ "type": 1, "level": 5, "eventId": "a" }),
        ),
        (
            "changeNotificationQuietHours",
            json!({ "startTime": "22:00:00", "spanMinutes": 480, "level": 2,
                "utcOffsetMinutes": 480, "eventId": "b" }),
        ),
        // The offset is optional (UTC).
        (
            "changeNotificationQuietHours",
            json!({ "startTime": "00:00:00", "spanMinutes": 1439, "level": 1 }),
        ),
        ("removeNotificationQuietHours", json!({ "eventId": "c" })),
        ("addToBlacklist", json!({ "userId": "bob", "eventId": "d" })),
        ("removeFromBlacklist", json!({ "userId": "bob" })),
    ];
    for (i, (method, args)) in accepted.iter().enumerate() {
        assert_eq!(
            call(&engine, &rec, 10 + i as u64, method, args.clone()),
            0,
            "{method}"
        );
    }
}

#[test]
fn remove_conversations_deletes_them_with_their_messages() {
    let (engine, rec, _dir) = connected();
    call(
        &engine,
        &rec,
        2,
        "insertMessages",
        json!({ "messages": [text(1, "bob", 1, 10), text(2, "g1", 1, 20)] }),
    );
    let inserted = &rec.event_named("onMessagesInserted", 0)["args"]["messages"];
    let bob_message = inserted[0]["messageId"].as_i64().unwrap();
    let group_message = inserted[1]["messageId"].as_i64().unwrap();
    assert_eq!(
        call(
            &engine,
            &rec,
            3,
            "removeConversations",
            json!({ "conversationTypes": [1], "channelId": null, "eventId": "r" }),
        ),
        0
    );
    assert_eq!(
        rec.event_named("onConversationsRemoved", 0),
        json!({ "name": "onConversationsRemoved", "eventId": "r",
            "args": { "code": 0, "conversationTypes": [1], "channelId": "" } })
    );
    engine.call(
        4,
        "getMessageById",
        &json!({ "messageId": bob_message }).to_string(),
    );
    assert_eq!(rec.reply(4)["value"], Value::Null);
    engine.call(
        5,
        "getMessageById",
        &json!({ "messageId": group_message }).to_string(),
    );
    assert_eq!(rec.reply(5)["value"]["messageId"], group_message);
    call(
        &engine,
        &rec,
        6,
        "getConversations",
        json!({ "conversationTypes": [1, 2], "startTime": 0, "count": 50 }),
    );
    let list = &rec.event_named("onConversationsLoaded", 0)["args"]["conversations"];
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["targetId"], "g1");
}

#[test]
fn paging_by_the_last_conversations_time_returns_each_once_even_on_ties() {
    let (engine, rec, _dir) = connected();
    // 120 conversations, pairs sharing a sent time.
    let messages: Vec<Value> = (0..120)
        .map(|i| text(1, &format!("p{i:03}"), 1, 1_000 + (i / 2) * 10))
        .collect();
    call(
        &engine,
        &rec,
        2,
        "insertMessages",
        json!({ "messages": messages }),
    );
    rec.event_named("onMessagesInserted", 0);
    let mut seen: Vec<String> = Vec::new();
    let mut start = 0;
    for page in 0..4 {
        call(
            &engine,
            &rec,
            10 + page,
            "getConversations",
            json!({ "conversationTypes": [1], "startTime": start, "count": 50 }),
        );
        let list = rec.event_named("onConversationsLoaded", page as usize)["args"]["conversations"]
            .as_array()
            .unwrap()
            .clone();
        seen.extend(
            list.iter()
                .map(|c| c["targetId"].as_str().unwrap().to_string()),
        );
        match list.last() {
            Some(last) if list.len() == 50 => {
                start = last["lastMessage"]["sentTime"].as_i64().unwrap()
            }
            _ => break,
        }
    }
    let mut expected: Vec<(i64, String)> = (0..120)
        .map(|i| (1_000 + (i / 2) * 10, format!("p{i:03}")))
        .collect();
    expected.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let expected: Vec<String> = expected.into_iter().map(|(_, id)| id).collect();
    assert_eq!(seen, expected);
}

#[test]
fn the_new_events_carry_the_listener_parameter_names() {
    use rcim_bridge::events::to_json;
    use rcim_core::Event;
    let parsed = |e: &Event| serde_json::from_str::<Value>(&to_json(e)).unwrap();
    let cases = [
        (
            Event::ConversationTypeNotificationLevelChanged {
                code: 0,
                conversation_type: 2,
                level: 5,
                event_id: Some("e".into()),
            },
            json!({ "name": "onConversationTypeNotificationLevelChanged", "eventId": "e",
                "args": { "code": 0, "type": 2, "level": 5 } }),
        ),
        (
            Event::NotificationQuietHoursChanged {
                code: 0,
                start_time: "22:00:00".into(),
                span_minutes: 60,
                level: 1,
                event_id: None,
            },
            json!({ "name": "onNotificationQuietHoursChanged", "args": {
                "code": 0, "startTime": "22:00:00", "spanMinutes": 60, "level": 1 } }),
        ),
        (
            Event::NotificationQuietHoursRemoved {
                code: 33003,
                event_id: None,
            },
            json!({ "name": "onNotificationQuietHoursRemoved", "args": { "code": 33003 } }),
        ),
        (
            Event::BlacklistAdded {
                code: 20605,
                user_id: "bob".into(),
                event_id: None,
            },
            json!({ "name": "onBlacklistAdded", "args": { "code": 20605, "userId": "bob" } }),
        ),
        (
            Event::BlacklistRemoved {
                code: 0,
                user_id: "bob".into(),
                event_id: None,
            },
            json!({ "name": "onBlacklistRemoved", "args": { "code": 0, "userId": "bob" } }),
        ),
    ];
    for (event, expected) in cases {
        assert_eq!(parsed(&event), expected);
    }
}
