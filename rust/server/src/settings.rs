//! A user's settings as the server keeps them (R154–R155, R159–R176, R060–R063): conversation
//! pins and levels, per-type notification levels, one quiet-hours window and the blacklist.
//! Unlike inbox entries they never expire: a device reads them at login, and each change
//! also travels as an inbox entry carrying the settings version it produced. Nothing here
//! does I/O.

use rcim_proto::conversation_type;
use rcim_proto::v1::{user_setting_changed, ChangeConversationSetting, QuietHours};

/// Most users on one blacklist (R061: 3000 for the IM flagship plans).
pub(crate) const MAX_BLACKLIST: usize = 3000;
/// Code of an addition beyond [`MAX_BLACKLIST`] (RongCloud's 20605, "operation blocked").
pub(crate) const BLACKLIST_FULL: u32 = 20605;
/// Code of a conversation setting beyond `ServerConfig::max_conversation_settings` (the
/// same "operation blocked" as a full blacklist).
pub(crate) const SETTINGS_FULL: u32 = BLACKLIST_FULL;
/// Highest `RCIMIWPushNotificationLevel` (BLOCKED).
pub(crate) const MAX_NOTIFICATION_LEVEL: u32 = 5;
/// `RCIMIWPushNotificationLevel::NONE`: not set (a conversation or type without a level).
pub(crate) const LEVEL_NOT_SET: u32 = 1;
/// Highest `RCIMIWPushNotificationQuietHoursLevel` (BLOCKED).
pub(crate) const MAX_QUIET_HOURS_LEVEL: u32 = 2;
/// Longest quiet-hours window, in minutes (R171; it means the whole day).
pub(crate) const MAX_QUIET_SPAN_MINUTES: u32 = 1439;

/// One change of a user's settings, as the store applies it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum SettingChange {
    /// Pin and/or level of one conversation (`ChangeConversationSetting`, already checked);
    /// refused with [`SETTINGS_FULL`] when it would make more than `max_stored` conversations
    /// of the user's non-default.
    Conversation {
        change: ChangeConversationSetting,
        max_stored: usize,
    },
    /// A user-level setting (type level, quiet hours, blacklist; already checked).
    User(user_setting_changed::Change),
}

/// A change of `user_id`'s settings from `device_id` (empty: the Server API). Each change
/// bumps the settings version and appends one entry to the user's inbox.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SettingsUpdate {
    pub user_id: String,
    pub device_id: String,
    pub changes: Vec<SettingChange>,
}

/// Whether a per-type level may be set for `t` (R170: not chatrooms).
pub(crate) fn type_level_allowed(t: u32) -> bool {
    matches!(
        t,
        conversation_type::PRIVATE
            | conversation_type::GROUP
            | conversation_type::SYSTEM
            | conversation_type::ULTRA_GROUP
    )
}

/// Seconds after midnight of a "HH:MM:SS" start time (00:00:00..=23:59:59), if well formed.
pub(crate) fn parse_start_time(s: &str) -> Option<u32> {
    let b = s.as_bytes();
    if b.len() != 8 || b[2] != b':' || b[5] != b':' {
        return None;
    }
    let num = |i: usize| -> Option<u32> {
        let (h, l) = (b[i], b[i + 1]);
        (h.is_ascii_digit() && l.is_ascii_digit())
            .then(|| u32::from(h - b'0') * 10 + u32::from(l - b'0'))
    };
    let (h, m, sec) = (num(0)?, num(3)?, num(6)?);
    (h < 24 && m < 60 && sec < 60).then_some(h * 3600 + m * 60 + sec)
}

/// Checks a quiet-hours window (R171): a start time, a span of 1..=1439 minutes, a level of
/// 0..=2 and an offset within a day.
pub(crate) fn quiet_hours_valid(q: &QuietHours) -> bool {
    parse_start_time(&q.start_time).is_some()
        && (1..=MAX_QUIET_SPAN_MINUTES).contains(&q.span_minutes)
        && q.level <= MAX_QUIET_HOURS_LEVEL
        && q.utc_offset_minutes.unsigned_abs() < 24 * 60
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn start_times() {
        assert_eq!(parse_start_time("00:00:00"), Some(0));
        assert_eq!(parse_start_time("23:59:59"), Some(86_399));
        assert_eq!(parse_start_time("22:30:05"), Some(81_005));
        for bad in [
            "24:00:00", "12:60:00", "12:00:60", "1:00:00", "12-00-00", "", "ab:cd:ef",
        ] {
            assert_eq!(parse_start_time(bad), None, "{bad}");
        }
    }
}
