//! The bridge rows of typing, read-state sync, group read receipts and directed group
//! messages, without a server: argument errors answer 1 and nothing happens; accepted calls
//! answer 0 and do their local part at once (a directed message is stored and announced, a
//! read-status sync clears unread here); what needs the server waits in the outbox (its
//! answers, and the events from other users, are covered by the session's tests).

mod support;

use serde_json::{json, Value};
use support::*;

fn group_text(body: &str) -> Value {
    json!({ "conversationType": 2, "targetId": "g1", "messageType": 2, "text": body })
}

/// A group message as received from bob, with a uid.
fn received_group(uid: &str) -> Value {
    json!({ "conversationType": 2, "targetId": "g1", "messageType": 2, "text": "x",
        "messageUId": uid, "senderUserId": "bob", "direction": 1 })
}

#[test]
fn argument_errors_answer_param_error() {
    let (engine, rec, _dir) = connected();
    let own_sent = json!({ "conversationType": 2, "targetId": "g1", "messageType": 2,
        "text": "x", "messageUId": "U1", "senderUserId": "alice", "direction": 0 });
    let refused = [
        // Typing: private conversations only, with what is typed.
        (
            "sendTypingStatus",
            json!({ "type": 2, "targetId": "g1", "channelId": null, "currentType": "RC:TxtMsg" }),
        ),
        (
            "sendTypingStatus",
            json!({ "type": 1, "targetId": "bob", "channelId": null, "currentType": "" }),
        ),
        (
            "sendTypingStatus",
            json!({ "type": 1, "targetId": "bob", "currentType": "x".repeat(33) }),
        ),
        ("sendTypingStatus", json!({ "type": 1, "targetId": "bob" })),
        // Read-status sync: private, group or system; no negative time.
        (
            "syncConversationReadStatus",
            json!({ "type": 3, "targetId": "room", "channelId": null, "timestamp": 1 }),
        ),
        (
            "syncConversationReadStatus",
            json!({ "type": 1, "targetId": "bob", "channelId": null, "timestamp": -1 }),
        ),
        (
            "syncConversationReadStatus",
            json!({ "type": 1, "targetId": "", "timestamp": 1 }),
        ),
        // Receipt requests: this user's own group message, with its uid.
        (
            "sendGroupReadReceiptRequest",
            json!({ "message": { "conversationType": 1, "targetId": "bob", "messageType": 2,
                "text": "x", "messageUId": "U1" } }),
        ),
        (
            "sendGroupReadReceiptRequest",
            json!({ "message": group_text("no uid") }),
        ),
        (
            "sendGroupReadReceiptRequest",
            json!({ "message": received_group("U2") }),
        ),
        ("sendGroupReadReceiptRequest", json!({ "message": 5 })),
        // Responses: 1..=100 messages of that group with uids.
        (
            "sendGroupReadReceiptResponse",
            json!({ "targetId": "g1", "channelId": null, "messages": [] }),
        ),
        (
            "sendGroupReadReceiptResponse",
            json!({ "targetId": "g2", "channelId": null, "messages": [received_group("U2")] }),
        ),
        (
            "sendGroupReadReceiptResponse",
            json!({ "targetId": "g1", "messages": [group_text("no uid")] }),
        ),
        (
            "sendGroupReadReceiptResponse",
            json!({ "targetId": "g1",
                "messages": vec![received_group("U2"); 101] }),
        ),
        // Directed messages: group, stored, non-media, with someone to send to.
        (
            "sendGroupMessageToDesignatedUsers",
            json!({ "message": { "conversationType": 1, "targetId": "bob", "messageType": 2,
                "text": "x" }, "userIds": ["bob"] }),
        ),
        (
            "sendGroupMessageToDesignatedUsers",
            json!({ "message": group_text("x"), "userIds": [] }),
        ),
        (
            "sendGroupMessageToDesignatedUsers",
            json!({ "message": group_text("x"), "userIds": [null, ""] }),
        ),
        (
            "sendGroupMessageToDesignatedUsers",
            json!({ "message": { "conversationType": 2, "targetId": "g1", "messageType": 3,
                "local": "/nope.png" }, "userIds": ["bob"] }),
        ),
        (
            "sendGroupMessageToDesignatedUsers",
            json!({ "message": { "conversationType": 2, "targetId": "g1", "messageType": 10,
                "name": "n", "data": "d" }, "userIds": ["bob"] }),
        ),
        (
            "sendGroupMessageToDesignatedUsers",
            json!({ "message": group_text("x"),
                "userIds": (0..301).map(|i| format!("u{i}")).collect::<Vec<_>>() }),
        ),
        (
            "sendGroupMessageToDesignatedUsers",
            json!({ "message": group_text("x") }),
        ),
    ];
    for (i, (method, args)) in refused.iter().enumerate() {
        let code = call(&engine, &rec, 10 + i as u64, method, args.clone());
        assert_eq!(code, 1, "{method} {args}");
    }
    // The own sent message is fine.
    assert_eq!(
        call(
            &engine,
            &rec,
            100,
            "sendGroupReadReceiptRequest",
            json!({ "message": own_sent, "eventId": "rr" }),
        ),
        0
    );
    std::thread::sleep(std::time::Duration::from_millis(100));
    let names = rec.names();
    assert!(
        !names
            .iter()
            .any(|n| n.contains("Designated") || n.contains("Receipt")),
        "refused calls do nothing, the request waits for the server: {names:?}"
    );
    engine.destroy();
}

#[test]
fn a_directed_message_is_stored_and_announced_to_its_own_listener() {
    let (engine, rec, _dir) = connected();
    let code = call(
        &engine,
        &rec,
        2,
        "sendGroupMessageToDesignatedUsers",
        json!({ "message": group_text("psst"), "userIds": [null, "bob", "bob", "carol"],
            "eventId": "d" }),
    );
    assert_eq!(code, 0);
    let attached = rec.event_named("onGroupMessageToDesignatedUsersAttached", 0);
    assert_eq!(attached["eventId"], "d");
    let message = &attached["args"]["message"];
    assert_eq!(message["text"], "psst");
    assert_eq!(message["sentStatus"], 0, "SENDING");
    assert!(message["messageId"].as_i64().unwrap() > 0);
    assert!(
        message.get("directedUserIds").is_none(),
        "the members are not part of the API message"
    );
    assert!(!rec.names().contains(&"onMessageAttached".to_string()));
    engine.destroy();
}

#[test]
fn typing_and_receipt_calls_are_accepted() {
    let (engine, rec, _dir) = connected();
    // Not connected: the typing status is dropped, with nothing to report.
    let code = call(
        &engine,
        &rec,
        2,
        "sendTypingStatus",
        json!({ "type": 1, "targetId": "bob", "channelId": null, "currentType": "RC:TxtMsg" }),
    );
    assert_eq!(code, 0);
    let code = call(
        &engine,
        &rec,
        3,
        "sendGroupReadReceiptResponse",
        json!({ "targetId": "g1", "channelId": null,
            "messages": [received_group("U1"), received_group("U2")], "eventId": "resp" }),
    );
    assert_eq!(code, 0);
    engine.destroy();
}

#[test]
fn a_read_status_sync_clears_unread_here_at_once() {
    let (engine, rec, _dir) = connected();
    let received = |body: &str, time: i64| {
        json!({ "conversationType": 1, "targetId": "bob", "messageType": 2, "text": body,
            "direction": 1, "sentTime": time })
    };
    let code = call(
        &engine,
        &rec,
        2,
        "insertMessages",
        json!({ "messages": [received("a", 100), received("b", 200)] }),
    );
    assert_eq!(code, 0);
    rec.event_named("onMessagesInserted", 0);
    let code = call(
        &engine,
        &rec,
        3,
        "syncConversationReadStatus",
        json!({ "type": 1, "targetId": "bob", "channelId": null, "timestamp": 100,
            "eventId": "s" }),
    );
    assert_eq!(code, 0);
    call(
        &engine,
        &rec,
        4,
        "getUnreadCount",
        json!({ "type": 1, "targetId": "bob", "channelId": null }),
    );
    assert_eq!(
        rec.event_named("onUnreadCountLoaded", 0)["args"]["count"],
        1,
        "read up to the timestamp"
    );
    engine.destroy();
}

#[test]
fn the_method_table_lists_the_messaging_rows() {
    let (engine, rec, _dir) = engine();
    engine.call(1, "__methods", "{}");
    let names = rec.reply(1)["value"].clone();
    for name in [
        "sendTypingStatus",
        "syncConversationReadStatus",
        "sendGroupReadReceiptRequest",
        "sendGroupReadReceiptResponse",
        "sendGroupMessageToDesignatedUsers",
    ] {
        assert!(names.as_array().unwrap().contains(&json!(name)), "{name}");
    }
    engine.destroy();
}
