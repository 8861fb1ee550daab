//! Conformance checks of chatrooms: room records (created once, kept across a reopen,
//! deleted with their messages) and the pages of a room's stored messages.

use super::Harness;
use crate::model::PruneCutoffs;
use crate::store::contract::{CommitSink, ServerStore};
use crate::store::{ChatroomHistoryQuery, ChatroomWrite, RoomRecord};
use rcim_proto::conversation_type::CHATROOM;
use rcim_proto::v1::Message;

fn room_message(room: &str, n: i64) -> ChatroomWrite {
    ChatroomWrite::Append(Box::new(Message {
        uid: format!("{room}-{n}"),
        conversation_type: CHATROOM,
        to_id: room.into(),
        sender_id: "a".into(),
        object_name: "RC:TxtMsg".into(),
        content: format!("{{\"content\":\"{n}\"}}"),
        sent_time: 1_000 + n,
        persisted: true,
        ..Default::default()
    }))
}

fn page(room: &str, timestamp: i64, newer: bool, count: u32) -> ChatroomHistoryQuery {
    ChatroomHistoryQuery {
        room_id: room.into(),
        timestamp,
        newer,
        count,
    }
}

async fn times(s: &dyn ServerStore, q: ChatroomHistoryQuery) -> Vec<i64> {
    let page = s.chatroom_history(q).await.unwrap();
    page.iter().map(|m| m.sent_time - 1_000).collect()
}

pub(crate) async fn chatroom_rooms_and_history<S: ServerStore>(open: impl Fn(CommitSink) -> S) {
    let h = Harness::start(&open);
    let s = h.store.as_ref();
    let create = |id: &str| ChatroomWrite::Create(RoomRecord::new(id, "Room", 5));
    assert!(s.chatroom_write(create("r")).await.unwrap());
    assert!(!s.chatroom_write(create("r")).await.unwrap());
    assert!(s.chatroom_write(create("other")).await.unwrap());
    let destroy = |id: &str| ChatroomWrite::SetDestroy {
        room_id: id.into(),
        auto_destroy: false,
        idle_minutes: 90,
    };
    assert!(s.chatroom_write(destroy("r")).await.unwrap());
    assert!(!s.chatroom_write(destroy("missing")).await.unwrap());
    for n in 1..=5 {
        s.chatroom_write(room_message("r", n)).await.unwrap();
    }
    s.chatroom_write(room_message("other", 3)).await.unwrap();
    // BEFORE: newest first, from the newest (0) or before a time.
    assert_eq!(times(s, page("r", 0, false, 2)).await, [5, 4]);
    assert_eq!(times(s, page("r", 1_004, false, 10)).await, [3, 2, 1]);
    // AFTER: oldest first after a time.
    assert_eq!(times(s, page("r", 1_002, true, 2)).await, [3, 4]);
    assert_eq!(times(s, page("r", 1_005, true, 2)).await, Vec::<i64>::new());
    let m = &s.chatroom_history(page("r", 1_002, true, 1)).await.unwrap()[0];
    assert_eq!((m.uid.as_str(), m.to_id.as_str()), ("r-3", "r"));
    // The chatroom retention prunes by sent time, in every room.
    let prune = PruneCutoffs {
        chatroom_before: Some(1_003),
        ..Default::default()
    };
    s.prune(prune).await.unwrap();
    assert_eq!(times(s, page("r", 0, false, 10)).await, [5, 4, 3]);
    h.close().await;

    // Rooms and messages are kept across a reopen; a deleted room takes its messages along.
    let h = Harness::start(&open);
    let s = h.store.as_ref();
    assert!(!s.chatroom_write(create("r")).await.unwrap());
    assert_eq!(times(s, page("r", 0, false, 10)).await, [5, 4, 3]);
    assert!(s
        .chatroom_write(ChatroomWrite::Delete("r".into()))
        .await
        .unwrap());
    assert!(!s
        .chatroom_write(ChatroomWrite::Delete("r".into()))
        .await
        .unwrap());
    assert!(times(s, page("r", 0, false, 10)).await.is_empty());
    assert_eq!(times(s, page("other", 0, false, 10)).await, [3]);
    assert!(s.chatroom_write(create("r")).await.unwrap());
    h.close().await;
}
