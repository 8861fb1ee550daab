//! The rows of the method table that answer from the local store, media and history: their
//! argument checks and where their results go.

mod support;

use serde_json::{json, Value};
use std::time::Duration;
use support::*;

#[test]
fn local_store_methods_check_their_arguments() {
    let (engine, rec, _dir) = engine();
    let refused = [
        // Wrong types.
        ("saveDraftMessage", r#"{"type":1,"targetId":"b","draft":5}"#),
        ("getDraftMessage", r#"{"type":"1","targetId":"b"}"#),
        ("clearDraftMessage", r#"{"type":1}"#),
        ("loadMessageCount", r#"{"type":1,"targetId":7}"#),
        ("getFirstUnreadMessage", r#"{"type":1,"targetId":null}"#),
        (
            "getUnreadCountByConversationTypes",
            r#"{"conversationTypes":[1],"channelId":null,"contain":"yes"}"#,
        ),
        (
            "searchMessages",
            r#"{"type":1,"targetId":"b","keyword":"x","startTime":"0","count":10}"#,
        ),
        // Out of range.
        (
            "loadUnreadCountByConversationTypes",
            r#"{"conversationTypes":[],"channelId":null,"contain":true}"#,
        ),
        (
            "getUnreadCountByConversationTypes",
            r#"{"conversationTypes":[1,6],"channelId":null,"contain":true}"#,
        ),
        (
            "searchMessages",
            r#"{"type":1,"targetId":"b","keyword":"x","startTime":0,"count":0}"#,
        ),
        (
            "searchMessages",
            r#"{"type":1,"targetId":"b","keyword":"x","startTime":0,"count":51}"#,
        ),
        (
            "searchMessages",
            r#"{"type":1,"targetId":"b","keyword":"","startTime":0,"count":10}"#,
        ),
        (
            "searchMessages",
            r#"{"type":3,"targetId":"room","keyword":"x","startTime":0,"count":10}"#,
        ),
        ("getMessageCount", r#"{"type":0,"targetId":"b"}"#),
        ("loadDraftMessage", r#"{"type":1,"targetId":""}"#),
        // searchMessagesByUserId: a wrong type, count out of 1..=50, no user, no conversation.
        (
            "searchMessagesByUserId",
            r#"{"userId":7,"type":2,"targetId":"g","startTime":0,"count":10}"#,
        ),
        (
            "searchMessagesByUserId",
            r#"{"userId":"u","type":2,"targetId":"g","startTime":0,"count":0}"#,
        ),
        (
            "searchMessagesByUserId",
            r#"{"userId":"u","type":2,"targetId":"g","startTime":0,"count":51}"#,
        ),
        (
            "searchMessagesByUserId",
            r#"{"userId":"","type":2,"targetId":"g","startTime":0,"count":10}"#,
        ),
        (
            "searchMessagesByUserId",
            r#"{"userId":"u","type":2,"targetId":"","startTime":0,"count":10}"#,
        ),
    ];
    for (i, (method, args)) in refused.iter().enumerate() {
        engine.call(i as u64 + 1, method, args);
        assert_eq!(rec.reply(i as u64 + 1)["code"], 1, "{method} {args}");
    }
    // Valid arguments before connect: the database is not open yet.
    engine.call(
        100,
        "searchMessages",
        r#"{"type":1,"targetId":"b","channelId":null,"keyword":"x","startTime":0,"count":50}"#,
    );
    assert_eq!(rec.reply(100)["code"], 33001);
    engine.call(
        101,
        "saveDraftMessage",
        r#"{"type":1,"targetId":"b","channelId":null,"draft":"d","eventId":"1"}"#,
    );
    assert_eq!(rec.reply(101)["code"], 33001);
    engine.call(
        102,
        "searchMessagesByUserId",
        r#"{"userId":"u","type":2,"targetId":"g","channelId":null,"startTime":0,"count":50}"#,
    );
    assert_eq!(rec.reply(102)["code"], 33001);
    std::thread::sleep(Duration::from_millis(200));
    assert!(
        rec.events.lock().unwrap().is_empty(),
        "no events after rejected calls"
    );
}

#[test]
fn local_results_reach_their_listener_with_the_call_arguments_in_call_order() {
    let (engine, rec, _dir) = engine();
    engine.call(
        1,
        "connect",
        &format!(r#"{{"token":"{ALICE_TOKEN}","timeout":0,"eventId":"c"}}"#),
    );
    assert_eq!(rec.reply(1)["code"], 0);
    // The session's own events: serde on the engine's Event, eventId at the top.
    assert_eq!(
        rec.event_named("onDatabaseOpened", 0),
        json!({ "name": "onDatabaseOpened", "eventId": "c", "args": { "code": 0 } })
    );

    let calls = [
        (
            "saveDraftMessage",
            r#"{"type":1,"targetId":"bob","channelId":null,"draft":"草稿","eventId":"d"}"#,
        ),
        (
            "getDraftMessage",
            r#"{"type":1,"targetId":"bob","channelId":null}"#,
        ),
        (
            "loadMessages",
            r#"{"type":1,"targetId":"bob","channelId":"","sentTime":0,"order":0,"policy":0,"count":20,"eventId":"m"}"#,
        ),
        (
            "getConversations",
            r#"{"conversationTypes":[1,2],"channelId":null,"startTime":0,"count":10}"#,
        ),
        (
            "getUnreadCountByConversationTypes",
            r#"{"conversationTypes":[1],"contain":true}"#,
        ),
        ("getConversation", r#"{"type":1,"targetId":"nobody"}"#),
    ];
    for (i, (method, args)) in calls.iter().enumerate() {
        engine.call(10 + i as u64, method, args);
        assert_eq!(rec.reply(10 + i as u64)["code"], 0, "{method}");
    }
    assert_eq!(
        rec.event_named("onDraftMessageSaved", 0),
        json!({ "name": "onDraftMessageSaved", "eventId": "d", "args": {
            "code": 0, "type": 1, "targetId": "bob", "channelId": "", "draft": "草稿" } })
    );
    assert_eq!(
        rec.event_named("onDraftMessageLoaded", 0),
        json!({ "name": "onDraftMessageLoaded", "args": {
            "code": 0, "type": 1, "targetId": "bob", "channelId": "", "draft": "草稿" } })
    );
    assert_eq!(
        rec.event_named("onMessagesLoaded", 0),
        json!({ "name": "onMessagesLoaded", "eventId": "m", "args": {
            "code": 0, "type": 1, "targetId": "bob", "channelId": "", "sentTime": 0, "order": 0,
            "messages": [] } })
    );
    let conversations = rec.event_named("onConversationsLoaded", 0);
    let args = conversations["args"].as_object().unwrap();
    let mut keys: Vec<_> = args.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "channelId",
            "code",
            "conversationTypes",
            "conversations",
            "count",
            "startTime"
        ]
    );
    assert_eq!(args["conversations"][0]["targetId"], "bob");
    assert_eq!(args["conversations"][0]["draft"], "草稿");
    assert_eq!(
        rec.event_named("onUnreadCountByConversationTypesLoaded", 0),
        json!({ "name": "onUnreadCountByConversationTypesLoaded", "args": {
            "code": 0, "conversationTypes": [1], "channelId": "", "contain": true, "count": 0 } })
    );
    assert_eq!(
        rec.event_named("onConversationLoaded", 0),
        json!({ "name": "onConversationLoaded", "args": {
            "code": 0, "type": 1, "targetId": "nobody", "channelId": "", "conversation": null } })
    );
    // Results come in the order of the calls.
    let order: Vec<String> = rec
        .names()
        .into_iter()
        .filter(|n| n.ends_with("Loaded") || n.ends_with("Saved"))
        .filter(|n| n != "onDatabaseOpened")
        .collect();
    assert_eq!(
        order,
        [
            "onDraftMessageSaved",
            "onDraftMessageLoaded",
            "onMessagesLoaded",
            "onConversationsLoaded",
            "onUnreadCountByConversationTypesLoaded",
            "onConversationLoaded",
        ]
    );
    engine.destroy();
}

#[test]
fn media_calls_check_their_message_and_file_at_once() {
    let (engine, rec, dir) = engine();
    let image = |local: &str| {
        json!({ "message": { "conversationType": 1, "targetId": "bob", "messageType": 4,
            "local": local } })
        .to_string()
    };
    let text = r#"{"message":{"conversationType":1,"targetId":"bob","messageType":2,"text":"x"}}"#;
    engine.call(1, "sendMediaMessage", text);
    assert_eq!(rec.reply(1)["code"], 34223);
    let missing = dir.path().join("missing.png");
    engine.call(2, "sendMediaMessage", &image(missing.to_str().unwrap()));
    assert_eq!(rec.reply(2)["code"], 34234);
    engine.call(3, "sendMediaMessage", &image(dir.path().to_str().unwrap()));
    assert_eq!(rec.reply(3)["code"], 34234);
    let empty = dir.path().join("empty.png");
    std::fs::write(&empty, b"").unwrap();
    engine.call(4, "sendMediaMessage", &image(empty.to_str().unwrap()));
    assert_eq!(rec.reply(4)["code"], 34018);
    engine.call(5, "downloadMediaMessage", &image(""));
    assert_eq!(rec.reply(5)["code"], 34235);
    engine.call(6, "cancelSendingMediaMessage", &image(""));
    assert_eq!(rec.reply(6)["code"], 34204);
    engine.call(7, "cancelDownloadingMediaMessage", &image(""));
    assert_eq!(rec.reply(7)["code"], 34204);
    // A media message given to sendMessage (R081).
    engine.call(8, "sendMessage", &image(empty.to_str().unwrap()));
    assert_eq!(rec.reply(8)["code"], 1);
    engine.destroy();
}

#[test]
fn history_and_deletion_rows_check_their_arguments() {
    let (engine, rec, _dir) = engine();
    let msg = |id: i64| {
        json!({ "conversationType": 1, "targetId": "bob", "messageType": 1,
        "messageId": id, "messageUId": format!("U{id}") })
    };
    let too_many: Vec<Value> = (1..=101).map(msg).collect();
    let refused = [
        // getMessages: bad policy, REMOTE on a chatroom.
        (
            "getMessages",
            json!({"type":1,"targetId":"b","sentTime":0,"order":0,"policy":3,"count":20}),
        ),
        (
            "loadMessages",
            json!({"type":3,"targetId":"room","sentTime":0,"order":0,"policy":1,"count":20}),
        ),
        // deleteLocalMessages: none, too many, no messageId, not a list.
        ("deleteLocalMessages", json!({ "messages": [] })),
        ("deleteLocalMessages", json!({ "messages": too_many })),
        (
            "deleteLocalMessages",
            json!({ "messages": [{ "conversationType": 1, "targetId": "bob", "messageType": 1 }] }),
        ),
        ("deleteLocalMessages", json!({ "messages": 5 })),
        // deleteMessages: a message of another conversation, a chatroom, none.
        (
            "deleteMessages",
            json!({ "type": 1, "targetId": "eve", "channelId": null, "messages": [msg(1)] }),
        ),
        (
            "deleteMessages",
            json!({ "type": 3, "targetId": "room", "channelId": null, "messages": [] }),
        ),
        (
            "deleteMessages",
            json!({ "type": 1, "targetId": "bob", "channelId": null, "messages": [] }),
        ),
        // clearMessages: negative time, bad policy, chatroom, missing policy, REMOTE on SYSTEM.
        (
            "clearMessages",
            json!({ "type": 1, "targetId": "bob", "timestamp": -1, "policy": 0 }),
        ),
        (
            "clearMessages",
            json!({ "type": 1, "targetId": "bob", "timestamp": 0, "policy": 3 }),
        ),
        (
            "clearMessages",
            json!({ "type": 3, "targetId": "room", "timestamp": 0, "policy": 0 }),
        ),
        (
            "clearMessages",
            json!({ "type": 1, "targetId": "bob", "timestamp": 0 }),
        ),
        (
            "clearMessages",
            json!({ "type": 4, "targetId": "sys", "timestamp": 0, "policy": 1 }),
        ),
    ];
    for (i, (method, args)) in refused.iter().enumerate() {
        engine.call(i as u64 + 1, method, &args.to_string());
        assert_eq!(rec.reply(i as u64 + 1)["code"], 1, "{method} {args}");
    }
    // Valid before connect: no session, no database.
    engine.call(
        50,
        "deleteMessages",
        &json!({ "type": 1, "targetId": "bob", "messages": [msg(1)] }).to_string(),
    );
    assert_eq!(rec.reply(50)["code"], 33001);
    engine.call(
        51,
        "getMessages",
        r#"{"type":1,"targetId":"b","sentTime":0,"order":0,"policy":2,"count":20}"#,
    );
    assert_eq!(rec.reply(51)["code"], 33001);
    std::thread::sleep(Duration::from_millis(200));
    assert!(
        rec.events.lock().unwrap().is_empty(),
        "no events after rejected calls"
    );

    // Connected (no server needed for the local parts).
    engine.call(
        60,
        "connect",
        &format!(r#"{{"token":"{ALICE_TOKEN}","timeout":0,"eventId":"c"}}"#),
    );
    assert_eq!(rec.reply(60)["code"], 0);
    rec.event_named("onDatabaseOpened", 0);
    engine.call(
        61,
        "deleteLocalMessages",
        &json!({ "messages": [msg(404)], "eventId": "dl" }).to_string(),
    );
    assert_eq!(rec.reply(61)["code"], 0);
    let deleted = rec.event_named("onLocalMessagesDeleted", 0);
    assert_eq!(deleted["eventId"], "dl");
    assert_eq!(deleted["args"]["code"], 0);
    assert_eq!(deleted["args"]["messages"][0]["messageId"], 404);
    // R111: a timestamp after the newest message (none here) is refused in the result.
    engine.call(
        62,
        "clearMessages",
        r#"{"type":1,"targetId":"bob","channelId":null,"timestamp":5,"policy":0,"eventId":"c1"}"#,
    );
    assert_eq!(rec.reply(62)["code"], 0);
    assert_eq!(
        rec.event_named("onMessagesCleared", 0),
        json!({ "name": "onMessagesCleared", "eventId": "c1", "args": {
            "code": 1, "type": 1, "targetId": "bob", "channelId": "", "timestamp": 5 } })
    );
    engine.call(
        63,
        "clearMessages",
        r#"{"type":1,"targetId":"bob","channelId":null,"timestamp":0,"policy":0,"eventId":"c2"}"#,
    );
    assert_eq!(rec.reply(63)["code"], 0);
    assert_eq!(rec.event_named("onMessagesCleared", 1)["args"]["code"], 0);
    // A SYSTEM conversation has no cloud history: deleted locally, reported at once.
    engine.call(
        64,
        "deleteMessages",
        &json!({ "type": 4, "targetId": "sys", "channelId": null, "eventId": "d4",
            "messages": [{ "conversationType": 4, "targetId": "sys", "messageType": 1,
                "messageId": 9 }] })
        .to_string(),
    );
    assert_eq!(rec.reply(64)["code"], 0);
    let deleted = rec.event_named("onMessagesDeleted", 0);
    assert_eq!(deleted["eventId"], "d4");
    assert_eq!(deleted["args"]["code"], 0);
    assert_eq!(deleted["args"]["type"], 4);
    assert_eq!(deleted["args"]["targetId"], "sys");
    assert_eq!(deleted["args"]["messages"][0]["messageId"], 9);
    engine.destroy();
}
