//! `RC:RcNtf` `{operatorId, recallTime, recallActionTime, originalObjectName,
//! originalMessageContent, isAdmin, isDelete}`: RECALL, the notification that replaces a
//! recalled message. The store keeps the recalled message's content in
//! `originalMessageContent` when it converts the row, so `originalMessage` is rebuilt from it
//! with the row's conversation, sender, uid and times.

use super::{decode_content, set, take_bool, take_i64, take_str, Body, Decoding, Family};
use crate::model::{message_type, Message};
use serde_json::{json, Value};

/// Object name of recall notifications (RongCloud's `RecallNotificationMessage`).
pub const RECALL_OBJECT_NAME: &str = "RC:RcNtf";

pub(crate) const RECALL: Family = Family {
    message_type: message_type::RECALL,
    object_name: RECALL_OBJECT_NAME,
    // Recall notifications are made by recalling (R076), never sent.
    encode: |_| None,
    decode,
};

/// The stored body of the recall notification that replaces a recalled message, in
/// RongCloud's `RC:RcNtf` JSON shape: `operatorId`, `recallTime` (the original's sent time),
/// `recallActionTime` (when it was recalled), `originalObjectName`, `isAdmin`, `isDelete`. The
/// store adds `originalMessageContent` from the row it converts when `keep_original` (a recall
/// by this user: the recalled content stays for them; anyone else's recall drops it, R115).
pub fn recall_update(
    uid: &str,
    operator_id: &str,
    original_object_name: &str,
    sent_time: i64,
    recall_time: i64,
    keep_original: bool,
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
        keep_original,
    }
}

fn decode(message: &mut Message, mut body: Body, decoding: &Decoding) {
    set(message, "admin", json!(take_bool(&mut body, "isAdmin")));
    set(message, "deleted", json!(take_bool(&mut body, "isDelete")));
    set(
        message,
        "recallTime",
        json!(take_i64(&mut body, "recallTime")),
    );
    set(
        message,
        "recallActionTime",
        json!(take_i64(&mut body, "recallActionTime")),
    );
    let object_name = take_str(&mut body, "originalObjectName");
    let content = match body.remove("originalMessageContent") {
        Some(Value::String(s)) => Some(s),
        Some(Value::Null) | None => None,
        Some(v) => Some(v.to_string()),
    };
    let original = content.map(|content| {
        let mut original = Message {
            fields: Default::default(),
            ..message.clone()
        };
        original.message_type = message_type::UNKNOWN;
        decode_content(&mut original, &object_name, &content, decoding);
        original
    });
    set(
        message,
        "originalMessage",
        original.map_or(Value::Null, |m| {
            serde_json::to_value(m).unwrap_or(Value::Null)
        }),
    );
}
