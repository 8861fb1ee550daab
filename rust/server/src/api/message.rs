//! `/message/*` endpoints.

use super::checks::{check_group_id, check_user_id, MAX_USER_ID_LEN};
use super::params::Params;
use super::publish_fields::publish_template;
use super::reply::{ApiError, ApiResult};
use crate::model::{NewMessage, RecallRequest};
use crate::service;
use crate::state::Shared;
use futures::FutureExt as _;
use rcim_proto::conversation_type;
use serde_json::{json, Map};
use std::sync::Arc;

/// Most recipients of one private publish.
const MAX_PRIVATE_RECIPIENTS: usize = 1000;

/// `/message/private/publish.json`: `fromUserId` R, `toUserId` R (repeatable, ≤ 1000),
/// `objectName` R (≤ 32), `content` R (≤ 128 KB), `pushContent`, `pushData`, `isPersisted`
/// (default 1), `isCounted` (default 1), `isIncludeSender` (default 0), `verifyBlacklist`
/// (default 0).
///
/// Each recipient gets its own message (own UID), delivered exactly like a client send: stored,
/// appended to the recipient's inbox (and the sender's with `isIncludeSender`), pushed to online
/// devices. The blacklist is ignored (R062) unless `verifyBlacklist=1`: then a recipient who
/// blacklisted the sender gets nothing. Response: `{messageUIDs: [{userId, messageUID}]}` for
/// the recipients reached, plus `messageUID` when there is one of them.
pub(crate) async fn private_publish(shared: Arc<Shared>, form: Params) -> ApiResult {
    let from = form.required("fromUserId")?;
    check_user_id("fromUserId", from)?;
    let to = recipients(&form)?;
    let template = NewMessage {
        check_blacklist: form.bool("verifyBlacklist", false)?,
        ..publish_template(&form, from, conversation_type::PRIVATE)?
    };
    publish_to_each(&shared, template, &to, "userId").await
}

/// The `toUserId` list of a private publish: 1 to [`MAX_PRIVATE_RECIPIENTS`] valid ids.
fn recipients(form: &Params) -> Result<Vec<String>, ApiError> {
    let to = form.list("toUserId");
    if to.is_empty() {
        return Err(ApiError::param("toUserId is required"));
    }
    if to.len() > MAX_PRIVATE_RECIPIENTS {
        return Err(ApiError::param(format!(
            "at most {MAX_PRIVATE_RECIPIENTS} toUserId per call"
        )));
    }
    for u in &to {
        check_user_id("toUserId", u)?;
    }
    Ok(to)
}

/// The `toGroupId` list of a group publish: 1 to [`MAX_PUBLISH_GROUPS`] valid ids.
fn target_groups(form: &Params) -> Result<Vec<String>, ApiError> {
    let groups = form.list("toGroupId");
    if groups.is_empty() {
        return Err(ApiError::param("toGroupId is required"));
    }
    if groups.len() > MAX_PUBLISH_GROUPS {
        return Err(ApiError::param(format!(
            "at most {MAX_PUBLISH_GROUPS} toGroupId per call"
        )));
    }
    for g in &groups {
        check_group_id("toGroupId", g)?;
    }
    Ok(groups)
}

/// Stores one message per target (`template` addressed to it), delivered exactly like a client
/// send, and answers `{messageUIDs: [{<id_key>: target, messageUID}]}`, plus `messageUID` when
/// there is one target (targets filtered out by their blacklist are left out).
async fn publish_to_each(
    shared: &Shared,
    template: NewMessage,
    targets: &[String],
    id_key: &str,
) -> ApiResult {
    // The same caps as client sends (content 128 KB, push content / data 4 KB, ids 64 bytes):
    // any stored message fits in one frame.
    if let Err(e) = template.check_limits() {
        return Err(ApiError::too_long(e.field, e.max));
    }
    let mut pending = Vec::with_capacity(targets.len());
    for target in targets {
        let msg = NewMessage {
            to_id: target.clone(),
            ..template.clone()
        };
        let submitted = if msg.status {
            // Delivered already: nothing to wait for.
            service::messages::publish_status(shared.store.as_ref(), shared.hub.as_ref(), msg)
                .await
                .map(|sent| futures::future::ready(Ok(sent)).boxed())
        } else {
            service::messages::submit(shared.store.as_ref(), msg).await
        };
        pending.push(futures::future::ready(submitted).boxed());
    }
    let outcomes = futures::future::join_all(pending.into_iter().map(|p| async move {
        match p.await {
            Ok(send) => send.await.map_err(service::ServiceError::from),
            Err(e) => Err(e),
        }
    }))
    .await;
    let mut uids = Vec::with_capacity(outcomes.len());
    for (target, outcome) in targets.iter().zip(outcomes) {
        match outcome {
            Ok(outcome) => uids.push(json!({id_key: target, "messageUID": outcome.uid})),
            // `verifyBlacklist` filters out the recipients who blacklisted the sender (R062):
            // they get nothing and are left out of the answer.
            Err(service::ServiceError::Rejected(r))
                if r.code == rcim_proto::codes::REJECTED_BY_BLACKLIST => {}
            Err(e) => return Err(e.into()),
        }
    }
    let mut out = Map::new();
    if uids.len() == 1 {
        out.insert("messageUID".into(), uids[0]["messageUID"].clone());
    }
    out.insert("messageUIDs".into(), json!(uids));
    Ok(out)
}

/// Most groups of one group publish (each counts as one message).
const MAX_PUBLISH_GROUPS: usize = 3;
/// Most `toUserId` of a directed group publish.
const MAX_DIRECTED_USERS: usize = 1000;

/// `/message/group/publish.json`: `fromUserId` R, `toGroupId` R (repeatable, ≤ 3), `objectName`
/// R, `content` R, `pushContent`, `pushData`, `isPersisted` (default 1), `isCounted` (default
/// 1), `isIncludeSender` (default 0), `toUserId` (repeatable: a directed message that only
/// these members receive; only with exactly one `toGroupId`).
///
/// Each group gets its own message (own UID), stored once and appended to the inbox of every
/// member (of the directed members only, when `toUserId` is given) in one transaction. The
/// sender need not be a member. Response: `{messageUIDs: [{groupId, messageUID}]}`, plus
/// `messageUID` when there is one group.
pub(crate) async fn group_publish(shared: Arc<Shared>, form: Params) -> ApiResult {
    let from = form.required("fromUserId")?;
    check_user_id("fromUserId", from)?;
    let groups = target_groups(&form)?;
    let directed = form.list("toUserId");
    if !directed.is_empty() && groups.len() != 1 {
        return Err(ApiError::param(
            "toUserId (directed message) needs exactly one toGroupId",
        ));
    }
    if directed.len() > MAX_DIRECTED_USERS {
        return Err(ApiError::param(format!(
            "at most {MAX_DIRECTED_USERS} toUserId per call"
        )));
    }
    for u in &directed {
        check_user_id("toUserId", u)?;
    }
    let template = NewMessage {
        directed,
        require_member: false,
        ..publish_template(&form, from, conversation_type::GROUP)?
    };
    publish_to_each(&shared, template, &groups, "groupId").await
}

/// `/statusmessage/private/publish.json`: like [`private_publish`] (`fromUserId` R, `toUserId`
/// R repeatable ≤ 1000, `objectName` R, `content` R, `isIncludeSender` (default 0)), but
/// online only: each recipient's devices online now get it as a status message, nothing is
/// stored or counted, an offline recipient never gets it. `verifyBlacklist` as for
/// `private_publish`; `isPersisted`, `isCounted`, `busChannel` and `msgRandom` are accepted
/// and ignored. Response as `private_publish`.
pub(crate) async fn private_status_publish(shared: Arc<Shared>, form: Params) -> ApiResult {
    let from = form.required("fromUserId")?;
    check_user_id("fromUserId", from)?;
    let to = recipients(&form)?;
    let template = NewMessage {
        status: true,
        check_blacklist: form.bool("verifyBlacklist", false)?,
        ..publish_template(&form, from, conversation_type::PRIVATE)?
    };
    publish_to_each(&shared, template, &to, "userId").await
}

/// `/statusmessage/group/publish.json`: like [`group_publish`] (`fromUserId` R, `toGroupId` R
/// repeatable ≤ 3, `objectName` R, `content` R, `isIncludeSender` (default 0)), but online
/// only (see [`private_status_publish`]): the members online now get it.
pub(crate) async fn group_status_publish(shared: Arc<Shared>, form: Params) -> ApiResult {
    let from = form.required("fromUserId")?;
    check_user_id("fromUserId", from)?;
    let groups = target_groups(&form)?;
    let template = NewMessage {
        status: true,
        require_member: false,
        ..publish_template(&form, from, conversation_type::GROUP)?
    };
    publish_to_each(&shared, template, &groups, "groupId").await
}

/// `/message/recall.json`: `fromUserId` R (the original sender), `conversationType` R (1
/// private, 3 group: RongCloud's Server API numbering), `targetId` R (the receiving user or
/// the group), `messageUID` R, `sentTime` (ms, informational) => `{}`.
///
/// Same effect as a client recall: the stored message is replaced by its recall notification
/// and a recall entry is appended to the inbox of everyone who got it (and of the sender),
/// pushed to online devices. `fromUserId` may be any participant (the sender, the other user
/// of a private conversation, a group member). 25101: no such message, or `fromUserId` is not
/// in its conversation; 25107: not the sender while only the sender may recall
/// (`ServerConfig::recall_only_sender`); 22406: a group non-member. `conversationType` 10:
/// an ultra-group message (`super::ultragroup_messages::recall`).
pub(crate) async fn recall(shared: Arc<Shared>, form: Params) -> ApiResult {
    let from = form.required("fromUserId")?;
    check_user_id("fromUserId", from)?;
    let conversation_type = match form.required("conversationType")? {
        "1" => conversation_type::PRIVATE,
        "3" => conversation_type::GROUP,
        "10" => return super::ultragroup_messages::recall(&shared, &form).await,
        other => {
            return Err(ApiError::param(format!(
                "conversationType {other} is not supported (1 private, 3 group, 10 ultra group)"
            )))
        }
    };
    let target = form.required("targetId")?;
    check_user_id("targetId", target)?;
    let uid = form.required("messageUID")?;
    if uid.len() > MAX_USER_ID_LEN {
        return Err(ApiError::too_long("messageUID", MAX_USER_ID_LEN));
    }
    if let Some(t) = form.get("sentTime") {
        t.parse::<i64>()
            .map_err(|_| ApiError::param("sentTime must be a number"))?;
    }
    let req = RecallRequest {
        operator_id: from.to_owned(),
        only_sender: shared.config.recall_only_sender,
        uid: uid.to_owned(),
        conversation_type,
        target_id: target.to_owned(),
        channel_id: form.get("busChannel").unwrap_or("").to_owned(),
    };
    service::messages::recall(shared.store.as_ref(), req, None).await?;
    Ok(Map::new())
}
