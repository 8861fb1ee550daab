//! The one place where results become the JSON the TypeScript layer routes to listener slots
//! and callback objects: `{"name": "<IRCIMIWListener member>", "eventId"?: string,
//! "args": {<listener params>}}`. Parameter names follow `ref/api_reference.md` §3.
//!
//! * Engine events (outcomes of server operations, what the session reports): serde on
//!   [`Event`] gives `name` and `args`; the event id moves to the top level.
//! * Results of local calls (`result_to_json`): `args` = the call's own arguments (as the
//!   argument struct serialises them: the seed's listeners echo them) + the result under its
//!   parameter name + `code`.

use rcim_core::{Code, Event};
use serde::Serialize;
use serde_json::{json, Map, Value};

/// Serialises one engine event.
pub fn to_json(event: &Event) -> String {
    let mut out = serde_json::to_value(event).unwrap_or_else(|e| {
        tracing::error!(error = %e, "cannot serialise an event");
        json!({ "name": "", "args": {} })
    });
    if let Some(id) = event.event_id() {
        out["eventId"] = Value::String(id.to_string());
    }
    // A cancel event also ends the call it cancelled: its callback object gets it too.
    if let Some(id) = event.ended_event_id() {
        out["eventIds"] = json!([id]);
    }
    out.to_string()
}

/// The listener event of a local call: `listener` with the call's arguments `echo` (a JSON
/// object), the result under `field` (`None` when the listener has no result parameter; its
/// default when the call failed) and `code`.
pub(crate) fn result_to_json<T: Serialize + Default>(
    listener: &str,
    event_id: Option<&str>,
    echo: Value,
    field: Option<&str>,
    result: Result<T, Code>,
) -> String {
    let mut args = match echo {
        Value::Object(map) => map,
        _ => Map::new(),
    };
    let (code, value) = match result {
        Ok(value) => (0, value),
        Err(code) => (code.value(), T::default()),
    };
    if let Some(field) = field {
        args.insert(
            field.to_string(),
            serde_json::to_value(value).unwrap_or(Value::Null),
        );
    }
    args.insert("code".into(), json!(code));
    let mut out = json!({ "name": listener, "args": args });
    if let Some(id) = event_id {
        out["eventId"] = Value::String(id.to_string());
    }
    out.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rcim_core::ConversationKey;

    fn parsed(event: &Event) -> Value {
        serde_json::from_str(&to_json(event)).unwrap()
    }

    #[test]
    fn engine_events_keep_the_listener_shape() {
        let key = ConversationKey::new(2, "g1", "");
        assert_eq!(
            parsed(&Event::ConversationTopStatusChanged {
                code: 0,
                key: key.clone(),
                top: true,
                event_id: Some("7".into()),
            }),
            json!({ "name": "onConversationTopStatusChanged", "eventId": "7", "args": {
                "code": 0, "type": 2, "targetId": "g1", "channelId": "", "top": true } })
        );
        assert_eq!(
            parsed(&Event::ConversationTopStatusSynced { key, top: false }),
            json!({ "name": "onConversationTopStatusSynced", "args": {
                "type": 2, "targetId": "g1", "channelId": "", "top": false } })
        );
        assert_eq!(
            parsed(&Event::Connected {
                code: 31004,
                user_id: String::new(),
                event_id: None,
            }),
            json!({ "name": "onConnected", "args": { "code": 31004, "userId": "" } })
        );
        assert_eq!(
            parsed(&Event::PrivateReadReceiptMessageSent {
                code: 0,
                target_id: "bob".into(),
                channel_id: String::new(),
                timestamp: 5,
                event_id: Some("r".into()),
            }),
            json!({ "name": "onPrivateReadReceiptMessageSent", "eventId": "r", "args": {
                "code": 0, "targetId": "bob", "channelId": "", "timestamp": 5 } })
        );
        let message = rcim_core::codec::new_text_message(1, "bob", None, "hi");
        let received = parsed(&Event::MessageReceived {
            message: message.clone(),
            left: 0,
            offline: true,
            has_package: false,
        });
        assert_eq!(
            received,
            json!({ "name": "onMessageReceived", "args": {
                "message": message, "left": 0, "offline": true, "hasPackage": false } })
        );
    }

    #[test]
    fn cancel_events_carry_the_event_id_of_the_call_they_end() {
        let message = rcim_core::codec::new_text_message(1, "bob", None, "hi");
        assert_eq!(
            parsed(&Event::SendingMediaMessageCanceled {
                code: 0,
                message: message.clone(),
                event_id: Some("cancel".into()),
                ended_event_id: Some("send".into()),
            }),
            json!({ "name": "onSendingMediaMessageCanceled", "eventId": "cancel",
                "eventIds": ["send"], "args": { "code": 0, "message": message } })
        );
        assert_eq!(
            parsed(&Event::MediaMessageSending {
                message: message.clone(),
                progress: 42,
                event_id: Some("send".into()),
            }),
            json!({ "name": "onMediaMessageSending", "eventId": "send",
                "args": { "message": message, "progress": 42 } })
        );
    }

    #[test]
    fn chatroom_events_keep_the_listener_shape() {
        use rcim_core::{ChatRoomMemberAction, ChatroomEvent};
        assert_eq!(
            parsed(&Event::Chatroom(ChatroomEvent::EntriesAdded {
                code: 23428,
                target_id: "r".into(),
                entries: [("a".to_string(), "1".to_string())].into(),
                error_entries: [("b".to_string(), 23424)].into(),
                event_id: Some("9".into()),
            })),
            json!({ "name": "onChatRoomEntriesAdded", "eventId": "9", "args": {
                "code": 23428, "targetId": "r", "entries": { "a": "1" },
                "errorEntries": { "b": 23424 } } })
        );
        assert_eq!(
            parsed(&Event::Chatroom(ChatroomEvent::EntriesChanged {
                operation_type: 1,
                room_id: "r".into(),
                entries: [("k".to_string(), "v".to_string())].into(),
            })),
            json!({ "name": "onChatRoomEntriesChanged", "args": {
                "operationType": 1, "roomId": "r", "entries": { "k": "v" } } })
        );
        assert_eq!(
            parsed(&Event::Chatroom(ChatroomEvent::MemberChanged {
                target_id: "r".into(),
                actions: vec![ChatRoomMemberAction {
                    user_id: "bob".into(),
                    action_type: 2,
                }],
            })),
            json!({ "name": "onChatRoomMemberChanged", "args": {
                "targetId": "r", "actions": [{ "userId": "bob", "actionType": 2 }] } })
        );
        assert_eq!(
            parsed(&Event::Chatroom(ChatroomEvent::MessagesLoaded {
                code: 0,
                target_id: "r".into(),
                messages: vec![],
                sync_time: 42,
                event_id: None,
            })),
            json!({ "name": "onChatRoomMessagesLoaded", "args": {
                "code": 0, "targetId": "r", "messages": [], "syncTime": 42 } })
        );
    }

    #[test]
    fn a_failed_local_call_reports_its_code_and_an_empty_result() {
        let json = result_to_json::<Vec<u8>>(
            "onMessagesLoaded",
            Some("e"),
            json!({ "type": 1, "targetId": "bob", "channelId": "" }),
            Some("messages"),
            Err(Code::DATABASE_ERROR),
        );
        let value: Value = serde_json::from_str(&json).unwrap();
        assert_eq!(
            value,
            json!({ "name": "onMessagesLoaded", "eventId": "e", "args": {
                "code": 33002, "type": 1, "targetId": "bob", "channelId": "", "messages": [] } })
        );
    }
}
