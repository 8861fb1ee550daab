//! Chatrooms over the client protocol: joins, sends, leaves, history pages, member events,
//! the one-room rule (R190), auto-kick (R194), idle destroy (R185) and their codes.

mod chatroom_common;
mod common;

use chatroom_common::*;
use common::*;
use rcim_proto::codes;
use rcim_proto::v1::chat_room_event;
use std::time::Duration;

/// Members receive each other's messages (the sending connection does not); a join answers
/// the most recent messages oldest first; after leaving nothing more arrives.
#[tokio::test]
async fn members_exchange_messages() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = start_rooms(dir.path(), |_| {}).await;
    let addr = server.gateway_addr();
    let mut a = RawClient::connect(addr, "a", "da").await;
    let mut b = RawClient::connect(addr, "b", "db").await;
    let joined = join_ok(&mut a, "room1", 10).await;
    assert!(joined.messages.is_empty() && joined.left_room_ids.is_empty());
    join_ok(&mut b, "room1", 10).await;
    let uid = say(&mut a, "room1", "hello").await;
    let m = next_room_message(&mut b).await;
    assert_eq!((m.uid.as_str(), m.sender_id.as_str()), (uid.as_str(), "a"));
    assert_eq!(m.conversation_type, rcim_proto::conversation_type::CHATROOM);
    assert_eq!((m.to_id.as_str(), text_of(&m).as_str()), ("room1", "hello"));
    say(&mut b, "room1", "hi a").await;
    assert_eq!(text_of(&next_room_message(&mut a).await), "hi a");
    // The sender's own connection gets no copy of its message: the next message it gets is
    // the one sent after.
    say(&mut a, "room1", "marker").await;
    assert_eq!(text_of(&next_room_message(&mut b).await), "marker");

    for i in 0..6 {
        say(&mut a, "room1", &format!("m{i}")).await;
    }
    let mut c = RawClient::connect(addr, "c", "dc").await;
    let joined = join_ok(&mut c, "room1", 3).await;
    let texts: Vec<String> = joined.messages.iter().map(text_of).collect();
    assert_eq!(texts, ["m3", "m4", "m5"]);
    let (code, all) = join(&mut c, "room1", 50, false).await;
    assert_eq!((code, all.messages.len()), (0, 9));

    assert_eq!(leave(&mut b, "room1").await, 0);
    // Leaving again (not a member) still succeeds.
    assert_eq!(leave(&mut b, "room1").await, 0);
    say(&mut a, "room1", "after").await;
    assert_eq!(text_of(&next_room_message(&mut c).await), "after");
    let (code, _, _) = send_room(&mut b, room_text("room1", "nope")).await;
    assert_eq!(code, codes::NOT_IN_CHATROOM);
    // Back in the room, the first message that reaches b is one sent after its return.
    join_ok(&mut b, "room1", 0).await;
    say(&mut a, "room1", "back").await;
    assert_eq!(text_of(&next_room_message(&mut b).await), "back");
    server.shutdown().await;
}

/// Bad requests answer their codes.
#[tokio::test]
async fn refusals_have_their_codes() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = start_rooms(dir.path(), |_| {}).await;
    let mut a = RawClient::connect(server.gateway_addr(), "a", "da").await;
    assert_eq!(
        join(&mut a, "missing", 10, false).await.0,
        codes::CHATROOM_NOT_EXIST
    );
    for bad in ["", "has space", "é", &"x".repeat(65)] {
        assert_eq!(
            join(&mut a, bad, 10, true).await.0,
            codes::PARAMETER_INVALID
        );
    }
    assert_eq!(
        join(&mut a, "r", 51, true).await.0,
        codes::PARAMETER_INVALID
    );
    let (code, _, _) = send_room(&mut a, room_text("missing", "x")).await;
    assert_eq!(code, codes::CHATROOM_NOT_EXIST);
    join_ok(&mut a, "r", 0).await;
    let mut b = RawClient::connect(server.gateway_addr(), "b", "db").await;
    let (code, _, _) = send_room(&mut b, room_text("r", "x")).await;
    assert_eq!(code, codes::NOT_IN_CHATROOM);
    assert_eq!(
        room_history(&mut b, "r", 0, 0, 10).await.0,
        codes::NOT_IN_CHATROOM
    );
    for count in [0, 51] {
        assert_eq!(
            room_history(&mut a, "r", 0, 0, count).await.0,
            codes::PARAMETER_INVALID
        );
    }
    assert_eq!(
        room_history(&mut a, "r", 0, 2, 10).await.0,
        codes::PARAMETER_INVALID
    );
    let mut empty = room_text("r", "x");
    empty.msg.object_name.clear();
    assert_eq!(send_room(&mut a, empty).await.0, codes::PARAMETER_INVALID);
    server.shutdown().await;
}

/// History pages: persisted messages only, BEFORE newest first from a time (0 = the newest),
/// AFTER oldest first, `sync_time` for the next page.
#[tokio::test]
async fn history_pages() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = start_rooms(dir.path(), |_| {}).await;
    let mut a = RawClient::connect(server.gateway_addr(), "a", "da").await;
    join_ok(&mut a, "r", 0).await;
    let mut times = Vec::new();
    for i in 0..5 {
        let (code, _, t) = send_room(&mut a, room_text("r", &format!("p{i}"))).await;
        assert_eq!(code, 0);
        times.push(t);
        let mut transient = room_text("r", "not kept");
        transient.msg.persisted = false;
        assert_eq!(send_room(&mut a, transient).await.0, 0);
    }
    let texts = |p: &rcim_proto::v1::ChatRoomHistoryPage| -> Vec<String> {
        p.messages.iter().map(text_of).collect()
    };
    let (code, page) = room_history(&mut a, "r", 0, 0, 2).await;
    assert_eq!((code, texts(&page)), (0, vec!["p4".into(), "p3".into()]));
    assert_eq!(page.sync_time, times[3]);
    let (_, page) = room_history(&mut a, "r", page.sync_time, 0, 10).await;
    assert_eq!(texts(&page), ["p2", "p1", "p0"]);
    let (_, page) = room_history(&mut a, "r", times[1], 1, 2).await;
    assert_eq!(texts(&page), ["p2", "p3"]);
    let (_, page) = room_history(&mut a, "r", page.sync_time, 1, 10).await;
    assert_eq!(texts(&page), ["p4"]);
    let (_, empty) = room_history(&mut a, "r", times[4], 1, 10).await;
    assert!(empty.messages.is_empty());
    assert_eq!(empty.sync_time, times[4]);
    // Kept 60 days by default (R199).
    let day = 86_400_000;
    server.prune_as_of(now_ms() + 59 * day).await.unwrap();
    assert_eq!(
        room_history(&mut a, "r", 0, 0, 10).await.1.messages.len(),
        5
    );
    server.prune_as_of(now_ms() + 61 * day).await.unwrap();
    assert!(room_history(&mut a, "r", 0, 0, 10)
        .await
        .1
        .messages
        .is_empty());
    server.shutdown().await;
}

/// One room at a time (R190): joining another leaves the first; the user's other connection
/// there is kicked (23406) and the room's members see the LEAVE.
#[tokio::test]
async fn joining_another_room_leaves_the_first() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = start_rooms(dir.path(), |_| {}).await;
    let addr = server.gateway_addr();
    let mut a = RawClient::connect(addr, "a", "da").await;
    let mut a_web = RawClient::connect_web(addr, "a", "web").await;
    let mut b = RawClient::connect(addr, "b", "db").await;
    join_ok(&mut b, "one", 0).await;
    join_ok(&mut a, "one", 0).await;
    join_ok(&mut a_web, "one", 0).await;
    assert_eq!(next_member_actions(&mut b).await, [("a".to_string(), 1)]);
    let joined = join_ok(&mut a, "two", 0).await;
    assert_eq!(joined.left_room_ids, ["one"]);
    let kicked = next_non_member_event(&mut a_web).await;
    assert_eq!(kicked.room_id, "one");
    assert_eq!(
        kicked.body,
        Some(chat_room_event::Body::Kicked(codes::NOT_IN_CHATROOM))
    );
    assert_eq!(next_member_actions(&mut b).await, [("a".to_string(), 2)]);
    say(&mut b, "one", "a is gone").await;
    let (code, _, _) = send_room(&mut a_web, room_text("one", "x")).await;
    assert_eq!(code, codes::NOT_IN_CHATROOM);
    server.shutdown().await;
}

/// With several rooms allowed, joining another keeps the first.
#[tokio::test]
async fn several_rooms_when_allowed() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = start_rooms(dir.path(), |c| c.chatroom.max_joined_per_user = 2).await;
    let mut a = RawClient::connect(server.gateway_addr(), "a", "da").await;
    join_ok(&mut a, "one", 0).await;
    assert!(join_ok(&mut a, "two", 0).await.left_room_ids.is_empty());
    assert_eq!(join_ok(&mut a, "three", 0).await.left_room_ids, ["one"]);
    say(&mut a, "two", "still here").await;
    server.shutdown().await;
}

/// A member whose connection dropped is auto-kicked once the room produced more than the
/// configured number of messages (R194): after reconnecting, it must join again to send.
/// A member that re-joins in time keeps its place.
#[tokio::test]
async fn offline_members_are_auto_kicked() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = start_rooms(dir.path(), |c| c.chatroom.auto_kick_messages = 2).await;
    let addr = server.gateway_addr();
    let mut a = RawClient::connect(addr, "a", "da").await;
    join_ok(&mut a, "r", 0).await;
    let mut b = RawClient::connect(addr, "b", "db").await;
    join_ok(&mut b, "r", 0).await;
    let mut c = RawClient::connect(addr, "c", "dc").await;
    join_ok(&mut c, "r", 0).await;
    drop(b);
    drop(c);
    // Both are offline once the server has seen their connections close.
    while server.connection_count() > 1 {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    tokio::time::sleep(Duration::from_millis(50)).await;
    say(&mut a, "r", "1").await;
    // c is back in time: still a member, it may send without joining again.
    let mut c = RawClient::connect(addr, "c", "dc2").await;
    join_ok(&mut c, "r", 0).await;
    say(&mut a, "r", "2").await;
    say(&mut a, "r", "3").await;
    let mut b = RawClient::connect(addr, "b", "db2").await;
    let (code, _, _) = send_room(&mut b, room_text("r", "x")).await;
    assert_eq!(code, codes::NOT_IN_CHATROOM);
    say(&mut c, "r", "still in").await;
    server.shutdown().await;
}

/// A room idle for the configured time is destroyed: members get DESTROY_AUTO (2) and the
/// room is gone.
#[tokio::test]
async fn idle_rooms_are_destroyed() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = start_rooms(dir.path(), |c| {
        c.chatroom.idle_destroy = Duration::from_millis(500)
    })
    .await;
    let mut a = RawClient::connect(server.gateway_addr(), "a", "da").await;
    join_ok(&mut a, "r", 0).await;
    let event = loop {
        let e = next_room_event(&mut a).await;
        if let Some(chat_room_event::Body::Status(s)) = e.body {
            break (e.room_id, s);
        }
    };
    assert_eq!(event, ("r".to_string(), 2));
    assert_eq!(
        join(&mut a, "r", 0, false).await.0,
        codes::CHATROOM_NOT_EXIST
    );
    server.shutdown().await;
}

/// Rooms survive a restart (members and recent messages do not: clients join again), and so
/// does their stored history.
#[tokio::test]
async fn rooms_survive_a_restart() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = start_rooms(dir.path(), |_| {}).await;
    let mut a = RawClient::connect(server.gateway_addr(), "a", "da").await;
    join_ok(&mut a, "kept", 0).await;
    say(&mut a, "kept", "before").await;
    drop(a);
    server.shutdown().await;
    let server = start_rooms(dir.path(), |_| {}).await;
    let mut a = RawClient::connect(server.gateway_addr(), "a", "da").await;
    let (code, _, _) = send_room(&mut a, room_text("kept", "x")).await;
    assert_eq!(code, codes::NOT_IN_CHATROOM);
    let (code, joined) = join(&mut a, "kept", 10, false).await;
    assert_eq!((code, joined.messages.len()), (0, 0));
    let (_, page) = room_history(&mut a, "kept", 0, 0, 10).await;
    assert_eq!(
        page.messages.iter().map(text_of).collect::<Vec<_>>(),
        ["before"]
    );
    server.shutdown().await;
}

/// A member that stops reading loses low-priority messages once its queue is past the share
/// (counted), is not disconnected, still gets high-priority ones (the Server API's publish of
/// a high-priority object name; a member's own send of that name is low priority), and the
/// member that reads gets everything.
#[tokio::test]
async fn a_slow_member_loses_low_priority_messages_only() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = start_rooms(dir.path(), |c| c.chatroom.low_priority_share = 16).await;
    let addr = server.gateway_addr();
    let mut sender = RawClient::connect(addr, "sender", "ds").await;
    let mut fast = RawClient::connect(addr, "fast", "df").await;
    let mut slow = RawClient::connect(addr, "slow", "dl").await;
    join_ok(&mut sender, "r", 0).await;
    join_ok(&mut fast, "r", 0).await;
    join_ok(&mut slow, "r", 0).await;
    const N: usize = 1500;
    let reader = tokio::spawn(async move {
        let mut got = 0;
        while got < N {
            let m = next_room_message(&mut fast).await;
            if m.object_name == "RC:TxtMsg" {
                got += 1;
            }
        }
        fast
    });
    // Big enough that the socket buffers fill up and the slow member's queue grows.
    let filler = "x".repeat(16 * 1024);
    for i in 0..N {
        let mut o = room_text("r", &filler);
        o.msg.persisted = false;
        assert_eq!(send_room(&mut sender, o).await.0, 0, "message {i}");
    }
    let mut notice = room_text("r", "from a member");
    notice.msg.object_name = "RC:RcNtf".into();
    assert_eq!(send_room(&mut sender, notice).await.0, 0);
    let publish = [
        ("fromUserId", "admin"),
        ("toChatroomId", "r"),
        ("objectName", "RC:RcNtf"),
        ("content", "{\"content\":\"from the Server API\"}"),
    ];
    Api::new(&server)
        .call("/message/chatroom/publish.json", &publish)
        .await;
    let _fast = tokio::time::timeout(Duration::from_secs(30), reader)
        .await
        .expect("the reading member got every message")
        .unwrap();
    let stats = server.chatroom_stats();
    assert!(stats.dropped > 0, "{stats:?}");
    assert_eq!(stats.slow_disconnects, 0);
    // The slow member reads now: fewer messages than were sent, the notice among them.
    let mut texts = 0;
    loop {
        let m = next_room_message(&mut slow).await;
        if m.object_name == "RC:RcNtf" {
            // The member's notice was dropped like any low-priority message.
            assert!(m.content.contains("from the Server API"), "{m:?}");
            break;
        }
        texts += 1;
    }
    assert!(texts < N, "{texts} of {N}");
    server.shutdown().await;
}

/// Join answers and history pages stay within a frame: big messages beyond it are left out
/// of the join (the oldest) and wait for the next page.
#[tokio::test]
async fn answers_fit_in_a_frame() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = start_rooms(dir.path(), |_| {}).await;
    let mut a = RawClient::connect(server.gateway_addr(), "a", "da").await;
    join_ok(&mut a, "r", 0).await;
    let big = |n: usize| format!("{n}{}", "x".repeat(100 * 1024));
    for n in 0..3 {
        say(&mut a, "r", &big(n)).await;
    }
    let mut b = RawClient::connect(server.gateway_addr(), "b", "db").await;
    let joined = join_ok(&mut b, "r", 50).await;
    let texts: Vec<String> = joined.messages.iter().map(text_of).collect();
    assert_eq!(texts, [big(1), big(2)]);
    let (code, page) = room_history(&mut b, "r", 0, 0, 50).await;
    assert_eq!((code, page.messages.len()), (0, 2));
    assert_eq!(text_of(&page.messages[1]), big(1));
    let (_, rest) = room_history(&mut b, "r", page.sync_time, 0, 50).await;
    assert_eq!(
        rest.messages.iter().map(text_of).collect::<Vec<_>>(),
        [big(0)]
    );
    server.shutdown().await;
}

/// The sensitive-word filter screens room messages like others: replaced words reach the
/// members replaced; a blocked message is answered normally and reaches nobody.
#[tokio::test]
async fn sensitive_words_are_screened() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = start_rooms(dir.path(), |_| {}).await;
    let api = Api::new(&server);
    add_bad_and_rude(&api).await;
    let addr = server.gateway_addr();
    let mut a = RawClient::connect(addr, "a", "da").await;
    let mut b = RawClient::connect(addr, "b", "db").await;
    join_ok(&mut a, "r", 0).await;
    join_ok(&mut b, "r", 0).await;
    let (code, uid, _) = send_room(&mut a, room_text("r", "a bad word")).await;
    assert_eq!(code, 0);
    assert!(!uid.is_empty());
    say(&mut a, "r", "so rude").await;
    let texts: Vec<String> = room_messages_within(&mut b, Duration::from_millis(500))
        .await
        .iter()
        .map(text_of)
        .collect();
    assert_eq!(texts, ["so ***"]);
    let (_, page) = room_history(&mut b, "r", 0, 0, 10).await;
    assert_eq!(
        page.messages.iter().map(text_of).collect::<Vec<_>>(),
        ["so ***"]
    );
    server.shutdown().await;
}

/// A user creates at most `auto_create_per_minute` rooms by joining (20604 beyond); joins of
/// rooms that exist are not counted.
#[tokio::test]
async fn joins_create_a_limited_number_of_rooms() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = start_rooms(dir.path(), |c| {
        c.chatroom.auto_create_per_minute = 2;
        c.chatroom.max_joined_per_user = 10;
    })
    .await;
    let mut a = RawClient::connect(server.gateway_addr(), "a", "da").await;
    join_ok(&mut a, "n1", 0).await;
    join_ok(&mut a, "n2", 0).await;
    let (code, _) = join(&mut a, "n3", 0, true).await;
    assert_eq!(code, codes::SEND_MSG_FREQUENCY_OVERRUN);
    assert_eq!(
        join(&mut a, "n3", 0, false).await.0,
        codes::CHATROOM_NOT_EXIST
    );
    join_ok(&mut a, "n1", 0).await;
    let mut b = RawClient::connect(server.gateway_addr(), "b", "db").await;
    join_ok(&mut b, "n3", 0).await;
    join_ok(&mut a, "n3", 0).await;
    server.shutdown().await;
}
