//! Mentions: unread messages that @-mention this user and their count.

use super::args::ConversationArgs;
use super::rows::{Local, Row};

pub(super) const ROWS: &[&dyn Row] = &[
    &Local {
        names: &["getUnreadMentionedMessages", "loadUnreadMentionedMessages"],
        listener: "onUnreadMentionedMessagesLoaded",
        field: Some("messages"),
        run: |engine, a: &ConversationArgs| engine.unread_mentioned_messages(a.key()),
    },
    &Local {
        names: &["getUnreadMentionedCount", "loadUnreadMentionedCount"],
        listener: "onUnreadMentionedCountLoaded",
        field: Some("count"),
        run: |engine, a: &ConversationArgs| engine.unread_mentioned_count(a.key()),
    },
];
