//! Inbox events that are not messages: private read receipts and conversation settings (the
//! latter also stored with the user's settings, see [`super::settings`]). Each is applied
//! once per request id (a resend changes nothing).

use super::error::ServiceError;
use crate::model::{RequestKey, MAX_CHANNEL_ID_CHARS, MAX_ID_LEN};
use crate::settings::{SettingChange, SettingsUpdate, MAX_NOTIFICATION_LEVEL};
use crate::store::ServerStore;
use rcim_proto::conversation_type;
use rcim_proto::v1::{inbox_entry, ChangeConversationSetting, PrivateReadReceipt, ReadReceipt};

pub(crate) fn check_target(target_id: &str, channel_id: &str) -> Result<(), ServiceError> {
    if target_id.is_empty() || target_id.len() > MAX_ID_LEN {
        return Err(ServiceError::Invalid("invalid target".into()));
    }
    if channel_id.chars().count() > MAX_CHANNEL_ID_CHARS {
        return Err(ServiceError::Invalid("channel id too long".into()));
    }
    Ok(())
}

/// `reader` read the private conversation with `r.target_id` up to `r.timestamp`: a
/// `ReadReceipt` entry goes to the inbox of the target (whose messages were read) and of the
/// reader (their other devices).
pub(crate) async fn private_read_receipt(
    store: &dyn ServerStore,
    reader: &str,
    request: RequestKey,
    r: PrivateReadReceipt,
) -> Result<(), ServiceError> {
    check_target(&r.target_id, &r.channel_id)?;
    if r.timestamp < 0 {
        return Err(ServiceError::Invalid("negative timestamp".into()));
    }
    let owners = vec![r.target_id.clone(), reader.to_owned()];
    let body = inbox_entry::Body::ReadReceipt(ReadReceipt {
        reader_id: reader.to_owned(),
        target_id: r.target_id,
        channel_id: r.channel_id,
        timestamp: r.timestamp,
        conversation_type: conversation_type::PRIVATE,
    });
    Ok(store.append_event(owners, body, Some(request)).await?)
}

/// `user` pinned or set the notification level of a conversation from device `device_id`:
/// stored with the user's settings (which a new device reads at login), and a
/// `ConversationSetting` entry with the new settings version goes to the user's own inbox
/// only (their other and offline devices converge). At least one field is set; levels 0..=5;
/// no chatrooms. 20605 when it would make more than `max_stored` of the user's conversations
/// non-default (pinned or with a level).
pub(crate) async fn conversation_setting(
    store: &dyn ServerStore,
    user: &str,
    device_id: &str,
    request: RequestKey,
    r: ChangeConversationSetting,
    max_stored: usize,
) -> Result<(), ServiceError> {
    if !(conversation_type::PRIVATE..=conversation_type::ULTRA_GROUP).contains(&r.conversation_type)
        || r.conversation_type == conversation_type::CHATROOM
    {
        return Err(ServiceError::Invalid(
            "unsupported conversation type".into(),
        ));
    }
    check_target(&r.target_id, &r.channel_id)?;
    if r.top.is_none() && r.notification_level.is_none() {
        return Err(ServiceError::Invalid("nothing to change".into()));
    }
    if r.notification_level
        .is_some_and(|l| l > MAX_NOTIFICATION_LEVEL)
    {
        return Err(ServiceError::Invalid("unknown notification level".into()));
    }
    let update = SettingsUpdate {
        user_id: user.to_owned(),
        device_id: device_id.to_owned(),
        changes: vec![SettingChange::Conversation {
            change: r,
            max_stored,
        }],
    };
    Ok(store.change_settings(update, Some(request)).await?)
}
