//! Conversions between API messages, stored rows and wire messages.
//!
//! Message bodies use RongCloud's object names and JSON content (`RC:TxtMsg` with
//! `{"content": "..."}`), so messages published through the Server API by RongCloud-style server
//! code are understood unchanged.

use crate::model::{message_type, Conversation, Message};
use rcim_store::{ConversationRow, MessageRow, NewMessage};
use serde_json::{json, Map, Value};

/// Object name of text messages.
pub const TEXT_OBJECT_NAME: &str = "RC:TxtMsg";
/// Object name of recall notifications (RongCloud's `RecallNotificationMessage`).
pub const RECALL_OBJECT_NAME: &str = "RC:RcNtf";

/// The stored body of the recall notification that replaces a recalled message, in
/// RongCloud's `RC:RcNtf` JSON shape: `operatorId`, `recallTime` (the original's sent time),
/// `recallActionTime` (when it was recalled), `originalObjectName`, `isAdmin`, `isDelete`.
pub fn recall_update(
    uid: &str,
    operator_id: &str,
    original_object_name: &str,
    sent_time: i64,
    recall_time: i64,
) -> rcim_store::RecallUpdate {
    let content = json!({
        "operatorId": operator_id,
        "recallTime": sent_time,
        "recallActionTime": recall_time,
        "originalObjectName": original_object_name,
        "isAdmin": false,
        "isDelete": false,
    });
    rcim_store::RecallUpdate {
        uid: uid.to_string(),
        message_type: message_type::RECALL,
        object_name: RECALL_OBJECT_NAME.to_string(),
        content: content.to_string(),
    }
}

/// (API field, wire key) pairs of a content.
type WireKeys = &'static [(&'static str, &'static str)];

/// Media types: object name and (API field, wire key) pairs of their content. Minimal arms of
/// the media helper (issue 7); the content helper's codec replaces them.
const MEDIA_WIRE: &[(u32, &str, WireKeys)] = &[
    (
        message_type::IMAGE,
        "RC:ImgMsg",
        &[
            ("thumbnailBase64String", "content"),
            ("remote", "imageUri"),
            ("original", "full"),
        ],
    ),
    (
        message_type::GIF,
        "RC:GIFMsg",
        &[
            ("remote", "remoteUrl"),
            ("dataSize", "gifDataSize"),
            ("width", "width"),
            ("height", "height"),
        ],
    ),
    (
        message_type::VOICE,
        "RC:HQVCMsg",
        &[("remote", "remoteUrl"), ("duration", "duration")],
    ),
    (
        message_type::SIGHT,
        "RC:SightMsg",
        &[
            ("remote", "sightUrl"),
            ("thumbnailBase64String", "content"),
            ("duration", "duration"),
            ("size", "size"),
            ("name", "name"),
        ],
    ),
    (
        message_type::FILE,
        "RC:FileMsg",
        &[
            ("name", "name"),
            ("size", "size"),
            ("fileType", "type"),
            ("remote", "fileUrl"),
        ],
    ),
];

/// The object name and JSON content of an outgoing message, or `None` when its type cannot be
/// sent (yet).
pub fn encode_content(message: &Message) -> Option<(String, String)> {
    if let Some((_, object_name, keys)) = MEDIA_WIRE
        .iter()
        .find(|(t, _, _)| *t == message.message_type)
    {
        let mut content = Map::new();
        for (field, key) in *keys {
            if let Some(value) = message.fields.get(*field).filter(|v| !v.is_null()) {
                content.insert((*key).into(), value.clone());
            }
        }
        insert_common(&mut content, message);
        return Some((object_name.to_string(), Value::Object(content).to_string()));
    }
    match message.message_type {
        message_type::TEXT => {
            let mut content = Map::new();
            content.insert("content".into(), Value::String(message.text()?.to_string()));
            insert_common(&mut content, message);
            Some((
                TEXT_OBJECT_NAME.to_string(),
                Value::Object(content).to_string(),
            ))
        }
        _ => None,
    }
}

fn insert_common(content: &mut Map<String, Value>, message: &Message) {
    if let Some(extra) = &message.extra {
        content.insert("extra".into(), Value::String(extra.clone()));
    }
    if let Some(user) = &message.user_info {
        content.insert("user".into(), user.clone());
    }
    if let Some(mentioned) = &message.mentioned_info {
        content.insert("mentionedInfo".into(), mentioned.clone());
    }
}

/// Fills the type-specific fields of `message` from a stored or received body.
fn decode_content(message: &mut Message, object_name: &str, content: &str) {
    let parsed: Option<Map<String, Value>> = serde_json::from_str(content).ok();
    if let (Some((message_type, _, keys)), Some(body)) = (
        MEDIA_WIRE.iter().find(|(_, name, _)| *name == object_name),
        parsed.as_ref(),
    ) {
        message.message_type = *message_type;
        for (field, key) in *keys {
            if let Some(value) = body.get(*key) {
                message.fields.insert((*field).into(), value.clone());
            }
        }
        message.extra = body
            .get("extra")
            .and_then(Value::as_str)
            .map(str::to_string);
        message.user_info = body.get("user").cloned();
        message.mentioned_info = body.get("mentionedInfo").cloned();
        return;
    }
    match (object_name, parsed) {
        (TEXT_OBJECT_NAME, Some(mut body)) => {
            message.message_type = message_type::TEXT;
            let text = body
                .remove("content")
                .unwrap_or(Value::String(String::new()));
            message.fields.insert("text".into(), text);
            message.extra = body
                .remove("extra")
                .and_then(|v| v.as_str().map(str::to_string));
            message.user_info = body.remove("user");
            message.mentioned_info = body.remove("mentionedInfo");
        }
        (RECALL_OBJECT_NAME, Some(body)) => {
            // RCIMIWRecallNotificationMessage: admin, deleted, recallTime, recallActionTime.
            message.message_type = message_type::RECALL;
            let flag = |k: &str| body.get(k).and_then(Value::as_bool).unwrap_or(false);
            let time = |k: &str| body.get(k).and_then(Value::as_i64).unwrap_or(0);
            message
                .fields
                .insert("admin".into(), json!(flag("isAdmin")));
            message
                .fields
                .insert("deleted".into(), json!(flag("isDelete")));
            message
                .fields
                .insert("recallTime".into(), json!(time("recallTime")));
            message
                .fields
                .insert("recallActionTime".into(), json!(time("recallActionTime")));
        }
        _ => {
            message.message_type = message_type::UNKNOWN;
            message
                .fields
                .insert("objectName".into(), Value::String(object_name.to_string()));
            message
                .fields
                .insert("rawData".into(), Value::String(content.to_string()));
        }
    }
}

/// The API view of a stored message.
pub fn message_from_row(row: &MessageRow) -> Message {
    let mut message = Message {
        conversation_type: row.conversation_type,
        target_id: row.target_id.clone(),
        channel_id: Some(row.channel_id.clone()),
        message_id: Some(row.id),
        message_uid: row.uid.clone(),
        received_time: Some(row.received_time),
        sent_time: Some(row.sent_time),
        received_status: Some(row.received_status),
        sent_status: Some(row.sent_status),
        sender_user_id: Some(row.sender_id.clone()),
        direction: Some(row.direction),
        ..Message::default()
    };
    decode_content(&mut message, &row.object_name, &row.content);
    if let Some(extra) = row
        .extra_json
        .as_deref()
        .and_then(|s| serde_json::from_str::<Map<String, Value>>(s).ok())
    {
        message.push_options = extra.get("pushOptions").cloned();
        if let Some(local) = extra.get(LOCAL_FIELDS_KEY).and_then(|l| l.get("local")) {
            message.fields.insert("local".into(), local.clone());
        }
        message.expansion = extra.get("expansion").and_then(Value::as_object).cloned();
    }
    message
}

/// `extra_json` key of the fields only this device knows (`{"local": path}`); the same key
/// as the content helper's codec, and as `rcim_store`'s `set_local_path`.
const LOCAL_FIELDS_KEY: &str = "localFields";

/// Fields of an outgoing message that are not part of its content.
pub fn extra_json(message: &Message) -> Option<String> {
    let mut extra = Map::new();
    if let Some(push) = &message.push_options {
        extra.insert("pushOptions".into(), push.clone());
    }
    if let Some(expansion) = &message.expansion {
        extra.insert("expansion".into(), Value::Object(expansion.clone()));
    }
    // A media message's file on this device (not part of the wire content).
    if let Some(local) = message
        .fields
        .get("local")
        .filter(|v| v.as_str().is_some_and(|s| !s.is_empty()))
    {
        extra.insert(LOCAL_FIELDS_KEY.into(), json!({ "local": local }));
    }
    (!extra.is_empty()).then(|| Value::Object(extra).to_string())
}

/// The API view of a stored conversation.
pub fn conversation_from_row(row: &ConversationRow) -> Conversation {
    Conversation {
        conversation_type: row.key.conversation_type,
        target_id: row.key.target_id.clone(),
        channel_id: Some(row.key.channel_id.clone()),
        unread_count: row.unread_count,
        mentioned_count: row.mentioned_count,
        top: row.top,
        draft: row.draft.clone(),
        last_message: row.last_message.as_ref().map(message_from_row),
        notification_level: row.notification_level,
    }
}

/// A message received from the server, as a row to store for user `me`.
pub fn row_from_wire(m: &rcim_proto::v1::Message, me: &str, now: i64) -> NewMessage {
    let outgoing = m.sender_id == me;
    // In a private conversation the conversation id is the other party.
    let target_id = if m.conversation_type == rcim_proto::conversation_type::PRIVATE && outgoing {
        m.to_id.clone()
    } else if m.conversation_type == rcim_proto::conversation_type::PRIVATE {
        m.sender_id.clone()
    } else {
        m.to_id.clone()
    };
    NewMessage {
        conversation_type: m.conversation_type,
        target_id,
        channel_id: m.channel_id.clone(),
        message_type: message_type_of(&m.object_name),
        object_name: m.object_name.clone(),
        content: m.content.clone(),
        uid: Some(m.uid.clone()),
        client_msg_id: (outgoing && !m.client_msg_id.is_empty()).then(|| m.client_msg_id.clone()),
        sender_id: m.sender_id.clone(),
        direction: if outgoing {
            rcim_store::direction::SEND
        } else {
            rcim_store::direction::RECEIVE
        },
        sent_status: rcim_store::sent_status::SENT,
        received_status: if outgoing {
            rcim_store::received_status::READ
        } else {
            rcim_store::received_status::UNREAD
        },
        sent_time: m.sent_time,
        received_time: now,
        counted: m.counted && !outgoing,
        extra_json: None,
    }
}

fn message_type_of(object_name: &str) -> u32 {
    match object_name {
        TEXT_OBJECT_NAME => message_type::TEXT,
        RECALL_OBJECT_NAME => message_type::RECALL,
        _ => MEDIA_WIRE
            .iter()
            .find(|(_, name, _)| *name == object_name)
            .map_or(message_type::UNKNOWN, |(t, _, _)| *t),
    }
}

/// A fresh text message as `createTextMessage` returns it (not stored yet).
pub fn new_text_message(
    conversation_type: u32,
    target_id: &str,
    channel_id: Option<&str>,
    text: &str,
) -> Message {
    let mut fields = Map::new();
    fields.insert("text".into(), json!(text));
    Message {
        conversation_type,
        message_type: message_type::TEXT,
        target_id: target_id.to_string(),
        channel_id: channel_id.map(str::to_string),
        direction: Some(rcim_store::direction::SEND),
        fields,
        ..Message::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_round_trips_through_wire_and_store() {
        let mut message = new_text_message(1, "bob", None, "你好 world");
        message.extra = Some("x".into());
        let (object_name, content) = encode_content(&message).unwrap();
        assert_eq!(object_name, "RC:TxtMsg");
        let wire = rcim_proto::v1::Message {
            uid: "U1".into(),
            conversation_type: 1,
            to_id: "bob".into(),
            sender_id: "alice".into(),
            object_name,
            content,
            sent_time: 5,
            counted: true,
            ..Default::default()
        };
        let row = row_from_wire(&wire, "bob", 6);
        assert_eq!(row.target_id, "alice");
        assert_eq!(row.direction, rcim_store::direction::RECEIVE);
        let stored = MessageRow {
            id: 1,
            conversation_type: row.conversation_type,
            target_id: row.target_id,
            channel_id: row.channel_id,
            message_type: row.message_type,
            object_name: row.object_name,
            content: row.content,
            uid: row.uid,
            client_msg_id: None,
            sender_id: row.sender_id,
            direction: row.direction,
            sent_status: row.sent_status,
            received_status: row.received_status,
            sent_time: row.sent_time,
            received_time: row.received_time,
            counted: row.counted,
            extra_json: None,
        };
        let back = message_from_row(&stored);
        assert_eq!(back.text(), Some("你好 world"));
        assert_eq!(back.extra.as_deref(), Some("x"));
        assert_eq!(back.message_type, message_type::TEXT);
    }

    #[test]
    fn unknown_object_names_keep_their_raw_data() {
        let mut m = Message::default();
        decode_content(&mut m, "App:Thing", "{\"a\":1}");
        assert_eq!(m.message_type, message_type::UNKNOWN);
        assert_eq!(m.fields["objectName"], "App:Thing");
        assert_eq!(m.fields["rawData"], "{\"a\":1}");
    }
}
