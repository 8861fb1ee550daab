//! Messages into a room: a member's send and the Server API's publish. Both stamp the message
//! in the room (uid, sent time strictly increasing per room), keep it in the ring, deliver it
//! encoded once to the members online, store it in the room's history when persisted, and
//! auto-kick the offline members it makes due (R194).

use super::hooks;
use super::ops::{auto_kick, not_exist};
use super::rules::check_room_id;
use crate::hub::ConnId;
use crate::model::NewMessage;
use crate::service::ServiceError;
use crate::state::Shared;
use crate::store::ChatroomWrite;
use crate::util::{new_uid, now_ms};
use rcim_proto::{codes, conversation_type};

/// A message the Server API publishes into a room (`/message/chatroom/publish.json`).
#[derive(Debug, Clone, Default)]
pub(crate) struct NewChatroomMessage {
    /// Any user: a publisher need not be a member.
    pub sender_id: String,
    pub object_name: String,
    pub content: String,
    /// Stored in the room's history (`isPersisted`).
    pub persisted: bool,
    pub counted: bool,
    pub custom: bool,
    /// Delivered with high priority whatever its object name (never dropped for a slow
    /// member).
    pub high_priority: bool,
}

/// A member's send from connection `conn_id` (`msg.to_id` the room): 23410 missing room,
/// 23406 not a member, 23408 gagged, 33003 / 30016 bad fields. Delivered with low priority
/// (dropped for a member whose queue is filling up). The sender's other joined
/// connections receive it, `conn_id` does not. Returns (uid, sent time).
pub(crate) async fn send(
    shared: &Shared,
    conn_id: ConnId,
    mut msg: NewMessage,
) -> Result<(String, i64), ServiceError> {
    check(&msg)?;
    let room = msg.to_id.clone();
    let rooms = &shared.chatrooms;
    if !rooms.exists(&room) {
        return Err(not_exist(&room));
    }
    if !super::across_nodes::is_own_member(shared, &room, &msg.sender_id).await {
        return Err(ServiceError::rejected(
            codes::NOT_IN_CHATROOM,
            "not in this chatroom",
        ));
    }
    hooks::check_send(shared, &room, &msg.sender_id)
        .await
        .map_err(|code| ServiceError::rejected(code, "gagged in this chatroom"))?;
    // Sensitive words: replaced in what everyone receives, or nobody receives it (the sender
    // still gets a normal answer, as for other conversations).
    shared.moderation.screen_message(&mut msg);
    if msg.blocked {
        let now = now_ms();
        return Ok((new_uid(now), now));
    }
    // Low priority whatever the object name: a member could otherwise flood the room with
    // messages no slow member may drop (high priority is for the Server API's publishes).
    post(shared, msg, false, Some(conn_id)).await
}

/// The Server API's publish into `room` (see [`NewChatroomMessage`]): 23410 missing room,
/// 33003 / 30016 bad fields. Returns (uid, sent time).
pub(crate) async fn publish(
    shared: &Shared,
    room: &str,
    m: NewChatroomMessage,
) -> Result<(String, i64), ServiceError> {
    let high = m.high_priority || shared.chatrooms.is_high_priority(&m.object_name);
    let msg = NewMessage {
        sender_id: m.sender_id,
        conversation_type: conversation_type::CHATROOM,
        to_id: room.to_owned(),
        object_name: m.object_name,
        content: m.content,
        persisted: m.persisted,
        counted: m.counted,
        custom: m.custom,
        ..Default::default()
    };
    check(&msg)?;
    if !shared.chatrooms.exists(room) {
        return Err(not_exist(room));
    }
    post(shared, msg, high, None).await
}

/// What every room message must satisfy: a valid room id, a sender, an object name, every
/// field within its cap.
fn check(msg: &NewMessage) -> Result<(), ServiceError> {
    check_room_id(&msg.to_id)?;
    msg.check_limits().map_err(ServiceError::TooLong)?;
    if let Err(e) = crate::expansion::check_initial(&msg.expansion) {
        return Err(ServiceError::rejected(
            codes::EXPANSION_SIZE_LIMIT_EXCEED,
            e.0,
        ));
    }
    if msg.object_name.is_empty() || msg.sender_id.is_empty() {
        return Err(ServiceError::Invalid(
            "a sender and an object name are required".into(),
        ));
    }
    Ok(())
}

/// Stamps, delivers and (when persisted) stores `msg`; then auto-kicks who is due.
async fn post(
    shared: &Shared,
    msg: NewMessage,
    high_priority: bool,
    except_conn: Option<ConnId>,
) -> Result<(String, i64), ServiceError> {
    let room = msg.to_id.clone();
    let stored = msg.persisted && !msg.status;
    let posted = shared
        .chatrooms
        .post(&room, high_priority, except_conn, |sent_time| {
            msg.into_wire(new_uid(sent_time), sent_time, 0)
        })
        .ok_or_else(|| not_exist(&room))?;
    let (uid, sent_time) = (posted.message.uid.clone(), posted.message.sent_time);
    if stored {
        // Awaited, so a history page asked for after the answer has the message.
        let write = ChatroomWrite::Append(Box::new(posted.message));
        if let Err(e) = shared.store.chatroom_write(write).await {
            // The members have it already: the send stands, only the history misses it.
            tracing::warn!(room = %room, error = %e, "storing a chatroom message failed");
        }
    }
    if !posted.auto_kick.is_empty() {
        auto_kick(shared, &room, posted.auto_kick).await;
    }
    Ok((uid, sent_time))
}
