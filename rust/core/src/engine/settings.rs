//! Settings synced with the server: a conversation's pin (top status) and notification level,
//! the notification level of a conversation type, and the quiet-hours window.

use super::{valid_conversation, Engine};
use crate::codes::Code;
use crate::event::EventId;
use crate::query::Query;
use crate::session::{Command, Operation, SettingChange};
use rcim_store::{ConversationKey, QuietHoursRow, UserSettingUpdate};

/// Highest `RCIMIWPushNotificationLevel` (BLOCKED).
pub const MAX_NOTIFICATION_LEVEL: u32 = 5;

impl Engine {
    /// Sends a setting change to the server (queued in the outbox while offline).
    fn change_setting(&self, mut change: SettingChange) -> Result<(), Code> {
        change.key = super::normalised(change.key);
        if !valid_conversation(change.key.conversation_type, &change.key.target_id)
            || change.key.conversation_type == crate::model::conversation_type::CHATROOM
        {
            return Err(Code::PARAM_ERROR);
        }
        self.hand_over(Command::Operation(Operation::conversation_setting(change)))
    }

    /// `changeConversationTopStatus`: pins or unpins a conversation (creating it) on the
    /// server, then locally; the user's other devices get `ConversationTopStatusSynced`.
    /// Result: `ConversationTopStatusChanged`; queued while offline.
    pub fn change_conversation_top_status(
        &self,
        key: ConversationKey,
        top: bool,
        event_id: EventId,
    ) -> Result<(), Code> {
        self.change_setting(SettingChange {
            key,
            top: Some(top),
            level: None,
            event_id,
        })
    }

    /// `changeConversationNotificationLevel` (`RCIMIWPushNotificationLevel` 0..=5), synced to
    /// the user's other devices like the pin. Result: `ConversationNotificationLevelChanged`.
    pub fn change_conversation_notification_level(
        &self,
        key: ConversationKey,
        level: u32,
        event_id: EventId,
    ) -> Result<(), Code> {
        if level > MAX_NOTIFICATION_LEVEL {
            return Err(Code::PARAM_ERROR);
        }
        self.change_setting(SettingChange {
            key,
            top: None,
            level: Some(level),
            event_id,
        })
    }

    /// `getConversationTopStatus` (local store): whether the conversation is pinned.
    pub fn conversation_top_status(&self, key: ConversationKey) -> Result<Query<bool>, Code> {
        self.conversation_query(key, |s, key| s.conversation_top(key))
    }

    /// `getConversationNotificationLevel` (local store; NONE, 1, when never set, as on the
    /// server).
    pub fn conversation_notification_level(
        &self,
        key: ConversationKey,
    ) -> Result<Query<u32>, Code> {
        self.conversation_query(key, |s, key| s.conversation_notification_level(key))
    }
}

/// Highest `RCIMIWPushNotificationQuietHoursLevel` (BLOCKED).
pub const MAX_QUIET_HOURS_LEVEL: u32 = 2;

/// Longest quiet-hours window, in minutes (one minute short of a day).
pub const MAX_QUIET_HOURS_SPAN: u32 = 1439;

/// Time-zone offsets that exist (UTC-12:00 ..= UTC+14:00), in minutes.
const UTC_OFFSETS: std::ops::RangeInclusive<i32> = -720..=840;

/// The quiet-hours window as `getNotificationQuietHours` reports it (no window: "", 0, 0).
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct QuietHoursSetting {
    pub start_time: String,
    pub span_minutes: u32,
    pub level: u32,
}

/// Whether `time` is "HH:MM:SS" (00:00:00..=23:59:59).
fn valid_start_time(time: &str) -> bool {
    let parts: Vec<&str> = time.split(':').collect();
    let field = |s: &str, max: u32| {
        s.len() == 2 && s.bytes().all(|b| b.is_ascii_digit()) && s.parse::<u32>().unwrap() <= max
    };
    parts.len() == 3 && field(parts[0], 23) && field(parts[1], 59) && field(parts[2], 59)
}

impl Engine {
    /// `changeConversationTypeNotificationLevel`: the level of every conversation of a type
    /// (not chatrooms), synced through the server; NONE removes it. Result:
    /// `ConversationTypeNotificationLevelChanged`.
    pub fn change_conversation_type_notification_level(
        &self,
        conversation_type: u32,
        level: u32,
        event_id: EventId,
    ) -> Result<(), Code> {
        check_level_type(conversation_type)?;
        if level > MAX_NOTIFICATION_LEVEL {
            return Err(Code::PARAM_ERROR);
        }
        let update = UserSettingUpdate::TypeLevel {
            conversation_type,
            level,
        };
        self.hand_over(Command::Operation(Operation::user_setting(
            &update, event_id,
        )))
    }

    /// `getConversationTypeNotificationLevel` (local copy; NONE when not set).
    pub fn conversation_type_notification_level(
        &self,
        conversation_type: u32,
    ) -> Result<Query<u32>, Code> {
        check_level_type(conversation_type)?;
        self.query(move |s| s.type_notification_level(conversation_type))
    }

    /// `changeNotificationQuietHours`: the user's one quiet-hours window, starting daily at
    /// `start_time` ("HH:MM:SS" in the device's time zone, `utc_offset_minutes` east of UTC)
    /// for `span_minutes` (1..=1439) at `level` (0..=2); replaces any previous one. Result:
    /// `NotificationQuietHoursChanged`.
    pub fn change_notification_quiet_hours(
        &self,
        start_time: &str,
        span_minutes: u32,
        level: u32,
        utc_offset_minutes: i32,
        event_id: EventId,
    ) -> Result<(), Code> {
        if !valid_start_time(start_time)
            || !(1..=MAX_QUIET_HOURS_SPAN).contains(&span_minutes)
            || level > MAX_QUIET_HOURS_LEVEL
            || !UTC_OFFSETS.contains(&utc_offset_minutes)
        {
            return Err(Code::PARAM_ERROR);
        }
        let update = UserSettingUpdate::QuietHours(QuietHoursRow {
            start_time: start_time.to_string(),
            span_minutes,
            level,
            utc_offset_minutes,
        });
        self.hand_over(Command::Operation(Operation::user_setting(
            &update, event_id,
        )))
    }

    /// `removeNotificationQuietHours`. Result: `NotificationQuietHoursRemoved`.
    pub fn remove_notification_quiet_hours(&self, event_id: EventId) -> Result<(), Code> {
        let update = UserSettingUpdate::QuietHoursRemoved;
        self.hand_over(Command::Operation(Operation::user_setting(
            &update, event_id,
        )))
    }

    /// `getNotificationQuietHours` (local copy).
    pub fn notification_quiet_hours(&self) -> Result<Query<QuietHoursSetting>, Code> {
        self.query(|s| {
            Ok(s.quiet_hours()?
                .map(|q| QuietHoursSetting {
                    start_time: q.start_time,
                    span_minutes: q.span_minutes,
                    level: q.level,
                })
                .unwrap_or_default())
        })
    }
}

/// PARAM_ERROR unless conversations of this type take a type level: private, group, system,
/// ultra group (not chatrooms).
fn check_level_type(conversation_type: u32) -> Result<(), Code> {
    use crate::model::conversation_type::{GROUP, PRIVATE, SYSTEM, ULTRA_GROUP};
    if matches!(conversation_type, PRIVATE | GROUP | SYSTEM | ULTRA_GROUP) {
        Ok(())
    } else {
        Err(Code::PARAM_ERROR)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn start_times_are_hh_mm_ss() {
        for ok in ["00:00:00", "23:59:59", "08:30:05"] {
            assert!(super::valid_start_time(ok), "{ok}");
        }
        for bad in [
            "24:00:00",
            "8:30:00",
            "08:60:00",
            "08:30",
            "08:30:00:00",
            "aa:bb:cc",
            "",
        ] {
            assert!(!super::valid_start_time(bad), "{bad}");
        }
    }
}
