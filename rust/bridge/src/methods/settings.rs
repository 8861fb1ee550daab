//! Conversation settings synced with the server (pin, notification level) and their local reads.

use super::args::ConversationArgs;
use super::rows::{Local, Operation, Row};
use serde::Deserialize;

pub(super) const ROWS: &[&dyn Row] = &[
    &Operation {
        names: &["changeConversationTopStatus"],
        run: |engine, a: TopStatusArgs, event_id| {
            engine.change_conversation_top_status(a.conversation.key(), a.top, event_id)
        },
    },
    &Local {
        names: &["getConversationTopStatus", "loadConversationTopStatus"],
        listener: "onConversationTopStatusLoaded",
        field: Some("top"),
        run: |engine, a: &ConversationArgs| engine.conversation_top_status(a.key()),
    },
    &Operation {
        names: &["changeConversationNotificationLevel"],
        run: |engine, a: NotificationLevelArgs, event_id| {
            engine.change_conversation_notification_level(a.conversation.key(), a.level, event_id)
        },
    },
    &Local {
        names: &[
            "getConversationNotificationLevel",
            "loadConversationNotificationLevel",
        ],
        listener: "onConversationNotificationLevelLoaded",
        field: Some("level"),
        run: |engine, a: &ConversationArgs| engine.conversation_notification_level(a.key()),
    },
];

#[derive(Deserialize)]
pub(super) struct TopStatusArgs {
    #[serde(flatten)]
    conversation: ConversationArgs,
    top: bool,
}

#[derive(Deserialize)]
pub(super) struct NotificationLevelArgs {
    #[serde(flatten)]
    conversation: ConversationArgs,
    level: u32,
}
