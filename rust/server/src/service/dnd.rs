//! Do-not-disturb (R159–R176): whether an offline receiver gets a remote push for a message,
//! from their quiet hours, per-type level, per-conversation level and the App's default. A
//! pure function; the push service calls it per receiver.
//!
//! # Priority
//!
//! The first layer that has a say decides; a layer "not set" passes on to the next:
//!
//! 1. quiet hours, while the window is open (NONE passes on, MENTION_MESSAGE pushes only
//!    messages that mention the receiver or everyone, BLOCKED pushes nothing);
//! 2. the conversation's level;
//! 3. the conversation type's level;
//! 4. in an ultra group, the channel's default level, then the group's (R236–R244: set for
//!    all members by the Server API or a member; both unset = all messages, R238);
//! 5. the App's default (the lowest, R162).
//!
//! For an ultra group the conversation (2) is the channel the message is in. There is no
//! user-level "whole ultra group" layer between the user's channel level and their type level
//! (R239/R241: a user who wants one level for a whole ultra group sets it on each channel;
//! the client's `changeConversationNotificationLevel` with channel "" names RCDefault, which
//! the server normalises like every other "" channel id). The user's layers are therefore
//! channel conversation > conversation type; the group-wide layers are the defaults (4).
//!
//! Any member may change the channel and group defaults from a client (R243 allows it; the
//! Server API does it too). Those requests count in the connection's request rate like every
//! other state-changing request, so a hostile member cannot flood them; what they can do once
//! is what any member may do by design, and the Server API can set the defaults back.
//!
//! The seed contradicts itself about 2 and 3 (R164): its summary line ranks the type above
//! the conversation, but the sections on each layer say the opposite — the type-level section
//! says a conversation's level and the quiet hours take precedence over it, the conversation
//! section yields only to the quiet hours, and the ultra-group overview lists the
//! conversation above the type again. Three detailed passages against one summary line, and
//! the more specific setting winning is also what a user expects (muting a whole type and
//! then un-muting one friend must let that friend through), so the conversation comes first.
//!
//! Mentions only exist in group-like conversations (group, ultra group): in a private or
//! system conversation a mention-only level pushes nothing (R174).

use crate::settings::{parse_start_time, LEVEL_NOT_SET, MAX_QUIET_SPAN_MINUTES};
use rcim_proto::conversation_type;
use rcim_proto::v1::QuietHours;

/// The App-level default (R163: set by the operator, no client API).
// No server setting chooses it yet: the push service always uses `Unset`.
#[allow(dead_code)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum AppLevel {
    /// Every message is pushed.
    AllMessages,
    /// Not set: the same as [`AppLevel::AllMessages`].
    #[default]
    Unset,
    /// Only messages that mention the receiver or everyone.
    Mentions,
    /// Only messages that mention the receiver.
    MentionUsers,
    /// Only messages that mention everyone.
    MentionAll,
    /// Nothing is pushed.
    Blocked,
    /// Private messages, and group messages that mention the receiver or everyone.
    GroupMentionsOnly,
}

/// What the decision depends on, for one receiver of one message.
#[derive(Debug, Clone, Copy)]
pub(crate) struct DndInput<'a> {
    /// The receiver's quiet hours, if set.
    pub quiet_hours: Option<&'a QuietHours>,
    /// The time of the decision (ms since the epoch, UTC).
    pub now_ms: i64,
    /// The receiver's level for the conversation's type (`RCIMIWPushNotificationLevel`;
    /// `None` or NONE = not set).
    pub type_level: Option<u32>,
    /// The receiver's level for the conversation (as for `type_level`).
    pub conversation_level: Option<u32>,
    /// An ultra group's default levels, channel first then group (`RCIMIWPushNotificationLevel`;
    /// NONE = not set); `None` in other conversation types.
    pub default_levels: Option<(u32, u32)>,
    /// The App's default.
    pub app_level: AppLevel,
    /// The conversation's type (`rcim_proto::conversation_type`).
    pub conversation_type: u32,
    /// The message mentions the receiver.
    pub mentions_me: bool,
    /// The message mentions everyone.
    pub mentions_all: bool,
}

/// Whether an offline push is sent (see the module docs for the rules).
pub(crate) fn push_allowed(i: &DndInput<'_>) -> bool {
    let group_like = matches!(
        i.conversation_type,
        conversation_type::GROUP | conversation_type::ULTRA_GROUP
    );
    let (me, all) = if group_like {
        (i.mentions_me, i.mentions_all)
    } else {
        (false, false)
    };
    if let Some(q) = i.quiet_hours.filter(|q| in_window(q, i.now_ms)) {
        match q.level {
            0 => {}
            1 => return me || all,
            _ => return false,
        }
    }
    let (channel_default, group_default) = match i.default_levels {
        Some((c, g)) => (Some(c), Some(g)),
        None => (None, None),
    };
    let layers = [
        i.conversation_level,
        i.type_level,
        channel_default,
        group_default,
    ];
    for level in layers.into_iter().flatten() {
        if let Some(push) = by_level(level, me, all) {
            return push;
        }
    }
    match i.app_level {
        AppLevel::AllMessages | AppLevel::Unset => true,
        AppLevel::Mentions => me || all,
        AppLevel::MentionUsers => me,
        AppLevel::MentionAll => all,
        AppLevel::Blocked => false,
        AppLevel::GroupMentionsOnly => !group_like || me || all,
    }
}

/// The decision of one `RCIMIWPushNotificationLevel`; `None` for NONE (not set) and unknown
/// values, which pass on to the next layer.
fn by_level(level: u32, me: bool, all: bool) -> Option<bool> {
    match level {
        0 => Some(true),
        LEVEL_NOT_SET => None,
        2 => Some(me || all),
        3 => Some(me),
        4 => Some(all),
        5 => Some(false),
        _ => None,
    }
}

/// Whether `now_ms` falls in the daily window of `q`, in the time zone it was set in. The
/// window may cross midnight. The longest span (1439 minutes) is the whole day: the seed
/// calls 00:00:00 + 1439 a permanent DND (R171), which a literal reading would open for the
/// last minute of every day. A malformed start time never matches.
pub(crate) fn in_window(q: &QuietHours, now_ms: i64) -> bool {
    let Some(start) = parse_start_time(&q.start_time) else {
        return false;
    };
    if q.span_minutes == 0 {
        return false;
    }
    if q.span_minutes >= MAX_QUIET_SPAN_MINUTES {
        return true;
    }
    const DAY: i64 = 86_400;
    let local = (now_ms.div_euclid(1000) + i64::from(q.utc_offset_minutes) * 60).rem_euclid(DAY);
    (local - i64::from(start)).rem_euclid(DAY) < i64::from(q.span_minutes) * 60
}

#[cfg(test)]
#[path = "dnd_tests.rs"]
mod tests;
