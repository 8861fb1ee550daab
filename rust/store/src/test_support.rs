//! Helpers of the store's unit tests.

pub(crate) use crate::rows::{ConversationKey, NewMessage, ReadMark, RecallUpdate, TimeOrder};
pub(crate) use crate::store::Store;
pub(crate) use crate::values::{direction, notification_level, received_status, sent_status};

pub(crate) fn msg(target: &str, uid: Option<&str>, dir: u8, time: i64) -> NewMessage {
    NewMessage {
        conversation_type: 1,
        target_id: target.into(),
        channel_id: String::new(),
        message_type: 2,
        object_name: "RC:TxtMsg".into(),
        content: r#"{"content":"hi"}"#.into(),
        uid: uid.map(Into::into),
        client_msg_id: None,
        sender_id: if dir == direction::SEND { "me" } else { target }.into(),
        direction: dir,
        sent_status: if dir == direction::SEND {
            sent_status::SENDING
        } else {
            sent_status::SENT
        },
        received_status: received_status::UNREAD,
        sent_time: time,
        received_time: time,
        counted: true,
        extra_json: None,
        conv_seq: 0,
        mentioned: false,
        group_receipt: None,
    }
}

pub(crate) fn key(target: &str) -> ConversationKey {
    ConversationKey {
        conversation_type: 1,
        target_id: target.into(),
        channel_id: String::new(),
    }
}

pub(crate) fn text(target: &str, uid: &str, time: i64, body: &str) -> NewMessage {
    let mut m = msg(target, Some(uid), direction::RECEIVE, time);
    m.content = serde_json::json!({ "content": body }).to_string();
    m
}

pub(crate) fn recall_of(uid: &str) -> RecallUpdate {
    RecallUpdate {
        uid: uid.into(),
        message_type: 8,
        object_name: "RC:RcNtf".into(),
        content: r#"{"operatorId":"bob"}"#.into(),
        keep_original: true,
    }
}
