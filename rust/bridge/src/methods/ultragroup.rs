//! Ultra groups: channel conversations, unread counts, batch remote messages, clearing,
//! modify / recall / expansion, read-status sync, typing and default notification levels.
//! Results go to their listeners with the call's arguments (as the seed's listeners echo
//! them): local calls in call order (`Local` rows), calls that go through the server as the
//! engine's events once answered (`Operation` rows through [`server_call`]), so waiting for
//! the server never holds back the results of local calls.

use super::args::null_as_empty;
use super::rows::{Local, Operation, Row};
use rcim_core::{Code, Engine, EventId, Message, Query};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Starts a call that goes through the server: its outcome reaches `listener` (with `args`
/// echoed and the result under `field`) as an engine event.
fn server_call<A: Serialize, T: Serialize + Default + Send + 'static>(
    engine: &Engine,
    args: &A,
    listener: &'static str,
    field: Option<&'static str>,
    query: Result<Query<T>, Code>,
    event_id: EventId,
) -> Result<(), Code> {
    let query = query?;
    let echo = match serde_json::to_value(args) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    };
    engine.report_ultragroup_result(query, listener, echo, field, event_id);
    Ok(())
}

pub(super) const ROWS: &[&dyn Row] = &[
    &Local {
        names: &[
            "getConversationsForAllChannel",
            "loadConversationsForAllChannel",
        ],
        listener: "onConversationsLoadedForAllChannel",
        field: Some("conversations"),
        run: |engine, a: &TypeGroupArgs| {
            engine.conversations_for_all_channel(a.conversation_type, &a.target_id)
        },
    },
    &Local {
        names: &[
            "getUltraGroupAllUnreadCount",
            "loadUltraGroupAllUnreadCount",
        ],
        listener: "onUltraGroupAllUnreadCountLoaded",
        field: Some("count"),
        run: |engine, _: &NoArgs| engine.ultragroup_unread_count(None, false),
    },
    &Local {
        names: &[
            "getUltraGroupAllUnreadMentionedCount",
            "loadUltraGroupAllUnreadMentionedCount",
        ],
        listener: "onUltraGroupAllUnreadMentionedCountLoaded",
        field: Some("count"),
        run: |engine, _: &NoArgs| engine.ultragroup_unread_count(None, true),
    },
    &Local {
        names: &["getUltraGroupUnreadCount", "loadUltraGroupUnreadCount"],
        listener: "onUltraGroupUnreadCountLoaded",
        field: Some("count"),
        run: |engine, a: &GroupArgs| engine.ultragroup_unread_count(Some(&a.target_id), false),
    },
    &Local {
        names: &[
            "getUltraGroupUnreadMentionedCount",
            "loadUltraGroupUnreadMentionedCount",
        ],
        listener: "onUltraGroupUnreadMentionedCountLoaded",
        field: Some("count"),
        run: |engine, a: &GroupArgs| engine.ultragroup_unread_count(Some(&a.target_id), true),
    },
    &Operation {
        names: &[
            "getBatchRemoteUltraGroupMessages",
            "loadBatchRemoteUltraGroupMessages",
        ],
        run: |engine, a: BatchArgs, event_id| {
            engine.batch_remote_ultragroup_messages(a.messages, event_id)
        },
    },
    &Local {
        names: &["clearUltraGroupMessagesForAllChannel"],
        listener: "onUltraGroupMessagesClearedForAllChannel",
        field: None,
        run: |engine, a: &ClearAllArgs| {
            engine.clear_ultragroup_messages_for_all_channel(&a.target_id, a.timestamp)
        },
    },
    &Operation {
        names: &["clearUltraGroupMessages"],
        run: |engine, a: ClearArgs, event_id| {
            let query = engine.clear_ultragroup_messages(
                &a.target_id,
                &a.channel_id,
                a.timestamp,
                a.policy,
            );
            server_call(
                engine,
                &a,
                "onUltraGroupMessagesCleared",
                None,
                query,
                event_id,
            )
        },
    },
    // The seed's (5.2.4 guide) remote clear: clearUltraGroupMessages with REMOTE.
    &Operation {
        names: &["clearRemoteUltraGroupMessages"],
        run: |engine, a: ChannelTimeArgs, event_id| {
            let query = engine.clear_ultragroup_messages(
                &a.target_id,
                &a.channel_id,
                a.timestamp,
                rcim_core::engine::history::policy::REMOTE,
            );
            server_call(
                engine,
                &a,
                "onRemoteUltraGroupMessagesCleared",
                None,
                query,
                event_id,
            )
        },
    },
    &Operation {
        names: &["modifyUltraGroupMessage"],
        run: |engine, a: ModifyArgs, event_id| {
            let query = engine.modify_ultragroup_message(&a.message_uid, &a.message);
            server_call(
                engine,
                &a,
                "onUltraGroupMessageModified",
                None,
                query,
                event_id,
            )
        },
    },
    &Operation {
        names: &["recallUltraGroupMessage"],
        run: |engine, a: RecallArgs, event_id| {
            let query = engine.recall_ultragroup_message(&a.message, a.delete_remote);
            server_call(
                engine,
                &a,
                "onUltraGroupMessageRecalled",
                None,
                query,
                event_id,
            )
        },
    },
    &Operation {
        names: &["updateUltraGroupMessageExpansion"],
        run: |engine, a: ExpansionArgs, event_id| {
            let query =
                engine.change_ultragroup_expansion(&a.message_uid, a.expansion.clone(), Vec::new());
            server_call(
                engine,
                &a,
                "onUltraGroupMessageExpansionUpdated",
                None,
                query,
                event_id,
            )
        },
    },
    &Operation {
        // With the seed's (5.2.4) name; its listener shares the slot of the 5.2.5 one.
        names: &[
            "removeUltraGroupMessageExpansionForKeys",
            "removeUltraGroupMessageExpansion",
        ],
        run: |engine, a: RemoveKeysArgs, event_id| {
            let query =
                { engine.change_ultragroup_expansion(&a.message_uid, Map::new(), a.keys.clone()) };
            server_call(
                engine,
                &a,
                "onUltraGroupMessageExpansionForKeysRemoved",
                None,
                query,
                event_id,
            )
        },
    },
    &Operation {
        names: &["syncUltraGroupReadStatus"],
        run: |engine, a: ChannelTimeArgs, event_id| {
            let query =
                { engine.sync_ultragroup_read_status(&a.target_id, &a.channel_id, a.timestamp) };
            server_call(
                engine,
                &a,
                "onUltraGroupReadStatusSynced",
                None,
                query,
                event_id,
            )
        },
    },
    &Operation {
        names: &["sendUltraGroupTypingStatus"],
        run: |engine, a: TypingArgs, event_id| {
            let query =
                engine.send_ultragroup_typing_status(&a.target_id, &a.channel_id, a.typing_status);
            server_call(
                engine,
                &a,
                "onUltraGroupTypingStatusSent",
                None,
                query,
                event_id,
            )
        },
    },
    &Operation {
        names: &["changeUltraGroupDefaultNotificationLevel"],
        run: |engine, a: GroupLevelArgs, event_id| {
            let query = engine.change_ultragroup_default_level(&a.target_id, None, a.level);
            server_call(
                engine,
                &a,
                "onUltraGroupDefaultNotificationLevelChanged",
                None,
                query,
                event_id,
            )
        },
    },
    &Operation {
        names: &[
            "getUltraGroupDefaultNotificationLevel",
            "loadUltraGroupDefaultNotificationLevel",
        ],
        run: |engine, a: GroupArgs, event_id| {
            let query = engine.ultragroup_default_level(&a.target_id, None);
            server_call(
                engine,
                &a,
                "onUltraGroupDefaultNotificationLevelLoaded",
                Some("level"),
                query,
                event_id,
            )
        },
    },
    &Operation {
        names: &["changeUltraGroupChannelDefaultNotificationLevel"],
        run: |engine, a: ChannelLevelArgs, event_id| {
            let query =
                engine.change_ultragroup_default_level(&a.target_id, Some(&a.channel_id), a.level);
            server_call(
                engine,
                &a,
                "onUltraGroupChannelDefaultNotificationLevelChanged",
                None,
                query,
                event_id,
            )
        },
    },
    &Operation {
        names: &[
            "getUltraGroupChannelDefaultNotificationLevel",
            "loadUltraGroupChannelDefaultNotificationLevel",
        ],
        run: |engine, a: ChannelArgs, event_id| {
            let query = engine.ultragroup_default_level(&a.target_id, Some(&a.channel_id));
            server_call(
                engine,
                &a,
                "onUltraGroupChannelDefaultNotificationLevelLoaded",
                Some("level"),
                query,
                event_id,
            )
        },
    },
];

#[derive(Deserialize, Serialize)]
pub(super) struct NoArgs {}

#[derive(Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct GroupArgs {
    target_id: String,
}

#[derive(Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct TypeGroupArgs {
    #[serde(rename = "type")]
    conversation_type: u32,
    target_id: String,
}

#[derive(Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct ChannelArgs {
    target_id: String,
    #[serde(default, deserialize_with = "null_as_empty")]
    channel_id: String,
}

#[derive(Deserialize)]
pub(super) struct BatchArgs {
    messages: Vec<Message>,
}

#[derive(Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct ClearAllArgs {
    target_id: String,
    timestamp: i64,
}

#[derive(Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct ClearArgs {
    target_id: String,
    #[serde(default, deserialize_with = "null_as_empty")]
    channel_id: String,
    timestamp: i64,
    policy: u32,
}

#[derive(Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct ChannelTimeArgs {
    target_id: String,
    #[serde(default, deserialize_with = "null_as_empty")]
    channel_id: String,
    timestamp: i64,
}

#[derive(Deserialize, Serialize)]
pub(super) struct ModifyArgs {
    #[serde(rename = "messageUId", alias = "messageUid")]
    message_uid: String,
    message: Message,
}

#[derive(Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct RecallArgs {
    message: Message,
    delete_remote: bool,
}

#[derive(Deserialize, Serialize)]
pub(super) struct ExpansionArgs {
    #[serde(rename = "messageUId", alias = "messageUid")]
    message_uid: String,
    expansion: Map<String, Value>,
}

#[derive(Deserialize, Serialize)]
pub(super) struct RemoveKeysArgs {
    #[serde(rename = "messageUId", alias = "messageUid")]
    message_uid: String,
    keys: Vec<String>,
}

#[derive(Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct TypingArgs {
    target_id: String,
    #[serde(default, deserialize_with = "null_as_empty")]
    channel_id: String,
    typing_status: u32,
}

#[derive(Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct GroupLevelArgs {
    target_id: String,
    level: u32,
}

#[derive(Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct ChannelLevelArgs {
    target_id: String,
    #[serde(default, deserialize_with = "null_as_empty")]
    channel_id: String,
    level: u32,
}
