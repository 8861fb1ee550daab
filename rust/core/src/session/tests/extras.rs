//! What travels beside the content: push options, expansion and mentions on send and
//! on receive; expansion changes as queued operations and as inbox entries.

use super::*;
use crate::model::Message;
use rcim_proto::v1::ExpansionChange;
use serde_json::{json, Map, Value};
use std::collections::HashMap;

fn object(v: Value) -> Map<String, Value> {
    v.as_object().unwrap().clone()
}

fn group_wire(seq: u64, uid: &str, content: Value, can_expand: bool) -> InboxEntry {
    InboxEntry {
        seq,
        body: Some(inbox_entry::Body::Message(WireMessage {
            uid: uid.into(),
            conversation_type: 2,
            to_id: "g1".into(),
            sender_id: "bob".into(),
            object_name: "RC:TxtMsg".into(),
            content: content.to_string(),
            sent_time: 1000 + seq as i64,
            persisted: true,
            counted: true,
            can_expand,
            expansion: HashMap::from([("a".into(), "1".into())]),
            push_options: r#"{"pushData":"pd","pushTitle":"t"}"#.into(),
            ..Default::default()
        })),
    }
}

fn push(h: &mut Harness, entry: InboxEntry) -> Vec<Action> {
    h.frame(
        0,
        server_frame::Body::Push(InboxPush { entry: Some(entry) }),
    )
}

fn change(
    seq: u64,
    operator: &str,
    device: &str,
    set: &[(&str, &str)],
    remove: &[&str],
) -> InboxEntry {
    let mut expansion: HashMap<String, String> = HashMap::from([("a".into(), "1".into())]);
    for k in remove {
        expansion.remove(*k);
    }
    let set: HashMap<String, String> = set
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    expansion.extend(set.clone());
    InboxEntry {
        seq,
        body: Some(inbox_entry::Body::ExpansionChange(ExpansionChange {
            uid: "G1".into(),
            conversation_type: 2,
            to_id: "g1".into(),
            sender_id: "bob".into(),
            operator_id: operator.into(),
            operator_device_id: device.into(),
            set,
            remove: remove.iter().map(|k| k.to_string()).collect(),
            expansion,
            time: 5,
            ..Default::default()
        })),
    }
}

#[test]
fn a_send_carries_expansion_push_options_and_the_mention_text() {
    let mut h = Harness::online();
    let mut message = codec::new_text_message(2, "g1", None, "hi @bob");
    message.expansion = Some(object(json!({"k": "v"})));
    message.push_options = Some(json!({"pushContent": "pc", "pushData": "pd"}));
    message.mentioned_info =
        Some(json!({"type": 1, "userIdList": ["bob"], "mentionedContent": "@you"}));
    message.extra = Some("x".into());
    let now = h.now;
    let out = h.feed(Input::Command(Command::Send {
        message: Box::new(message),
        event_id: None,
        requested: now,
    }));
    let sent = ops(&out);
    let Some(request::Body::SendMessage(s)) = &sent[0].1.body else {
        panic!("{sent:?}");
    };
    assert!(s.can_expand);
    assert_eq!(s.expansion, HashMap::from([("k".into(), "v".into())]));
    assert_eq!(s.push_content, "@you", "mentionedContent first (R131)");
    assert_eq!(s.push_data, "pd");
    let options: Value = serde_json::from_str(&s.push_options).unwrap();
    assert_eq!(options, json!({"pushContent": "pc", "pushData": "pd"}));
    let content: Value = serde_json::from_str(&s.content).unwrap();
    assert_eq!(
        content["mentionedInfo"],
        json!({"type": 2, "userIdList": ["bob"], "mentionedContent": "@you"}),
        "RongCloud's wire type: 2 = users"
    );
    assert_eq!(content["extra"], "x");

    // Without expansion nor options: nothing beside the content.
    let out = h.send_text("bob", "plain");
    let Some(request::Body::SendMessage(s)) = &ops(&out)[0].1.body else {
        panic!();
    };
    assert!(!s.can_expand && s.expansion.is_empty() && s.push_options.is_empty());
    assert!(s.push_content.is_empty() && s.push_data.is_empty());
}

#[test]
fn received_messages_keep_mentions_expansion_and_extra_but_not_push_options() {
    let mut h = Harness::online();
    let mention = json!({"content": "@alice hi", "extra": "e",
        "mentionedInfo": {"type": 2, "userIdList": ["alice"], "mentionedContent": "@"}});
    let out = push(&mut h, group_wire(1, "G1", mention, true));
    let received: Vec<Message> = events(&out)
        .into_iter()
        .filter_map(|e| match e {
            Event::MessageReceived { message, .. } => Some(message),
            _ => None,
        })
        .collect();
    let m = &received[0];
    assert_eq!(m.extra.as_deref(), Some("e"), "R070");
    assert_eq!(
        m.mentioned_info.as_ref().unwrap()["type"],
        1,
        "API type PART"
    );
    assert_eq!(m.expansion, Some(object(json!({"a": "1"}))));
    assert_eq!(
        m.push_options, None,
        "R069: only the sender sees push options"
    );
    let g1 = ConversationKey::new(2, "g1", "");
    assert_eq!(
        h.store.conversation(&g1).unwrap().unwrap().mentioned_count,
        1
    );
    // Everyone; someone else; no expansion.
    push(
        &mut h,
        group_wire(
            2,
            "G2",
            json!({"content": "all", "mentionedInfo": {"type": 1}}),
            false,
        ),
    );
    push(
        &mut h,
        group_wire(
            3,
            "G3",
            json!({"content": "x", "mentionedInfo": {"type": 2, "userIdList": ["carol"]}}),
            false,
        ),
    );
    assert_eq!(
        h.store.conversation(&g1).unwrap().unwrap().mentioned_count,
        2
    );
    let g3 = codec::message_from_row(&h.store.message_by_uid("G3").unwrap().unwrap());
    assert_eq!(g3.expansion, None);
    assert_eq!(h.store.unread_mentioned_messages(&g1).unwrap().len(), 2);
}

#[test]
fn expansion_changes_are_queued_stored_on_success_and_reported() {
    let mut h = Harness::online();
    push(&mut h, group_wire(1, "G1", json!({"content": "hi"}), true));
    let key = ConversationKey::new(2, "g1", "");
    let set = HashMap::from([("b".to_string(), "2".to_string())]);
    let out = h.feed(Input::Command(Command::Operation(Operation::expansion(
        "G1",
        &key,
        set,
        vec![],
        Some("x1".into()),
    ))));
    let sent = ops(&out);
    let (seq, req) = &sent[0];
    let Some(request::Body::UpdateExpansion(u)) = &req.body else {
        panic!("{req:?}");
    };
    assert_eq!((u.uid.as_str(), u.target_id.as_str()), ("G1", "g1"));
    let out = h.respond(*seq, 0, None);
    assert_eq!(
        events(&out),
        vec![Event::MessageExpansionUpdated {
            code: 0,
            message_uid: "G1".into(),
            expansion: object(json!({"b": "2"})),
            event_id: Some("x1".into()),
        }]
    );
    let stored = codec::message_from_row(&h.store.message_by_uid("G1").unwrap().unwrap());
    assert_eq!(stored.expansion, Some(object(json!({"a": "1", "b": "2"}))));

    // A removal the server refuses: reported with its code, nothing changes.
    let out = h.feed(Input::Command(Command::Operation(Operation::expansion(
        "G1",
        &key,
        HashMap::new(),
        vec!["a".into()],
        Some("x2".into()),
    ))));
    let (seq, _) = ops(&out)[0].clone();
    let out = h.respond(seq, 34010, None);
    assert_eq!(
        events(&out),
        vec![Event::MessageExpansionForKeysRemoved {
            code: 34010,
            message_uid: "G1".into(),
            keys: vec!["a".into()],
            event_id: Some("x2".into()),
        }]
    );
    let stored = codec::message_from_row(&h.store.message_by_uid("G1").unwrap().unwrap());
    assert_eq!(stored.expansion, Some(object(json!({"a": "1", "b": "2"}))));
}

#[test]
fn inbox_expansion_changes_are_stored_and_announced_unless_made_on_this_device() {
    let mut h = Harness::online();
    push(&mut h, group_wire(1, "G1", json!({"content": "hi"}), true));
    let stored = |h: &Harness| {
        codec::message_from_row(&h.store.message_by_uid("G1").unwrap().unwrap()).expansion
    };
    // Someone else: only the changed pairs are announced; the message has them all.
    let out = push(&mut h, change(2, "bob", "bobs-phone", &[("b", "2")], &[]));
    let announced = events(&out);
    assert_eq!(announced.len(), 1, "{announced:?}");
    let Event::RemoteMessageExpansionUpdated { expansion, message } = &announced[0] else {
        panic!("{announced:?}");
    };
    assert_eq!(expansion, &object(json!({"b": "2"})));
    assert_eq!(message.expansion, Some(object(json!({"a": "1", "b": "2"}))));
    // This user on this device: stored already, not announced.
    let out = push(&mut h, change(3, "alice", "phone", &[("c", "3")], &[]));
    assert!(events(&out).is_empty(), "{out:?}");
    assert_eq!(stored(&h), Some(object(json!({"a": "1", "c": "3"}))));
    // This user on another device: a removal, announced.
    let out = push(&mut h, change(4, "alice", "tablet", &[], &["a"]));
    assert_eq!(
        events(&out),
        vec![Event::RemoteMessageExpansionForKeyRemoved {
            message: codec::message_from_row(&h.store.message_by_uid("G1").unwrap().unwrap()),
            keys: vec!["a".into()],
        }]
    );
    assert_eq!(stored(&h), Some(Map::new()));
    // A change of a message this device does not have: skipped, the cursor moves on.
    let mut unknown = change(5, "bob", "x", &[("z", "1")], &[]);
    if let Some(inbox_entry::Body::ExpansionChange(x)) = &mut unknown.body {
        x.uid = "NOPE".into();
    }
    assert!(events(&push(&mut h, unknown)).is_empty());
    assert_eq!(h.store.inbox_cursor().unwrap(), 5);
}
