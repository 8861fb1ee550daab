//! Chatrooms in the session: a join's answer becomes stored messages announced oldest first,
//! then the KV entries, the sync and the join's result; room events become listener events;
//! a leave (or a destroy) deletes the room's local messages; every new connection joins the
//! session's rooms again; calls wait for a connection within the send timeout.

use super::*;
use crate::event::{ChatroomEvent, Event};
use crate::session::chatroom::{ChatroomCommand, ChatroomOp};
use rcim_proto::v1::{
    chat_room_event, ChatRoomEntriesChanged, ChatRoomEvent, ChatRoomJoined, ChatRoomMemberAction,
    ChatRoomMembersChanged,
};

pub(super) fn join(room: &str, count: u32) -> Input {
    Input::Command(Command::Chatroom(ChatroomCommand {
        op: ChatroomOp::Join {
            room_id: room.into(),
            message_count: count,
            auto_create: true,
        },
        event_id: Some(format!("join-{room}")),
    }))
}

pub(super) fn leave(room: &str) -> Input {
    Input::Command(Command::Chatroom(ChatroomCommand {
        op: ChatroomOp::Leave {
            room_id: room.into(),
        },
        event_id: Some(format!("leave-{room}")),
    }))
}

pub(super) fn room_message(room: &str, uid: &str, text: &str, time: i64) -> WireMessage {
    WireMessage {
        uid: uid.into(),
        conversation_type: 3,
        to_id: room.into(),
        sender_id: "bob".into(),
        object_name: "RC:TxtMsg".into(),
        content: format!(r#"{{"content":"{text}"}}"#),
        sent_time: time,
        persisted: true,
        counted: true,
        ..Default::default()
    }
}

/// The joins on the wire, as (seq, room, message count).
pub(super) fn joins(out: &[Action]) -> Vec<(u64, String, u32)> {
    requests(out)
        .into_iter()
        .filter_map(|(seq, r)| match r.body {
            Some(request::Body::JoinChatroom(j)) => {
                assert!(
                    r.request_id.is_empty(),
                    "chatroom requests carry no request id"
                );
                Some((seq, j.room_id, j.message_count))
            }
            _ => None,
        })
        .collect()
}

pub(super) fn joined_answer(
    messages: Vec<WireMessage>,
    entries: &[(&str, &str)],
    left: &[&str],
) -> response::Body {
    response::Body::ChatroomJoined(ChatRoomJoined {
        messages,
        entries: entries
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        left_room_ids: left.iter().map(|r| r.to_string()).collect(),
        more_entries: false,
    })
}

/// The events as short strings, in order.
pub(super) fn log(out: &[Action]) -> Vec<String> {
    events(out)
        .into_iter()
        .filter_map(|e| match e {
            Event::MessageReceived { message, left, .. } => {
                Some(format!("received:{}:{left}", message.text().unwrap_or("")))
            }
            Event::Chatroom(ChatroomEvent::Joining { target_id, .. }) => {
                Some(format!("joining:{target_id}"))
            }
            Event::Chatroom(ChatroomEvent::Joined {
                code,
                target_id,
                event_id,
            }) => Some(format!(
                "joined:{code}:{target_id}:{}",
                event_id.unwrap_or_default()
            )),
            Event::Chatroom(ChatroomEvent::Left {
                code, target_id, ..
            }) => Some(format!("left:{code}:{target_id}")),
            Event::Chatroom(ChatroomEvent::EntriesChanged {
                operation_type,
                room_id,
                entries,
            }) => Some(format!("entries:{operation_type}:{room_id}:{entries:?}")),
            Event::Chatroom(ChatroomEvent::EntriesSynced { room_id }) => {
                Some(format!("synced:{room_id}"))
            }
            Event::Chatroom(ChatroomEvent::StatusChanged { target_id, status }) => {
                Some(format!("status:{target_id}:{status}"))
            }
            Event::Chatroom(ChatroomEvent::MemberChanged { target_id, actions }) => Some(format!(
                "members:{target_id}:{}",
                actions
                    .iter()
                    .map(|a| format!("{}/{}", a.user_id, a.action_type))
                    .collect::<Vec<_>>()
                    .join(",")
            )),
            _ => None,
        })
        .collect()
}

/// Joins `room` (asking `count` messages), answered with one message of the room ("one",
/// uid U1).
fn join_with_one_message(h: &mut Harness, room: &str, count: u32) {
    let seq = joins(&h.feed(join(room, count)))[0].0;
    h.respond(
        seq,
        0,
        Some(joined_answer(
            vec![room_message(room, "U1", "one", 10)],
            &[],
            &[],
        )),
    );
}

pub(super) fn room_key(room: &str) -> ConversationKey {
    ConversationKey::new(3, room, "")
}

pub(super) fn room_event(room: &str, body: chat_room_event::Body) -> server_frame::Body {
    server_frame::Body::Chatroom(ChatRoomEvent {
        room_id: room.into(),
        body: Some(body),
    })
}

#[test]
fn a_join_stores_its_messages_then_reports_entries_sync_and_result() {
    let mut h = Harness::online();
    let out = h.feed(join("r1", 10));
    assert_eq!(log(&out), ["joining:r1"]);
    let sent = joins(&out);
    assert_eq!(sent.len(), 1);
    assert_eq!((sent[0].1.as_str(), sent[0].2), ("r1", 10));
    let out = h.respond(
        sent[0].0,
        0,
        Some(joined_answer(
            vec![
                room_message("r1", "U1", "one", 10),
                room_message("r1", "U2", "two", 11),
            ],
            &[("k", "v")],
            &[],
        )),
    );
    assert_eq!(
        log(&out),
        [
            "received:one:1",
            "received:two:0",
            r#"entries:0:r1:{"k": "v"}"#,
            "synced:r1",
            "joined:0:r1:join-r1",
        ]
    );
    assert_eq!(h.store.message_count(&room_key("r1")).unwrap(), 2);
    assert!(h.store.conversations(&[3], "", 0, 10).unwrap().is_empty());
    // A live message of the room is stored and announced; the members and KV events pass.
    let out = h.frame(
        0,
        room_event(
            "r1",
            chat_room_event::Body::Message(room_message("r1", "U3", "three", 12)),
        ),
    );
    assert_eq!(log(&out), ["received:three:0"]);
    let out = h.frame(
        0,
        room_event(
            "r1",
            chat_room_event::Body::MembersChanged(ChatRoomMembersChanged {
                actions: vec![ChatRoomMemberAction {
                    user_id: "carol".into(),
                    action: 1,
                }],
            }),
        ),
    );
    assert_eq!(log(&out), ["members:r1:carol/1"]);
    let out = h.frame(
        0,
        room_event(
            "r1",
            chat_room_event::Body::EntriesChanged(ChatRoomEntriesChanged {
                removed: true,
                entries: [("k".to_string(), "v".to_string())].into(),
                operator_id: "carol".into(),
            }),
        ),
    );
    assert_eq!(log(&out), [r#"entries:1:r1:{"k": "v"}"#]);
    assert_eq!(h.store.message_count(&room_key("r1")).unwrap(), 3);
}

#[test]
fn leaving_deletes_the_local_messages_and_rooms_left_by_a_join_are_cleared() {
    let mut h = Harness::online();
    join_with_one_message(&mut h, "r1", 10);
    assert_eq!(h.store.message_count(&room_key("r1")).unwrap(), 1);
    // Joining r2 leaves r1 (R190): its local messages go.
    let seq = joins(&h.feed(join("r2", 10)))[0].0;
    let out = h.respond(
        seq,
        0,
        Some(joined_answer(
            vec![room_message("r2", "U2", "two", 11)],
            &[],
            &["r1"],
        )),
    );
    assert_eq!(
        log(&out),
        ["received:two:0", "synced:r2", "joined:0:r2:join-r2"]
    );
    assert_eq!(h.store.message_count(&room_key("r1")).unwrap(), 0);
    let out = h.feed(leave("r2"));
    let (seq, r) = requests(&out).pop().unwrap();
    assert!(matches!(r.body, Some(request::Body::LeaveChatroom(_))));
    let out = h.respond(seq, 0, None);
    assert_eq!(log(&out), ["left:0:r2"]);
    assert_eq!(h.store.message_count(&room_key("r2")).unwrap(), 0);
    // A late message of the room left is not kept.
    let out = h.frame(
        0,
        room_event(
            "r2",
            chat_room_event::Body::Message(room_message("r2", "U9", "late", 20)),
        ),
    );
    assert!(log(&out).is_empty());
    assert_eq!(h.store.message_count(&room_key("r2")).unwrap(), 0);
}

#[test]
fn every_new_connection_joins_the_rooms_again_and_a_refused_rejoin_forgets_the_room() {
    let mut h = Harness::online();
    join_with_one_message(&mut h, "r1", 5);
    let seq = joins(&h.feed(join("r2", 0)))[0].0;
    h.respond(seq, 0, Some(joined_answer(vec![], &[], &[])));
    // The connection drops; the next one re-joins both rooms before anything else.
    h.feed(Input::Closed);
    let (_, out) = h.open(0);
    let rejoins = joins(&out);
    assert_eq!(
        rejoins
            .iter()
            .map(|(_, r, c)| (r.as_str(), *c))
            .collect::<Vec<_>>(),
        [("r1", 5), ("r2", 0)]
    );
    // r1 answers with a message missed meanwhile (U1 is stored already): only U2 is new.
    let out = h.respond(
        rejoins[0].0,
        0,
        Some(joined_answer(
            vec![
                room_message("r1", "U1", "one", 10),
                room_message("r1", "U2", "two", 11),
            ],
            &[],
            &[],
        )),
    );
    assert_eq!(log(&out), ["received:two:0", "synced:r1", "joined:0:r1:"]);
    // r2 is gone: forgotten, nothing reported.
    let out = h.respond(rejoins[1].0, crate::codes::CHATROOM_NOT_EXIST, None);
    assert!(log(&out).is_empty());
    h.feed(Input::Closed);
    let (_, out) = h.open(0);
    assert_eq!(
        joins(&out)
            .into_iter()
            .map(|(_, r, _)| r)
            .collect::<Vec<_>>(),
        ["r1"]
    );
}

#[test]
fn a_destroyed_room_is_reported_forgotten_and_cleared() {
    let mut h = Harness::online();
    join_with_one_message(&mut h, "r1", 5);
    let out = h.frame(0, room_event("r1", chat_room_event::Body::Status(1)));
    assert_eq!(log(&out), ["status:r1:1"]);
    assert_eq!(h.store.message_count(&room_key("r1")).unwrap(), 0);
    h.feed(Input::Closed);
    let (_, out) = h.open(0);
    assert!(joins(&out).is_empty());
}

#[test]
fn a_call_made_offline_waits_for_the_connection_then_fails_with_30002() {
    let mut h = Harness::new();
    let out = h.feed(join("r1", 5));
    assert_eq!(log(&out), ["joining:r1"]);
    assert!(joins(&out).is_empty());
    let out = h.advance(Duration::from_secs(31));
    assert_eq!(log(&out), ["joined:30002:r1:join-r1"]);
}

#[test]
fn kv_answers_report_their_codes_and_failed_keys() {
    let mut h = Harness::online();
    let call = |op: ChatroomOp| {
        Input::Command(Command::Chatroom(ChatroomCommand {
            op,
            event_id: Some("kv".into()),
        }))
    };
    let out = h.feed(call(ChatroomOp::RemoveEntries {
        room_id: "r1".into(),
        keys: vec!["k".into()],
        force: true,
        single: true,
    }));
    let (seq, _) = requests(&out).pop().unwrap();
    let out = h.respond(seq, 0, None);
    assert!(matches!(
        &events(&out)[..],
        [Event::Chatroom(ChatroomEvent::EntryRemoved { code: 0, key, .. })] if key == "k"
    ));
    let out = h.feed(call(ChatroomOp::SetEntries {
        room_id: "r1".into(),
        entries: [
            ("a".to_string(), "1".to_string()),
            ("b".to_string(), "2".to_string()),
        ]
        .into(),
        delete_when_left: false,
        overwrite: false,
        single: false,
    }));
    let (seq, _) = requests(&out).pop().unwrap();
    let out = h.respond(
        seq,
        crate::codes::KV_NOT_ALL_SUCCESS,
        Some(response::Body::ChatroomEntriesResult(
            rcim_proto::v1::ChatRoomEntriesResult {
                errors: [("b".to_string(), crate::codes::KV_OVERWRITE_REFUSED)].into(),
            },
        )),
    );
    match &events(&out)[..] {
        [Event::Chatroom(ChatroomEvent::EntriesAdded {
            code,
            entries,
            error_entries,
            ..
        })] => {
            assert_eq!(*code, 23428);
            assert_eq!(entries.len(), 2);
            assert_eq!(error_entries.get("b"), Some(&23424));
        }
        other => panic!("{other:?}"),
    }
    let out = h.feed(call(ChatroomOp::GetEntries {
        room_id: "r1".into(),
        key: Some("gone".into()),
    }));
    let (seq, _) = requests(&out).pop().unwrap();
    let out = h.respond(
        seq,
        0,
        Some(response::Body::ChatroomEntries(
            rcim_proto::v1::ChatRoomEntries {
                entries: Default::default(),
                more: false,
            },
        )),
    );
    assert!(matches!(
        &events(&out)[..],
        [Event::Chatroom(ChatroomEvent::EntryLoaded {
            code: 23427,
            ..
        })]
    ));
}

#[test]
fn a_request_over_the_servers_rate_is_asked_again_after_the_window() {
    let mut h = Harness::online();
    let seq = joins(&h.feed(join("r1", 0)))[0].0;
    let out = h.respond(seq, crate::codes::SEND_MSG_FREQUENCY_OVERRUN, None);
    assert!(log(&out).is_empty(), "not reported: {:?}", log(&out));
    assert!(joins(&h.advance(Duration::from_millis(500))).is_empty());
    let again = joins(&h.advance(Duration::from_millis(700)));
    assert_eq!(again.len(), 1, "asked again after the window");
    let out = h.respond(again[0].0, 0, Some(joined_answer(vec![], &[], &[])));
    assert_eq!(log(&out), ["synced:r1", "joined:0:r1:join-r1"]);
}

#[test]
fn a_kick_forgets_the_room_and_deletes_its_messages() {
    let mut h = Harness::online();
    join_with_one_message(&mut h, "r1", 5);
    let out = h.frame(
        0,
        room_event(
            "r1",
            chat_room_event::Body::Kicked(crate::codes::KICKED_FROM_CHATROOM),
        ),
    );
    assert!(log(&out).is_empty());
    assert_eq!(h.store.message_count(&room_key("r1")).unwrap(), 0);
    h.feed(Input::Closed);
    let (_, out) = h.open(0);
    assert!(
        joins(&out).is_empty(),
        "a room the user was kicked from is not joined again"
    );
}
