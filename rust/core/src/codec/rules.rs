//! The storage, unread and channel rules: which messages are stored and counted, by type and
//! custom policy and by the received wire flags (R071–R075), and where a conversation's
//! `channelId` counts (R064).

use super::{custom, message_type_of, stored_policy};
use crate::model::{conversation_type, message_type, Message};
use rcim_store::MessageRow;

/// The wire flags of a message: stored by the receivers (`persisted`), counted as unread
/// (`counted`), online only (`status`), custom (`custom`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct WireFlags {
    /// Stored (locally and in the server's history).
    pub persisted: bool,
    /// Counted as unread by the receiver.
    pub counted: bool,
    /// Online only: never stored, never delivered offline.
    pub status: bool,
    /// A custom message (its object name is its identifier).
    pub custom: bool,
}

/// The storage and unread rules of a type (R071–R075): COMMAND neither, COMMAND_NOTIFICATION
/// and RECALL stored but not counted, CUSTOM by `custom_policy`, everything else both.
pub fn wire_flags(message_type: u32, custom_policy: Option<u32>) -> WireFlags {
    let both = WireFlags {
        persisted: true,
        counted: true,
        ..WireFlags::default()
    };
    match message_type {
        message_type::COMMAND => WireFlags::default(),
        message_type::COMMAND_NOTIFICATION | message_type::RECALL => WireFlags {
            counted: false,
            ..both
        },
        message_type::CUSTOM => custom::flags(custom_policy.unwrap_or(u32::MAX)),
        _ => both,
    }
}

/// The wire flags of an outgoing message.
pub fn message_flags(message: &Message) -> WireFlags {
    wire_flags(message.message_type, custom::policy_of(message))
}

/// The wire flags of a stored outgoing message.
pub fn row_flags(row: &MessageRow) -> WireFlags {
    wire_flags(row.message_type, stored_policy(row.extra_json.as_deref()))
}

/// The channel every ultra group has (R213); an empty channel id names it.
pub const DEFAULT_CHANNEL: &str = "RCDefault";

/// `channelId` as the engine keeps it: only ultra groups have channels (R064), and "" is
/// their default channel "RCDefault" (as the server says it), so one conversation holds it;
/// every other conversation type uses "" so a private conversation is never split in two.
pub fn channel_for(conversation_type: u32, channel_id: &str) -> String {
    if conversation_type != conversation_type::ULTRA_GROUP {
        String::new()
    } else if channel_id.is_empty() {
        DEFAULT_CHANNEL.to_string()
    } else {
        channel_id.to_string()
    }
}

/// Longest `channelId` (characters, R064).
pub const MAX_CHANNEL_ID_CHARS: usize = 20;

/// Whether `channel_id` is short enough (R064); checked for every conversation type.
pub fn channel_id_ok(channel_id: Option<&str>) -> bool {
    channel_id.map_or(0, |c| c.chars().count()) <= MAX_CHANNEL_ID_CHARS
}

/// The custom policy a received message's flags stand for, when it is a custom one.
pub(crate) fn wire_policy(m: &rcim_proto::v1::Message) -> Option<u32> {
    m.custom
        .then(|| custom::policy_from_flags(m.persisted, m.counted, m.status))
}

/// Whether a received message is stored (R071–R075): its type's rule and the wire flags
/// (`persisted`, not `status`) must both allow it.
pub fn received_is_stored(m: &rcim_proto::v1::Message) -> bool {
    let rules = wire_flags(
        message_type_of(&m.object_name, wire_policy(m)),
        wire_policy(m),
    );
    rules.persisted && m.persisted && !m.status
}

/// Whether a received message counts as unread for user `me` (R071–R075): its type's rule and
/// the wire flags (`counted`, not `status`) must both allow it, and it is not `me`'s own.
pub(crate) fn received_is_counted(m: &rcim_proto::v1::Message, me: &str) -> bool {
    let rules = wire_flags(
        message_type_of(&m.object_name, wire_policy(m)),
        wire_policy(m),
    );
    rules.counted && m.counted && !m.status && m.sender_id != me
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_ultra_groups_have_channels_and_empty_is_the_default_one() {
        assert_eq!(
            channel_for(conversation_type::ULTRA_GROUP, ""),
            DEFAULT_CHANNEL
        );
        assert_eq!(channel_for(conversation_type::ULTRA_GROUP, "news"), "news");
        assert_eq!(channel_for(conversation_type::GROUP, "news"), "");
        assert_eq!(channel_for(conversation_type::PRIVATE, ""), "");
    }
}
