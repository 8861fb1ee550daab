//! The KV requests of a member's connection (`SetChatRoomEntries`, `RemoveChatRoomEntries`,
//! `ChatRoomEntriesRequest`): their checks and answers around [`super::kv`].

use super::kv::{self, valid_key, valid_value, KeyErrors, SetEntries, MAX_BATCH, MAX_KEYS};
use super::rules::is_valid_room_id;
use crate::hub::ConnId;
use crate::state::Shared;
use rcim_proto::codes;
use rcim_proto::v1::{
    ChatRoomEntries, ChatRoomEntriesRequest, ChatRoomEntriesResult, RemoveChatRoomEntries,
    SetChatRoomEntries,
};

/// The answer to a KV write: code 0 when every key was done; else the single key's code (a
/// one-key request) or 23428, with the refused keys.
fn write_answer(
    errors: KeyErrors,
    single: bool,
) -> Result<ChatRoomEntriesResult, (u32, ChatRoomEntriesResult)> {
    let Some(&first) = errors.values().next() else {
        return Ok(ChatRoomEntriesResult::default());
    };
    let code = if single {
        first
    } else {
        codes::KV_NOT_ALL_SUCCESS
    };
    Err((
        code,
        ChatRoomEntriesResult {
            errors: errors.into_iter().collect(),
        },
    ))
}

fn refused(code: u32) -> Result<ChatRoomEntriesResult, (u32, ChatRoomEntriesResult)> {
    Err((code, ChatRoomEntriesResult::default()))
}

/// `SetChatRoomEntries` of member `user` on connection `conn_id` (see the protocol's docs:
/// 33003 bad room id, no entries, bad key or value; 23429 more than 10; 23406 not a member;
/// then per key 23425, 23424, 23423).
pub(crate) async fn set(
    shared: &Shared,
    conn_id: ConnId,
    user: &str,
    req: SetChatRoomEntries,
) -> Result<ChatRoomEntriesResult, (u32, ChatRoomEntriesResult)> {
    if !is_valid_room_id(&req.room_id) || req.entries.is_empty() {
        return refused(codes::PARAMETER_INVALID);
    }
    if req.entries.len() > MAX_BATCH {
        return refused(codes::KV_BATCH_TOO_LARGE);
    }
    if !req
        .entries
        .iter()
        .all(|(k, v)| valid_key(k) && valid_value(v))
    {
        return refused(codes::PARAMETER_INVALID);
    }
    if !super::across_nodes::is_own_member(shared, &req.room_id, user).await {
        return refused(codes::NOT_IN_CHATROOM);
    }
    let single = req.entries.len() == 1;
    let op = SetEntries {
        room_id: req.room_id,
        entries: req.entries.into_iter().collect(),
        owner: user.to_owned(),
        auto_delete: req.delete_when_left,
        overwrite: req.overwrite,
    };
    match kv::set_entries(shared, op, Some(conn_id)).await {
        Ok(errors) => write_answer(errors, single),
        Err(e) => refused(e.client_code()),
    }
}

/// `RemoveChatRoomEntries` of member `user` on connection `conn_id` (33003 bad room id, no
/// keys, a bad key; 23429 more than 10; 23406 not a member; then per key 23425, 23427,
/// 23424).
pub(crate) async fn remove(
    shared: &Shared,
    conn_id: ConnId,
    user: &str,
    req: RemoveChatRoomEntries,
) -> Result<ChatRoomEntriesResult, (u32, ChatRoomEntriesResult)> {
    if !is_valid_room_id(&req.room_id) || req.keys.is_empty() {
        return refused(codes::PARAMETER_INVALID);
    }
    let mut keys = req.keys;
    let mut seen = std::collections::HashSet::new();
    keys.retain(|k| seen.insert(k.clone()));
    if keys.len() > MAX_BATCH {
        return refused(codes::KV_BATCH_TOO_LARGE);
    }
    if !keys.iter().all(|k| valid_key(k)) {
        return refused(codes::PARAMETER_INVALID);
    }
    if !super::across_nodes::is_own_member(shared, &req.room_id, user).await {
        return refused(codes::NOT_IN_CHATROOM);
    }
    let single = keys.len() == 1;
    match kv::remove_entries(shared, &req.room_id, &keys, user, req.force, Some(conn_id)).await {
        Ok(errors) => write_answer(errors, single),
        Err(e) => refused(e.client_code()),
    }
}

/// `ChatRoomEntriesRequest` of member `user`: a page of the named keys that exist (none
/// named: all) after `after_key`, with `more` when entries follow (see [`kv::page`]).
/// 33003 bad room id, more than 100 keys, a bad key or `after_key`; 23406 not a member.
pub(crate) async fn get(
    shared: &Shared,
    user: &str,
    req: ChatRoomEntriesRequest,
) -> Result<ChatRoomEntries, u32> {
    if !is_valid_room_id(&req.room_id)
        || req.keys.len() > MAX_KEYS
        || !req.keys.iter().all(|k| valid_key(k))
    {
        return Err(codes::PARAMETER_INVALID);
    }
    if !super::across_nodes::is_own_member(shared, &req.room_id, user).await {
        return Err(codes::NOT_IN_CHATROOM);
    }
    if !req.after_key.is_empty() && !valid_key(&req.after_key) {
        return Err(codes::PARAMETER_INVALID);
    }
    let (entries, more) = kv::page(shared, &req.room_id, &req.after_key, &req.keys)
        .await
        .map_err(|e| e.client_code())?;
    Ok(ChatRoomEntries { entries, more })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers() {
        assert!(write_answer(KeyErrors::new(), true).is_ok());
        let one = KeyErrors::from([("a".into(), 23424)]);
        assert_eq!(write_answer(one.clone(), true).unwrap_err().0, 23424);
        let (code, result) = write_answer(one, false).unwrap_err();
        assert_eq!((code, result.errors["a"]), (23428, 23424));
    }
}
