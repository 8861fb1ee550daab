//! Conformance checks of chatroom KV entries and per-room moderation lists (migration 12).

use super::Harness;
use crate::model::{ChatroomEntry, ChatroomKvWrite, PruneCutoffs, RoomRestrictionKind};
use crate::store::contract::{CommitSink, ServerStore};

fn entry(key: &str, value: &str, owner: &str, auto_delete: bool) -> ChatroomEntry {
    ChatroomEntry {
        key: key.into(),
        value: value.into(),
        owner: owner.into(),
        auto_delete,
        set_time: 1_000,
    }
}

fn put(room: &str, entries: Vec<ChatroomEntry>) -> ChatroomKvWrite {
    ChatroomKvWrite::PutEntries {
        room_id: room.into(),
        entries,
    }
}

fn ids(users: &[&str]) -> Vec<String> {
    users.iter().map(|u| u.to_string()).collect()
}

/// Entries are kept per room and key, replaced whole, removed by key, and survive a reopen
/// and pruning; forgetting a room deletes its entries and lists only.
pub(crate) async fn chatroom_entries_are_kept_per_room<S: ServerStore>(
    open: impl Fn(CommitSink) -> S,
) {
    let h = Harness::start(&open);
    let s = &h.store;
    s.chatroom_kv_write(put(
        "r1",
        vec![entry("b", "1", "u", false), entry("a", "值", "u", true)],
    ))
    .await
    .unwrap();
    s.chatroom_kv_write(put("r2", vec![entry("a", "other", "v", false)]))
        .await
        .unwrap();
    // A key set again takes the new value, owner and flag.
    s.chatroom_kv_write(put("r1", vec![entry("b", "2", "v", true)]))
        .await
        .unwrap();
    s.chatroom_kv_write(ChatroomKvWrite::RemoveEntries {
        room_id: "r2".into(),
        keys: ids(&["a", "missing"]),
    })
    .await
    .unwrap();
    let now = crate::util::now_ms();
    s.prune(PruneCutoffs {
        offline_before: Some(now + 1),
        ..Default::default()
    })
    .await
    .unwrap();
    h.close().await;

    let h = Harness::start(&open);
    let s = &h.store;
    assert_eq!(
        s.chatroom_entries("r1".into()).await.unwrap(),
        [entry("a", "值", "u", true), entry("b", "2", "v", true)]
    );
    assert!(s.chatroom_entries("r2".into()).await.unwrap().is_empty());
    s.chatroom_kv_write(ChatroomKvWrite::Restrict {
        room_id: "r1".into(),
        kind: RoomRestrictionKind::Protected,
        user_ids: ids(&["p"]),
        until: i64::MAX,
    })
    .await
    .unwrap();
    s.chatroom_kv_write(ChatroomKvWrite::ForgetRoom {
        room_id: "r1".into(),
    })
    .await
    .unwrap();
    assert!(s.chatroom_entries("r1".into()).await.unwrap().is_empty());
    assert!(s.chatroom_restrictions(now).await.unwrap().is_empty());
    h.close().await;
}

/// Gags, blocks and protected members are kept per room, kind and user until their end; a
/// restriction given again takes its new end; lifting one leaves the others.
pub(crate) async fn chatroom_restrictions_end_by_themselves<S: ServerStore>(
    open: impl Fn(CommitSink) -> S,
) {
    let h = Harness::start(&open);
    let s = &h.store;
    let now = crate::util::now_ms();
    let restrict = |room: &str, kind, users: &[&str], until| ChatroomKvWrite::Restrict {
        room_id: room.into(),
        kind,
        user_ids: ids(users),
        until,
    };
    use RoomRestrictionKind::{Block, Gag, Protected};
    s.chatroom_kv_write(restrict("r1", Gag, &["a", "b"], now + 60_000))
        .await
        .unwrap();
    s.chatroom_kv_write(restrict("r1", Block, &["a"], now + 120_000))
        .await
        .unwrap();
    s.chatroom_kv_write(restrict("r2", Protected, &["a"], i64::MAX))
        .await
        .unwrap();
    s.chatroom_kv_write(restrict("r1", Gag, &["b"], now + 180_000))
        .await
        .unwrap();
    s.chatroom_kv_write(ChatroomKvWrite::Lift {
        room_id: "r1".into(),
        kind: Gag,
        user_ids: ids(&["a", "nobody"]),
    })
    .await
    .unwrap();
    h.close().await;

    let h = Harness::start(&open);
    let store = h.store.clone();
    let seen = |at| {
        let store = store.clone();
        async move {
            store
                .chatroom_restrictions(at)
                .await
                .unwrap()
                .into_iter()
                .map(|r| (r.room_id, r.kind, r.user_id, r.until))
                .collect::<Vec<_>>()
        }
    };
    let row = |room: &str, kind, user: &str, until| (room.to_owned(), kind, user.to_owned(), until);
    assert_eq!(
        seen(now).await,
        [
            row("r1", Gag, "b", now + 180_000),
            row("r1", Block, "a", now + 120_000),
            row("r2", Protected, "a", i64::MAX),
        ]
    );
    assert_eq!(
        seen(now + 120_000).await,
        [
            row("r1", Gag, "b", now + 180_000),
            row("r2", Protected, "a", i64::MAX)
        ]
    );
    drop(store);
    h.close().await;
}
