//! Unit tests of the registry: the drop policy, auto-kick, idle destroy, the one-room rule
//! and member events, on connections that are plain channels.

use super::*;
use crate::hub::Outbound;
use rcim_proto::conversation_type::CHATROOM;
use rcim_proto::v1::{server_frame, ChatRoomEvent, ServerFrame};
use std::time::Duration;
use tokio_util::sync::CancellationToken;

fn rooms(config: ChatroomConfig, ids: &[&str]) -> Chatrooms {
    let records = ids.iter().map(|id| RoomRecord::new(*id, "", 0)).collect();
    Chatrooms::new(config, records)
}

fn conn(id: ConnId, capacity: usize) -> (MemberConn, crate::outbound::OutboundRx) {
    let (tx, rx) = crate::outbound::channel(capacity, 0);
    let c = MemberConn {
        conn_id: id,
        tx,
        cancel: CancellationToken::new(),
    };
    (c, rx)
}

/// Every room event queued on `rx`, decoded.
fn events(rx: &mut crate::outbound::OutboundRx) -> Vec<ChatRoomEvent> {
    let mut out = Vec::new();
    while let Ok(o) = rx.try_recv() {
        let Outbound::Shared(bytes) = o else {
            panic!("expected a shared frame, got {o:?}")
        };
        let f: ServerFrame = prost::Message::decode(bytes).unwrap();
        match f.body {
            Some(server_frame::Body::Chatroom(e)) => out.push(e),
            other => panic!("expected a room event, got {other:?}"),
        }
    }
    out
}

fn text(object_name: &str) -> impl FnOnce(i64) -> Message + '_ {
    move |sent_time| Message {
        uid: format!("u{sent_time}"),
        conversation_type: CHATROOM,
        to_id: "r".into(),
        sender_id: "s".into(),
        object_name: object_name.into(),
        sent_time,
        ..Default::default()
    }
}

fn post(rooms: &Chatrooms, object_name: &str) -> Posted {
    let high = rooms.is_high_priority(object_name);
    rooms.post("r", high, None, text(object_name)).unwrap()
}

/// A member that does not read loses low-priority messages beyond the share (counted) but
/// keeps high-priority ones until its queue is full, then it is disconnected; a member that
/// reads gets everything, the same bytes.
#[test]
fn slow_members_lose_low_priority_messages_only() {
    let config = ChatroomConfig {
        low_priority_share: 2,
        ..Default::default()
    };
    let rooms = rooms(config, &["r"]);
    let (slow, mut slow_rx) = conn(1, 4);
    let (fast, mut fast_rx) = conn(2, 64);
    rooms.join("r", "slow", slow.clone(), 0).unwrap();
    rooms.join("r", "fast", fast, 0).unwrap();
    // The fast member reads after each message.
    let mut fast_events = Vec::new();
    for _ in 0..5 {
        post(&rooms, "RC:TxtMsg");
        fast_events.extend(events(&mut fast_rx));
    }
    let stats = rooms.stats();
    assert_eq!((stats.delivered, stats.dropped), (7, 3));
    // High priority uses the rest of the queue.
    for name in ["RC:RcNtf", "RC:chrmKVNotiMsg"] {
        post(&rooms, name);
        fast_events.extend(events(&mut fast_rx));
    }
    assert!(!slow.cancel.is_cancelled());
    post(&rooms, "RC:RcNtf");
    fast_events.extend(events(&mut fast_rx));
    assert!(slow.cancel.is_cancelled());
    assert_eq!(rooms.stats().slow_disconnects, 1);
    let slow_names: Vec<String> = events(&mut slow_rx)
        .into_iter()
        .filter_map(|e| match e.body {
            Some(chat_room_event::Body::Message(m)) => Some(m.object_name),
            _ => None,
        })
        .collect();
    assert_eq!(
        slow_names,
        ["RC:TxtMsg", "RC:TxtMsg", "RC:RcNtf", "RC:chrmKVNotiMsg"]
    );
    assert_eq!(fast_events.len(), 8);
    let times: Vec<i64> = fast_events
        .iter()
        .filter_map(|e| match &e.body {
            Some(chat_room_event::Body::Message(m)) => Some(m.sent_time),
            _ => None,
        })
        .collect();
    assert!(times.windows(2).all(|w| w[0] < w[1]), "{times:?}");
}

/// An offline member is due for the auto-kick on the message after the configured count, or
/// on any message once offline long enough; members online or back in time never are.
#[test]
fn auto_kick_follows_messages_and_time() {
    let config = ChatroomConfig {
        auto_kick_messages: 2,
        auto_kick_after: Duration::from_millis(100),
        ..Default::default()
    };
    let rooms = rooms(config, &["r"]);
    let (a, _a_rx) = conn(1, 64);
    let (b, _b_rx) = conn(2, 64);
    let (b2, _b2_rx) = conn(3, 64);
    let (c, _c_rx) = conn(4, 64);
    rooms.join("r", "a", a, 0).unwrap();
    rooms.join("r", "b", b, 0).unwrap();
    rooms.join("r", "b", b2, 0).unwrap();
    rooms.join("r", "c", c, 0).unwrap();
    // One of b's two connections drops: b is still online.
    rooms.connection_closed(2);
    rooms.connection_closed(4);
    assert!(post(&rooms, "RC:TxtMsg").auto_kick.is_empty());
    assert!(post(&rooms, "RC:TxtMsg").auto_kick.is_empty());
    assert_eq!(post(&rooms, "RC:TxtMsg").auto_kick, ["c"]);
    rooms.connection_closed(3);
    std::thread::sleep(Duration::from_millis(120));
    let mut due = post(&rooms, "RC:TxtMsg").auto_kick;
    due.sort();
    assert_eq!(due, ["b", "c"]);
    // Due members stay until removed; a re-join makes them online again.
    let (b3, _b3_rx) = conn(5, 64);
    rooms.join("r", "b", b3, 0).unwrap();
    assert_eq!(post(&rooms, "RC:TxtMsg").auto_kick, ["c"]);
    assert!(rooms.remove_member("r", "c", codes::NOT_IN_CHATROOM, None));
    assert!(post(&rooms, "RC:TxtMsg").auto_kick.is_empty());
    let members: Vec<String> = rooms
        .members("r")
        .unwrap()
        .into_iter()
        .map(|m| m.0)
        .collect();
    assert_eq!(members, ["a", "b"]);
}

/// Rooms idle past their time are found and taken with a status to their members; a room
/// set never to auto-destroy, one with its own longer time, and a busy one stay.
#[test]
fn idle_rooms_are_taken_with_their_status() {
    let config = ChatroomConfig {
        idle_destroy: Duration::from_millis(50),
        ..Default::default()
    };
    let mut records = vec![
        RoomRecord::new("idle", "", 0),
        RoomRecord::new("busy", "", 0),
        RoomRecord::new("kept", "", 0),
        RoomRecord::new("long", "", 0),
    ];
    records[2].auto_destroy = false;
    records[3].idle_minutes = 10;
    let rooms = Chatrooms::new(config, records);
    let (a, mut a_rx) = conn(1, 64);
    rooms.join("idle", "a", a, 0).unwrap();
    std::thread::sleep(Duration::from_millis(70));
    rooms.post("busy", false, None, text("RC:TxtMsg")).unwrap();
    assert_eq!(rooms.idle_rooms(), ["idle"]);
    assert!(rooms.take_room("idle", 2, true));
    assert!(!rooms.exists("idle") && rooms.members("idle").is_none());
    assert!(!rooms.is_member("idle", "a"));
    let status: Vec<_> = events(&mut a_rx).into_iter().map(|e| e.body).collect();
    assert_eq!(status, [Some(chat_room_event::Body::Status(2))]);
    // The connection is in no room any more: closing it changes nothing.
    rooms.connection_closed(1);
    assert!(!rooms.take_room("busy", 2, true));
    let mut left: Vec<String> = rooms.room_ids();
    left.sort();
    assert_eq!(left, ["busy", "kept", "long"]);
}

/// One room per user (R190): joining another leaves the oldest; the user's other
/// connections there are kicked; a re-join of the same room leaves nothing.
#[test]
fn one_room_per_user() {
    let rooms = rooms(ChatroomConfig::default(), &["one", "two"]);
    let (phone, _phone_rx) = conn(1, 64);
    let (web, mut web_rx) = conn(2, 64);
    rooms.join("one", "u", phone.clone(), 0).unwrap();
    rooms.join("one", "u", web, 0).unwrap();
    assert!(rooms
        .join("one", "u", phone.clone(), 0)
        .unwrap()
        .left
        .is_empty());
    let joined = rooms.join("two", "u", phone, 0).unwrap();
    assert_eq!(joined.left, ["one"]);
    assert!(!rooms.is_member("one", "u") && rooms.is_member("two", "u"));
    let web_events: Vec<_> = events(&mut web_rx).into_iter().map(|e| e.body).collect();
    assert_eq!(
        web_events,
        [Some(chat_room_event::Body::Kicked(codes::NOT_IN_CHATROOM))]
    );
    assert_eq!(
        rooms.join("missing", "u", conn(3, 1).0, 0).unwrap_err(),
        codes::CHATROOM_NOT_EXIST
    );
}

/// Member actions are announced in one event per flush; a user's own actions are left out
/// of what their connections get.
#[test]
fn member_events_are_batched() {
    let rooms = rooms(ChatroomConfig::default(), &["r"]);
    let (a, mut a_rx) = conn(1, 64);
    let (b, mut b_rx) = conn(2, 64);
    let (c, _c_rx) = conn(3, 64);
    rooms.join("r", "a", a, 0).unwrap();
    rooms.flush_member_events();
    assert!(events(&mut a_rx).is_empty());
    rooms.join("r", "b", b, 0).unwrap();
    rooms.join("r", "c", c, 0).unwrap();
    rooms.leave("r", "c", 3);
    rooms.flush_member_events();
    let actions = |e: ChatRoomEvent| match e.body {
        Some(chat_room_event::Body::MembersChanged(m)) => m
            .actions
            .into_iter()
            .map(|a| (a.user_id, a.action))
            .collect::<Vec<_>>(),
        other => panic!("{other:?}"),
    };
    let a_events = events(&mut a_rx);
    assert_eq!(a_events.len(), 1);
    let expected: Vec<(String, u32)> = vec![("b".into(), 1), ("c".into(), 1), ("c".into(), 2)];
    assert_eq!(actions(a_events.into_iter().next().unwrap()), expected);
    let b_events: Vec<_> = events(&mut b_rx).into_iter().map(actions).collect();
    assert_eq!(b_events, [expected[1..].to_vec()]);
    rooms.flush_member_events();
    assert!(events(&mut a_rx).is_empty());
}

/// A room beyond `member_events_max_members` announces no member changes.
#[test]
fn big_rooms_announce_no_member_changes() {
    let config = ChatroomConfig {
        member_events_max_members: 2,
        ..Default::default()
    };
    let rooms = rooms(config, &["r"]);
    let (a, mut a_rx) = conn(1, 64);
    rooms.join("r", "a", a, 0).unwrap();
    rooms.join("r", "b", conn(2, 64).0, 0).unwrap();
    rooms.flush_member_events();
    assert_eq!(events(&mut a_rx).len(), 1);
    rooms.join("r", "c", conn(3, 64).0, 0).unwrap();
    rooms.flush_member_events();
    assert!(events(&mut a_rx).is_empty());
    rooms.leave("r", "c", 3);
    rooms.flush_member_events();
    assert_eq!(events(&mut a_rx).len(), 1);
}

/// A block that lands while a join is on its way (after the join's own check) refuses the
/// join under the registry's lock: the user never becomes a member.
#[test]
fn a_block_made_during_a_join_refuses_it() {
    let rooms = rooms(ChatroomConfig::default(), &["r"]);
    rooms.moderation.block_for_test("r", "a");
    let (a, mut a_rx) = conn(1, 8);
    assert_eq!(
        rooms.join("r", "a", a, 0).unwrap_err(),
        codes::KICKED_FROM_CHATROOM
    );
    assert!(!rooms.is_member("r", "a"));
    assert_eq!(rooms.members("r").map(|m| m.len()), Some(0));
    assert!(events(&mut a_rx).is_empty());
    let (b, _b_rx) = conn(2, 8);
    assert!(rooms.join("r", "b", b, 0).is_ok(), "others still join");
}

/// Idle checks look only at the rooms due; a room destroyed and created again, or a busy
/// room looked at many times, leaves one scheduled check each.
#[test]
fn the_idle_index_holds_one_check_per_room() {
    let config = ChatroomConfig {
        idle_destroy: Duration::from_millis(30),
        ..Default::default()
    };
    let rooms = rooms(config, &["a", "b"]);
    assert_eq!(rooms.idle_checks(), 2);
    assert!(rooms.idle_rooms().is_empty(), "nothing is due yet");
    for _ in 0..3 {
        std::thread::sleep(Duration::from_millis(40));
        rooms.post("b", false, None, text("RC:TxtMsg")).unwrap();
        assert_eq!(rooms.idle_rooms(), ["a"]);
        assert_eq!(rooms.idle_checks(), 2);
    }
    assert!(rooms.take_room("a", 2, true));
    assert_eq!(rooms.idle_checks(), 1);
}

/// The ring keeps at most 1 MB: big messages push the oldest out before the 50 are reached.
#[test]
fn the_ring_is_capped_by_bytes() {
    let rooms = rooms(ChatroomConfig::default(), &["r"]);
    let big = "x".repeat(100 * 1024);
    for _ in 0..20 {
        let content = big.clone();
        rooms
            .post("r", false, None, move |sent_time| Message {
                content,
                ..text("RC:TxtMsg")(sent_time)
            })
            .unwrap();
    }
    let (a, _rx) = conn(1, 8);
    let joined = rooms.join("r", "a", a, 50).unwrap();
    let bytes: usize = joined
        .messages
        .iter()
        .map(prost::Message::encoded_len)
        .sum();
    assert!(joined.messages.len() < 20 && joined.messages.len() >= 9);
    assert!(bytes <= super::super::room::MAX_RING_BYTES);
    // The newest are kept.
    let last = joined.messages.last().unwrap().sent_time;
    assert!(joined.messages.iter().all(|m| m.sent_time <= last));
}

/// Rooms made by joins are limited per user and minute (20604) and in total (23410).
#[test]
fn auto_creation_is_limited() {
    let config = ChatroomConfig {
        auto_create_per_minute: 2,
        max_rooms: 3,
        ..Default::default()
    };
    let rooms = rooms(config, &["r"]);
    let rates = crate::limits::KeyedRates::default();
    assert_eq!(rooms.allow_auto_create(&rates, "a"), Ok(()));
    assert_eq!(rooms.allow_auto_create(&rates, "a"), Ok(()));
    assert_eq!(
        rooms.allow_auto_create(&rates, "a"),
        Err(codes::SEND_MSG_FREQUENCY_OVERRUN)
    );
    assert_eq!(rooms.allow_auto_create(&rates, "b"), Ok(()), "per user");
    let mut reg = lock(&rooms.inner);
    for id in ["s", "t"] {
        rooms.insert_room(&mut reg, RoomRecord::new(id, "", 0));
    }
    drop(reg);
    assert_eq!(
        rooms.allow_auto_create(&rates, "c"),
        Err(codes::CHATROOM_NOT_EXIST)
    );
}
