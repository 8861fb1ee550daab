//! Ultra groups: channel conversations, unread counts, batch remote messages, clearing,
//! modify / recall / expansion, read-status sync, typing and default notification levels.
//! Results go to their listeners with the call's arguments (as the seed's listeners echo
//! them); `getBatchRemoteUltraGroupMessages` reports through the engine's event.

use super::args::null_as_empty;
use super::rows::{Local, Operation, Row};
use rcim_core::Message;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

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
    &Local {
        names: &["clearUltraGroupMessages"],
        listener: "onUltraGroupMessagesCleared",
        field: None,
        run: |engine, a: &ClearArgs| {
            engine.clear_ultragroup_messages(&a.target_id, &a.channel_id, a.timestamp, a.policy)
        },
    },
    // The seed's (5.2.4 guide) remote clear: clearUltraGroupMessages with REMOTE.
    &Local {
        names: &["clearRemoteUltraGroupMessages"],
        listener: "onRemoteUltraGroupMessagesCleared",
        field: None,
        run: |engine, a: &ChannelTimeArgs| {
            engine.clear_ultragroup_messages(
                &a.target_id,
                &a.channel_id,
                a.timestamp,
                rcim_core::engine::history::policy::REMOTE,
            )
        },
    },
    &Local {
        names: &["modifyUltraGroupMessage"],
        listener: "onUltraGroupMessageModified",
        field: None,
        run: |engine, a: &ModifyArgs| engine.modify_ultragroup_message(&a.message_uid, &a.message),
    },
    &Local {
        names: &["recallUltraGroupMessage"],
        listener: "onUltraGroupMessageRecalled",
        field: None,
        run: |engine, a: &RecallArgs| engine.recall_ultragroup_message(&a.message, a.delete_remote),
    },
    &Local {
        names: &["updateUltraGroupMessageExpansion"],
        listener: "onUltraGroupMessageExpansionUpdated",
        field: None,
        run: |engine, a: &ExpansionArgs| {
            engine.change_ultragroup_expansion(&a.message_uid, a.expansion.clone(), Vec::new())
        },
    },
    &Local {
        names: &["removeUltraGroupMessageExpansionForKeys"],
        listener: "onUltraGroupMessageExpansionForKeysRemoved",
        field: None,
        run: |engine, a: &RemoveKeysArgs| {
            engine.change_ultragroup_expansion(&a.message_uid, Map::new(), a.keys.clone())
        },
    },
    // The seed's (5.2.4) name; its listener shares the slot of the 5.2.5 one.
    &Local {
        names: &["removeUltraGroupMessageExpansion"],
        listener: "onUltraGroupMessageExpansionForKeysRemoved",
        field: None,
        run: |engine, a: &RemoveKeysArgs| {
            engine.change_ultragroup_expansion(&a.message_uid, Map::new(), a.keys.clone())
        },
    },
    &Local {
        names: &["syncUltraGroupReadStatus"],
        listener: "onUltraGroupReadStatusSynced",
        field: None,
        run: |engine, a: &ChannelTimeArgs| {
            engine.sync_ultragroup_read_status(&a.target_id, &a.channel_id, a.timestamp)
        },
    },
    &Local {
        names: &["sendUltraGroupTypingStatus"],
        listener: "onUltraGroupTypingStatusSent",
        field: None,
        run: |engine, a: &TypingArgs| {
            engine.send_ultragroup_typing_status(&a.target_id, &a.channel_id, a.typing_status)
        },
    },
    &Local {
        names: &["changeUltraGroupDefaultNotificationLevel"],
        listener: "onUltraGroupDefaultNotificationLevelChanged",
        field: None,
        run: |engine, a: &GroupLevelArgs| {
            engine.change_ultragroup_default_level(&a.target_id, None, a.level)
        },
    },
    &Local {
        names: &[
            "getUltraGroupDefaultNotificationLevel",
            "loadUltraGroupDefaultNotificationLevel",
        ],
        listener: "onUltraGroupDefaultNotificationLevelLoaded",
        field: Some("level"),
        run: |engine, a: &GroupArgs| engine.ultragroup_default_level(&a.target_id, None),
    },
    &Local {
        names: &["changeUltraGroupChannelDefaultNotificationLevel"],
        listener: "onUltraGroupChannelDefaultNotificationLevelChanged",
        field: None,
        run: |engine, a: &ChannelLevelArgs| {
            engine.change_ultragroup_default_level(&a.target_id, Some(&a.channel_id), a.level)
        },
    },
    &Local {
        names: &[
            "getUltraGroupChannelDefaultNotificationLevel",
            "loadUltraGroupChannelDefaultNotificationLevel",
        ],
        listener: "onUltraGroupChannelDefaultNotificationLevelLoaded",
        field: Some("level"),
        run: |engine, a: &ChannelArgs| {
            engine.ultragroup_default_level(&a.target_id, Some(&a.channel_id))
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
