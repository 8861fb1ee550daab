//! Helpers of the settings and blacklist tests: the requests that change settings, the
//! settings pages, and the entries that announce changes.
#![allow(dead_code)]

use crate::common::*;
use rcim_proto::v1::{
    change_user_setting, inbox_entry, request, response, user_setting_changed, BlacklistChange,
    ChangeConversationSetting, ChangeUserSetting, ConversationSetting, ConversationSettingState,
    InboxEntry, QuietHours, QuietHoursRemoved, SettingsRequest, TypeNotificationLevel,
    UserSettingChanged, UserSettings,
};

/// Sends a `ChangeUserSetting`; its code.
pub async fn user_setting(c: &mut RawClient, change: change_user_setting::Change) -> u32 {
    let body = request::Body::UserSetting(ChangeUserSetting {
        change: Some(change),
    });
    call(c, &fresh_request_id(), body).await.code
}

pub fn type_level(conversation_type: u32, level: u32) -> change_user_setting::Change {
    change_user_setting::Change::TypeLevel(TypeNotificationLevel {
        conversation_type,
        level,
    })
}

pub fn quiet(start: &str, span: u32, level: u32) -> QuietHours {
    QuietHours {
        start_time: start.into(),
        span_minutes: span,
        level,
        utc_offset_minutes: 480,
    }
}

pub fn quiet_hours(q: QuietHours) -> change_user_setting::Change {
    change_user_setting::Change::QuietHours(q)
}

pub fn quiet_removed() -> change_user_setting::Change {
    change_user_setting::Change::QuietHoursRemoved(QuietHoursRemoved {})
}

pub fn blacklist(user_id: &str, blocked: bool) -> change_user_setting::Change {
    change_user_setting::Change::Blacklist(BlacklistChange {
        user_id: user_id.into(),
        blocked,
    })
}

/// Sends a `ChangeConversationSetting` of a private conversation; its code.
pub async fn conversation(
    c: &mut RawClient,
    target: &str,
    top: Option<bool>,
    level: Option<u32>,
) -> u32 {
    let body = request::Body::ConversationSetting(ChangeConversationSetting {
        conversation_type: rcim_proto::conversation_type::PRIVATE,
        target_id: target.into(),
        channel_id: String::new(),
        top,
        notification_level: level,
    });
    call(c, &fresh_request_id(), body).await.code
}

/// One settings page from the given offsets.
pub async fn settings_page(c: &mut RawClient, conversations: u32, blacklist: u32) -> UserSettings {
    let body = request::Body::Settings(SettingsRequest {
        conversation_offset: conversations,
        blacklist_offset: blacklist,
    });
    let r = call(c, "", body).await;
    assert_eq!(r.code, 0);
    match r.body {
        Some(response::Body::Settings(s)) => s,
        other => panic!("expected settings, got {other:?}"),
    }
}

/// Every page of the user's settings merged into one (all pages of one version); the number
/// of pages read.
pub async fn all_settings(c: &mut RawClient) -> (UserSettings, usize) {
    let mut all = settings_page(c, 0, 0).await;
    let mut pages = 1;
    while all.has_more {
        let next = settings_page(
            c,
            all.conversations.len() as u32,
            all.blacklist.len() as u32,
        )
        .await;
        assert_eq!(
            next.version, all.version,
            "the settings changed while paging"
        );
        pages += 1;
        all.conversations.extend(next.conversations);
        all.blacklist.extend(next.blacklist);
        all.has_more = next.has_more;
    }
    (all, pages)
}

pub fn targets(states: &[ConversationSettingState]) -> Vec<&str> {
    states.iter().map(|s| s.target_id.as_str()).collect()
}

pub fn as_user_setting(e: &InboxEntry) -> &UserSettingChanged {
    match &e.body {
        Some(inbox_entry::Body::UserSetting(s)) => s,
        other => panic!("expected a user setting, got {other:?}"),
    }
}

pub fn as_conversation_setting(e: &InboxEntry) -> &ConversationSetting {
    match &e.body {
        Some(inbox_entry::Body::ConversationSetting(s)) => s,
        other => panic!("expected a conversation setting, got {other:?}"),
    }
}

/// The blacklist change an entry announces: (user, blocked).
pub fn blacklist_change(e: &InboxEntry) -> (String, bool) {
    match &as_user_setting(e).change {
        Some(user_setting_changed::Change::Blacklist(b)) => (b.user_id.clone(), b.blocked),
        other => panic!("expected a blacklist change, got {other:?}"),
    }
}
