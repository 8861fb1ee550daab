//! Storage and unread rules per type (R071–R075, R085) on send and on receive: messages that
//! are not stored go without a row and without the outbox, under the same pacing; received
//! ones are announced but not stored; unread counts follow the type and the wire flags.

use super::*;
use crate::model::{custom_policy, message_type, Message};
use serde_json::json;

fn command(name: &str, requested: Instant) -> Command {
    let mut m = codec::new_message(
        1,
        "bob",
        None,
        message_type::COMMAND,
        json!({"name": name, "data": "d"})
            .as_object()
            .unwrap()
            .clone(),
    );
    m.channel_id = Some(String::new());
    Command::Send {
        message: Box::new(m),
        event_id: Some(format!("cmd-{name}")),
        requested,
    }
}

fn send_requests(actions: &[Action]) -> Vec<(u64, Request)> {
    ops(actions)
        .into_iter()
        .filter(|(_, r)| matches!(r.body, Some(request::Body::SendMessage(_))))
        .collect()
}

fn sent_codes(actions: &[Action]) -> Vec<i32> {
    events(actions)
        .into_iter()
        .filter_map(|e| match e {
            Event::MessageSent { code, .. } => Some(code),
            _ => None,
        })
        .collect()
}

#[test]
fn a_command_is_sent_without_a_row_or_the_outbox_and_reported_with_its_uid() {
    let mut h = Harness::online();
    let now = h.now;
    let out = h.feed(Input::Command(command("c0", now)));
    let attached: Vec<Event> = events(&out);
    let Event::MessageAttached { message, event_id } = &attached[0] else {
        panic!("{attached:?}")
    };
    assert_eq!(message.message_id, None);
    assert_eq!(event_id.as_deref(), Some("cmd-c0"));
    let sent = send_requests(&out);
    assert_eq!(sent.len(), 1);
    let Some(request::Body::SendMessage(body)) = &sent[0].1.body else {
        unreachable!()
    };
    assert_eq!(body.object_name, "RC:CmdMsg");
    assert!(!body.persisted && !body.counted && !body.custom);
    assert!(h.store.outbox().unwrap().is_empty());
    assert_eq!(
        h.store
            .message_count(&ConversationKey::new(1, "bob", ""))
            .unwrap(),
        0
    );
    let out = h.respond(
        sent[0].0,
        0,
        Some(response::Body::SendMessage(SendMessageResult {
            conv_seq: 0,
            uid: "C1".into(),
            sent_time: 9,
            change_seq: 0,
        })),
    );
    let Event::MessageSent {
        code: 0,
        message,
        event_id,
    } = &events(&out)[0]
    else {
        panic!()
    };
    assert_eq!(event_id.as_deref(), Some("cmd-c0"));
    assert_eq!(message.message_uid.as_deref(), Some("C1"));
    assert_eq!(message.sent_time, Some(9));
    assert_eq!(message.message_id, None);
    assert_eq!(message.sent_status, Some(rcim_store::sent_status::SENT));
    assert_eq!(
        h.store
            .message_count(&ConversationKey::new(1, "bob", ""))
            .unwrap(),
        0
    );
}

#[test]
fn unstored_sends_share_the_five_per_second_limit_with_stored_ones() {
    let mut h = Harness::online();
    let mut out = Vec::new();
    for i in 0..3 {
        out.extend(h.send_text(&format!("bob{i}"), &i.to_string()));
    }
    let now = h.now;
    for i in 0..3 {
        out.extend(h.feed(Input::Command(command(&i.to_string(), now))));
    }
    assert_eq!(send_requests(&out).len(), 5);
    assert_eq!(sent_codes(&out), vec![20604]);
}

#[test]
fn an_unstored_send_made_offline_fails_after_the_send_timeout_and_at_sign_out() {
    let mut h = Harness::new();
    let now = h.now;
    let out = h.feed(Input::Command(command("late", now)));
    assert!(send_requests(&out).is_empty());
    let out = h.advance(Duration::from_secs(31));
    assert_eq!(sent_codes(&out), vec![30002]);

    let mut h = Harness::new();
    let now = h.now;
    h.feed(Input::Command(command("bye", now)));
    let out = h.feed(Input::Stop(StopReason::SignOut {
        receive_push: false,
    }));
    assert_eq!(sent_codes(&out), vec![30002]);
    assert!(h.store.outbox().unwrap().is_empty());
}

fn entry(
    seq: u64,
    uid: &str,
    object_name: &str,
    content: &str,
    flags: codec::WireFlags,
) -> InboxEntry {
    InboxEntry {
        seq,
        body: Some(inbox_entry::Body::Message(WireMessage {
            uid: uid.into(),
            conversation_type: 1,
            to_id: "alice".into(),
            sender_id: "bob".into(),
            channel_id: "ignored".into(),
            object_name: object_name.into(),
            content: content.into(),
            sent_time: 1000 + seq as i64,
            persisted: flags.persisted,
            counted: flags.counted,
            status: flags.status,
            custom: flags.custom,
            ..Default::default()
        })),
    }
}

#[test]
fn received_messages_are_stored_and_counted_by_their_type_and_flags() {
    let mut h = Harness::new();
    let (seq, _) = h.open(0);
    let flags = |t, p| codec::wire_flags(t, p);
    let custom = |p| flags(message_type::CUSTOM, Some(p));
    let entries = vec![
        entry(
            1,
            "T",
            "RC:TxtMsg",
            r#"{"content":"t"}"#,
            flags(message_type::TEXT, None),
        ),
        entry(
            2,
            "C",
            "RC:CmdMsg",
            r#"{"name":"n","data":""}"#,
            flags(message_type::COMMAND, None),
        ),
        entry(
            3,
            "N",
            "RC:CmdNtf",
            r#"{"name":"n","data":""}"#,
            flags(message_type::COMMAND_NOTIFICATION, None),
        ),
        entry(
            4,
            "X1",
            "App:X",
            r#"{"a":"1"}"#,
            custom(custom_policy::NORMAL),
        ),
        entry(
            5,
            "X2",
            "App:X",
            r#"{"a":"2"}"#,
            custom(custom_policy::STORAGE),
        ),
        entry(
            6,
            "X3",
            "App:X",
            r#"{"a":"3"}"#,
            custom(custom_policy::COMMAND),
        ),
        entry(
            7,
            "X4",
            "App:X",
            r#"{"a":"4"}"#,
            custom(custom_policy::STATUS),
        ),
        // A Server API publish of a command notification with isCounted left true.
        entry(
            8,
            "N2",
            "RC:CmdNtf",
            r#"{"name":"n","data":""}"#,
            flags(message_type::TEXT, None),
        ),
    ];
    let out = h.respond(
        seq,
        0,
        Some(response::Body::Sync(SyncPackage {
            entries,
            has_more: false,
            inbox_head: 8,
        })),
    );
    let received: Vec<(Option<String>, Option<i64>, u32)> = events(&out)
        .into_iter()
        .filter_map(|e| match e {
            Event::MessageReceived { message, .. } => Some((
                message.message_uid,
                message.message_id,
                message.message_type,
            )),
            _ => None,
        })
        .collect();
    // Every message is announced, in inbox order; the unstored ones without an id.
    let uids: Vec<&str> = received.iter().map(|r| r.0.as_deref().unwrap()).collect();
    assert_eq!(uids, ["T", "C", "N", "X1", "X2", "X3", "X4", "N2"]);
    let stored: Vec<&str> = received
        .iter()
        .filter(|r| r.1.is_some())
        .map(|r| r.0.as_deref().unwrap())
        .collect();
    assert_eq!(stored, ["T", "N", "X1", "X2", "N2"]);
    assert_eq!(received[1].2, message_type::COMMAND);
    assert_eq!(received[6].2, message_type::CUSTOM);
    // Counted: the text and the NORMAL custom message. The channel id was dropped.
    let key = ConversationKey::new(1, "bob", "");
    assert_eq!(h.store.unread_count(&key).unwrap(), 2);
    assert_eq!(h.store.message_count(&key).unwrap(), 5);
}

#[test]
fn this_devices_own_unstored_send_is_not_received_back() {
    let mut h = Harness::online();
    let now = h.now;
    let out = h.feed(Input::Command(command("echo", now)));
    let (_, request) = send_requests(&out).remove(0);
    let mut echo = entry(
        1,
        "E1",
        "RC:CmdMsg",
        r#"{"name":"echo","data":"d"}"#,
        codec::wire_flags(message_type::COMMAND, None),
    );
    if let Some(inbox_entry::Body::Message(m)) = &mut echo.body {
        m.sender_id = "alice".into();
        m.to_id = "bob".into();
        m.client_msg_id = request.request_id.clone();
    }
    let out = h.frame(0, server_frame::Body::Push(InboxPush { entry: Some(echo) }));
    assert!(!events(&out)
        .iter()
        .any(|e| matches!(e, Event::MessageReceived { .. })));
}

#[test]
fn a_status_message_pushed_outside_the_inbox_is_announced_at_once() {
    let mut h = Harness::online();
    let status = entry(
        0,
        "S1",
        "App:Typing",
        r#"{"who":"bob"}"#,
        codec::wire_flags(message_type::CUSTOM, Some(custom_policy::STATUS)),
    );
    let out = h.frame(
        0,
        server_frame::Body::Push(InboxPush {
            entry: Some(status),
        }),
    );
    let received: Vec<Message> = events(&out)
        .into_iter()
        .filter_map(|e| match e {
            Event::MessageReceived { message, .. } => Some(message),
            _ => None,
        })
        .collect();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].message_type, message_type::CUSTOM);
    assert_eq!(received[0].fields["policy"], custom_policy::STATUS);
    assert_eq!(received[0].message_id, None);
    // Nothing stored, no sync asked for, the cursor unmoved: the next entry is seq 1.
    assert!(sync_seqs(&out).is_empty());
    assert_eq!(
        h.store
            .message_count(&ConversationKey::new(1, "bob", ""))
            .unwrap(),
        0
    );
    let out = h.frame(
        0,
        server_frame::Body::Push(InboxPush {
            entry: Some(wire_message(1, "T1", "hi")),
        }),
    );
    assert_eq!(received_texts(&out), ["hi"]);
}

/// moderation.test.ts waited in vain for this `MessageSent` (its wait took the success code 0
/// for "not yet"): pinned here so a group status send is known to be answered like a private
/// one, under its own event id and not re-labelled as a directed send.
#[test]
fn a_status_message_sent_to_a_group_is_reported_sent_with_its_uid() {
    let mut h = Harness::online();
    let now = h.now;
    let mut m = codec::new_message(
        crate::model::conversation_type::GROUP,
        "g1",
        None,
        message_type::CUSTOM,
        json!({"identifier": "app:mood", "policy": custom_policy::STATUS, "fields": {"mood": "calm"}})
            .as_object()
            .unwrap()
            .clone(),
    );
    m.channel_id = Some(String::new());
    let out = h.feed(Input::Command(Command::Send {
        message: Box::new(m),
        event_id: Some("mood".into()),
        requested: now,
    }));
    let sent = send_requests(&out);
    assert_eq!(sent.len(), 1);
    let Some(request::Body::SendMessage(body)) = &sent[0].1.body else {
        unreachable!()
    };
    assert_eq!((body.conversation_type, body.target_id.as_str()), (2, "g1"));
    assert!(body.status && body.custom && !body.persisted);
    assert!(body.directed_user_ids.is_empty());
    let out = h.respond(
        sent[0].0,
        0,
        Some(response::Body::SendMessage(SendMessageResult {
            conv_seq: 0,
            uid: "S1".into(),
            sent_time: 9,
            change_seq: 0,
        })),
    );
    let [Event::MessageSent {
        code: 0,
        message,
        event_id,
    }] = &events(&out)[..]
    else {
        panic!("{:?}", events(&out))
    };
    assert_eq!(event_id.as_deref(), Some("mood"));
    assert_eq!(message.message_uid.as_deref(), Some("S1"));
    assert_eq!(message.message_id, None);
    assert_eq!(message.sent_status, Some(rcim_store::sent_status::SENT));
    assert_eq!(
        h.store
            .message_count(&ConversationKey::new(2, "g1", ""))
            .unwrap(),
        0
    );
}

/// The text of a send request.
fn request_text(request: &Request) -> String {
    let Some(request::Body::SendMessage(m)) = &request.body else {
        panic!("not a send: {request:?}")
    };
    serde_json::from_str::<serde_json::Value>(&m.content).unwrap()["content"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn a_send_refused_by_the_server_rate_is_not_overtaken_in_its_conversation() {
    let mut h = Harness::online();
    let mut out = Vec::new();
    for body in ["a1", "a2"] {
        out.extend(h.send_text("alice", body));
    }
    out.extend(h.send_text("carol", "c1"));
    // One send per conversation on the wire: a2 waits for a1's answer; carol's goes.
    let wire: Vec<String> = send_requests(&out)
        .iter()
        .map(|(_, r)| request_text(r))
        .collect();
    assert_eq!(wire, vec!["a1", "c1"]);
    let a1 = send_requests(&out)[0].0;
    // The server refuses a1 (over its rate): had a2 been on the wire, the server could have
    // accepted and stored it first. a2 still waits.
    let out = h.respond(a1, crate::codes::SEND_MSG_FREQUENCY_OVERRUN, None);
    assert!(send_requests(&out).is_empty());
    let out = h.advance(Duration::from_millis(1100));
    let again = send_requests(&out);
    assert_eq!(again.len(), 1);
    assert_eq!(request_text(&again[0].1), "a1");
    let out = h.respond(
        again[0].0,
        0,
        Some(response::Body::SendMessage(SendMessageResult {
            conv_seq: 0,
            uid: "uid-a1".into(),
            sent_time: 5,
            change_seq: 0,
        })),
    );
    let next = send_requests(&out);
    assert_eq!(next.len(), 1, "a2 follows a1's answer");
    assert_eq!(request_text(&next[0].1), "a2");
}
