//! Chatroom joins as they interleave with the rest: a room's entries read in pages before the
//! join reports them (R209), getChatRoomAllEntries reading every page, a room's events held
//! while its join is in flight, a leave made before the join's answer winning over it, and
//! sessions that start and end without local chatroom messages (their chatroom sends fail).

use super::chatroom::{joined_answer, joins, leave, log, room_event, room_key, room_message};
use super::*;
use crate::event::ChatroomEvent;
use crate::session::chatroom::{ChatroomCommand, ChatroomOp};
use rcim_proto::v1::{
    chat_room_event, ChatRoomEntries, ChatRoomJoined, ChatRoomMemberAction, ChatRoomMembersChanged,
};

fn join(room: &str) -> Input {
    super::chatroom::join(room, 10)
}

fn pairs(entries: &[(&str, &str)]) -> std::collections::HashMap<String, String> {
    entries
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// The entries reads on the wire, as (seq, room, keys, after_key).
fn entries_reads(out: &[Action]) -> Vec<(u64, String, Vec<String>, String)> {
    requests(out)
        .into_iter()
        .filter_map(|(seq, r)| match r.body {
            Some(request::Body::ChatroomEntries(e)) => Some((seq, e.room_id, e.keys, e.after_key)),
            _ => None,
        })
        .collect()
}

fn page(entries: &[(&str, &str)], more: bool) -> Option<response::Body> {
    Some(response::Body::ChatroomEntries(ChatRoomEntries {
        entries: pairs(entries),
        more,
    }))
}

fn message_event(room: &str, uid: &str, text: &str, time: i64) -> server_frame::Body {
    room_event(
        room,
        chat_room_event::Body::Message(room_message(room, uid, text, time)),
    )
}

fn member_event(room: &str, user: &str) -> server_frame::Body {
    room_event(
        room,
        chat_room_event::Body::MembersChanged(ChatRoomMembersChanged {
            actions: vec![ChatRoomMemberAction {
                user_id: user.into(),
                action: 1,
            }],
        }),
    )
}

#[test]
fn a_joins_entries_are_read_page_by_page_before_the_join_reports_them() {
    let mut h = Harness::online();
    let seq = joins(&h.feed(join("r1")))[0].0;
    let out = h.respond(
        seq,
        0,
        Some(response::Body::ChatroomJoined(ChatRoomJoined {
            messages: vec![room_message("r1", "U1", "one", 10)],
            entries: pairs(&[("a", "1"), ("b", "2")]),
            left_room_ids: vec![],
            more_entries: true,
        })),
    );
    // Nothing is reported yet: the rest of the entries is read after the last key.
    assert!(log(&out).is_empty(), "{:?}", log(&out));
    assert_eq!(h.store.message_count(&room_key("r1")).unwrap(), 0);
    let reads = entries_reads(&out);
    assert_eq!(reads.len(), 1);
    let (seq, room, keys, after) = reads[0].clone();
    assert_eq!((room.as_str(), keys.len(), after.as_str()), ("r1", 0, "b"));
    let out = h.respond(seq, 0, page(&[("c", "3"), ("d", "4")], true));
    assert!(log(&out).is_empty());
    let reads = entries_reads(&out);
    assert_eq!(
        reads[0].3, "d",
        "the next page starts after the last key read"
    );
    let out = h.respond(reads[0].0, 0, page(&[("e", "5")], false));
    assert_eq!(
        log(&out),
        [
            "received:one:0",
            r#"entries:0:r1:{"a": "1", "b": "2", "c": "3", "d": "4", "e": "5"}"#,
            "synced:r1",
            "joined:0:r1:join-r1",
        ]
    );
    assert!(entries_reads(&out).is_empty());
    assert_eq!(h.store.message_count(&room_key("r1")).unwrap(), 1);
}

#[test]
fn a_page_read_cut_by_a_lost_connection_asks_the_join_again() {
    let mut h = Harness::online();
    let seq = joins(&h.feed(join("r1")))[0].0;
    let out = h.respond(
        seq,
        0,
        Some(response::Body::ChatroomJoined(ChatRoomJoined {
            messages: vec![],
            entries: pairs(&[("a", "1")]),
            left_room_ids: vec![],
            more_entries: true,
        })),
    );
    assert_eq!(entries_reads(&out).len(), 1);
    h.feed(Input::Closed);
    let (_, out) = h.open(0);
    let again = joins(&out);
    assert_eq!(again.len(), 1, "the join goes again whole");
    assert!(entries_reads(&out).is_empty());
    let out = h.respond(
        again[0].0,
        0,
        Some(joined_answer(vec![], &[("a", "1")], &[])),
    );
    assert_eq!(
        log(&out),
        [
            r#"entries:0:r1:{"a": "1"}"#,
            "synced:r1",
            "joined:0:r1:join-r1"
        ]
    );
}

#[test]
fn a_failed_page_fails_the_join() {
    let mut h = Harness::online();
    let seq = joins(&h.feed(join("r1")))[0].0;
    let out = h.respond(
        seq,
        0,
        Some(response::Body::ChatroomJoined(ChatRoomJoined {
            messages: vec![room_message("r1", "U1", "one", 10)],
            entries: pairs(&[("a", "1")]),
            left_room_ids: vec![],
            more_entries: true,
        })),
    );
    let seq = entries_reads(&out)[0].0;
    let out = h.respond(seq, crate::codes::NOT_IN_CHATROOM, None);
    assert_eq!(log(&out), ["joined:23406:r1:join-r1"]);
    assert_eq!(h.store.message_count(&room_key("r1")).unwrap(), 0);
    h.feed(Input::Closed);
    let (_, out) = h.open(0);
    assert!(joins(&out).is_empty(), "a failed join is not joined again");
}

#[test]
fn all_entries_are_read_page_by_page() {
    let mut h = Harness::online();
    let out = h.feed(Input::Command(Command::Chatroom(ChatroomCommand {
        op: ChatroomOp::GetEntries {
            room_id: "r1".into(),
            key: None,
        },
        event_id: Some("all".into()),
    })));
    let reads = entries_reads(&out);
    assert_eq!(reads[0].3, "", "the first page from the start");
    let out = h.respond(reads[0].0, 0, page(&[("a", "1"), ("b", "2")], true));
    assert!(events(&out).is_empty());
    let reads = entries_reads(&out);
    assert_eq!(reads[0].3, "b");
    let out = h.respond(reads[0].0, 0, page(&[("c", "3")], false));
    match &events(&out)[..] {
        [Event::Chatroom(ChatroomEvent::AllEntriesLoaded {
            code: 0,
            entries,
            event_id,
            ..
        })] => {
            assert_eq!(entries.keys().collect::<Vec<_>>(), ["a", "b", "c"]);
            assert_eq!(event_id.as_deref(), Some("all"));
        }
        other => panic!("{other:?}"),
    }
    // A page refused midway reports the code, with no entries.
    let out = h.feed(Input::Command(Command::Chatroom(ChatroomCommand {
        op: ChatroomOp::GetEntries {
            room_id: "r1".into(),
            key: None,
        },
        event_id: Some("all2".into()),
    })));
    let out = h.respond(entries_reads(&out)[0].0, 0, page(&[("a", "1")], true));
    let out = h.respond(
        entries_reads(&out)[0].0,
        crate::codes::NOT_IN_CHATROOM,
        None,
    );
    assert!(matches!(
        &events(&out)[..],
        [Event::Chatroom(ChatroomEvent::AllEntriesLoaded { code: 23406, entries, .. })] if entries.is_empty()
    ));
}

#[test]
fn room_events_during_a_join_come_after_its_reports_without_the_answers_messages() {
    let mut h = Harness::online();
    let seq = joins(&h.feed(join("r1")))[0].0;
    // The server's events overtake the join's answer: held.
    let mut early = Vec::new();
    early.extend(h.frame(0, member_event("r1", "carol")));
    early.extend(h.frame(0, message_event("r1", "U1", "one", 10)));
    early.extend(h.frame(0, message_event("r1", "U2", "two", 11)));
    // Another room's events are not held.
    let other = h.frame(0, member_event("r9", "dave"));
    assert!(log(&early).is_empty(), "{:?}", log(&early));
    assert_eq!(log(&other), ["members:r9:dave/1"]);
    let out = h.respond(
        seq,
        0,
        Some(joined_answer(
            vec![room_message("r1", "U1", "one", 10)],
            &[("k", "v")],
            &[],
        )),
    );
    assert_eq!(
        log(&out),
        [
            "received:one:0",
            r#"entries:0:r1:{"k": "v"}"#,
            "synced:r1",
            "joined:0:r1:join-r1",
            "members:r1:carol/1",
            "received:two:0",
        ]
    );
    assert_eq!(h.store.message_count(&room_key("r1")).unwrap(), 2);
    // Once joined, events pass at once.
    let out = h.frame(0, message_event("r1", "U3", "three", 12));
    assert_eq!(log(&out), ["received:three:0"]);
}

#[test]
fn events_held_for_a_refused_join_are_dropped() {
    let mut h = Harness::online();
    let seq = joins(&h.feed(join("r1")))[0].0;
    let mut early = h.frame(0, message_event("r1", "U1", "one", 10));
    early.extend(h.frame(0, member_event("r1", "carol")));
    assert!(log(&early).is_empty(), "{:?}", log(&early));
    let out = h.respond(seq, crate::codes::CHATROOM_NOT_EXIST, None);
    assert_eq!(log(&out), ["joined:23410:r1:join-r1"]);
    assert_eq!(h.store.message_count(&room_key("r1")).unwrap(), 0);
}

#[test]
fn a_leave_made_before_the_joins_answer_wins() {
    let mut h = Harness::online();
    let join_seq = joins(&h.feed(join("r1")))[0].0;
    let out = h.feed(leave("r1"));
    let (leave_seq, r) = requests(&out).pop().unwrap();
    assert!(matches!(r.body, Some(request::Body::LeaveChatroom(_))));
    h.frame(0, message_event("r1", "U2", "live", 11));
    // The join's answer comes first: reported, but nothing of it is kept.
    let out = h.respond(
        join_seq,
        0,
        Some(joined_answer(
            vec![room_message("r1", "U1", "one", 10)],
            &[("k", "v")],
            &[],
        )),
    );
    assert_eq!(log(&out), ["joined:0:r1:join-r1"]);
    assert_eq!(h.store.message_count(&room_key("r1")).unwrap(), 0);
    let out = h.respond(leave_seq, 0, None);
    assert_eq!(log(&out), ["left:0:r1"]);
    // The room is not joined: no message is kept, no re-join after a reconnect.
    let out = h.frame(0, message_event("r1", "U3", "late", 12));
    assert!(log(&out).is_empty());
    assert_eq!(h.store.message_count(&room_key("r1")).unwrap(), 0);
    h.feed(Input::Closed);
    let (_, out) = h.open(0);
    assert!(joins(&out).is_empty(), "the room left is not joined again");
}

#[test]
fn a_join_after_the_leave_is_remembered() {
    let mut h = Harness::online();
    let first = joins(&h.feed(join("r1")))[0].0;
    h.feed(leave("r1"));
    let second = joins(&h.feed(join("r1")))[0].0;
    let out = h.respond(first, 0, Some(joined_answer(vec![], &[], &[])));
    assert_eq!(log(&out), ["joined:0:r1:join-r1"]);
    let out = h.respond(
        second,
        0,
        Some(joined_answer(
            vec![room_message("r1", "U1", "one", 10)],
            &[],
            &[],
        )),
    );
    assert_eq!(
        log(&out),
        ["received:one:0", "synced:r1", "joined:0:r1:join-r1"]
    );
    assert_eq!(h.store.message_count(&room_key("r1")).unwrap(), 1);
    h.feed(Input::Closed);
    let (_, out) = h.open(0);
    assert_eq!(joins(&out).len(), 1, "the last join is remembered");
}

#[test]
fn sessions_start_and_end_without_local_chatroom_messages() {
    // A session that did not end cleanly left a room's messages.
    let mut store = Store::open_in_memory().unwrap();
    let mut left = codec::row_from_wire(&room_message("r0", "U0", "old", 5), "alice", 5);
    left.counted = false;
    store.store_chatroom_messages(&[left]).unwrap();
    store
        .apply_inbox(
            &[codec::row_from_wire(
                &WireMessage {
                    uid: "P1".into(),
                    conversation_type: 1,
                    to_id: "alice".into(),
                    sender_id: "bob".into(),
                    object_name: "RC:TxtMsg".into(),
                    content: r#"{"content":"private"}"#.into(),
                    sent_time: 6,
                    persisted: true,
                    counted: true,
                    ..Default::default()
                },
                "alice",
                6,
            )],
            1,
        )
        .unwrap();
    let mut h = Harness::with_store(store);
    assert_eq!(h.store.message_count(&room_key("r0")).unwrap(), 0);
    assert_eq!(
        h.store
            .message_count(&ConversationKey::new(1, "bob", ""))
            .unwrap(),
        1,
        "other messages stay"
    );
    let (seq, _) = h.open(0);
    h.respond(
        seq,
        0,
        Some(response::Body::Sync(SyncPackage {
            entries: vec![],
            has_more: false,
            inbox_head: 0,
        })),
    );
    let seq = joins(&h.feed(join("r1")))[0].0;
    h.respond(
        seq,
        0,
        Some(joined_answer(
            vec![room_message("r1", "U1", "one", 10)],
            &[],
            &[],
        )),
    );
    assert_eq!(h.store.message_count(&room_key("r1")).unwrap(), 1);
    // A send into the room still unanswered cannot wait for the next session: it fails.
    let now = h.now;
    let out = h.feed(Input::Command(Command::Send {
        message: Box::new(codec::new_text_message(3, "r1", None, "mine")),
        event_id: Some("send-mine".into()),
        requested: now,
    }));
    assert_eq!(ops(&out).len(), 1, "the send is on the wire");
    assert_eq!(h.store.message_count(&room_key("r1")).unwrap(), 2);
    let out = h.feed(Input::Stop(StopReason::Shutdown));
    assert!(matches!(out.last(), Some(Action::Finish)), "{out:?}");
    assert!(
        events(&out).iter().any(|e| matches!(
            e,
            Event::MessageSent { code, event_id, .. }
                if *code != 0 && event_id.as_deref() == Some("send-mine")
        )),
        "{:?}",
        events(&out)
    );
    assert_eq!(h.store.message_count(&room_key("r1")).unwrap(), 0);
    assert!(h.store.outbox().unwrap().is_empty());
    assert_eq!(
        h.store
            .message_count(&ConversationKey::new(1, "bob", ""))
            .unwrap(),
        1
    );
}
