//! The events of typing, read-state sync across devices, group read receipts, directed group
//! messages and blocked messages. They are [`super::Event::Messaging`] and serialise the same
//! way as every other event: `{"name": "<listener>", "args": {...}}`.

use super::EventId;
use crate::model::Message;
use rcim_store::ConversationKey;
use serde::Serialize;
use std::collections::BTreeMap;

/// One engine event of the messaging features.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "name", content = "args", rename_all_fields = "camelCase")]
pub enum MessagingEvent {
    /// The users typing in a conversation changed (`onTypingStatusChanged`): someone started,
    /// changed what they type, sent a message or was silent for 6 s (an empty list when
    /// nobody types any more).
    #[serde(rename = "onTypingStatusChanged")]
    TypingStatusChanged {
        /// The conversation.
        #[serde(flatten)]
        key: ConversationKey,
        /// Who types now (`RCIMIWTypingStatus`), in the order they started.
        user_typing_status: Vec<TypingStatus>,
    },
    /// Result of syncConversationReadStatus (`onConversationReadStatusSynced`).
    #[serde(rename = "onConversationReadStatusSynced")]
    ConversationReadStatusSynced {
        /// 0 on success.
        code: i32,
        /// The conversation.
        #[serde(flatten)]
        key: ConversationKey,
        /// Timestamp argument.
        timestamp: i64,
        /// Call correlation.
        #[serde(skip)]
        event_id: EventId,
    },
    /// Another device of this user read a conversation up to `timestamp`
    /// (`onConversationReadStatusSyncMessageReceived`); its unread messages up to then are
    /// read here too.
    #[serde(rename = "onConversationReadStatusSyncMessageReceived")]
    ConversationReadStatusSyncMessageReceived {
        /// `RCIMIWConversationType`.
        #[serde(rename = "type")]
        conversation_type: u32,
        /// Conversation id.
        target_id: String,
        /// Sent time of the last message read.
        timestamp: i64,
    },
    /// Result of sendGroupReadReceiptRequest (`onGroupReadReceiptRequestSent`).
    #[serde(rename = "onGroupReadReceiptRequestSent")]
    GroupReadReceiptRequestSent {
        /// 0 on success.
        code: i32,
        /// The message (as stored, `groupReadReceiptInfo.readReceiptMessage` set on success).
        message: Message,
        /// Call correlation.
        #[serde(skip)]
        event_id: EventId,
    },
    /// Result of sendGroupReadReceiptResponse (`onGroupReadReceiptResponseSent`).
    #[serde(rename = "onGroupReadReceiptResponseSent")]
    GroupReadReceiptResponseSent {
        /// 0 on success.
        code: i32,
        /// The group.
        target_id: String,
        /// Channel id argument.
        channel_id: String,
        /// The messages argument (`hasRespond` set on success; after an app restart named by
        /// `messageUId` only).
        messages: Vec<Message>,
        /// Call correlation.
        #[serde(skip)]
        event_id: EventId,
    },
    /// The sender of a group message asks this user for a read receipt
    /// (`onGroupMessageReadReceiptRequestReceived`).
    #[serde(rename = "onGroupMessageReadReceiptRequestReceived")]
    GroupMessageReadReceiptRequestReceived {
        /// The group.
        target_id: String,
        /// The message.
        #[serde(rename = "messageUId")]
        message_uid: String,
    },
    /// Members responded to this user's receipt request
    /// (`onGroupMessageReadReceiptResponseReceived`).
    #[serde(rename = "onGroupMessageReadReceiptResponseReceived")]
    GroupMessageReadReceiptResponseReceived {
        /// The group.
        target_id: String,
        /// The message.
        #[serde(rename = "messageUId")]
        message_uid: String,
        /// Every response so far: user id -> response time (ms).
        respond_user_ids: BTreeMap<String, i64>,
    },
    /// A directed group message was stored (`onGroupMessageToDesignatedUsersAttached`).
    #[serde(rename = "onGroupMessageToDesignatedUsersAttached")]
    GroupMessageToDesignatedUsersAttached {
        /// The stored message.
        message: Message,
        /// Call correlation.
        #[serde(skip)]
        event_id: EventId,
    },
    /// Final result of a directed group message (`onGroupMessageToDesignatedUsersSent`).
    #[serde(rename = "onGroupMessageToDesignatedUsersSent")]
    GroupMessageToDesignatedUsersSent {
        /// 0 on success.
        code: i32,
        /// The message with its new status.
        message: Message,
        /// Call correlation.
        #[serde(skip)]
        event_id: EventId,
    },
    /// A message this user sent was blocked by moderation and reached nobody
    /// (`onMessageBlocked`).
    #[serde(rename = "onMessageBlocked")]
    MessageBlocked {
        /// `RCIMIWBlockedMessageInfo`.
        info: BlockedMessageInfo,
    },
}

/// `RCIMIWTypingStatus`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TypingStatus {
    /// Who types.
    pub user_id: String,
    /// Object name of what they type, e.g. "RC:TxtMsg".
    pub content_type: String,
    /// Time of their typing event (ms).
    pub sent_time: i64,
}

/// `RCIMIWBlockedMessageInfo`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BlockedMessageInfo {
    /// `RCIMIWConversationType`.
    pub conversation_type: u32,
    /// The conversation, as the sender sees it.
    pub target_id: String,
    /// Channel id ("" for none).
    pub channel_id: String,
    /// The blocked message's uid.
    #[serde(rename = "blockedMsgUId")]
    pub blocked_msg_uid: String,
    /// `RCIMIWMessageBlockType`: UNKNOWN 0, GLOBAL 1, CUSTOM 2, THIRD_PARTY 3.
    pub block_type: u32,
    /// Extra information about the block.
    pub extra: String,
}

impl MessagingEvent {
    /// The correlation of the call this event answers, if any.
    pub fn event_id(&self) -> Option<&str> {
        match self {
            MessagingEvent::ConversationReadStatusSynced { event_id, .. }
            | MessagingEvent::GroupReadReceiptRequestSent { event_id, .. }
            | MessagingEvent::GroupReadReceiptResponseSent { event_id, .. }
            | MessagingEvent::GroupMessageToDesignatedUsersAttached { event_id, .. }
            | MessagingEvent::GroupMessageToDesignatedUsersSent { event_id, .. } => {
                event_id.as_deref()
            }
            MessagingEvent::TypingStatusChanged { .. }
            | MessagingEvent::ConversationReadStatusSyncMessageReceived { .. }
            | MessagingEvent::GroupMessageReadReceiptRequestReceived { .. }
            | MessagingEvent::GroupMessageReadReceiptResponseReceived { .. }
            | MessagingEvent::MessageBlocked { .. } => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::Event;
    use super::*;
    use serde_json::json;

    fn json_of(event: MessagingEvent) -> serde_json::Value {
        serde_json::to_value(Event::Messaging(event)).unwrap()
    }

    #[test]
    fn events_serialise_as_their_listener_calls() {
        let key = ConversationKey::new(1, "bob", "");
        assert_eq!(
            json_of(MessagingEvent::TypingStatusChanged {
                key: key.clone(),
                user_typing_status: vec![TypingStatus {
                    user_id: "bob".into(),
                    content_type: "RC:TxtMsg".into(),
                    sent_time: 5,
                }],
            }),
            json!({ "name": "onTypingStatusChanged", "args": { "type": 1, "targetId": "bob",
                "channelId": "", "userTypingStatus": [
                    { "userId": "bob", "contentType": "RC:TxtMsg", "sentTime": 5 }] } })
        );
        assert_eq!(
            json_of(MessagingEvent::ConversationReadStatusSynced {
                code: 0,
                key,
                timestamp: 9,
                event_id: Some("e".into()),
            }),
            json!({ "name": "onConversationReadStatusSynced", "args": { "code": 0, "type": 1,
                "targetId": "bob", "channelId": "", "timestamp": 9 } })
        );
        assert_eq!(
            json_of(MessagingEvent::ConversationReadStatusSyncMessageReceived {
                conversation_type: 2,
                target_id: "g1".into(),
                timestamp: 9,
            }),
            json!({ "name": "onConversationReadStatusSyncMessageReceived",
                "args": { "type": 2, "targetId": "g1", "timestamp": 9 } })
        );
        assert_eq!(
            json_of(MessagingEvent::GroupMessageReadReceiptResponseReceived {
                target_id: "g1".into(),
                message_uid: "U1".into(),
                respond_user_ids: [("bob".to_string(), 3)].into(),
            }),
            json!({ "name": "onGroupMessageReadReceiptResponseReceived", "args": {
                "targetId": "g1", "messageUId": "U1", "respondUserIds": { "bob": 3 } } })
        );
        assert_eq!(
            json_of(MessagingEvent::GroupMessageReadReceiptRequestReceived {
                target_id: "g1".into(),
                message_uid: "U1".into(),
            }),
            json!({ "name": "onGroupMessageReadReceiptRequestReceived",
                "args": { "targetId": "g1", "messageUId": "U1" } })
        );
        assert_eq!(
            json_of(MessagingEvent::GroupReadReceiptResponseSent {
                code: 0,
                target_id: "g1".into(),
                channel_id: String::new(),
                messages: vec![],
                event_id: None,
            }),
            json!({ "name": "onGroupReadReceiptResponseSent", "args": { "code": 0,
                "targetId": "g1", "channelId": "", "messages": [] } })
        );
        assert_eq!(
            json_of(MessagingEvent::MessageBlocked {
                info: BlockedMessageInfo {
                    conversation_type: 1,
                    target_id: "bob".into(),
                    channel_id: String::new(),
                    blocked_msg_uid: "B1".into(),
                    block_type: 1,
                    extra: "x".into(),
                },
            }),
            json!({ "name": "onMessageBlocked", "args": { "info": { "conversationType": 1,
                "targetId": "bob", "channelId": "", "blockedMsgUId": "B1", "blockType": 1,
                "extra": "x" } } })
        );
    }

    #[test]
    fn a_message_shows_its_receipt_state_and_takes_it_back() {
        let mut message = crate::codec::new_text_message(2, "g1", None, "x");
        message.group_read_receipt_info = Some(rcim_store::GroupReceipt {
            read_receipt_message: true,
            has_respond: false,
            respond_user_ids: [("bob".to_string(), 3)].into(),
        });
        message.directed_user_ids = Some(vec!["bob".into()]);
        let value = serde_json::to_value(&message).unwrap();
        assert_eq!(
            value["groupReadReceiptInfo"],
            json!({ "readReceiptMessage": true, "hasRespond": false,
                "respondUserIds": { "bob": 3 } })
        );
        assert!(value.get("directedUserIds").is_none());
        let back: Message = serde_json::from_value(value).unwrap();
        assert_eq!(
            back.group_read_receipt_info,
            message.group_read_receipt_info
        );
    }
}
