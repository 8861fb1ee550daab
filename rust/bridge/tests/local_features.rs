//! The bridge rows of the local features: inserted messages, lookup by uid, status edits,
//! mentions, the searches by time range and by conversation, and expansion: argument errors
//! answer 1, results reach their listener with the §3 parameter names.

mod support;

use serde_json::{json, Value};
use std::time::Duration;
use support::*;

fn text(conversation_type: u32, target: &str, body: &str, direction: u8, time: i64) -> Value {
    json!({ "conversationType": conversation_type, "targetId": target, "messageType": 2,
        "text": body, "direction": direction, "sentTime": time })
}

#[test]
fn argument_errors_answer_param_error() {
    let (engine, rec, _dir) = connected();
    let refused = [
        ("insertMessage", json!({ "message": 5 })),
        ("insertMessages", json!({ "messages": [] })),
        // A type that is not stored (COMMAND), a chatroom, a bad direction.
        (
            "insertMessage",
            json!({ "message": { "conversationType": 1, "targetId": "b", "messageType": 10,
                "name": "n", "data": "d" } }),
        ),
        (
            "insertMessage",
            json!({ "message": text(3, "room", "x", 0, 1) }),
        ),
        (
            "insertMessage",
            json!({ "message": text(1, "b", "x", 7, 1) }),
        ),
        // PART mention without users.
        (
            "insertMessage",
            json!({ "message": { "conversationType": 2, "targetId": "g", "messageType": 2,
                "text": "x", "mentionedInfo": { "type": 1, "userIdList": [] } } }),
        ),
        ("getMessageByUId", json!({ "messageUId": "" })),
        ("getMessageByUId", json!({ "messageUId": 5 })),
        (
            "changeMessageSentStatus",
            json!({ "messageId": 1, "sentStatus": 7 }),
        ),
        (
            "changeMessageSentStatus",
            json!({ "messageId": 1, "sentStatus": -1 }),
        ),
        (
            "changeMessageReceiveStatus",
            json!({ "messageId": 1, "receivedStatus": 6 }),
        ),
        (
            "changeMessageReceiveStatus",
            json!({ "messageId": "x", "receivedStatus": 1 }),
        ),
        (
            "getUnreadMentionedMessages",
            json!({ "type": 3, "targetId": "room" }),
        ),
        (
            "loadUnreadMentionedCount",
            json!({ "type": 2, "targetId": "" }),
        ),
        (
            "searchMessagesByTimeRange",
            json!({ "type": 1, "targetId": "b", "keyword": "x", "startTime": 0, "endTime": 9,
                "offset": 0, "count": 51 }),
        ),
        (
            "searchMessagesByTimeRange",
            json!({ "type": 1, "targetId": "b", "keyword": "x", "startTime": 9, "endTime": 1,
                "offset": 0, "count": 5 }),
        ),
        (
            "searchMessagesByTimeRange",
            json!({ "type": 1, "targetId": "b", "keyword": "", "startTime": 0, "endTime": 9,
                "offset": 0, "count": 5 }),
        ),
        (
            "searchConversations",
            json!({ "conversationTypes": [], "messageTypes": [2], "keyword": "x" }),
        ),
        (
            "searchConversations",
            json!({ "conversationTypes": [1], "messageTypes": [], "keyword": "x" }),
        ),
        (
            "searchConversations",
            json!({ "conversationTypes": [1], "messageTypes": [2], "keyword": "" }),
        ),
        (
            "updateMessageExpansion",
            json!({ "messageUId": "", "expansion": { "k": "v" } }),
        ),
        (
            "updateMessageExpansion",
            json!({ "messageUId": "u", "expansion": {} }),
        ),
        (
            "updateMessageExpansion",
            json!({ "messageUId": "u", "expansion": { "k": 1 } }),
        ),
        (
            "removeMessageExpansionForKeys",
            json!({ "messageUId": "u", "keys": [] }),
        ),
        (
            "removeMessageExpansionForKeys",
            json!({ "messageUId": "u", "keys": "k" }),
        ),
        // Expansion on a chatroom message (R123).
        (
            "sendMessage",
            json!({ "message": { "conversationType": 3, "targetId": "room", "messageType": 2,
                "text": "x", "expansion": {} } }),
        ),
    ];
    for (i, (method, args)) in refused.iter().enumerate() {
        let code = call(&engine, &rec, 10 + i as u64, method, args.clone());
        assert_eq!(code, 1, "{method} {args}");
    }
    // The limits of R066 answer 34010 at once.
    let many: serde_json::Map<String, Value> =
        (0..21).map(|i| (format!("k{i}"), json!("v"))).collect();
    let over = [
        (
            "updateMessageExpansion",
            json!({ "messageUId": "u", "expansion": many }),
        ),
        (
            "updateMessageExpansion",
            json!({ "messageUId": "u", "expansion": { "中": "v" } }),
        ),
        (
            "updateMessageExpansion",
            json!({ "messageUId": "u", "expansion": { "k": "v".repeat(4097) } }),
        ),
        (
            "removeMessageExpansionForKeys",
            json!({ "messageUId": "u", "keys": ["x".repeat(33)] }),
        ),
        (
            "sendMessage",
            json!({ "message": { "conversationType": 1, "targetId": "bob", "messageType": 2,
                "text": "x", "expansion": { "bad key": "v" } } }),
        ),
    ];
    for (i, (method, args)) in over.iter().enumerate() {
        let code = call(&engine, &rec, 100 + i as u64, method, args.clone());
        assert_eq!(code, 34010, "{method}");
    }
    std::thread::sleep(Duration::from_millis(100));
    let names: Vec<Value> = rec
        .events
        .lock()
        .unwrap()
        .iter()
        .map(|e| e["name"].clone())
        .filter(|n| n != "onConnectionStatusChanged")
        .collect();
    assert_eq!(
        names,
        vec![json!("onDatabaseOpened")],
        "no events after rejected calls"
    );
    engine.destroy();
}

#[test]
fn inserted_messages_reach_their_listeners_and_the_conversation() {
    let (engine, rec, _dir) = connected();
    let code = call(
        &engine,
        &rec,
        10,
        "insertMessage",
        json!({ "message": text(1, "bob", "你好", 0, 0), "eventId": "i1" }),
    );
    assert_eq!(code, 0);
    let inserted = rec.event_named("onMessageInserted", 0);
    assert_eq!(inserted["eventId"], "i1");
    let args = inserted["args"].as_object().unwrap();
    let mut keys: Vec<&str> = args.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(keys, ["code", "message"]);
    let message = &args["message"];
    assert_eq!(args["code"], 0);
    assert!(message["messageId"].as_i64().unwrap() > 0);
    assert_eq!(message["sentStatus"], 2, "R101: sent");
    assert_eq!(message["direction"], 0);
    assert_eq!(message["senderUserId"], "alice");
    assert!(message["sentTime"].as_i64().unwrap() > 0, "now");
    assert!(message.get("messageUId").is_none(), "never sent (R102)");

    // A batch: received unread messages count; a group mention of alice counts as a mention.
    let mention = json!({ "conversationType": 2, "targetId": "g1", "messageType": 2,
        "text": "@alice", "direction": 1, "senderUserId": "carol", "sentTime": 50,
        "mentionedInfo": { "type": 1, "userIdList": ["alice"], "mentionedContent": "@" } });
    let code = call(
        &engine,
        &rec,
        11,
        "insertMessages",
        json!({ "messages": [text(1, "bob", "早上好", 1, 100), mention] }),
    );
    assert_eq!(code, 0);
    let args = &rec.event_named("onMessagesInserted", 0)["args"];
    assert_eq!(args["code"], 0);
    let messages = args["messages"].as_array().unwrap();
    assert_eq!(messages.len(), 2);
    assert_eq!(messages[0]["receivedStatus"], 0);
    assert_eq!(messages[1]["senderUserId"], "carol");
    assert_eq!(messages[1]["mentionedInfo"]["type"], 1);
    let received_id = messages[0]["messageId"].as_i64().unwrap();

    call(
        &engine,
        &rec,
        12,
        "getConversation",
        json!({ "type": 1, "targetId": "bob" }),
    );
    let bob = &rec.event_named("onConversationLoaded", 0)["args"]["conversation"];
    assert_eq!(bob["unreadCount"], 1);
    // The newest by sent time (the first one, sent "now").
    assert_eq!(bob["lastMessage"]["text"], "你好");
    call(
        &engine,
        &rec,
        13,
        "getUnreadMentionedCount",
        json!({ "type": 2, "targetId": "g1" }),
    );
    assert_eq!(
        rec.event_named("onUnreadMentionedCountLoaded", 0),
        json!({ "name": "onUnreadMentionedCountLoaded", "args": {
            "code": 0, "type": 2, "targetId": "g1", "channelId": "", "count": 1 } })
    );
    call(
        &engine,
        &rec,
        14,
        "loadUnreadMentionedMessages",
        json!({ "type": 2, "targetId": "g1" }),
    );
    let args = &rec.event_named("onUnreadMentionedMessagesLoaded", 0)["args"];
    assert_eq!(args["messages"][0]["text"], "@alice");
    assert_eq!(
        (args["type"].clone(), args["targetId"].clone()),
        (json!(2), json!("g1"))
    );

    // Status edits: listener (code, messageId); READ leaves the unread count.
    let code = call(
        &engine,
        &rec,
        15,
        "changeMessageReceiveStatus",
        json!({ "messageId": received_id, "receivedStatus": 1, "eventId": "rs" }),
    );
    assert_eq!(code, 0);
    assert_eq!(
        rec.event_named("onMessageReceiveStatusChanged", 0),
        json!({ "name": "onMessageReceiveStatusChanged", "eventId": "rs",
            "args": { "code": 0, "messageId": received_id } })
    );
    call(
        &engine,
        &rec,
        16,
        "getUnreadCount",
        json!({ "type": 1, "targetId": "bob" }),
    );
    assert_eq!(
        rec.event_named("onUnreadCountLoaded", 0)["args"]["count"],
        0
    );
    call(
        &engine,
        &rec,
        17,
        "changeMessageSentStatus",
        json!({ "messageId": 999999, "sentStatus": 1 }),
    );
    assert_eq!(
        rec.event_named("onMessageSentStatusChanged", 0),
        json!({ "name": "onMessageSentStatusChanged",
            "args": { "code": 34204, "messageId": 999999 } })
    );
    call(
        &engine,
        &rec,
        18,
        "changeMessageSentStatus",
        json!({ "messageId": received_id, "sentStatus": 1 }),
    );
    assert_eq!(
        rec.event_named("onMessageSentStatusChanged", 1)["args"]["code"],
        0
    );

    // getMessageByUId: a reply row; an unknown uid is 34204.
    engine.call(19, "getMessageByUId", r#"{"messageUId":"nope"}"#);
    assert_eq!(rec.reply(19)["code"], 34204);
    engine.destroy();
}

#[test]
fn searches_by_time_range_and_by_conversation_reach_their_listeners() {
    let (engine, rec, _dir) = connected();
    let messages: Vec<Value> = (1..=5)
        .map(|i| text(1, "bob", &format!("项目进度 {i}"), 1, i * 10))
        .chain([
            text(2, "g1", "项目", 0, 60),
            text(1, "carol", "别的", 0, 70),
        ])
        .collect();
    assert_eq!(
        call(
            &engine,
            &rec,
            10,
            "insertMessages",
            json!({ "messages": messages })
        ),
        0
    );
    rec.event_named("onMessagesInserted", 0);
    let range = json!({ "type": 1, "targetId": "bob", "channelId": null, "keyword": "项目进度",
        "startTime": 20, "endTime": 40, "offset": 1, "count": 5, "eventId": "s" });
    assert_eq!(
        call(&engine, &rec, 11, "searchMessagesByTimeRange", range),
        0
    );
    let event = rec.event_named("onMessagesSearchedByTimeRange", 0);
    assert_eq!(event["eventId"], "s");
    let args = event["args"].as_object().unwrap();
    let mut keys: Vec<&str> = args.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "channelId",
            "code",
            "count",
            "endTime",
            "keyword",
            "messages",
            "offset",
            "startTime",
            "targetId",
            "type"
        ]
    );
    let times: Vec<i64> = args["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["sentTime"].as_i64().unwrap())
        .collect();
    assert_eq!(times, vec![30, 20], "newest first, the first match skipped");

    let search = json!({ "conversationTypes": [1, 2], "channelId": null, "messageTypes": [2],
        "keyword": "项目" });
    assert_eq!(call(&engine, &rec, 12, "searchConversations", search), 0);
    let args = rec.event_named("onConversationsSearched", 0)["args"].clone();
    assert_eq!(args["code"], 0);
    assert_eq!(args["keyword"], "项目");
    assert_eq!(args["conversationTypes"], json!([1, 2]));
    assert_eq!(args["messageTypes"], json!([2]));
    let found: Vec<(String, u64)> = args["conversations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["conversation"]["targetId"].as_str().unwrap().to_string(),
                r["count"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(found, vec![("g1".to_string(), 1), ("bob".to_string(), 5)]);
    engine.destroy();
}

#[test]
fn expansion_of_an_unknown_or_plain_message_is_reported_to_its_listener() {
    let (engine, rec, _dir) = connected();
    let code = call(
        &engine,
        &rec,
        10,
        "updateMessageExpansion",
        json!({ "messageUId": "NOPE", "expansion": { "k": "v" }, "eventId": "u" }),
    );
    assert_eq!(code, 0, "accepted; the lookup answers later");
    assert_eq!(
        rec.event_named("onMessageExpansionUpdated", 0),
        json!({ "name": "onMessageExpansionUpdated", "eventId": "u",
            "args": { "code": 1, "messageUId": "NOPE", "expansion": { "k": "v" } } })
    );
    call(
        &engine,
        &rec,
        11,
        "removeMessageExpansionForKeys",
        json!({ "messageUId": "NOPE", "keys": ["k"] }),
    );
    assert_eq!(
        rec.event_named("onMessageExpansionForKeysRemoved", 0),
        json!({ "name": "onMessageExpansionForKeysRemoved",
            "args": { "code": 1, "messageUId": "NOPE", "keys": ["k"] } })
    );
    engine.destroy();
}

#[test]
fn the_method_table_lists_the_new_rows() {
    let (engine, rec, _dir) = connected();
    engine.call(2, "__methods", "{}");
    let names = rec.reply(2)["value"].clone();
    for name in [
        "insertMessage",
        "insertMessages",
        "getMessageByUId",
        "changeMessageSentStatus",
        "changeMessageReceiveStatus",
        "getUnreadMentionedMessages",
        "loadUnreadMentionedMessages",
        "getUnreadMentionedCount",
        "loadUnreadMentionedCount",
        "searchMessagesByTimeRange",
        "searchConversations",
        "updateMessageExpansion",
        "removeMessageExpansionForKeys",
    ] {
        assert!(names.as_array().unwrap().contains(&json!(name)), "{name}");
    }
    engine.destroy();
}
