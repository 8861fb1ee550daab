//! The room operations of a client connection that are not sends: join, leave, history
//! pages; and the destroy and auto-kick paths that also settle the room's KV entries.

use super::delivery::MemberConn;
use super::rules::{check_room_id, MAX_JOIN_MESSAGES, STATUS_DESTROY_AUTO};
use super::{across_nodes, hooks, kv};
use crate::model::{ENTRY_OVERHEAD, SYNC_BYTES};
use crate::service::ServiceError;
use crate::state::Shared;
use crate::store::ChatroomHistoryQuery;
use rcim_proto::codes;
use rcim_proto::v1::{
    ChatRoomHistoryPage, ChatRoomHistoryRequest, ChatRoomJoined, JoinChatRoom, LeaveChatRoom,
};

/// Most messages of one history page.
pub(crate) const MAX_HISTORY_PAGE: u32 = 50;
/// `ChatRoomHistoryRequest.order`: older messages, newest first.
const ORDER_BEFORE: u32 = 0;
/// `ChatRoomHistoryRequest.order`: newer messages, oldest first.
const ORDER_AFTER: u32 = 1;

/// Joins `conn` of `user` to a room (see `JoinChatRoom`): creates it with `auto_create`
/// (23410 otherwise), refuses blocked users (23409), leaves the user's other rooms beyond
/// the server's limit (R190) and hands `answer` the recent messages and the first page of
/// the room's KV entries (`more_entries` when the client must read the rest).
///
/// A creation by a join is limited (`ChatroomConfig::auto_create_per_minute` per user:
/// 20604 beyond; `max_rooms` on the node: 23410), so clients cannot fill the server's
/// memory with rooms.
///
/// `answer` runs once the membership started, under the room's KV lock and the room's lock
/// (see `Chatrooms::join_with`): what it queues on the connection comes before any message,
/// member change or KV change of the room that follows the membership, and the KV page is
/// the state those changes start from. On an error nothing was answered.
pub(crate) async fn join(
    shared: &Shared,
    conn: MemberConn,
    user: &str,
    req: JoinChatRoom,
    answer: impl FnOnce(ChatRoomJoined),
) -> Result<(), ServiceError> {
    check_room_id(&req.room_id)?;
    // The room's frames from the other nodes reach this node from now on (a failed join
    // leaves a subscription the chatroom task drops within a second).
    shared.bus.watch_room(&req.room_id).await;
    if req.message_count > MAX_JOIN_MESSAGES {
        return Err(ServiceError::Invalid(format!(
            "message count {} beyond {MAX_JOIN_MESSAGES}",
            req.message_count
        )));
    }
    let rooms = &shared.chatrooms;
    let room = req.room_id.as_str();
    if !req.auto_create {
        rooms.settle(room).await;
        if !rooms.exists(room) {
            return Err(not_exist(room));
        }
    }
    // Before a creation: a blocked user creates nothing.
    hooks::check_join(shared, room, user)
        .await
        .map_err(|code| ServiceError::rejected(code, "not allowed in this chatroom"))?;
    if req.auto_create && !rooms.exists(room) {
        rooms
            .allow_auto_create(&shared.rates, user)
            .map_err(|code| ServiceError::rejected(code, "no more chatrooms may be created"))?;
        rooms.create(shared.store.as_ref(), room, "").await?;
    }
    let count = req.message_count as usize;
    let elsewhere = across_nodes::before_join(shared, room, user, req.message_count).await;
    let left = kv::with_first_page(shared, room, |entries, more_entries| {
        let kept = elsewhere.kept;
        rooms.join_with(room, user, conn, count, kept, |joined| {
            let mut left = elsewhere.left;
            left.extend(joined.left);
            let mut reply = ChatRoomJoined {
                messages: joined.messages,
                entries,
                left_room_ids: left.clone(),
                more_entries,
            };
            fit_join_answer(&mut reply);
            answer(reply);
            left
        })
    })
    .await?
    .map_err(|code| ServiceError::rejected(code, "not allowed in this chatroom"))?;
    // Again once a member: the chatroom task may have dropped the subscription while the
    // join was on its way (no connection here yet); a no-op otherwise.
    shared.bus.watch_room(room).await;
    for left in &left {
        hooks::member_left(shared, left, user).await;
    }
    Ok(())
}

/// Keeps a join answer within a frame: the entries take at most half a frame (their page),
/// the messages the rest, the oldest going first.
fn fit_join_answer(answer: &mut ChatRoomJoined) {
    let size = |a: &ChatRoomJoined| prost::Message::encoded_len(a);
    let excess = size(answer).saturating_sub(SYNC_BYTES);
    if excess == 0 {
        return;
    }
    let mut freed = 0;
    let drop = answer
        .messages
        .iter()
        .take_while(|m| {
            let before = freed;
            freed += prost::Message::encoded_len(*m) + ENTRY_OVERHEAD;
            before < excess
        })
        .count();
    answer.messages.drain(..drop);
}

/// `user` leaves a room from connection `conn_id` (see `LeaveChatRoom`): succeeds also when
/// not in the room; their `delete_when_left` KV entries go.
pub(crate) async fn leave(
    shared: &Shared,
    conn_id: crate::hub::ConnId,
    user: &str,
    req: LeaveChatRoom,
) -> Result<(), ServiceError> {
    check_room_id(&req.room_id)?;
    let here = shared.chatrooms.leave(&req.room_id, user, conn_id);
    // The user leaves the room, not a connection: out on every node.
    let elsewhere =
        across_nodes::remove_elsewhere(shared, &req.room_id, user, codes::NOT_IN_CHATROOM).await;
    if here || elsewhere {
        hooks::member_left(shared, &req.room_id, user).await;
    }
    Ok(())
}

/// A page of a room's stored messages for a member (see `ChatRoomHistoryRequest`): 23406
/// for others, 23410 for a missing room, 33003 for a count outside 1..=50 or an unknown
/// order.
pub(crate) async fn history(
    shared: &Shared,
    user: &str,
    req: ChatRoomHistoryRequest,
) -> Result<ChatRoomHistoryPage, ServiceError> {
    check_room_id(&req.room_id)?;
    if req.count == 0 || req.count > MAX_HISTORY_PAGE {
        return Err(ServiceError::Invalid(format!(
            "count {} outside 1..={MAX_HISTORY_PAGE}",
            req.count
        )));
    }
    let newer = match req.order {
        ORDER_BEFORE => false,
        ORDER_AFTER => true,
        other => return Err(ServiceError::Invalid(format!("order {other}"))),
    };
    let rooms = &shared.chatrooms;
    if !rooms.exists(&req.room_id) {
        return Err(not_exist(&req.room_id));
    }
    if !across_nodes::is_own_member(shared, &req.room_id, user).await {
        return Err(ServiceError::rejected(
            codes::NOT_IN_CHATROOM,
            "not in this chatroom",
        ));
    }
    let Some(record) = rooms.record(&req.room_id) else {
        return Err(not_exist(&req.room_id));
    };
    let q = ChatroomHistoryQuery {
        room_id: req.room_id,
        timestamp: req.timestamp,
        newer,
        count: req.count,
        // A late message of an earlier room of that id is not this room's.
        since: record.created_at,
    };
    let mut messages = shared.store.chatroom_history(q).await?;
    // A page fits in a frame: the messages beyond are the next page's.
    let mut total = 0;
    let fit = messages
        .iter()
        .take_while(|m| {
            total += prost::Message::encoded_len(*m) + ENTRY_OVERHEAD;
            total <= SYNC_BYTES
        })
        .count();
    messages.truncate(fit.max(1));
    let sync_time = messages.last().map_or(req.timestamp, |m| m.sent_time);
    Ok(ChatRoomHistoryPage {
        messages,
        sync_time,
    })
}

/// Auto-kicks `users` from `room` (R194), except its protected members (R195).
pub(crate) async fn auto_kick(shared: &Shared, room: &str, users: Vec<String>) {
    for user in users {
        if hooks::is_protected(shared, room, &user) {
            continue;
        }
        tracing::debug!(room, user = %user, "auto-kicking an offline chatroom member");
        if shared
            .chatrooms
            .remove_member(room, &user, codes::NOT_IN_CHATROOM, None)
        {
            hooks::member_left(shared, room, &user).await;
        }
    }
}

/// Destroys the rooms idle past their time (R185, R189): DESTROY_AUTO to their members,
/// record, stored messages and KV entries deleted. On a cluster, a room active on another
/// node is not idle.
pub(crate) async fn destroy_idle(shared: &Shared) {
    let rooms = &shared.chatrooms;
    let store = shared.store.as_ref();
    for room in rooms.idle_rooms() {
        if let Some(ago) = across_nodes::idle_elsewhere(shared, &room).await {
            rooms.active_elsewhere(&room, ago);
        }
        if let Err(e) = rooms
            .destroy_if_idle(store, &room, STATUS_DESTROY_AUTO)
            .await
        {
            tracing::warn!(room = %room, error = %e, "deleting an idle chatroom failed");
        }
    }
}

/// 23410 for `room`.
pub(super) fn not_exist(room: &str) -> ServiceError {
    ServiceError::rejected(
        codes::CHATROOM_NOT_EXIST,
        format!("chatroom {room} does not exist"),
    )
}
