//! Read state across devices and group read receipts: the queued requests and their
//! reports, the inbox entries and what they change in the store.

use super::*;
use crate::event::MessagingEvent;
use crate::model::Message;
use rcim_proto::v1::{
    GroupReceipt as WireReceipt, ReadStatusSynced, ReceiptRequested, ReceiptResponded,
};
use rcim_store::GroupReceipt;
use std::collections::HashMap;

fn push(h: &mut Harness, seq: u64, body: inbox_entry::Body) -> Vec<Action> {
    h.frame(
        0,
        server_frame::Body::Push(InboxPush {
            entry: Some(InboxEntry {
                seq,
                body: Some(body),
            }),
        }),
    )
}

fn group_message(uid: &str, sender: &str, receipt: Option<WireReceipt>) -> inbox_entry::Body {
    inbox_entry::Body::Message(WireMessage {
        uid: uid.into(),
        conversation_type: 2,
        to_id: "g1".into(),
        sender_id: sender.into(),
        object_name: "RC:TxtMsg".into(),
        content: r#"{"content":"x"}"#.into(),
        sent_time: 100,
        persisted: true,
        counted: true,
        receipt,
        ..Default::default()
    })
}

fn receipt_of(h: &Harness, uid: &str) -> Option<GroupReceipt> {
    codec::message_from_row(&h.store.message_by_uid(uid).unwrap().unwrap()).group_read_receipt_info
}

fn messaging(out: &[Action]) -> Vec<MessagingEvent> {
    events(out)
        .into_iter()
        .filter_map(|e| match e {
            Event::Messaging(e) => Some(e),
            _ => None,
        })
        .collect()
}

#[test]
fn a_read_status_sync_is_queued_and_reported() {
    let mut h = Harness::new();
    let key = ConversationKey::new(2, "g1", "");
    h.feed(Input::Command(Command::Operation(
        Operation::sync_read_status(&key, 500, Some("e".into())),
    )));
    assert_eq!(h.store.outbox().unwrap().len(), 1, "kept while offline");
    let (_, out) = h.open(0);
    let sent = ops(&out);
    let [(seq, request)] = sent.as_slice() else {
        panic!("{sent:?}")
    };
    let Some(request::Body::ReadStatus(r)) = &request.body else {
        panic!("{request:?}")
    };
    assert_eq!(
        (r.conversation_type, r.target_id.as_str(), r.timestamp),
        (2, "g1", 500)
    );
    let out = h.respond(*seq, 0, None);
    assert_eq!(
        messaging(&out),
        vec![MessagingEvent::ConversationReadStatusSynced {
            code: 0,
            key,
            timestamp: 500,
            event_id: Some("e".into()),
        }]
    );
}

#[test]
fn another_devices_read_status_clears_unread_and_is_announced() {
    let mut h = Harness::online();
    for seq in 1..=2 {
        h.frame(
            0,
            server_frame::Body::Push(InboxPush {
                entry: Some(wire_message(seq, &format!("u{seq}"), "x")),
            }),
        );
    }
    let bob = ConversationKey::new(1, "bob", "");
    assert_eq!(h.store.unread_count(&bob).unwrap(), 2);
    let synced = |device: &str| {
        inbox_entry::Body::ReadStatus(ReadStatusSynced {
            conversation_type: 1,
            target_id: "bob".into(),
            channel_id: String::new(),
            // The first message's sent time (wire_message: 1000 + seq).
            timestamp: 1001,
            device_id: device.into(),
        })
    };
    // This device's own sync comes back: it cleared at the call already.
    let out = push(&mut h, 3, synced("phone"));
    assert!(messaging(&out).is_empty());
    assert_eq!(h.store.unread_count(&bob).unwrap(), 2);

    let out = push(&mut h, 4, synced("tablet"));
    assert_eq!(
        messaging(&out),
        vec![MessagingEvent::ConversationReadStatusSyncMessageReceived {
            conversation_type: 1,
            target_id: "bob".into(),
            timestamp: 1001,
        }]
    );
    assert_eq!(
        h.store.unread_count(&bob).unwrap(),
        1,
        "up to the timestamp"
    );
}

/// Alice sends a group message and the server takes it as `uid`.
fn sent_group_message(h: &mut Harness, uid: &str) -> Message {
    let now = h.now;
    let out = h.feed(Input::Command(Command::Send {
        message: Box::new(codec::new_text_message(2, "g1", None, "hello")),
        event_id: None,
        requested: now,
    }));
    let (seq, _) = ops(&out)[0].clone();
    let out = h.respond(
        seq,
        0,
        Some(response::Body::SendMessage(SendMessageResult {
            uid: uid.into(),
            sent_time: 50,
            conv_seq: 1,
            change_seq: 0,
        })),
    );
    match events(&out).pop() {
        Some(Event::MessageSent { message, .. }) => message,
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_receipt_request_marks_the_message_once_the_server_took_it() {
    let mut h = Harness::online();
    let message = sent_group_message(&mut h, "G1");
    let out = h.feed(Input::Command(Command::Operation(
        Operation::group_receipt_request(message.clone(), Some("r".into())),
    )));
    let (seq, request) = ops(&out)[0].clone();
    let Some(request::Body::ReceiptRequest(r)) = request.body else {
        panic!()
    };
    assert_eq!((r.group_id.as_str(), r.uid.as_str()), ("g1", "G1"));
    let out = h.respond(seq, 0, None);
    let requested = GroupReceipt {
        read_receipt_message: true,
        ..Default::default()
    };
    match messaging(&out).as_slice() {
        [MessagingEvent::GroupReadReceiptRequestSent {
            code: 0,
            message,
            event_id,
        }] => {
            assert_eq!(event_id.as_deref(), Some("r"));
            assert_eq!(message.message_uid.as_deref(), Some("G1"));
            assert_eq!(message.group_read_receipt_info, Some(requested.clone()));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(receipt_of(&h, "G1"), Some(requested));

    // A refusal reports the server's code and changes nothing.
    let mut other = message;
    other.message_uid = Some("NOPE".into());
    let out = h.feed(Input::Command(Command::Operation(
        Operation::group_receipt_request(other, None),
    )));
    let (seq, _) = ops(&out)[0].clone();
    let out = h.respond(seq, 34203, None);
    match messaging(&out).as_slice() {
        [MessagingEvent::GroupReadReceiptRequestSent {
            code: 34203,
            message,
            ..
        }] => {
            assert_eq!(message.group_read_receipt_info, None)
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn members_hear_of_requests_and_their_responses_mark_the_messages() {
    let mut h = Harness::online();
    push(&mut h, 1, group_message("G1", "bob", None));
    push(&mut h, 2, group_message("G2", "bob", None));
    let request = |uid: &str, sender: &str| {
        inbox_entry::Body::ReceiptRequested(ReceiptRequested {
            group_id: "g1".into(),
            channel_id: String::new(),
            uid: uid.into(),
            sender_id: sender.into(),
            device_id: "bobs-phone".into(),
            time: 200,
        })
    };
    let out = push(&mut h, 3, request("G1", "bob"));
    assert_eq!(
        messaging(&out),
        vec![MessagingEvent::GroupMessageReadReceiptRequestReceived {
            target_id: "g1".into(),
            message_uid: "G1".into(),
        }]
    );
    assert!(receipt_of(&h, "G1").unwrap().read_receipt_message);

    // Alice responds to both (G2 without a request: the server skips it).
    let messages: Vec<Message> = ["G1", "G2"]
        .iter()
        .map(|uid| codec::message_from_row(&h.store.message_by_uid(uid).unwrap().unwrap()))
        .collect();
    let out = h.feed(Input::Command(Command::Operation(
        Operation::group_receipt_response(
            "g1",
            "",
            vec!["G1".into(), "G2".into()],
            messages,
            Some("resp".into()),
        ),
    )));
    let (seq, sent) = ops(&out)[0].clone();
    let Some(request::Body::ReceiptResponse(r)) = sent.body else {
        panic!()
    };
    assert_eq!(r.uids, vec!["G1", "G2"]);
    let out = h.respond(seq, 0, None);
    match messaging(&out).as_slice() {
        [MessagingEvent::GroupReadReceiptResponseSent {
            code: 0,
            target_id,
            messages,
            event_id,
            ..
        }] => {
            assert_eq!(
                (target_id.as_str(), event_id.as_deref()),
                ("g1", Some("resp"))
            );
            assert_eq!(messages.len(), 2);
            assert!(messages.iter().all(|m| m
                .group_read_receipt_info
                .as_ref()
                .unwrap()
                .has_respond));
        }
        other => panic!("{other:?}"),
    }
    assert!(receipt_of(&h, "G1").unwrap().has_respond);

    // A request alice made on another device: marked, not announced.
    let out = push(&mut h, 4, request("G9", "alice"));
    assert!(messaging(&out).is_empty());
}

#[test]
fn the_sender_learns_who_responded_and_the_responders_other_devices_follow() {
    let mut h = Harness::online();
    push(&mut h, 1, group_message("G1", "alice", None));
    let responded = |reader: &str, responses: &[(&str, i64)]| {
        inbox_entry::Body::ReceiptResponded(ReceiptResponded {
            group_id: "g1".into(),
            channel_id: String::new(),
            uid: "G1".into(),
            reader_id: reader.into(),
            responses: responses.iter().map(|(u, t)| (u.to_string(), *t)).collect(),
            device_id: String::new(),
            time: 300,
        })
    };
    let out = push(&mut h, 2, responded("bob", &[("bob", 300), ("carol", 250)]));
    let expected: std::collections::BTreeMap<String, i64> =
        [("bob".to_string(), 300), ("carol".to_string(), 250)].into();
    assert_eq!(
        messaging(&out),
        vec![MessagingEvent::GroupMessageReadReceiptResponseReceived {
            target_id: "g1".into(),
            message_uid: "G1".into(),
            respond_user_ids: expected.clone(),
        }]
    );
    assert_eq!(receipt_of(&h, "G1").unwrap().respond_user_ids, expected);

    // In a responder's own inbox (alice responded on another device to bob's message).
    push(&mut h, 3, group_message("G2", "bob", None));
    let mut own = responded("alice", &[("alice", 400)]);
    if let inbox_entry::Body::ReceiptResponded(r) = &mut own {
        r.uid = "G2".into();
    }
    let out = push(&mut h, 4, own);
    assert!(messaging(&out).is_empty());
    assert!(receipt_of(&h, "G2").unwrap().has_respond);
}

#[test]
fn a_message_brings_its_receipt_state_when_delivered() {
    let mut h = Harness::online();
    let receipt = WireReceipt {
        requested: true,
        responses: HashMap::from([("bob".into(), 7)]),
        responded: false,
    };
    let out = push(&mut h, 1, group_message("G1", "bob", Some(receipt)));
    let expected = GroupReceipt {
        read_receipt_message: true,
        has_respond: false,
        respond_user_ids: [("bob".to_string(), 7)].into(),
    };
    let received: Vec<Message> = events(&out)
        .into_iter()
        .filter_map(|e| match e {
            Event::MessageReceived { message, .. } => Some(message),
            _ => None,
        })
        .collect();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].group_read_receipt_info, Some(expected.clone()));
    assert_eq!(receipt_of(&h, "G1"), Some(expected));
}
