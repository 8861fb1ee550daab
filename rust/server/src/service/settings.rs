//! User-level settings (type levels, quiet hours, blacklist, push settings) from clients and the Server API,
//! and the settings pages a device reads at login. Conversation settings are in
//! [`super::events::conversation_setting`]; the stored form is [`crate::settings`].

use super::error::ServiceError;
use crate::model::{RequestKey, MAX_ID_LEN};
use crate::push::records::{is_id_text, MAX_LANGUAGE_LEN};
use crate::settings::{
    quiet_hours_valid, type_level_allowed, SettingChange, SettingsUpdate, MAX_NOTIFICATION_LEVEL,
};
use crate::store::ServerStore;
use rcim_proto::v1::{
    change_user_setting, user_setting_changed, BlacklistChange, ChangeUserSetting, SettingsRequest,
    UserSettings,
};

/// The stored form of a client's change, or why it is malformed (33003).
fn user_change(
    c: ChangeUserSetting,
    user: &str,
) -> Result<user_setting_changed::Change, ServiceError> {
    use user_setting_changed::Change;
    let invalid = |m: &str| Err(ServiceError::Invalid(m.into()));
    match c.change {
        None => invalid("no change"),
        Some(change_user_setting::Change::TypeLevel(t)) => {
            if !type_level_allowed(t.conversation_type) {
                return invalid("no type level for this conversation type");
            }
            if t.level > MAX_NOTIFICATION_LEVEL {
                return invalid("unknown notification level");
            }
            Ok(Change::TypeLevel(t))
        }
        Some(change_user_setting::Change::QuietHours(q)) => {
            if !quiet_hours_valid(&q) {
                return invalid("malformed quiet hours");
            }
            Ok(Change::QuietHours(q))
        }
        Some(change_user_setting::Change::QuietHoursRemoved(r)) => Ok(Change::QuietHoursRemoved(r)),
        Some(change_user_setting::Change::Blacklist(b)) => {
            check_blacklisted_id(user, &b.user_id)?;
            Ok(Change::Blacklist(b))
        }
        Some(change_user_setting::Change::PushLanguage(l)) => {
            if !push_language_valid(&l) {
                return invalid("malformed push language");
            }
            Ok(Change::PushLanguage(l))
        }
        Some(change_user_setting::Change::PushContentShow(show)) => {
            Ok(Change::PushContentShow(show))
        }
        Some(change_user_setting::Change::PushReceive(receive)) => Ok(Change::PushReceive(receive)),
    }
}

/// A push language (R258): "" (the App's default) or at most [`MAX_LANGUAGE_LEN`]
/// letters, digits, '-' and '_' ("zh_CN", "en_US", "ar_SA", or a template's own id).
fn push_language_valid(l: &str) -> bool {
    is_id_text(l, MAX_LANGUAGE_LEN)
}

/// A user id that `owner` may put on (or take off) their blacklist: not empty, not over
/// [`MAX_ID_LEN`], not the owner.
fn check_blacklisted_id(owner: &str, id: &str) -> Result<(), ServiceError> {
    if id.is_empty() || id.len() > MAX_ID_LEN {
        return Err(ServiceError::Invalid("invalid user id".into()));
    }
    if id == owner {
        return Err(ServiceError::Invalid(
            "a user cannot blacklist themselves".into(),
        ));
    }
    Ok(())
}

/// A client's `ChangeUserSetting` from device `device_id`: stored, and a `UserSettingChanged`
/// entry goes to the user's own inbox (once per `request`). 33003 for a malformed change,
/// 20605 for a full blacklist.
pub(crate) async fn change(
    store: &dyn ServerStore,
    user: &str,
    device_id: &str,
    request: RequestKey,
    c: ChangeUserSetting,
) -> Result<(), ServiceError> {
    let change = user_change(c, user)?;
    let update = SettingsUpdate {
        user_id: user.to_owned(),
        device_id: device_id.to_owned(),
        changes: vec![SettingChange::User(change)],
    };
    Ok(store.change_settings(update, Some(request)).await?)
}

/// The Server API's blacklist change: `ids` added to (`blocked`) or removed from `owner`'s
/// blacklist, all or none (20605 when the list would be full), one `UserSettingChanged` per
/// id in the owner's inbox (no device).
pub(crate) async fn change_blacklist(
    store: &dyn ServerStore,
    owner: &str,
    ids: Vec<String>,
    blocked: bool,
) -> Result<(), ServiceError> {
    let mut changes = Vec::with_capacity(ids.len());
    for user_id in ids {
        check_blacklisted_id(owner, &user_id)?;
        changes.push(SettingChange::User(
            user_setting_changed::Change::Blacklist(BlacklistChange { user_id, blocked }),
        ));
    }
    let update = SettingsUpdate {
        user_id: owner.to_owned(),
        device_id: String::new(),
        changes,
    };
    Ok(store.change_settings(update, None).await?)
}

/// A page of `user`'s settings (see `SettingsRequest`).
pub(crate) async fn page(
    store: &dyn ServerStore,
    user: &str,
    r: SettingsRequest,
) -> Result<UserSettings, ServiceError> {
    Ok(store
        .settings(user.to_owned(), r.conversation_offset, r.blacklist_offset)
        .await?)
}

/// The settings version `user` has now (`ConnectAck.settings_version`).
pub(crate) async fn version(store: &dyn ServerStore, user: &str) -> Result<u64, ServiceError> {
    Ok(store.settings_version(user.to_owned()).await?)
}

/// The blacklist of `owner` (`/user/blacklist/query.json`).
pub(crate) async fn blacklist(
    store: &dyn ServerStore,
    owner: &str,
) -> Result<Vec<String>, ServiceError> {
    Ok(store.blacklist(owner.to_owned()).await?)
}

#[cfg(test)]
mod tests {
    use super::push_language_valid;

    #[test]
    fn push_languages() {
        for ok in [
            "",
            "zh_CN",
            "en_US",
            "ar_SA",
            "x-klingon",
            "abcdefghijklmnop",
        ] {
            assert!(push_language_valid(ok), "{ok}");
        }
        for bad in ["abcdefghijklmnopq", "zh CN", "zh.CN", "语言", "en/US"] {
            assert!(!push_language_valid(bad), "{bad}");
        }
    }
}
