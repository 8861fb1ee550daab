//! The channel streams: sending into a channel and changing its messages (modify, recall,
//! expansion), for client requests and the Server API alike. Each write is checked against
//! the directory, stored once (see `ServerStore::ug_write`) and then offered to the
//! channel's online readers ([`super::delivery`]).

use super::channel_or_default;
use super::delivery::{deliver, Audience};
use super::mentions::mentions;
use crate::expansion::{check_change, Stored};
use crate::hub::ConnId;
use crate::model::{NewMessage, RequestKey, SendOutcome, MAX_ID_LEN};
use crate::service::ServiceError;
use crate::state::Shared;
use crate::store::ultragroup_stream_records::{
    UgAppend, UgChange, UgChangeKind, UgWrite, UgWritten,
};
use crate::util::{new_uid, now_ms};
use rcim_proto::v1::{ultra_group_event, Message, UltraGroupMessageChanged};
use rcim_proto::{codes, conversation_type};
use std::collections::HashMap;
use std::time::Duration;

/// Most users of one directed channel message.
pub(crate) const MAX_DIRECTED_USERS: usize = 300;

/// `UltraGroupMessageChanged.kind` values.
pub(crate) const MODIFIED: u32 = 1;
pub(crate) const RECALLED: u32 = 2;
pub(crate) const EXPANSION: u32 = 3;

/// Where a request came from: its request id (executed once) and the connection that sent
/// it (not sent its own event). Both `None` for the Server API.
#[derive(Debug, Clone, Default)]
pub(crate) struct Origin {
    pub request: Option<RequestKey>,
    pub conn: Option<ConnId>,
}

/// A directory refusal (24410, 24406, 24414, 24416, 24408) as a service error.
pub(crate) fn refused(code: u32) -> ServiceError {
    ServiceError::rejected(
        code,
        format!("refused by the ultra-group directory ({code})"),
    )
}

/// Checks a channel id as a request gives it ("" = RCDefault): at most 20 characters of
/// `[A-Za-z0-9_-]` (33003 otherwise). Returns the channel meant.
pub(crate) fn check_channel(channel_id: &str) -> Result<String, ServiceError> {
    if !channel_id.is_empty() && !super::directory::is_valid_channel_id(channel_id) {
        return Err(ServiceError::Invalid(format!(
            "invalid channel id {channel_id:?}"
        )));
    }
    Ok(channel_or_default(channel_id).to_owned())
}

/// Checks a group id (1..=64 bytes, 33003 otherwise).
pub(crate) fn check_group(group_id: &str) -> Result<(), ServiceError> {
    if group_id.is_empty() || group_id.len() > MAX_ID_LEN {
        return Err(ServiceError::Invalid("invalid group id".into()));
    }
    Ok(())
}

/// May `user` read channel (`group_id`, `channel_id` defaulted)? The directory's code
/// otherwise (24410, 24406, 24414, 24416).
pub(crate) fn check_access(
    shared: &Shared,
    group_id: &str,
    channel_id: &str,
    user: &str,
) -> Result<(), ServiceError> {
    shared
        .ultragroups
        .access(group_id, channel_id, user)
        .map(drop)
        .map_err(refused)
}

/// Publishes `msg` into channel (`msg.to_id`, `msg.channel_id`) as the Server API does:
/// the sender must be a member who may send there (24410, 24406, 24414, 24416, 24408), but
/// need not be online. `directed`: only these users (who must be able to read the channel,
/// 33003 otherwise) and the sender see it. Stored once, delivered to the online readers,
/// pushed to the others whose levels allow it.
pub(crate) async fn publish(
    shared: &Shared,
    msg: NewMessage,
    directed: Vec<String>,
) -> Result<SendOutcome, ServiceError> {
    Ok(publish_from(shared, msg, directed, None, None)
        .await?
        .outcome)
}

/// What a send did: its outcome and the message's `change_seq` (0 for a resend, a blocked
/// or a status message: nothing the sender's device must account for).
#[derive(Debug, Clone)]
pub(crate) struct Published {
    pub outcome: SendOutcome,
    pub change_seq: u64,
}

impl From<SendOutcome> for Published {
    fn from(outcome: SendOutcome) -> Self {
        Published {
            outcome,
            change_seq: 0,
        }
    }
}

/// [`publish`] for a client's send from connection `conn` (which does not get the message
/// back; the sender's other connections do), counted against the channel's rate of
/// `channel_rate` messages per second (24415 beyond; counted only once the sender is known
/// to be allowed there, so others cannot use up a channel's rate). A message the
/// sensitive-word filter blocked (`msg.blocked`) is answered like a stored one but stored
/// and delivered nowhere.
pub(crate) async fn publish_from(
    shared: &Shared,
    mut msg: NewMessage,
    mut directed: Vec<String>,
    conn: Option<ConnId>,
    channel_rate: Option<u32>,
) -> Result<Published, ServiceError> {
    msg.conversation_type = conversation_type::ULTRA_GROUP;
    check_group(&msg.to_id)?;
    msg.channel_id = check_channel(&msg.channel_id)?;
    msg.check_limits().map_err(ServiceError::TooLong)?;
    if msg.object_name.is_empty() {
        return Err(ServiceError::Invalid("the object name is required".into()));
    }
    if let Err(e) = crate::expansion::check_initial(&msg.expansion) {
        return Err(ServiceError::rejected(
            codes::EXPANSION_SIZE_LIMIT_EXCEED,
            e.0,
        ));
    }
    let (group, channel) = (msg.to_id.clone(), msg.channel_id.clone());
    if let Err(code) = shared
        .ultragroups
        .check_send(&group, &channel, &msg.sender_id)
    {
        return resent_or(shared, &msg, refused(code)).await;
    }
    directed.sort();
    directed.dedup();
    if directed.len() > MAX_DIRECTED_USERS {
        return Err(ServiceError::Invalid(format!(
            "at most {MAX_DIRECTED_USERS} directed users"
        )));
    }
    if let Some(u) = directed
        .iter()
        .find(|u| shared.ultragroups.access(&group, &channel, u).is_err())
    {
        return Err(ServiceError::Invalid(format!(
            "directed user {u} cannot read the channel"
        )));
    }
    if let Some(rate) = channel_rate {
        // Counted across the nodes: the channel's senders may be on several.
        let key = format!("ch\0{group}\0{channel}");
        if !shared.rates.try_take(&key, rate, Duration::from_secs(1)) {
            let over = refused(codes::ULTRA_GROUP_CHANNEL_MESSAGE_EXCEED_LIMIT);
            return resent_or(shared, &msg, over).await;
        }
    }
    if msg.blocked && !msg.status && !msg.client_msg_id.is_empty() {
        // Recorded like a blocked send of the other types (R267): the sender's inbox gets
        // `MessageBlocked`, and a resend gets the same answer.
        let pending = shared.store.submit_message(msg).await?;
        return Ok(pending.await?.into());
    }
    if msg.blocked {
        let sent_time = now_ms();
        return Ok(SendOutcome {
            uid: new_uid(sent_time),
            sent_time,
            conv_seq: 0,
            duplicate: false,
        }
        .into());
    }
    if msg.status {
        return Ok(publish_status(shared, msg, &directed, conn).into());
    }
    msg.directed = directed.clone();
    let (mentions_all, mentioned) = mentions(&msg.content);
    let append = UgAppend {
        msg,
        mentioned,
        mentions_all,
    };
    let written = shared
        .store
        .ug_write(UgWrite::Append(Box::new(append)), None)
        .await?;
    let UgWritten::Appended { outcome, message } = written else {
        return Err(ServiceError::Internal(anyhow::anyhow!(
            "unexpected answer to an ultra-group append"
        )));
    };
    let mut change_seq = 0;
    if let Some(m) = message {
        change_seq = m.change_seq;
        deliver_message(shared, &m, &directed, conn);
        super::after_send(shared, &m, &directed);
    }
    Ok(Published {
        outcome,
        change_seq,
    })
}

/// A refused client send: the original answer when the message was stored already (a
/// resend after a lost answer must not turn a stored message into a failed one, whatever
/// changed since: a mute, the channel's rate), `refusal` otherwise.
async fn resent_or(
    shared: &Shared,
    msg: &NewMessage,
    refusal: ServiceError,
) -> Result<Published, ServiceError> {
    if msg.client_msg_id.is_empty() {
        return Err(refusal);
    }
    let key = RequestKey {
        user_id: msg.sender_id.clone(),
        request_id: msg.client_msg_id.clone(),
    };
    match shared.store.sent_message(key).await? {
        Some(original) => Ok(original.into()),
        None => Err(refusal),
    }
}

/// Offers a new message to the online readers of its channel (a directed one: to its
/// readers and its sender), not to connection `conn`.
fn deliver_message(shared: &Shared, m: &Message, directed: &[String], conn: Option<ConnId>) {
    let mut only = directed.to_vec();
    let audience = if directed.is_empty() {
        Audience::Readers
    } else {
        only.push(m.sender_id.clone());
        Audience::Only {
            users: &only,
            skipped_seq: m.change_seq,
        }
    };
    let body = ultra_group_event::Body::Message(m.clone());
    deliver(shared, &m.to_id, &m.channel_id, body, audience, conn);
}

/// An online-only (status) message: offered to the readers connected now, never stored,
/// never pushed; answered like a send (uid, sent time, no sequence).
fn publish_status(
    shared: &Shared,
    msg: NewMessage,
    directed: &[String],
    conn: Option<ConnId>,
) -> SendOutcome {
    let sent_time = now_ms();
    let uid = new_uid(sent_time);
    let m = msg.into_wire(uid.clone(), sent_time, 0);
    deliver_message(shared, &m, directed, conn);
    SendOutcome {
        uid,
        sent_time,
        conv_seq: 0,
        duplicate: false,
    }
}

/// What a change did: its time (a recall's) and its `change_seq` (0 when nothing changed:
/// a repeated request, a recall of a recalled message, a blocked edit).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Changed {
    pub time: i64,
    pub change_seq: u64,
}

/// Applies a change and announces it (`UltraGroupEvent.changed`) to the connected readers
/// (not to `origin.conn`).
async fn change(
    shared: &Shared,
    change: UgChange,
    origin: Origin,
) -> Result<Changed, ServiceError> {
    let (kind, set, remove) = match &change.kind {
        UgChangeKind::Modify { .. } => (MODIFIED, HashMap::new(), Vec::new()),
        UgChangeKind::Recall { .. } => (RECALLED, HashMap::new(), Vec::new()),
        UgChangeKind::Expansion { set, remove } => (EXPANSION, set.clone(), remove.clone()),
    };
    let (group, channel) = (change.group_id.clone(), change.channel_id.clone());
    let operator_id = change.operator_id.clone();
    let written = shared
        .store
        .ug_write(UgWrite::Change(change), origin.request)
        .await?;
    let UgWritten::Changed {
        message,
        time,
        readers,
    } = written
    else {
        return Err(ServiceError::Internal(anyhow::anyhow!(
            "unexpected answer to an ultra-group change"
        )));
    };
    let mut change_seq = 0;
    if let Some(m) = message {
        change_seq = m.change_seq;
        let body = ultra_group_event::Body::Changed(UltraGroupMessageChanged {
            kind,
            message: Some(*m),
            operator_id,
            set,
            remove,
        });
        let audience = if readers.is_empty() {
            Audience::Readers
        } else {
            Audience::Only {
                users: &readers,
                skipped_seq: change_seq,
            }
        };
        deliver(shared, &group, &channel, body, audience, origin.conn);
    }
    Ok(Changed { time, change_seq })
}

/// Checks the ids naming a message of a channel (group, channel, then uid); returns the
/// channel ("" = "RCDefault").
fn check_message_ids(group_id: &str, channel_id: &str, uid: &str) -> Result<String, ServiceError> {
    check_group(group_id)?;
    let channel = check_channel(channel_id)?;
    check_uid(uid)?;
    Ok(channel)
}

fn check_uid(uid: &str) -> Result<(), ServiceError> {
    if uid.is_empty() || uid.len() > MAX_ID_LEN {
        return Err(ServiceError::rejected(
            codes::INVALID_MESSAGE_UID,
            "invalid message uid",
        ));
    }
    Ok(())
}

/// Recalls message `uid` of a channel (R227–R228); resolves with the recall time (the
/// first recall's for a recalled message). Only its sender (34203 otherwise) unless
/// `is_admin` (the Server API, which may recall anyone's); the operator must be able to read
/// the channel unless `is_admin` (24406 …). `delete_remote`: clients delete the message
/// instead of showing the recall notification.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn recall(
    shared: &Shared,
    group_id: &str,
    channel_id: &str,
    uid: &str,
    operator: &str,
    delete_remote: bool,
    is_admin: bool,
) -> Result<i64, ServiceError> {
    Ok(recall_from(
        shared,
        group_id,
        channel_id,
        uid,
        operator,
        delete_remote,
        is_admin,
        Origin::default(),
    )
    .await?
    .time)
}

/// [`recall`] for a client request (`origin`).
#[allow(clippy::too_many_arguments)]
pub(crate) async fn recall_from(
    shared: &Shared,
    group_id: &str,
    channel_id: &str,
    uid: &str,
    operator: &str,
    delete_remote: bool,
    is_admin: bool,
    origin: Origin,
) -> Result<Changed, ServiceError> {
    let channel = check_message_ids(group_id, channel_id, uid)?;
    if !is_admin {
        check_access(shared, group_id, &channel, operator)?;
    }
    let ch = UgChange {
        group_id: group_id.to_owned(),
        channel_id: channel,
        uid: uid.to_owned(),
        operator_id: operator.to_owned(),
        kind: UgChangeKind::Recall {
            delete_remote,
            is_admin,
        },
    };
    change(shared, ch, origin).await
}

/// Changes the content of message `uid` of a channel (R225): only its sender, a member who
/// can read the channel (24406 …), with the original's object name, not recalled (34203
/// otherwise). The content obeys the message limits (30016).
pub(crate) async fn modify(
    shared: &Shared,
    group_id: &str,
    channel_id: &str,
    uid: &str,
    operator: &str,
    content: String,
) -> Result<(), ServiceError> {
    modify_from(
        shared,
        group_id,
        channel_id,
        uid,
        operator,
        None,
        content,
        Origin::default(),
    )
    .await
    .map(drop)
}

/// [`modify`] for a client request: `object_name` must be the original's (`None`: not
/// checked, the Server API). A client's new content is screened by the sensitive-word filter
/// like a send: replaced words are replaced in what is stored and delivered; a blocked edit
/// is answered like an applied one (R267) with `change_seq` 0, and nothing changes.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn modify_from(
    shared: &Shared,
    group_id: &str,
    channel_id: &str,
    uid: &str,
    operator: &str,
    object_name: Option<String>,
    mut content: String,
    origin: Origin,
) -> Result<Changed, ServiceError> {
    let channel = check_message_ids(group_id, channel_id, uid)?;
    if content.len() > rcim_proto::MAX_CONTENT_LEN {
        return Err(ServiceError::TooLong(crate::model::LimitError {
            field: "content",
            max: rcim_proto::MAX_CONTENT_LEN,
            size: true,
        }));
    }
    check_access(shared, group_id, &channel, operator)?;
    let object_name = match object_name {
        Some(o) => {
            let mut screened = NewMessage {
                object_name: o,
                content,
                ..Default::default()
            };
            shared.moderation.screen_message(&mut screened);
            if screened.blocked {
                return Ok(Changed::default());
            }
            content = screened.content;
            screened.object_name
        }
        None => {
            // The Server API gives no object name: the original's.
            let found = shared
                .store
                .ug_messages(
                    group_id.to_owned(),
                    channel.clone(),
                    vec![uid.to_owned()],
                    None,
                )
                .await?;
            match found.into_iter().next() {
                Some(m) => m.object_name,
                None => {
                    return Err(ServiceError::rejected(
                        codes::INVALID_MESSAGE_UID,
                        format!("no message {uid}"),
                    ))
                }
            }
        }
    };
    let ch = UgChange {
        group_id: group_id.to_owned(),
        channel_id: channel,
        uid: uid.to_owned(),
        operator_id: operator.to_owned(),
        kind: UgChangeKind::Modify {
            object_name,
            content,
        },
    };
    change(shared, ch, origin).await
}

/// Sets `set` and removes `remove` on the expansion of message `uid` of a channel (R229):
/// the operator must be able to read the channel (24406 …); 34008 a message sent without
/// expansion; 34010 / 33003 the key, value and size rules (at most `max_keys` keys in this
/// change: 20 for clients, 100 for the Server API).
#[allow(clippy::too_many_arguments)]
pub(crate) async fn update_expansion(
    shared: &Shared,
    group_id: &str,
    channel_id: &str,
    uid: &str,
    operator: &str,
    set: HashMap<String, String>,
    remove: Vec<String>,
) -> Result<(), ServiceError> {
    let max = crate::expansion::MAX_KEYS_PER_API_CALL;
    update_expansion_from(
        shared,
        group_id,
        channel_id,
        uid,
        operator,
        (set, remove),
        max,
        Origin::default(),
    )
    .await
    .map(drop)
}

/// [`update_expansion`] for a client request (at most `max_keys` keys changed).
#[allow(clippy::too_many_arguments)]
pub(crate) async fn update_expansion_from(
    shared: &Shared,
    group_id: &str,
    channel_id: &str,
    uid: &str,
    operator: &str,
    (set, mut remove): (HashMap<String, String>, Vec<String>),
    max_keys: usize,
    origin: Origin,
) -> Result<Changed, ServiceError> {
    let channel = check_message_ids(group_id, channel_id, uid)?;
    if set.is_empty() && remove.is_empty() {
        return Err(ServiceError::Invalid("nothing to set or remove".into()));
    }
    let mut seen = std::collections::HashSet::new();
    remove.retain(|k| seen.insert(k.clone()));
    check_change(&set, &remove, max_keys)
        .map_err(|e| ServiceError::rejected(codes::EXPANSION_SIZE_LIMIT_EXCEED, e.0))?;
    check_access(shared, group_id, &channel, operator)?;
    let ch = UgChange {
        group_id: group_id.to_owned(),
        channel_id: channel,
        uid: uid.to_owned(),
        operator_id: operator.to_owned(),
        kind: UgChangeKind::Expansion { set, remove },
    };
    change(shared, ch, origin).await
}

/// The stored expansion of message `uid` of a channel, key → (value, time set); 34203 for
/// an unknown message.
pub(crate) async fn expansion_of(
    shared: &Shared,
    group_id: &str,
    channel_id: &str,
    uid: &str,
) -> Result<Stored, ServiceError> {
    let channel = check_message_ids(group_id, channel_id, uid)?;
    shared
        .store
        .ug_expansion(group_id.to_owned(), channel, uid.to_owned())
        .await?
        .ok_or_else(|| {
            ServiceError::rejected(codes::INVALID_MESSAGE_UID, format!("no message {uid}"))
        })
}

/// The messages `uids` of a channel as they are now (for the Server API), in the order
/// asked; unknown uids are left out.
pub(crate) async fn messages(
    shared: &Shared,
    group_id: &str,
    channel_id: &str,
    uids: Vec<String>,
) -> Result<Vec<Message>, ServiceError> {
    check_group(group_id)?;
    let channel = check_channel(channel_id)?;
    Ok(shared
        .store
        .ug_messages(group_id.to_owned(), channel, uids, None)
        .await?)
}
