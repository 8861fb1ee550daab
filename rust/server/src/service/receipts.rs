//! Read state across devices and group read receipts. Each request is executed once per
//! request id (a resend appends nothing).

use super::error::ServiceError;
use crate::model::{ReceiptAnswer, ReceiptAsk, RequestKey, MAX_CHANNEL_ID_CHARS, MAX_ID_LEN};
use crate::store::ServerStore;
use rcim_proto::conversation_type;
use rcim_proto::v1::{
    inbox_entry, GroupReceiptRequest, GroupReceiptResponse, ReadStatusSynced, SyncReadStatus,
};

/// Most messages of one receipt response.
pub(crate) const MAX_RESPONSE_UIDS: usize = 100;

fn check_target(target_id: &str, channel_id: &str) -> Result<(), ServiceError> {
    if target_id.is_empty() || target_id.len() > MAX_ID_LEN {
        return Err(ServiceError::Invalid("invalid target".into()));
    }
    if channel_id.chars().count() > MAX_CHANNEL_ID_CHARS {
        return Err(ServiceError::Invalid("channel id too long".into()));
    }
    Ok(())
}

fn check_uid(uid: &str) -> Result<(), ServiceError> {
    if uid.is_empty() || uid.len() > MAX_ID_LEN {
        return Err(ServiceError::Invalid("invalid message uid".into()));
    }
    Ok(())
}

/// `user` read a conversation up to `r.timestamp` on device `device_id`: `ReadStatusSynced`
/// goes to the user's own inbox, so their other devices clear its unread messages. Private,
/// group or system conversations; a non-negative time (33003 otherwise).
pub(crate) async fn sync_read_status(
    store: &dyn ServerStore,
    user: &str,
    device_id: &str,
    request: RequestKey,
    r: SyncReadStatus,
) -> Result<(), ServiceError> {
    if !matches!(
        r.conversation_type,
        conversation_type::PRIVATE | conversation_type::GROUP | conversation_type::SYSTEM
    ) {
        return Err(ServiceError::Invalid(
            "unsupported conversation type".into(),
        ));
    }
    check_target(&r.target_id, &r.channel_id)?;
    if r.timestamp < 0 {
        return Err(ServiceError::Invalid("negative timestamp".into()));
    }
    let body = inbox_entry::Body::ReadStatus(ReadStatusSynced {
        conversation_type: r.conversation_type,
        target_id: r.target_id,
        channel_id: r.channel_id,
        timestamp: r.timestamp,
        device_id: device_id.to_owned(),
    });
    Ok(store
        .append_event(vec![user.to_owned()], body, Some(request))
        .await?)
}

/// The sender of group message `r.uid` asks the members for read receipts (see
/// [`ServerStore::request_receipt`]: 22406, 34203).
pub(crate) async fn request_receipt(
    store: &dyn ServerStore,
    user: &str,
    device_id: &str,
    request: RequestKey,
    r: GroupReceiptRequest,
) -> Result<(), ServiceError> {
    check_target(&r.group_id, &r.channel_id)?;
    if r.uid.is_empty() || r.uid.len() > MAX_ID_LEN {
        return Err(ServiceError::rejected(
            rcim_proto::codes::INVALID_MESSAGE_UID,
            "invalid message uid",
        ));
    }
    let ask = ReceiptAsk {
        requester: user.to_owned(),
        device_id: device_id.to_owned(),
        group_id: r.group_id,
        channel_id: r.channel_id,
        uid: r.uid,
    };
    Ok(store.request_receipt(ask, Some(request)).await?)
}

/// A member responds to the receipt requests of 1..=100 messages of one group (see
/// [`ServerStore::respond_receipt`]: 22406; 33003 for no or too many uids).
pub(crate) async fn respond_receipt(
    store: &dyn ServerStore,
    user: &str,
    device_id: &str,
    request: RequestKey,
    r: GroupReceiptResponse,
) -> Result<(), ServiceError> {
    check_target(&r.group_id, &r.channel_id)?;
    if r.uids.is_empty() || r.uids.len() > MAX_RESPONSE_UIDS {
        return Err(ServiceError::Invalid(format!(
            "1..={MAX_RESPONSE_UIDS} message uids"
        )));
    }
    for uid in &r.uids {
        check_uid(uid)?;
    }
    let answer = ReceiptAnswer {
        reader: user.to_owned(),
        device_id: device_id.to_owned(),
        group_id: r.group_id,
        channel_id: r.channel_id,
        uids: r.uids,
    };
    Ok(store.respond_receipt(answer, Some(request)).await?)
}
