//! Chatrooms: join, leave, the room's history and its KV entries (outcomes as the engine's
//! chatroom events).

use super::rows::{Operation, Row};
use serde::Deserialize;
use std::collections::BTreeMap;

pub(super) const ROWS: &[&dyn Row] = &[
    &Operation {
        names: &["joinChatRoom"],
        run: |engine, a: JoinArgs, event_id| {
            engine.join_chatroom(&a.target_id, a.message_count, a.auto_create, event_id)
        },
    },
    &Operation {
        names: &["leaveChatRoom"],
        run: |engine, a: RoomArgs, event_id| engine.leave_chatroom(&a.target_id, event_id),
    },
    &Operation {
        names: &["getChatRoomMessages", "loadChatRoomMessages"],
        run: |engine, a: HistoryArgs, event_id| {
            engine.chatroom_messages(&a.target_id, a.timestamp, a.order, a.count, event_id)
        },
    },
    &Operation {
        names: &["addChatRoomEntry"],
        run: |engine, a: AddEntryArgs, event_id| {
            let entries = BTreeMap::from([(a.key, a.value)]);
            engine.add_chatroom_entries(
                &a.target_id,
                entries,
                a.delete_when_left,
                a.overwrite,
                true,
                event_id,
            )
        },
    },
    &Operation {
        names: &["addChatRoomEntries"],
        run: |engine, a: AddEntriesArgs, event_id| {
            engine.add_chatroom_entries(
                &a.target_id,
                a.entries,
                a.delete_when_left,
                a.overwrite,
                false,
                event_id,
            )
        },
    },
    &Operation {
        names: &["removeChatRoomEntry"],
        run: |engine, a: RemoveEntryArgs, event_id| {
            engine.remove_chatroom_entries(&a.target_id, vec![a.key], a.force, true, event_id)
        },
    },
    &Operation {
        names: &["removeChatRoomEntries"],
        run: |engine, a: RemoveEntriesArgs, event_id| {
            engine.remove_chatroom_entries(&a.target_id, a.keys, a.force, false, event_id)
        },
    },
    &Operation {
        names: &["getChatRoomEntry", "loadChatRoomEntry"],
        run: |engine, a: EntryArgs, event_id| {
            engine.chatroom_entries(&a.target_id, Some(&a.key), event_id)
        },
    },
    &Operation {
        names: &[
            "getChatRoomAllEntries",
            "loadChatRoomAllEntries",
            // The seed's (5.2.4) name.
            "loadAllChatRoomEntries",
        ],
        run: |engine, a: RoomArgs, event_id| engine.chatroom_entries(&a.target_id, None, event_id),
    },
];

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct RoomArgs {
    target_id: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct JoinArgs {
    target_id: String,
    message_count: i32,
    auto_create: bool,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct HistoryArgs {
    target_id: String,
    timestamp: i64,
    order: u32,
    count: u32,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct AddEntryArgs {
    target_id: String,
    key: String,
    value: String,
    delete_when_left: bool,
    overwrite: bool,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct AddEntriesArgs {
    target_id: String,
    entries: BTreeMap<String, String>,
    delete_when_left: bool,
    overwrite: bool,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct RemoveEntryArgs {
    target_id: String,
    key: String,
    force: bool,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct RemoveEntriesArgs {
    target_id: String,
    keys: Vec<String>,
    force: bool,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct EntryArgs {
    target_id: String,
    key: String,
}
