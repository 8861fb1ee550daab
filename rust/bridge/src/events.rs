//! Engine events as the JSON the TypeScript layer routes to listener slots:
//! `{"name": "<IRCIMIWListener member>", "eventId"?: string, "args": {<listener params>}}`.
//! Parameter names and order follow `ref/api_reference.md` §3.

use rcim_core::{ConversationKey, Event};
use serde_json::{json, Value};

/// Serialises one event.
pub fn to_json(event: &Event) -> String {
    let (name, event_id, args) = describe(event);
    let mut out = json!({ "name": name, "args": args });
    if let Some(id) = event_id {
        out["eventId"] = Value::String(id.clone());
    }
    out.to_string()
}

fn describe(event: &Event) -> (&'static str, Option<&String>, Value) {
    match event {
        Event::DatabaseOpened { code, event_id } => (
            "onDatabaseOpened",
            event_id.as_ref(),
            json!({ "code": code }),
        ),
        Event::Connected {
            code,
            user_id,
            event_id,
        } => (
            "onConnected",
            event_id.as_ref(),
            json!({ "code": code, "userId": user_id }),
        ),
        Event::ConnectionStatusChanged { status } => (
            "onConnectionStatusChanged",
            None,
            json!({ "status": status }),
        ),
        Event::MessageAttached { message, event_id } => (
            "onMessageAttached",
            event_id.as_ref(),
            json!({ "message": message }),
        ),
        Event::MessageSent {
            code,
            message,
            event_id,
        } => (
            "onMessageSent",
            event_id.as_ref(),
            json!({ "code": code, "message": message }),
        ),
        Event::MessageRecalled {
            code,
            message,
            event_id,
        } => (
            "onMessageRecalled",
            event_id.as_ref(),
            json!({ "code": code, "message": message }),
        ),
        Event::PrivateReadReceiptMessageSent {
            code,
            target_id,
            channel_id,
            timestamp,
            event_id,
        } => (
            "onPrivateReadReceiptMessageSent",
            event_id.as_ref(),
            json!({ "code": code, "targetId": target_id, "channelId": channel_id, "timestamp": timestamp }),
        ),
        Event::PrivateReadReceiptReceived {
            target_id,
            channel_id,
            timestamp,
        } => (
            "onPrivateReadReceiptReceived",
            None,
            json!({ "targetId": target_id, "channelId": channel_id, "timestamp": timestamp }),
        ),
        Event::RemoteMessageRecalled { message } => (
            "onRemoteMessageRecalled",
            None,
            json!({ "message": message }),
        ),
        Event::MessageReceived {
            message,
            left,
            offline,
            has_package,
        } => (
            "onMessageReceived",
            None,
            json!({ "message": message, "left": left, "offline": offline, "hasPackage": has_package }),
        ),
        Event::MessagesLoaded {
            code,
            key,
            sent_time,
            order,
            messages,
            event_id,
        } => (
            "onMessagesLoaded",
            event_id.as_ref(),
            with_key(
                key,
                json!({ "code": code, "sentTime": sent_time, "order": order, "messages": messages }),
            ),
        ),
        Event::ConversationsLoaded {
            code,
            conversation_types,
            channel_id,
            start_time,
            count,
            conversations,
            event_id,
        } => (
            "onConversationsLoaded",
            event_id.as_ref(),
            json!({
                "code": code, "conversationTypes": conversation_types, "channelId": channel_id,
                "startTime": start_time, "count": count, "conversations": conversations,
            }),
        ),
        Event::ConversationLoaded {
            code,
            key,
            conversation,
            event_id,
        } => (
            "onConversationLoaded",
            event_id.as_ref(),
            with_key(key, json!({ "code": code, "conversation": conversation })),
        ),
        Event::UnreadCountLoaded {
            code,
            key,
            count,
            event_id,
        } => (
            "onUnreadCountLoaded",
            event_id.as_ref(),
            with_key(key, json!({ "code": code, "count": count })),
        ),
        Event::TotalUnreadCountLoaded {
            code,
            channel_id,
            count,
            event_id,
        } => (
            "onTotalUnreadCountLoaded",
            event_id.as_ref(),
            json!({ "code": code, "channelId": channel_id, "count": count }),
        ),
        Event::UnreadCountCleared {
            code,
            key,
            timestamp,
            event_id,
        } => (
            "onUnreadCountCleared",
            event_id.as_ref(),
            with_key(key, json!({ "code": code, "timestamp": timestamp })),
        ),
        Event::ConversationRemoved {
            code,
            key,
            event_id,
        } => (
            "onConversationRemoved",
            event_id.as_ref(),
            with_key(key, json!({ "code": code })),
        ),
        Event::MessageCountLoaded {
            code,
            key,
            count,
            event_id,
        } => (
            "onMessageCountLoaded",
            event_id.as_ref(),
            with_key(key, json!({ "code": code, "count": count })),
        ),
        Event::FirstUnreadMessageLoaded {
            code,
            key,
            message,
            event_id,
        } => (
            "onFirstUnreadMessageLoaded",
            event_id.as_ref(),
            with_key(key, json!({ "code": code, "message": message })),
        ),
        Event::UnreadCountByConversationTypesLoaded {
            code,
            conversation_types,
            channel_id,
            contain,
            count,
            event_id,
        } => (
            "onUnreadCountByConversationTypesLoaded",
            event_id.as_ref(),
            json!({
                "code": code, "conversationTypes": conversation_types, "channelId": channel_id,
                "contain": contain, "count": count,
            }),
        ),
        Event::ConversationTopStatusChanged {
            code,
            key,
            top,
            event_id,
        } => (
            "onConversationTopStatusChanged",
            event_id.as_ref(),
            with_key(key, json!({ "code": code, "top": top })),
        ),
        Event::ConversationTopStatusLoaded {
            code,
            key,
            top,
            event_id,
        } => (
            "onConversationTopStatusLoaded",
            event_id.as_ref(),
            with_key(key, json!({ "code": code, "top": top })),
        ),
        Event::ConversationTopStatusSynced { key, top } => (
            "onConversationTopStatusSynced",
            None,
            with_key(key, json!({ "top": top })),
        ),
        Event::TopConversationsLoaded {
            code,
            conversation_types,
            channel_id,
            conversations,
            event_id,
        } => (
            "onTopConversationsLoaded",
            event_id.as_ref(),
            json!({
                "code": code, "conversationTypes": conversation_types, "channelId": channel_id,
                "conversations": conversations,
            }),
        ),
        Event::ConversationNotificationLevelChanged {
            code,
            key,
            level,
            event_id,
        } => (
            "onConversationNotificationLevelChanged",
            event_id.as_ref(),
            with_key(key, json!({ "code": code, "level": level })),
        ),
        Event::ConversationNotificationLevelLoaded {
            code,
            key,
            level,
            event_id,
        } => (
            "onConversationNotificationLevelLoaded",
            event_id.as_ref(),
            with_key(key, json!({ "code": code, "level": level })),
        ),
        Event::BlockedConversationsLoaded {
            code,
            conversation_types,
            channel_id,
            conversations,
            event_id,
        } => (
            "onBlockedConversationsLoaded",
            event_id.as_ref(),
            json!({
                "code": code, "conversationTypes": conversation_types, "channelId": channel_id,
                "conversations": conversations,
            }),
        ),
        Event::DraftMessageSaved {
            code,
            key,
            draft,
            event_id,
        } => (
            "onDraftMessageSaved",
            event_id.as_ref(),
            with_key(key, json!({ "code": code, "draft": draft })),
        ),
        Event::DraftMessageCleared {
            code,
            key,
            event_id,
        } => (
            "onDraftMessageCleared",
            event_id.as_ref(),
            with_key(key, json!({ "code": code })),
        ),
        Event::DraftMessageLoaded {
            code,
            key,
            draft,
            event_id,
        } => (
            "onDraftMessageLoaded",
            event_id.as_ref(),
            with_key(key, json!({ "code": code, "draft": draft })),
        ),
        Event::MessagesSearched {
            code,
            key,
            keyword,
            start_time,
            count,
            messages,
            event_id,
        } => (
            "onMessagesSearched",
            event_id.as_ref(),
            with_key(
                key,
                json!({
                    "code": code, "keyword": keyword, "startTime": start_time, "count": count,
                    "messages": messages,
                }),
            ),
        ),
    }
}

/// Adds a conversation argument as the listeners name it: `type`, `targetId`, `channelId`.
fn with_key(key: &ConversationKey, mut args: Value) -> Value {
    args["type"] = json!(key.conversation_type);
    args["targetId"] = json!(key.target_id);
    args["channelId"] = json!(key.channel_id);
    args
}
