//! User-level settings mirrored from the server: notification level per conversation type,
//! quiet hours, blacklist, and the settings version they were applied at. A login whose server
//! version differs replaces them wholesale ([`Store::apply_settings_snapshot`]); live changes
//! come one by one ([`Store::apply_user_setting`]).

use crate::error::Result;
use crate::rows::{self, ConversationKey, ConversationSettingUpdate};
use crate::store::Store;
use crate::values::notification_level;
use rusqlite::{params, Connection, OptionalExtension};
use std::collections::{HashMap, HashSet};

/// `kv` key of the settings version last applied (0 = never).
const VERSION_KEY: &str = "settings_version";

/// The quiet-hours window (`changeNotificationQuietHours`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct QuietHoursRow {
    /// "HH:MM:SS" in the time zone of the device that set it.
    pub start_time: String,
    /// 1..=1439.
    pub span_minutes: u32,
    /// `RCIMIWPushNotificationQuietHoursLevel`.
    pub level: u32,
    /// That device's offset from UTC (minutes, east positive).
    pub utc_offset_minutes: i32,
}

/// One change of a user-level setting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UserSettingUpdate {
    /// A conversation type's notification level (NONE removes it).
    TypeLevel { conversation_type: u32, level: u32 },
    /// The quiet-hours window, replacing any previous one.
    QuietHours(QuietHoursRow),
    /// No quiet hours any more.
    QuietHoursRemoved,
    /// `user_id` added to (`blocked`) or removed from the blacklist.
    Blacklist { user_id: String, blocked: bool },
}

/// Every setting as of `version` (the server's answer to a settings read).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SettingsSnapshot {
    pub version: u64,
    pub type_levels: Vec<(u32, u32)>,
    pub quiet_hours: Option<QuietHoursRow>,
    /// The conversations with a pin or level (`top` and `notification_level` both set).
    pub conversations: Vec<ConversationSettingUpdate>,
    pub blacklist: Vec<String>,
}

impl Store {
    /// The settings version last applied (0 when none was).
    pub fn settings_version(&self) -> Result<u64> {
        Ok(self
            .kv_get(VERSION_KEY)?
            .and_then(|v| v.parse().ok())
            .unwrap_or(0))
    }

    /// Records that the settings are applied up to `version`.
    pub fn set_settings_version(&mut self, version: u64) -> Result<()> {
        self.kv_set(VERSION_KEY, &version.to_string())
    }

    /// Applies one change.
    pub fn apply_user_setting(&mut self, update: &UserSettingUpdate) -> Result<()> {
        apply(&self.conn, update)
    }

    /// Replaces every setting by `snapshot` (conversations not in it lose their pin and level)
    /// and records its version, in one transaction. Returns the conversations whose pin or
    /// level changed, with their pin state now (changes made elsewhere to announce).
    pub fn apply_settings_snapshot(
        &mut self,
        snapshot: &SettingsSnapshot,
    ) -> Result<Vec<(ConversationKey, bool)>> {
        let tx = self.conn.savepoint()?;
        let before: HashMap<ConversationKey, (bool, u32)> = rows::query_conversations(
            &tx,
            "SELECT * FROM conversations WHERE top <> 0 OR notification_level <> 1",
            [],
        )?
        .into_iter()
        .map(|c| (c.key, (c.top, c.notification_level)))
        .collect();
        // Every pin and level back to not set (unpinned, NONE = 1) before the snapshot's.
        tx.execute_batch(
            "DELETE FROM type_notification_levels; DELETE FROM quiet_hours;
             DELETE FROM blacklist;
             UPDATE conversations SET top = 0, notification_level = 1
               WHERE top <> 0 OR notification_level <> 1;
             DELETE FROM conversations WHERE last_message_id IS NULL AND top = 0
               AND notification_level = 1 AND draft = '' AND unread_count = 0
               AND mentioned_count = 0;",
        )?;
        for (conversation_type, level) in &snapshot.type_levels {
            apply(
                &tx,
                &UserSettingUpdate::TypeLevel {
                    conversation_type: *conversation_type,
                    level: *level,
                },
            )?;
        }
        if let Some(quiet) = &snapshot.quiet_hours {
            apply(&tx, &UserSettingUpdate::QuietHours(quiet.clone()))?;
        }
        for user_id in &snapshot.blacklist {
            apply(
                &tx,
                &UserSettingUpdate::Blacklist {
                    user_id: user_id.clone(),
                    blocked: true,
                },
            )?;
        }
        for conversation in &snapshot.conversations {
            rows::apply_setting(&tx, conversation)?;
        }
        rows::kv_set(&tx, VERSION_KEY, &snapshot.version.to_string())?;
        tx.commit()?;
        let mut changed = Vec::new();
        let mut kept = HashSet::new();
        for c in &snapshot.conversations {
            let now = (
                c.top.unwrap_or(false),
                c.notification_level.unwrap_or(notification_level::NONE),
            );
            kept.insert(&c.key);
            if before.get(&c.key) != Some(&now) && now != (false, notification_level::NONE) {
                changed.push((c.key.clone(), now.0));
            }
        }
        for key in before.keys().filter(|key| !kept.contains(key)) {
            changed.push((key.clone(), false));
        }
        changed.sort_by(|a, b| a.0.target_id.cmp(&b.0.target_id));
        Ok(changed)
    }

    /// A conversation type's notification level (NONE when not set).
    pub fn type_notification_level(&self, conversation_type: u32) -> Result<u32> {
        Ok(self
            .conn
            .query_row(
                "SELECT level FROM type_notification_levels WHERE conversation_type = ?1",
                [conversation_type],
                |r| r.get(0),
            )
            .optional()?
            .unwrap_or(notification_level::NONE))
    }

    /// The quiet-hours window, if one is set.
    pub fn quiet_hours(&self) -> Result<Option<QuietHoursRow>> {
        Ok(self
            .conn
            .query_row(
                "SELECT start_time, span_minutes, level, utc_offset_minutes FROM quiet_hours",
                [],
                |r| {
                    Ok(QuietHoursRow {
                        start_time: r.get(0)?,
                        span_minutes: r.get(1)?,
                        level: r.get(2)?,
                        utc_offset_minutes: r.get(3)?,
                    })
                },
            )
            .optional()?)
    }

    /// The blacklist, by user id.
    pub fn blacklist(&self) -> Result<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT user_id FROM blacklist ORDER BY user_id")?;
        let ids = stmt
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<String>>>()?;
        Ok(ids)
    }

    /// Whether `user_id` is on the blacklist.
    pub fn in_blacklist(&self, user_id: &str) -> Result<bool> {
        Ok(self
            .conn
            .query_row(
                "SELECT 1 FROM blacklist WHERE user_id = ?1",
                [user_id],
                |_| Ok(()),
            )
            .optional()?
            .is_some())
    }
}

fn apply(conn: &Connection, update: &UserSettingUpdate) -> Result<()> {
    match update {
        UserSettingUpdate::TypeLevel {
            conversation_type,
            level,
        } if *level == notification_level::NONE => {
            conn.execute(
                "DELETE FROM type_notification_levels WHERE conversation_type = ?1",
                [conversation_type],
            )?;
        }
        UserSettingUpdate::TypeLevel {
            conversation_type,
            level,
        } => {
            conn.execute(
                "INSERT INTO type_notification_levels (conversation_type, level) VALUES (?1, ?2)
                 ON CONFLICT (conversation_type) DO UPDATE SET level = excluded.level",
                params![conversation_type, level],
            )?;
        }
        UserSettingUpdate::QuietHours(q) => {
            conn.execute(
                "INSERT OR REPLACE INTO quiet_hours
                     (id, start_time, span_minutes, level, utc_offset_minutes)
                 VALUES (1, ?1, ?2, ?3, ?4)",
                params![q.start_time, q.span_minutes, q.level, q.utc_offset_minutes],
            )?;
        }
        UserSettingUpdate::QuietHoursRemoved => {
            conn.execute("DELETE FROM quiet_hours", [])?;
        }
        UserSettingUpdate::Blacklist { user_id, blocked } => {
            let sql = if *blocked {
                "INSERT OR IGNORE INTO blacklist (user_id) VALUES (?1)"
            } else {
                "DELETE FROM blacklist WHERE user_id = ?1"
            };
            conn.execute(sql, [user_id])?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::*;

    fn quiet(start: &str) -> QuietHoursRow {
        QuietHoursRow {
            start_time: start.into(),
            span_minutes: 60,
            level: 2,
            utc_offset_minutes: 480,
        }
    }

    #[test]
    fn user_settings_change_one_by_one() {
        let mut s = Store::open_in_memory().unwrap();
        assert_eq!(s.settings_version().unwrap(), 0);
        assert_eq!(
            s.type_notification_level(1).unwrap(),
            notification_level::NONE
        );
        let level = |t, level| UserSettingUpdate::TypeLevel {
            conversation_type: t,
            level,
        };
        s.apply_user_setting(&level(1, 5)).unwrap();
        s.apply_user_setting(&level(2, 2)).unwrap();
        s.apply_user_setting(&level(2, 3)).unwrap();
        assert_eq!(s.type_notification_level(1).unwrap(), 5);
        assert_eq!(s.type_notification_level(2).unwrap(), 3);
        s.apply_user_setting(&level(1, notification_level::NONE))
            .unwrap();
        assert_eq!(
            s.type_notification_level(1).unwrap(),
            notification_level::NONE
        );
        // One window: setting again replaces it.
        assert!(s.quiet_hours().unwrap().is_none());
        s.apply_user_setting(&UserSettingUpdate::QuietHours(quiet("22:00:00")))
            .unwrap();
        s.apply_user_setting(&UserSettingUpdate::QuietHours(quiet("23:30:00")))
            .unwrap();
        assert_eq!(s.quiet_hours().unwrap(), Some(quiet("23:30:00")));
        s.apply_user_setting(&UserSettingUpdate::QuietHoursRemoved)
            .unwrap();
        assert!(s.quiet_hours().unwrap().is_none());
        let block = |user: &str, blocked| UserSettingUpdate::Blacklist {
            user_id: user.into(),
            blocked,
        };
        s.apply_user_setting(&block("bob", true)).unwrap();
        s.apply_user_setting(&block("bob", true)).unwrap();
        s.apply_user_setting(&block("amy", true)).unwrap();
        assert_eq!(s.blacklist().unwrap(), vec!["amy", "bob"]);
        assert!(s.in_blacklist("bob").unwrap());
        s.apply_user_setting(&block("bob", false)).unwrap();
        assert!(!s.in_blacklist("bob").unwrap());
        s.set_settings_version(4).unwrap();
        assert_eq!(s.settings_version().unwrap(), 4);
    }

    #[test]
    fn a_snapshot_replaces_every_setting() {
        let mut s = Store::open_in_memory().unwrap();
        s.apply_inbox(&[text("carol", "C1", 60, "hi")], 1).unwrap();
        let setting = |peer: &str, top, level| ConversationSettingUpdate {
            key: key(peer),
            top: Some(top),
            notification_level: Some(level),
            time: 70,
        };
        // Local state the snapshot does not contain goes away.
        s.set_conversation_setting(&setting("carol", true, 5))
            .unwrap();
        s.set_conversation_setting(&setting("ghost", true, 0))
            .unwrap();
        s.apply_user_setting(&UserSettingUpdate::Blacklist {
            user_id: "old".into(),
            blocked: true,
        })
        .unwrap();
        s.apply_user_setting(&UserSettingUpdate::QuietHours(quiet("01:00:00")))
            .unwrap();
        let changed = s
            .apply_settings_snapshot(&SettingsSnapshot {
                version: 9,
                type_levels: vec![(2, 5)],
                quiet_hours: None,
                conversations: vec![setting("dave", true, 2), setting("ghost", true, 0)],
                blacklist: vec!["eve".into()],
            })
            .unwrap();
        // carol lost her pin and level, dave is new; ghost did not change.
        assert_eq!(changed, vec![(key("carol"), false), (key("dave"), true)]);
        assert_eq!(s.settings_version().unwrap(), 9);
        assert_eq!(s.type_notification_level(2).unwrap(), 5);
        assert!(s.quiet_hours().unwrap().is_none());
        assert_eq!(s.blacklist().unwrap(), vec!["eve"]);
        assert!(!s.conversation_top(&key("carol")).unwrap());
        assert_eq!(
            s.conversation_notification_level(&key("carol")).unwrap(),
            notification_level::NONE
        );
        assert!(s.conversation(&key("carol")).unwrap().is_some());
        assert!(s.conversation_top(&key("ghost")).unwrap());
        assert!(s.conversation_top(&key("dave")).unwrap());
        assert_eq!(s.conversation_notification_level(&key("dave")).unwrap(), 2);
    }
}
