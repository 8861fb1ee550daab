//! The events of ultra groups (R210–R244) the engine reports on its own: what changed in a
//! channel's stream (modified, recalled, expansion), typing batches, read-time sync from the
//! user's other devices, and the outcome of `getBatchRemoteUltraGroupMessages`. They are
//! [`super::Event::Ultragroup`] and serialise like every other event:
//! `{"name": "<listener>", "args": {...}}`. New messages of a channel are ordinary
//! `onMessageReceived` events.

use super::EventId;
use crate::model::Message;
use serde::Serialize;
use serde_json::{Map, Value};

/// The result of an ultra-group call that went through the server, for its listener
/// (`name`): the call's arguments as the bridge echoes them, the result and `code`. Reported
/// as an event (not in call order with the local calls), so a call waiting for the server
/// never holds back the results of later local calls.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UltragroupCallResult {
    /// The listener.
    pub name: String,
    /// Its parameters.
    pub args: Map<String, Value>,
    /// Call correlation.
    #[serde(skip)]
    pub event_id: EventId,
}

/// One element of `onUltraGroupTypingStatusChanged` (`RCIMIWUltraGroupTypingStatusInfo`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UltraGroupTypingStatusInfo {
    /// The ultra group.
    pub target_id: String,
    /// The channel.
    pub channel_id: String,
    /// Who types.
    pub user_id: String,
    /// How many users of this batch type in the channel.
    pub user_nums: u32,
    /// `RCIMIWUltraGroupTypingStatus` (TEXT 0, the only one).
    pub status: u32,
    /// When the server received it (ms).
    pub timestamp: i64,
}

/// One engine event of the ultra-group features.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "name", content = "args", rename_all_fields = "camelCase")]
pub enum UltragroupEvent {
    /// Messages of a channel were modified by their sender on another device or by another
    /// user (`onRemoteUltraGroupMessageModified`): their new state.
    #[serde(rename = "onRemoteUltraGroupMessageModified")]
    RemoteMessagesModified {
        /// The messages as they are now.
        messages: Vec<Message>,
    },
    /// Messages were recalled (`onRemoteUltraGroupMessageRecalled`): the recall
    /// notifications (or, deleted ones, the messages as they were).
    #[serde(rename = "onRemoteUltraGroupMessageRecalled")]
    RemoteMessagesRecalled {
        /// The messages.
        messages: Vec<Message>,
    },
    /// Expansions changed (`onRemoteUltraGroupMessageExpansionUpdated`).
    #[serde(rename = "onRemoteUltraGroupMessageExpansionUpdated")]
    RemoteExpansionUpdated {
        /// The messages with their whole expansion.
        messages: Vec<Message>,
    },
    /// Another device of this user read a channel (`onUltraGroupReadTimeReceived`).
    #[serde(rename = "onUltraGroupReadTimeReceived")]
    ReadTimeReceived {
        /// The ultra group.
        target_id: String,
        /// The channel.
        channel_id: String,
        /// Server time of the sync (ms).
        timestamp: i64,
    },
    /// A batch of typing events (`onUltraGroupTypingStatusChanged`).
    #[serde(rename = "onUltraGroupTypingStatusChanged")]
    TypingStatusChanged {
        /// One per (channel, user).
        info: Vec<UltraGroupTypingStatusInfo>,
    },
    /// Result of getBatchRemoteUltraGroupMessages (`onBatchRemoteUltraGroupMessagesLoaded`).
    #[serde(rename = "onBatchRemoteUltraGroupMessagesLoaded")]
    BatchRemoteMessagesLoaded {
        /// 0 on success.
        code: i32,
        /// The messages the server has (as they are now).
        matched_messages: Vec<Message>,
        /// The asked messages it does not have.
        not_matched_messages: Vec<Message>,
        /// Call correlation.
        #[serde(skip)]
        event_id: EventId,
    },
}

impl UltragroupEvent {
    /// The call this event answers, if any.
    pub fn event_id(&self) -> Option<&str> {
        match self {
            UltragroupEvent::BatchRemoteMessagesLoaded { event_id, .. } => event_id.as_deref(),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::Event;
    use serde_json::json;

    #[test]
    fn call_results_and_events_keep_the_listener_shape() {
        let args = json!({ "code": 0, "messageUId": "u" });
        let result = Event::UltragroupResult(UltragroupCallResult {
            name: "onUltraGroupMessageModified".into(),
            args: args.as_object().unwrap().clone(),
            event_id: Some("e".into()),
        });
        assert_eq!(result.event_id(), Some("e"));
        assert_eq!(
            serde_json::to_value(&result).unwrap(),
            json!({ "name": "onUltraGroupMessageModified", "args": args })
        );
        let read = Event::Ultragroup(UltragroupEvent::ReadTimeReceived {
            target_id: "g".into(),
            channel_id: "RCDefault".into(),
            timestamp: 7,
        });
        assert_eq!(
            serde_json::to_value(&read).unwrap(),
            json!({ "name": "onUltraGroupReadTimeReceived",
                "args": { "targetId": "g", "channelId": "RCDefault", "timestamp": 7 } })
        );
    }
}
