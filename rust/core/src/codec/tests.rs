//! Round trips of every type through the wire and the store, and RongCloud-shaped bodies as
//! a Server API publisher sends them.

use super::*;
use crate::model::custom_policy;
use rcim_proto::v1::Message as WireMessage;

fn wire(object_name: &str, content: &str, flags: WireFlags) -> WireMessage {
    WireMessage {
        uid: "U1".into(),
        conversation_type: 1,
        to_id: "bob".into(),
        sender_id: "alice".into(),
        object_name: object_name.into(),
        content: content.into(),
        sent_time: 5,
        persisted: flags.persisted,
        counted: flags.counted,
        status: flags.status,
        custom: flags.custom,
        ..Default::default()
    }
}

fn stored(new: NewMessage) -> MessageRow {
    as_row(new, 1)
}

/// Encodes `message`, receives it as bob and reads it back from bob's row.
fn through_wire(message: &Message) -> (String, Value, Message) {
    let (object_name, content) = encode_content(message).expect("encodable");
    let flags = message_flags(message);
    let w = wire(&object_name, &content, flags);
    let back = message_from_row(&stored(row_from_wire(&w, "bob", 6)));
    (object_name, serde_json::from_str(&content).unwrap(), back)
}

fn fields(pairs: Value) -> Map<String, Value> {
    pairs.as_object().unwrap().clone()
}

fn make(message_type: u32, f: Value) -> Message {
    new_message(1, "bob", None, message_type, fields(f))
}

/// The decoded message has exactly `expected` as type fields.
fn assert_fields(message: &Message, expected: Value) {
    assert_eq!(Value::Object(message.fields.clone()), expected);
}

#[test]
fn text_round_trips_through_wire_and_store() {
    let mut message = new_text_message(1, "bob", None, "你好 world");
    message.extra = Some("x".into());
    let (object_name, content, back) = through_wire(&message);
    assert_eq!(object_name, "RC:TxtMsg");
    assert_eq!(content, json!({"content": "你好 world", "extra": "x"}));
    assert_eq!(back.target_id, "alice");
    assert_eq!(back.direction, Some(rcim_store::direction::RECEIVE));
    assert_eq!(back.text(), Some("你好 world"));
    assert_eq!(back.extra.as_deref(), Some("x"));
    assert_eq!(back.message_type, message_type::TEXT);
}

#[test]
fn media_types_use_rongcloud_shapes() {
    let cases = [
        (
            make(
                message_type::IMAGE,
                json!({"local": "/a.jpg", "remote": "http://x/a.jpg",
                       "thumbnailBase64String": "QUJD", "original": true}),
            ),
            "RC:ImgMsg",
            json!({"content": "QUJD", "imageUri": "http://x/a.jpg", "full": true}),
            json!({"local": "", "remote": "http://x/a.jpg",
                   "thumbnailBase64String": "QUJD", "original": true}),
        ),
        (
            make(
                message_type::VOICE,
                json!({"local": "/v.aac", "remote": "http://x/v.aac", "duration": 7}),
            ),
            "RC:HQVCMsg",
            json!({"remoteUrl": "http://x/v.aac", "duration": 7, "name": "v.aac"}),
            json!({"local": "", "remote": "http://x/v.aac", "duration": 7}),
        ),
        (
            make(
                message_type::FILE,
                json!({"local": "/d/r.pdf", "remote": "http://x/r.pdf", "name": "r.pdf",
                       "fileType": "pdf", "size": 2048}),
            ),
            "RC:FileMsg",
            json!({"name": "r.pdf", "size": 2048, "type": "pdf", "fileUrl": "http://x/r.pdf"}),
            json!({"local": "", "remote": "http://x/r.pdf", "name": "r.pdf",
                   "fileType": "pdf", "size": 2048}),
        ),
        (
            make(
                message_type::SIGHT,
                json!({"local": "/m.mp4", "remote": "http://x/m.mp4", "duration": 12,
                       "size": 99, "name": "m.mp4", "thumbnailBase64String": "VA=="}),
            ),
            "RC:SightMsg",
            json!({"sightUrl": "http://x/m.mp4", "content": "VA==", "duration": 12,
                   "size": 99, "name": "m.mp4"}),
            json!({"local": "", "remote": "http://x/m.mp4", "duration": 12, "size": 99,
                   "name": "m.mp4", "thumbnailBase64String": "VA=="}),
        ),
        (
            make(
                message_type::GIF,
                json!({"local": "/g.gif", "remote": "http://x/g.gif", "dataSize": 300,
                       "width": 4, "height": 5}),
            ),
            "RC:GIFMsg",
            json!({"remoteUrl": "http://x/g.gif", "gifDataSize": 300, "width": 4,
                   "height": 5, "name": "g.gif"}),
            json!({"local": "", "remote": "http://x/g.gif", "dataSize": 300, "width": 4,
                   "height": 5}),
        ),
    ];
    for (message, name, wire_json, received) in cases {
        let (object_name, content, back) = through_wire(&message);
        assert_eq!(object_name, name);
        assert_eq!(content, wire_json, "{name}");
        assert_eq!(back.message_type, message.message_type, "{name}");
        assert_fields(&back, received);
    }
}

#[test]
fn the_senders_row_keeps_local_paths_that_never_travel() {
    let message = make(
        message_type::IMAGE,
        json!({"local": "/a.jpg", "remote": "", "thumbnailBase64String": "", "original": false}),
    );
    let (_, content) = encode_content(&message).unwrap();
    assert!(!content.contains("/a.jpg"));
    let extra = extra_json(&message).unwrap();
    let mut row = stored(row_from_wire(
        &wire("RC:ImgMsg", &content, message_flags(&message)),
        "alice",
        1,
    ));
    row.extra_json = Some(extra);
    assert_eq!(message_from_row(&row).fields["local"], "/a.jpg");
}

#[test]
fn server_api_publishers_bodies_decode_typed() {
    // As RongCloud's server SDKs publish them (numbers may come as strings).
    let cases = [
        (
            "RC:ImgMsg",
            r#"{"content":"QUJD","imageUri":"http://x/a.jpg","full":true,"extra":"e"}"#,
            message_type::IMAGE,
            json!({"local": "", "remote": "http://x/a.jpg", "thumbnailBase64String": "QUJD",
                   "original": true}),
        ),
        (
            "RC:FileMsg",
            r#"{"name":"a.txt","size":"12","type":"txt","fileUrl":"http://x/a.txt"}"#,
            message_type::FILE,
            json!({"local": "", "remote": "http://x/a.txt", "name": "a.txt", "size": 12,
                   "fileType": "txt"}),
        ),
        (
            "RC:LBSMsg",
            r#"{"content":"/9j/AA==","latitude":39.9,"longitude":116.3,"poi":"Beijing"}"#,
            message_type::LOCATION,
            json!({"latitude": 39.9, "longitude": 116.3, "poiName": "Beijing",
                   "thumbnailPath": "data:image/jpeg;base64,/9j/AA==",
                   "thumbnailBase64String": "/9j/AA=="}),
        ),
    ];
    for (name, content, message_type, expected) in cases {
        let w = wire(name, content, wire_flags(message_type, None));
        let back = message_from_wire(&w, "bob", 1);
        assert_eq!(back.message_type, message_type, "{name}");
        assert_eq!(back.message_id, None);
        assert_fields(&back, expected);
    }
}

#[test]
fn location_reference_and_commands_round_trip() {
    let location = make(
        message_type::LOCATION,
        json!({"longitude": 116.3, "latitude": 39.9, "poiName": "P", "thumbnailPath": "/t.jpg",
               "thumbnailBase64String": "QQ=="}),
    );
    let (name, content, back) = through_wire(&location);
    assert_eq!(name, "RC:LBSMsg");
    assert_eq!(
        content,
        json!({"content": "QQ==", "latitude": 39.9, "longitude": 116.3, "poi": "P"})
    );
    assert_eq!(back.fields["poiName"], "P");
    assert_eq!(back.fields["longitude"], 116.3);
    assert_eq!(back.fields["thumbnailPath"], "data:image/jpeg;base64,QQ==");

    let mut quoted = new_text_message(1, "bob", None, "original");
    quoted.message_uid = Some("Q1".into());
    quoted.sender_user_id = Some("bob".into());
    let reference = make(
        message_type::REFERENCE,
        json!({"text": "reply", "referenceMessage": serde_json::to_value(&quoted).unwrap()}),
    );
    let (name, content, back) = through_wire(&reference);
    assert_eq!(name, "RC:ReferenceMsg");
    assert_eq!(
        content,
        json!({"content": "reply", "referMsgUserId": "bob", "referMsg": {"content": "original"},
               "objName": "RC:TxtMsg", "referMsgUid": "Q1"})
    );
    assert_eq!(back.message_type, message_type::REFERENCE);
    assert_eq!(back.fields["text"], "reply");
    let q = reference::quoted(&back).unwrap();
    assert_eq!(q.message_type, message_type::TEXT);
    assert_eq!(q.text(), Some("original"));
    assert_eq!(q.message_uid.as_deref(), Some("Q1"));
    assert_eq!(q.sender_user_id.as_deref(), Some("bob"));

    for (t, name, counted) in [
        (message_type::COMMAND, "RC:CmdMsg", false),
        (message_type::COMMAND_NOTIFICATION, "RC:CmdNtf", false),
    ] {
        let m = make(t, json!({"name": "n", "data": "{\"k\":1}"}));
        let (object_name, content) = encode_content(&m).unwrap();
        assert_eq!(object_name, name);
        assert_eq!(content, r#"{"data":"{\"k\":1}","name":"n"}"#);
        assert_eq!(message_flags(&m).counted, counted);
        let back = message_from_wire(&wire(&object_name, &content, message_flags(&m)), "bob", 1);
        assert_eq!(back.message_type, t);
        assert_fields(&back, json!({"name": "n", "data": "{\"k\":1}"}));
    }
    let command = make(message_type::COMMAND, json!({"name": "n", "data": ""}));
    let w = wire("RC:CmdMsg", "{}", message_flags(&command));
    assert!(!received_is_stored(&w));
    let notification = wire("RC:CmdNtf", "{}", wire_flags(message_type::COMMAND, None));
    // A command notification published with persisted = false is not stored either.
    assert!(!received_is_stored(&notification));
}

#[test]
fn custom_messages_carry_identifier_policy_and_fields() {
    for policy in [
        custom_policy::COMMAND,
        custom_policy::NORMAL,
        custom_policy::STATUS,
        custom_policy::STORAGE,
    ] {
        let m = make(
            message_type::CUSTOM,
            json!({"identifier": "App:Card", "policy": policy, "fields": {"a": "1", "b": "x"}}),
        );
        let flags = message_flags(&m);
        assert!(flags.custom);
        let (name, content) = encode_content(&m).unwrap();
        assert_eq!(name, "App:Card");
        assert_eq!(content, r#"{"a":"1","b":"x"}"#);
        let w = wire(&name, &content, flags);
        assert_eq!(
            received_is_stored(&w),
            matches!(policy, custom_policy::NORMAL | custom_policy::STORAGE)
        );
        let row = row_from_wire(&w, "bob", 1);
        assert_eq!(row.counted, policy == custom_policy::NORMAL);
        let back = message_from_row(&stored(row));
        assert_eq!(back.message_type, message_type::CUSTOM);
        assert_fields(
            &back,
            json!({"identifier": "App:Card", "policy": policy, "fields": {"a": "1", "b": "x"}}),
        );
    }
    // The same name without the custom flag is unknown.
    let plain = message_from_wire(&wire("App:Card", "{}", WireFlags::default()), "bob", 1);
    assert_eq!(plain.message_type, message_type::UNKNOWN);
    for bad in [
        json!({"identifier": "RC:Mine", "policy": 1, "fields": {}}),
        json!({"identifier": "", "policy": 1, "fields": {}}),
        json!({"identifier": "x".repeat(33), "policy": 1, "fields": {}}),
        json!({"identifier": "App:X", "policy": 4, "fields": {}}),
        json!({"identifier": "App:X", "policy": 1, "fields": {"n": 1}}),
    ] {
        assert!(
            encode_content(&make(message_type::CUSTOM, bad.clone())).is_none(),
            "{bad}"
        );
    }
}

#[test]
fn unknown_object_names_keep_their_raw_data() {
    let mut m = Message::default();
    decode_content(&mut m, "App:Thing", "{\"a\":1}", &Decoding::default());
    assert_eq!(m.message_type, message_type::UNKNOWN);
    assert_eq!(m.fields["objectName"], "App:Thing");
    assert_eq!(m.fields["rawData"], "{\"a\":1}");
    // A known name with a body that is not JSON is kept raw too.
    let mut m = Message::default();
    decode_content(&mut m, "RC:TxtMsg", "not json", &Decoding::default());
    assert_eq!(m.message_type, message_type::UNKNOWN);
    // Neither can be sent.
    assert!(encode_content(&m).is_none());
}

#[test]
fn recall_notifications_rebuild_the_original_message() {
    let update = recall_update("U1", "alice", "RC:TxtMsg", 5, 9, true);
    let mut body: Map<String, Value> = serde_json::from_str(&update.content).unwrap();
    assert_eq!(body["originalObjectName"], "RC:TxtMsg");
    // What the store adds when it converts the row.
    body.insert("originalMessageContent".into(), json!({"content": "gone"}));
    let mut row = stored(row_from_wire(
        &wire("RC:TxtMsg", "{}", wire_flags(message_type::TEXT, None)),
        "bob",
        1,
    ));
    row.message_type = message_type::RECALL;
    row.object_name = update.object_name;
    row.content = Value::Object(body).to_string();
    let m = message_from_row(&row);
    assert_eq!(m.message_type, message_type::RECALL);
    assert_eq!(m.fields["recallTime"], 5);
    assert_eq!(m.fields["recallActionTime"], 9);
    assert_eq!(m.fields["admin"], false);
    assert_eq!(m.fields["deleted"], false);
    let original: Message = serde_json::from_value(m.fields["originalMessage"].clone()).unwrap();
    assert_eq!(original.message_type, message_type::TEXT);
    assert_eq!(original.text(), Some("gone"));
    assert_eq!(original.message_uid.as_deref(), Some("U1"));
    assert_eq!(original.sender_user_id.as_deref(), Some("alice"));
    assert!(wire_flags(message_type::RECALL, None).persisted);
    assert!(!wire_flags(message_type::RECALL, None).counted);
}

#[test]
fn channel_ids_count_only_in_ultra_groups() {
    let mut w = wire("RC:TxtMsg", r#"{"content":"a"}"#, wire_flags(2, None));
    w.channel_id = "c1".into();
    assert_eq!(row_from_wire(&w, "bob", 1).channel_id, "");
    w.conversation_type = 5;
    assert_eq!(row_from_wire(&w, "bob", 1).channel_id, "c1");
    assert!(channel_id_ok(Some(&"x".repeat(20))));
    assert!(!channel_id_ok(Some(&"x".repeat(21))));
    assert_eq!(
        new_text_message(1, "bob", Some("c"), "")
            .channel_id
            .as_deref(),
        Some("")
    );
}

#[test]
fn a_conversation_carries_its_list_time_as_operation_time() {
    // Without a last message (a draft only) it is the only time the app can resume a
    // conversation page at.
    let row = ConversationRow {
        key: rcim_store::ConversationKey {
            conversation_type: 1,
            target_id: "bob".into(),
            channel_id: String::new(),
        },
        last_message: None,
        sort_time: 1_700_000_000_123,
        unread_count: 0,
        mentioned_count: 0,
        top: false,
        draft: "later".into(),
        notification_level: 1,
    };
    let json = serde_json::to_value(conversation_from_row(&row)).unwrap();
    assert_eq!(json["operationTime"], 1_700_000_000_123i64);
    assert!(json.get("lastMessage").is_none());
}
