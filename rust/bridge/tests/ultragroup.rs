//! The bridge rows of ultra groups without a server: argument errors answer 1 and nothing
//! else happens; the local calls reach their listeners with the §3 parameter names (the
//! call's arguments echoed, the result, the code).

mod support;

use serde_json::{json, Value};
use std::time::Duration;
use support::*;

fn ug_message(target: &str, channel: &str, uid: &str) -> Value {
    json!({ "conversationType": 5, "targetId": target, "channelId": channel,
        "messageType": 2, "text": "x", "messageUId": uid })
}

#[test]
fn argument_errors_answer_param_error() {
    let (engine, rec, _dir) = connected();
    let long = "c".repeat(21);
    let private = json!({ "conversationType": 1, "targetId": "bob", "messageType": 2,
        "text": "x", "messageUId": "u" });
    let many: Vec<Value> = (0..21)
        .map(|i| ug_message("g", "c", &format!("u{i}")))
        .collect();
    let refused = [
        (
            "getConversationsForAllChannel",
            json!({ "type": 1, "targetId": "g" }),
        ),
        (
            "loadConversationsForAllChannel",
            json!({ "type": 5, "targetId": "" }),
        ),
        ("getUltraGroupUnreadCount", json!({ "targetId": "" })),
        (
            "getUltraGroupUnreadMentionedCount",
            json!({ "targetId": 5 }),
        ),
        (
            "getBatchRemoteUltraGroupMessages",
            json!({ "messages": [] }),
        ),
        (
            "getBatchRemoteUltraGroupMessages",
            json!({ "messages": many }),
        ),
        (
            "getBatchRemoteUltraGroupMessages",
            json!({ "messages": [private] }),
        ),
        (
            "getBatchRemoteUltraGroupMessages",
            json!({ "messages": [ug_message("g", "a", "1"), ug_message("g", "b", "2")] }),
        ),
        (
            "clearUltraGroupMessagesForAllChannel",
            json!({ "targetId": "g", "timestamp": -1 }),
        ),
        (
            "clearUltraGroupMessages",
            json!({ "targetId": "g", "channelId": long, "timestamp": 0, "policy": 0 }),
        ),
        (
            "clearUltraGroupMessages",
            json!({ "targetId": "g", "channelId": "c", "timestamp": 0, "policy": 3 }),
        ),
        (
            "clearRemoteUltraGroupMessages",
            json!({ "targetId": "", "channelId": "c", "timestamp": 0 }),
        ),
        (
            "modifyUltraGroupMessage",
            json!({ "messageUId": "u", "message": private }),
        ),
        (
            "modifyUltraGroupMessage",
            json!({ "messageUId": "", "message": ug_message("g", "c", "u") }),
        ),
        (
            "recallUltraGroupMessage",
            json!({ "message": private, "deleteRemote": false }),
        ),
        (
            "updateUltraGroupMessageExpansion",
            json!({ "messageUId": "u", "expansion": {} }),
        ),
        (
            "updateUltraGroupMessageExpansion",
            json!({ "messageUId": "u", "expansion": { "k": 1 } }),
        ),
        (
            "removeUltraGroupMessageExpansionForKeys",
            json!({ "messageUId": "u", "keys": [] }),
        ),
        (
            "removeUltraGroupMessageExpansion",
            json!({ "messageUId": "", "keys": ["k"] }),
        ),
        (
            "syncUltraGroupReadStatus",
            json!({ "targetId": "g", "channelId": long, "timestamp": 0 }),
        ),
        (
            "sendUltraGroupTypingStatus",
            json!({ "targetId": "g", "channelId": "c", "typingStatus": 1 }),
        ),
        (
            "changeUltraGroupDefaultNotificationLevel",
            json!({ "targetId": "g", "level": 6 }),
        ),
        (
            "changeUltraGroupChannelDefaultNotificationLevel",
            json!({ "targetId": "", "channelId": "c", "level": 1 }),
        ),
        (
            "getUltraGroupDefaultNotificationLevel",
            json!({ "targetId": "" }),
        ),
        (
            "loadUltraGroupChannelDefaultNotificationLevel",
            json!({ "targetId": "g", "channelId": long }),
        ),
    ];
    for (i, (method, args)) in refused.iter().enumerate() {
        let code = call(&engine, &rec, 10 + i as u64, method, args.clone());
        assert_eq!(code, 1, "{method} {args}");
    }
    std::thread::sleep(Duration::from_millis(100));
    let names: Vec<String> = rec
        .names()
        .into_iter()
        .filter(|n| n != "onConnectionStatusChanged")
        .collect();
    assert_eq!(
        names,
        ["onDatabaseOpened"],
        "no events after rejected calls"
    );
    engine.destroy();
}

#[test]
fn local_calls_reach_their_listeners() {
    let (engine, rec, _dir) = connected();
    let code = call(
        &engine,
        &rec,
        10,
        "getConversationsForAllChannel",
        json!({ "type": 5, "targetId": "g", "eventId": "c1" }),
    );
    assert_eq!(code, 0);
    let loaded = rec.event_named("onConversationsLoadedForAllChannel", 0);
    assert_eq!(loaded["eventId"], "c1");
    assert_eq!(
        loaded["args"],
        json!({ "code": 0, "type": 5, "targetId": "g", "conversations": [] })
    );

    assert_eq!(
        call(&engine, &rec, 11, "getUltraGroupAllUnreadCount", json!({})),
        0
    );
    assert_eq!(
        rec.event_named("onUltraGroupAllUnreadCountLoaded", 0)["args"],
        json!({ "code": 0, "count": 0 })
    );
    assert_eq!(
        call(
            &engine,
            &rec,
            12,
            "loadUltraGroupUnreadMentionedCount",
            json!({ "targetId": "g" })
        ),
        0
    );
    assert_eq!(
        rec.event_named("onUltraGroupUnreadMentionedCountLoaded", 0)["args"],
        json!({ "code": 0, "targetId": "g", "count": 0 })
    );
    assert_eq!(
        call(
            &engine,
            &rec,
            13,
            "clearUltraGroupMessages",
            json!({ "targetId": "g", "channelId": "", "timestamp": 0, "policy": 0 })
        ),
        0
    );
    assert_eq!(
        rec.event_named("onUltraGroupMessagesCleared", 0)["args"],
        json!({ "code": 0, "targetId": "g", "channelId": "", "timestamp": 0, "policy": 0 })
    );
    assert_eq!(
        call(
            &engine,
            &rec,
            14,
            "clearUltraGroupMessagesForAllChannel",
            json!({ "targetId": "g", "timestamp": 5 })
        ),
        0
    );
    assert_eq!(
        rec.event_named("onUltraGroupMessagesClearedForAllChannel", 0)["args"],
        json!({ "code": 0, "targetId": "g", "timestamp": 5 })
    );
    engine.destroy();
}
