//! Tests of the races between a room's departures, destroys and re-creations, on a running
//! server's shared state (the orders are forced by calling the steps directly).

use super::delivery::MemberConn;
use super::kv::{self, SetEntries};
use super::rules::STATUS_DESTROY_MANUAL;
use super::{ops, send};
use crate::config::ServerConfig;
use crate::hub::Outbound;
use crate::model::NewMessage;
use crate::store::ChatroomWrite;
use rcim_proto::conversation_type::CHATROOM;
use rcim_proto::v1::{ChatRoomHistoryRequest, ChatRoomJoined, JoinChatRoom, Message};
use std::collections::BTreeMap;
use tokio_util::sync::CancellationToken;

async fn server(dir: &std::path::Path) -> crate::RunningServer {
    crate::start(ServerConfig::new(dir.to_path_buf(), "k", "s"))
        .await
        .expect("server starts")
}

fn conn(id: u64) -> (MemberConn, crate::outbound::OutboundRx) {
    let (tx, rx) = crate::outbound::channel(64, 0);
    let c = MemberConn {
        conn_id: id,
        tx,
        cancel: CancellationToken::new(),
    };
    (c, rx)
}

/// Joins through the service as a connection does: the answer it queued.
async fn join(shared: &crate::state::Shared, conn: MemberConn, user: &str) -> ChatRoomJoined {
    let mut answer = None;
    ops::join(shared, conn, user, join_req("r"), |j| answer = Some(j))
        .await
        .unwrap();
    answer.expect("a join answer")
}

fn join_req(room: &str) -> JoinChatRoom {
    JoinChatRoom {
        room_id: room.into(),
        message_count: 50,
        auto_create: true,
    }
}

fn set_op(room: &str, key: &str, owner: &str, auto_delete: bool) -> SetEntries {
    SetEntries {
        room_id: room.into(),
        entries: BTreeMap::from([(key.to_owned(), "v".to_owned())]),
        owner: owner.into(),
        auto_delete,
        overwrite: true,
    }
}

async fn keys(shared: &crate::state::Shared, room: &str) -> Vec<String> {
    let entries = kv::read_entries(shared, room).await.unwrap();
    entries.into_iter().map(|e| e.key).collect()
}

/// A departure's KV work that runs after the user joined again (a kick's queued hook) keeps
/// the entries: the user is a member.
#[tokio::test]
async fn a_late_departure_keeps_a_returning_members_entries() {
    let dir = tempfile::tempdir().unwrap();
    let server = server(dir.path()).await;
    let shared = server.shared.clone();
    let (a, _rx) = conn(1);
    join(&shared, a.clone(), "a").await;
    kv::set_entries(&shared, set_op("r", "mine", "a", true), None)
        .await
        .unwrap();
    // Left and back before the departure's KV work ran.
    assert!(shared.chatrooms.leave("r", "a", 1));
    join(&shared, a, "a").await;
    kv::member_left(&shared, "r", "a").await;
    assert_eq!(keys(&shared, "r").await, ["mine"]);
    // Once really gone, the entry goes.
    assert!(shared.chatrooms.leave("r", "a", 1));
    kv::member_left(&shared, "r", "a").await;
    assert!(keys(&shared, "r").await.is_empty());
    server.shutdown().await;
}

/// A room destroyed and created again starts empty: no ring, no history (not even a message
/// a send stamped just before the destroy and stored after it), no KV entries; and a KV write
/// that waited on the destroyed room is refused instead of writing for it.
#[tokio::test]
async fn a_room_created_again_shows_nothing_of_the_old_one() {
    let dir = tempfile::tempdir().unwrap();
    let server = server(dir.path()).await;
    let shared = server.shared.clone();
    let (a, _rx) = conn(1);
    join(&shared, a.clone(), "a").await;
    let msg = NewMessage {
        sender_id: "a".into(),
        conversation_type: CHATROOM,
        to_id: "r".into(),
        object_name: "RC:TxtMsg".into(),
        content: "{\"content\":\"old\"}".into(),
        persisted: true,
        ..Default::default()
    };
    let (_, old_time) = send::send(&shared, 1, msg).await.unwrap();
    kv::set_entries(&shared, set_op("r", "old", "a", false), None)
        .await
        .unwrap();
    let store = shared.store.as_ref();
    assert!(shared
        .chatrooms
        .destroy(store, "r", STATUS_DESTROY_MANUAL)
        .await
        .unwrap());
    // A KV write after the destroy writes nothing and keeps no state.
    let late = kv::set_entries(&shared, set_op("r", "late", "a", false), None).await;
    assert_eq!(late.unwrap_err().client_code(), 23410);
    // Created again (the clock moves on), then the late append of a send that found the
    // old room lands.
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    let joined = join(&shared, a, "a").await;
    assert!(joined.messages.is_empty() && joined.entries.is_empty());
    let late_append = Message {
        uid: "late".into(),
        conversation_type: CHATROOM,
        to_id: "r".into(),
        sender_id: "a".into(),
        object_name: "RC:TxtMsg".into(),
        sent_time: old_time,
        persisted: true,
        ..Default::default()
    };
    store
        .chatroom_write(ChatroomWrite::Append(Box::new(late_append)))
        .await
        .unwrap();
    for order in [0, 1] {
        let page = ops::history(
            &shared,
            "a",
            ChatRoomHistoryRequest {
                room_id: "r".into(),
                timestamp: 0,
                count: 50,
                order,
            },
        )
        .await
        .unwrap();
        assert!(page.messages.is_empty(), "order {order}: {page:?}");
    }
    assert!(keys(&shared, "r").await.is_empty());
    let stored = store.chatroom_entries("r".into()).await.unwrap();
    assert!(stored.is_empty(), "{stored:?}");
    server.shutdown().await;
}

/// The join answer is queued on the connection before the room's events that follow the
/// membership: a message posted by another thread while the join is answering (after the
/// membership started) reaches the connection after the answer.
#[tokio::test]
async fn the_join_answer_comes_before_the_rooms_events() {
    let dir = tempfile::tempdir().unwrap();
    let server = server(dir.path()).await;
    let shared = server.shared.clone();
    let (a, _a_rx) = conn(1);
    join(&shared, a, "a").await;
    let (b, mut b_rx) = conn(2);
    let mut poster = None;
    ops::join(&shared, b.clone(), "b", join_req("r"), |_| {
        let rooms = shared.chatrooms.clone();
        poster = Some(std::thread::spawn(move || {
            rooms.post("r", true, Some(1), |sent_time| Message {
                uid: "m".into(),
                conversation_type: CHATROOM,
                to_id: "r".into(),
                sender_id: "a".into(),
                object_name: "RC:TxtMsg".into(),
                sent_time,
                ..Default::default()
            })
        }));
        // Time for the post to happen, were the room not held.
        std::thread::sleep(std::time::Duration::from_millis(100));
        // The answer's stand-in, queued like the gateway queues the answer.
        b.tx.try_send(Outbound::Close).unwrap();
    })
    .await
    .unwrap();
    assert!(poster.unwrap().join().unwrap().is_some());
    assert!(
        matches!(b_rx.try_recv(), Ok(Outbound::Close)),
        "the answer first"
    );
    assert!(
        matches!(b_rx.try_recv(), Ok(Outbound::Shared(_))),
        "then the message"
    );
    server.shutdown().await;
}
