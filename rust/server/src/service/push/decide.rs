//! Who gets a push: which committed entries are pushable messages, and which devices of a
//! receiver are notified (offline ones, the desktop-online rule, do-not-disturb).

use super::options::{Mentions, PushOptions};
use crate::hub::OnlineDevice;
use crate::push::records::{PushDevice, PushRecipient};
use crate::service::dnd::{push_allowed, AppLevel, DndInput};
use rcim_proto::conversation_type;
use rcim_proto::v1::{inbox_entry, Message, Platform};

/// The message of an entry that may be pushed to its owner `user_id`: a message (not a
/// recall or a setting), not the owner's own, not a status message, in a conversation type
/// that pushes (private, group, system, ultra group; a chatroom never does, R012). Ultra-group
/// messages are in no inbox: `service::ultragroup::push` offers them with their receivers.
pub(crate) fn pushable_entry<'a>(
    user_id: &str,
    body: &'a inbox_entry::Body,
) -> Option<&'a Message> {
    let inbox_entry::Body::Message(m) = body else {
        return None;
    };
    let kind_pushes = matches!(
        m.conversation_type,
        conversation_type::PRIVATE
            | conversation_type::GROUP
            | conversation_type::SYSTEM
            | conversation_type::ULTRA_GROUP
    );
    (kind_pushes && !m.status && m.sender_id != user_id).then_some(m)
}

/// What the decision reads from one message, computed once for all its receivers.
#[derive(Debug, Clone)]
pub(crate) struct MessageFacts {
    pub options: PushOptions,
    pub mentions: Mentions,
}

impl MessageFacts {
    /// The facts of `m`; `None` when its sender turned notifications off
    /// (`disableNotification`).
    pub(crate) fn of(m: &Message) -> Option<Self> {
        let options = PushOptions::parse(&m.push_options);
        if options.disable_notification {
            return None;
        }
        Some(Self {
            options,
            mentions: Mentions::of_content(&m.content),
        })
    }
}

/// Everything the device choice depends on for one receiver of one message.
pub(crate) struct DeviceChoice<'a> {
    pub recipient: &'a PushRecipient,
    /// The receiver's devices online now.
    pub online: &'a [OnlineDevice],
    pub conversation_type: u32,
    pub facts: &'a MessageFacts,
    /// An ultra group's default levels (channel, group); `None` elsewhere.
    pub default_levels: Option<(u32, u32)>,
    pub app_level: AppLevel,
    pub now_ms: i64,
}

/// The devices of the receiver that get a push: none while a Web or desktop device of theirs
/// is online unless they chose to receive pushes then (R261), none when do-not-disturb says
/// no (quiet hours, conversation and type levels, mentions; [`push_allowed`]), else every
/// enabled device with a token that is not online now.
pub(crate) fn devices<'a>(c: &DeviceChoice<'a>) -> Vec<&'a PushDevice> {
    let r = c.recipient;
    let desktop_online = c
        .online
        .iter()
        .any(|d| matches!(d.platform, Platform::Desktop | Platform::Web));
    if desktop_online && !r.settings.receive_while_desktop_online {
        return Vec::new();
    }
    let allowed = push_allowed(&DndInput {
        quiet_hours: r.quiet_hours.as_ref(),
        now_ms: c.now_ms,
        type_level: r.type_level,
        conversation_level: r.conversation_level,
        default_levels: c.default_levels,
        app_level: c.app_level,
        conversation_type: c.conversation_type,
        mentions_me: c.facts.mentions.names(&r.user_id),
        mentions_all: c.facts.mentions.everyone,
    });
    if !allowed {
        return Vec::new();
    }
    r.devices
        .iter()
        .filter(|d| !c.online.iter().any(|o| o.device_id == d.device_id))
        .collect()
}

#[cfg(test)]
#[path = "decide_tests.rs"]
mod tests;
