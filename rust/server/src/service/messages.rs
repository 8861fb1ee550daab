//! Sending and recalling messages: one path for client sends and Server API publishes, one
//! for client recalls and `/message/recall.json`.
//!
//! Status messages (`status` set: online only, e.g. "typing") take a path of their own,
//! [`publish_status`]: they skip the store entirely and go straight to live delivery as
//! entries with sequence 0 (`InboxPush{entry{seq: 0, message{status: true}}}`), so they are in
//! no inbox, no message table and no sync, and a device that is offline at that moment never
//! sees them. This is the simplest correct design with the store/feed split: an online-only
//! message has nothing to commit, and sequence 0 tells clients it is outside their inbox
//! cursor. What it gives up: no dedupe by client message id (a resend is delivered again —
//! clients do not queue status messages for resending), and no ordering against the sender's
//! stored messages still being committed.

use super::error::ServiceError;
use crate::fanout::Fanout;
use crate::model::{
    NewMessage, Push, RecallRequest, RequestKey, SendOutcome, FORBIDDEN_IN_GROUP, MAX_ID_LEN,
    NOT_IN_GROUP,
};
use crate::store::{PendingSend, ServerStore};
use crate::util::{new_uid, now_ms};
use rcim_proto::v1::inbox_entry;
use rcim_proto::{codes, conversation_type};
use std::sync::Arc;

/// Checks what every stored message must satisfy: every field within its cap
/// ([`NewMessage::check_limits`]: the stored message always fits in one frame), a target and
/// an object name, a private or group conversation (others are not routed yet).
pub(crate) fn check(msg: &NewMessage) -> Result<(), ServiceError> {
    msg.check_limits().map_err(ServiceError::TooLong)?;
    if let Err(e) = crate::expansion::check_initial(&msg.expansion) {
        return Err(ServiceError::rejected(
            codes::EXPANSION_SIZE_LIMIT_EXCEED,
            e.0,
        ));
    }
    if msg.to_id.is_empty() {
        return Err(ServiceError::Invalid("the target is required".into()));
    }
    if msg.object_name.is_empty() {
        return Err(ServiceError::Invalid("the object name is required".into()));
    }
    if !matches!(
        msg.conversation_type,
        conversation_type::PRIVATE | conversation_type::GROUP
    ) {
        return Err(ServiceError::Invalid(format!(
            "conversation type {} is not supported",
            msg.conversation_type
        )));
    }
    Ok(())
}

/// Most members of one directed group message.
pub(crate) const MAX_DIRECTED_USERS: usize = 300;
/// Media object names: a directed message must be a normal one.
const MEDIA_OBJECT_NAMES: [&str; 6] = [
    "RC:ImgMsg",
    "RC:HQVCMsg",
    "RC:VcMsg",
    "RC:FileMsg",
    "RC:SightMsg",
    "RC:GIFMsg",
];

/// Checks a client's directed group message (`SendMessage.directed_user_ids`): a group
/// message, at most [`MAX_DIRECTED_USERS`] valid ids, not a media message (33003 otherwise).
pub(crate) fn check_directed(
    conversation_type: u32,
    object_name: &str,
    ids: &[String],
) -> Result<(), ServiceError> {
    if ids.is_empty() {
        return Ok(());
    }
    if conversation_type != conversation_type::GROUP {
        return Err(ServiceError::Invalid(
            "directed messages are group messages".into(),
        ));
    }
    if ids.len() > MAX_DIRECTED_USERS {
        return Err(ServiceError::Invalid(format!(
            "at most {MAX_DIRECTED_USERS} directed users"
        )));
    }
    if ids.iter().any(|id| id.is_empty() || id.len() > MAX_ID_LEN) {
        return Err(ServiceError::Invalid("invalid directed user id".into()));
    }
    if MEDIA_OBJECT_NAMES.contains(&object_name) {
        return Err(ServiceError::Invalid(
            "a directed message cannot be a media message".into(),
        ));
    }
    Ok(())
}

/// Checks a message ([`check`]) and queues it for storage and routing; the returned future
/// resolves with the outcome after the commit. Messages submitted one after the other by one
/// caller keep their order. The store applies the rest: dedupe on (sender, client message
/// id), group membership (22406 when `require_member`), the recipient's blacklist (405 when
/// `check_blacklist`).
pub(crate) async fn submit(
    store: &dyn ServerStore,
    msg: NewMessage,
) -> Result<PendingSend, ServiceError> {
    check(&msg)?;
    Ok(store.submit_message(msg).await?)
}

/// Delivers an online-only message (see the module docs) to the devices online now of its
/// recipients: the target user (private) or the group's members (22406 for a non-member
/// and 22408 for a gagged member when `require_member`; only the `directed` ones when set;
/// 405 for a recipient who blacklisted the sender when `check_blacklist`), the sender's
/// devices only with `include_sender`; nobody when `blocked` (the caller screened it). Never stored, never counted: `persisted` and `counted` are cleared,
/// `status` set.
pub(crate) async fn publish_status(
    store: &dyn ServerStore,
    fanout: &dyn Fanout,
    mut msg: NewMessage,
) -> Result<SendOutcome, ServiceError> {
    check(&msg)?;
    if msg.check_blacklist
        && msg.conversation_type == conversation_type::PRIVATE
        && store
            .blacklisted(msg.to_id.clone(), msg.sender_id.clone())
            .await?
    {
        return Err(ServiceError::rejected(
            codes::REJECTED_BY_BLACKLIST,
            format!("{} blacklisted {}", msg.to_id, msg.sender_id),
        ));
    }
    let mut recipients = if msg.conversation_type == conversation_type::GROUP {
        let members = store.group_members(msg.to_id.clone()).await?;
        if msg.require_member && !members.contains(&msg.sender_id) {
            return Err(ServiceError::rejected(
                NOT_IN_GROUP,
                format!("{} is not a member of group {}", msg.sender_id, msg.to_id),
            ));
        }
        // Client sends only, as for stored messages: the Server API publishes whatever a
        // gag says.
        if msg.require_member
            && !store
                .gags(msg.to_id.clone(), Some(msg.sender_id.clone()), now_ms())
                .await?
                .is_empty()
        {
            return Err(ServiceError::rejected(
                FORBIDDEN_IN_GROUP,
                format!("{} is gagged in group {}", msg.sender_id, msg.to_id),
            ));
        }
        members
    } else {
        vec![msg.to_id.clone()]
    };
    recipients.retain(|r| *r != msg.sender_id);
    if !msg.directed.is_empty() {
        recipients.retain(|r| msg.directed.contains(r));
    }
    if msg.include_sender {
        recipients.push(msg.sender_id.clone());
    }
    msg.status = true;
    msg.persisted = false;
    msg.counted = false;
    let sent_time = now_ms();
    let uid = new_uid(sent_time);
    if msg.blocked {
        // Screened out: answered like a delivered one (as a blocked stored send is, R267),
        // delivered to nobody, and with no `MessageBlocked` entry: a status message leaves
        // nothing in any inbox, the sender's included.
        return Ok(SendOutcome {
            uid,
            sent_time,
            conv_seq: 0,
            duplicate: false,
        });
    }
    let body = Arc::new(inbox_entry::Body::Message(msg.into_wire(
        uid.clone(),
        sent_time,
        0,
    )));
    let pushes = recipients
        .into_iter()
        .map(|user_id| Push {
            user_id,
            seq: 0,
            body: body.clone(),
        })
        .collect();
    fanout.deliver(pushes);
    Ok(SendOutcome {
        uid,
        sent_time,
        conv_seq: 0,
        duplicate: false,
    })
}

/// Recalls a message; resolves with the recall time after the commit (the first recall's
/// time when it was recalled before, or when `request` is a repeat). Any participant may
/// recall unless `req.only_sender` (see [`ServerStore::recall`]). 25101: unknown message or
/// a conversation the operator is not in; 25107: not the sender while only the sender may
/// recall; 22406: a group non-member.
pub(crate) async fn recall(
    store: &dyn ServerStore,
    req: RecallRequest,
    request: Option<RequestKey>,
) -> Result<i64, ServiceError> {
    if req.uid.is_empty() || req.uid.len() > MAX_ID_LEN || req.target_id.len() > MAX_ID_LEN {
        return Err(ServiceError::rejected(
            codes::RECALL_PARAMETER_INVALID,
            "no such message",
        ));
    }
    Ok(store.recall(req, request).await?)
}
