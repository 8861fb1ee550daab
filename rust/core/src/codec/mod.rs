//! Conversions between API messages, stored rows and wire messages.
//!
//! Message bodies use RongCloud's object names and JSON content (`RC:TxtMsg` with
//! `{"content": "..."}`, `RC:ImgMsg` with `{"content", "imageUri", "full"}`, ...), so messages
//! published through the Server API by RongCloud-style server code are understood unchanged,
//! and the other way round. Each message type is a [`Family`] in its own file ([`text`],
//! [`media`], [`location`], [`reference`], [`command`], [`recall`]); custom messages
//! ([`custom`]) are named by their identifier and recognised by the wire `custom` flag;
//! anything else is UNKNOWN ([`unknown`]). This file holds the table, the common keys and the
//! row ⇄ API ⇄ wire conversions; the storage, unread and channel rules ([`WireFlags`],
//! [`received_is_stored`], [`channel_for`]) are in `rules.rs`, the lenient field helpers the
//! families share in `fields.rs`.
//!
//! What the wire does not carry but the sender's device must keep (a media message's `local`
//! path, a location's `thumbnailPath`, a custom message's policy) goes in the row's
//! `extra_json`, beside the push options and expansion.

pub mod command;
pub mod custom;
pub(crate) mod directed;
pub mod extras;
mod fields;
pub mod location;
pub mod media;
pub mod mentions;
pub mod recall;
pub mod reference;
mod rules;
pub mod text;
pub mod unknown;

pub(crate) use fields::{
    field_f64, field_i64, field_str, set, take_bool, take_f64, take_i64, take_str,
};
pub use recall::{recall_update, RECALL_OBJECT_NAME};
pub use rules::{
    channel_for, channel_id_ok, message_flags, received_is_stored, row_flags, wire_flags,
    WireFlags, MAX_CHANNEL_ID_CHARS,
};
pub use text::{new_text_message, TEXT_OBJECT_NAME};

use crate::model::{message_type, Conversation, Message};
use rcim_store::{ConversationRow, MessageRow, NewMessage};
use serde_json::{json, Map, Value};

/// A content JSON object.
pub(crate) type Body = Map<String, Value>;

/// How one message type travels: its object name, and its type-specific content keys.
pub(crate) struct Family {
    pub(crate) message_type: u32,
    pub(crate) object_name: &'static str,
    /// The type's content keys from the message's fields (`None`: it cannot be sent).
    pub(crate) encode: fn(&Message) -> Option<Body>,
    /// The message's fields from the content (the common keys are already taken out).
    pub(crate) decode: fn(&mut Message, Body, &Decoding),
}

/// What decoding needs besides the content.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Decoding {
    /// The message is a custom one of this policy (wire `custom` flag, or the stored policy).
    pub(crate) custom_policy: Option<u32>,
}

/// Every type with a fixed object name.
const FAMILIES: &[&Family] = &[
    &text::TEXT,
    &media::IMAGE,
    &media::VOICE,
    &media::FILE,
    &media::SIGHT,
    &media::GIF,
    &location::LOCATION,
    &reference::REFERENCE,
    &command::COMMAND,
    &command::COMMAND_NOTIFICATION,
    &recall::RECALL,
];

fn family_of_type(message_type: u32) -> Option<&'static Family> {
    FAMILIES
        .iter()
        .copied()
        .find(|f| f.message_type == message_type)
}

fn family_of_name(object_name: &str) -> Option<&'static Family> {
    FAMILIES
        .iter()
        .copied()
        .find(|f| f.object_name == object_name)
}

/// Whether `object_name` is one of RongCloud's names this engine knows (custom identifiers
/// may not take them).
pub fn is_known_object_name(object_name: &str) -> bool {
    family_of_name(object_name).is_some()
}

/// The object name and JSON content of an outgoing message, or `None` when its type cannot be
/// sent (RECALL, UNKNOWN) or its type-specific fields are missing.
pub fn encode_content(message: &Message) -> Option<(String, String)> {
    let (object_name, mut body) = match message.message_type {
        message_type::CUSTOM => custom::encode(message)?,
        t => {
            let family = family_of_type(t)?;
            (family.object_name.to_string(), (family.encode)(message)?)
        }
    };
    insert_common(&mut body, message);
    Some((object_name, Value::Object(body).to_string()))
}

fn insert_common(content: &mut Body, message: &Message) {
    if let Some(extra) = &message.extra {
        content.insert("extra".into(), Value::String(extra.clone()));
    }
    if let Some(user) = &message.user_info {
        content.insert("user".into(), user.clone());
    }
    if let Some(mentioned) = &message.mentioned_info {
        content.insert(mentions::KEY.into(), mentions::to_wire(mentioned));
    }
}

fn take_common(content: &mut Body, message: &mut Message) {
    message.extra = content
        .remove("extra")
        .and_then(|v| v.as_str().map(str::to_string));
    message.user_info = content.remove("user").filter(|v| !v.is_null());
    message.mentioned_info = content
        .remove(mentions::KEY)
        .filter(|v| !v.is_null())
        .map(|v| mentions::from_wire(&v));
}

/// Fills the type and type-specific fields of `message` from a stored or received body.
pub(crate) fn decode_content(
    message: &mut Message,
    object_name: &str,
    content: &str,
    decoding: &Decoding,
) {
    let family = family_of_name(object_name);
    let body = match serde_json::from_str::<Value>(content) {
        Ok(Value::Object(body)) if family.is_some() || decoding.custom_policy.is_some() => body,
        _ => return unknown::decode(message, object_name, content),
    };
    let mut body = body;
    take_common(&mut body, message);
    match (family, decoding.custom_policy) {
        (Some(family), _) => {
            message.message_type = family.message_type;
            (family.decode)(message, body, decoding);
        }
        (None, Some(policy)) => custom::decode(message, object_name, body, policy),
        (None, None) => unknown::decode(message, object_name, content),
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
    let extra = row
        .extra_json
        .as_deref()
        .and_then(|s| serde_json::from_str::<Map<String, Value>>(s).ok())
        .unwrap_or_default();
    let decoding = Decoding {
        custom_policy: extra
            .get(CUSTOM_POLICY_KEY)
            .and_then(Value::as_u64)
            .map(|p| p as u32),
    };
    decode_content(&mut message, &row.object_name, &row.content, &decoding);
    message.push_options = extra.get(extras::PUSH_OPTIONS_KEY).cloned();
    message.expansion = extra
        .get(extras::EXPANSION_KEY)
        .and_then(Value::as_object)
        .cloned();
    message.directed_user_ids = directed::from_extra(&extra);
    message.group_read_receipt_info = rcim_store::GroupReceipt::parse(row.group_receipt.as_deref());
    let local = extra
        .get(LOCAL_FIELDS_KEY)
        .and_then(Value::as_object)
        .filter(|_| message.message_type != message_type::RECALL);
    if let Some(local) = local {
        for (k, v) in local {
            message.fields.insert(k.clone(), v.clone());
        }
    }
    message
}

/// `extra_json` key of a custom message's policy.
const CUSTOM_POLICY_KEY: &str = "customPolicy";
/// `extra_json` key of the fields only the sender's device knows.
const LOCAL_FIELDS_KEY: &str = "localFields";
/// Fields that never travel: the sender's local file paths.
const LOCAL_FIELDS: &[&str] = &["local", "thumbnailPath"];

pub(crate) fn stored_policy(extra_json: Option<&str>) -> Option<u32> {
    serde_json::from_str::<Map<String, Value>>(extra_json?)
        .ok()?
        .get(CUSTOM_POLICY_KEY)?
        .as_u64()
        .map(|p| p as u32)
}

/// What an outgoing message keeps in its row besides its content: push options, expansion,
/// a custom message's policy and local file paths.
pub fn extra_json(message: &Message) -> Option<String> {
    let mut extra = Map::new();
    if let Some(push) = &message.push_options {
        extra.insert(extras::PUSH_OPTIONS_KEY.into(), push.clone());
    }
    if let Some(expansion) = &message.expansion {
        extra.insert(
            extras::EXPANSION_KEY.into(),
            Value::Object(expansion.clone()),
        );
    }
    if let Some(policy) = custom::policy_of(message) {
        extra.insert(CUSTOM_POLICY_KEY.into(), json!(policy));
    }
    if let Some(ids) = &message.directed_user_ids {
        extra.insert(directed::KEY.into(), json!(ids));
    }
    let local: Map<String, Value> = LOCAL_FIELDS
        .iter()
        .filter_map(|k| {
            let v = message.fields.get(*k)?.as_str()?;
            (!v.is_empty() && !v.starts_with("data:")).then(|| (k.to_string(), json!(v)))
        })
        .collect();
    if !local.is_empty() {
        extra.insert(LOCAL_FIELDS_KEY.into(), Value::Object(local));
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
        operation_time: row.sort_time,
    }
}

/// A message received from the server, as a row to store for user `me` (see
/// [`received_is_stored`] for whether it should be); counted as unread by
/// `rules::received_is_counted`. A non-ultra-group channel id is dropped.
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
    let policy = rules::wire_policy(m);
    let message_type = message_type_of(&m.object_name, policy);
    let mut extra = extras::received_extras(m, outgoing);
    if let Some(policy) = policy {
        extra.insert(CUSTOM_POLICY_KEY.into(), json!(policy));
    }
    let extra_json = (!extra.is_empty()).then(|| Value::Object(extra).to_string());
    NewMessage {
        conversation_type: m.conversation_type,
        target_id,
        channel_id: channel_for(m.conversation_type, &m.channel_id),
        message_type,
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
        counted: rules::received_is_counted(m, me),
        extra_json,
        conv_seq: m.conv_seq,
        mentioned: !outgoing && mentions_user(m.conversation_type, &m.content, me),
        group_receipt: m.receipt.as_ref().map(|r| {
            rcim_store::GroupReceipt {
                read_receipt_message: r.requested,
                has_respond: r.responded,
                respond_user_ids: r.responses.iter().map(|(k, v)| (k.clone(), *v)).collect(),
            }
            .to_json()
        }),
    }
}

/// Whether a group or ultra-group message with wire `content` @-mentions user `me` (R129:
/// only group messages count; ultra groups count mentions per channel).
pub fn mentions_user(conversation_type: u32, content: &str, me: &str) -> bool {
    if conversation_type != crate::model::conversation_type::GROUP
        && conversation_type != crate::model::conversation_type::ULTRA_GROUP
    {
        return false;
    }
    serde_json::from_str::<Value>(content)
        .ok()
        .and_then(|c| c.get(mentions::KEY).map(mentions::from_wire))
        .is_some_and(|info| mentions::mentions(&info, me))
}

/// The API view of a received message that is not stored (no `messageId`).
pub fn message_from_wire(m: &rcim_proto::v1::Message, me: &str, now: i64) -> Message {
    let mut message = message_from_row(&as_row(row_from_wire(m, me, now), 0));
    message.message_id = None;
    message
}

/// `new` as the store would return it with local id `id`.
pub(crate) fn as_row(new: NewMessage, id: i64) -> MessageRow {
    MessageRow {
        id,
        conversation_type: new.conversation_type,
        target_id: new.target_id,
        channel_id: new.channel_id,
        message_type: new.message_type,
        object_name: new.object_name,
        content: new.content,
        uid: new.uid,
        client_msg_id: new.client_msg_id,
        sender_id: new.sender_id,
        direction: new.direction,
        sent_status: new.sent_status,
        received_status: new.received_status,
        sent_time: new.sent_time,
        received_time: new.received_time,
        counted: new.counted,
        extra_json: new.extra_json,
        conv_seq: new.conv_seq,
        mentioned: new.mentioned,
        group_receipt: new.group_receipt,
    }
}

/// The `RCIMIWMessageType` of an object name (`custom_policy`: it came as a custom message).
pub fn message_type_of(object_name: &str, custom_policy: Option<u32>) -> u32 {
    match (family_of_name(object_name), custom_policy) {
        (Some(family), _) => family.message_type,
        (None, Some(_)) => message_type::CUSTOM,
        (None, None) => message_type::UNKNOWN,
    }
}

/// A fresh outgoing message of `message_type` with `fields` (not stored, not validated: the
/// engine's `create*` functions check their arguments). The channel id is normalised.
pub fn new_message(
    conversation_type: u32,
    target_id: &str,
    channel_id: Option<&str>,
    message_type: u32,
    fields: Map<String, Value>,
) -> Message {
    Message {
        conversation_type,
        message_type,
        target_id: target_id.to_string(),
        channel_id: Some(channel_for(conversation_type, channel_id.unwrap_or(""))),
        direction: Some(rcim_store::direction::SEND),
        fields,
        ..Message::default()
    }
}

#[cfg(test)]
mod tests;
