//! Typing status: sent only while connected and at most once per conversation per 6 s; the
//! typers of each conversation announced on every change, each dropped 6 s after their last
//! event or when a message from them arrives.

use super::*;
use crate::event::{MessagingEvent, TypingStatus};
use crate::session::typing::{TypingCommand, TYPING_INTERVAL};
use rcim_proto::v1::{Transient, TypingEvent};

fn typing(to: &str) -> Input {
    Input::Command(Command::Typing(TypingCommand {
        key: ConversationKey::new(1, to, ""),
        object_name: "RC:TxtMsg".into(),
    }))
}

fn typing_sent(out: &[Action]) -> Vec<String> {
    ops(out)
        .into_iter()
        .filter_map(|(_, r)| match r.body {
            Some(request::Body::Typing(t)) => {
                assert!(!r.request_id.is_empty());
                assert_eq!(t.object_name, "RC:TxtMsg");
                Some(t.target_id)
            }
            _ => None,
        })
        .collect()
}

fn types(h: &mut Harness, user: &str, object_name: &str, sent_time: i64) -> Vec<Action> {
    h.frame(
        0,
        server_frame::Body::Transient(Transient {
            body: Some(rcim_proto::v1::transient::Body::Typing(TypingEvent {
                conversation_type: 1,
                target_id: user.into(),
                channel_id: String::new(),
                user_id: user.into(),
                object_name: object_name.into(),
                sent_time,
            })),
        }),
    )
}

/// One typer as (user, content type, time).
type Typer = (String, String, i64);

/// The typing sets announced, as (conversation, typers).
fn typing_changes(out: &[Action]) -> Vec<(String, Vec<Typer>)> {
    events(out)
        .into_iter()
        .filter_map(|e| match e {
            Event::Messaging(MessagingEvent::TypingStatusChanged {
                key,
                user_typing_status,
            }) => Some((
                key.target_id,
                user_typing_status
                    .into_iter()
                    .map(
                        |TypingStatus {
                             user_id,
                             content_type,
                             sent_time,
                         }| { (user_id, content_type, sent_time) },
                    )
                    .collect(),
            )),
            _ => None,
        })
        .collect()
}

#[test]
fn typing_goes_out_only_while_connected_and_once_per_conversation_per_six_seconds() {
    let mut h = Harness::new();
    assert!(
        typing_sent(&h.feed(typing("bob"))).is_empty(),
        "offline: dropped"
    );
    let (seq, _) = h.open(0);
    h.respond(seq, 0, Some(response::Body::Sync(SyncPackage::default())));
    assert!(
        typing_sent(&h.feed(Input::Tick)).is_empty(),
        "never queued for later"
    );

    assert_eq!(typing_sent(&h.feed(typing("bob"))), vec!["bob"]);
    h.now += Duration::from_secs(1);
    assert!(typing_sent(&h.feed(typing("bob"))).is_empty(), "within 6 s");
    assert_eq!(
        typing_sent(&h.feed(typing("carol"))),
        vec!["carol"],
        "per conversation"
    );
    h.now += TYPING_INTERVAL - Duration::from_secs(1);
    assert_eq!(typing_sent(&h.feed(typing("bob"))), vec!["bob"]);
    assert!(
        h.store.outbox().unwrap().is_empty(),
        "a typing status is never stored"
    );
}

#[test]
fn typers_are_announced_on_change_and_dropped_six_seconds_after_their_last_event() {
    let mut h = Harness::online();
    let out = types(&mut h, "bob", "RC:TxtMsg", 10);
    assert_eq!(
        typing_changes(&out),
        vec![("bob".into(), vec![("bob".into(), "RC:TxtMsg".into(), 10)])]
    );
    // The same again only keeps bob longer.
    h.now += Duration::from_secs(2);
    assert!(typing_changes(&types(&mut h, "bob", "RC:TxtMsg", 12)).is_empty());
    // Typing something else is a change.
    let out = types(&mut h, "bob", "RC:VcMsg", 13);
    assert_eq!(
        typing_changes(&out),
        vec![("bob".into(), vec![("bob".into(), "RC:VcMsg".into(), 13)])]
    );
    assert_eq!(h.core.wake_at(h.now), Some(h.now + TYPING_INTERVAL));

    let out = h.advance(TYPING_INTERVAL - Duration::from_millis(1));
    assert!(typing_changes(&out).is_empty(), "still typing");
    let out = h.advance(Duration::from_millis(1));
    assert_eq!(typing_changes(&out), vec![("bob".into(), vec![])]);
    let out = h.advance(TYPING_INTERVAL);
    assert!(typing_changes(&out).is_empty(), "announced once");
}

#[test]
fn a_message_from_a_typer_ends_their_typing_at_once() {
    let mut h = Harness::online();
    types(&mut h, "bob", "RC:TxtMsg", 10);
    let out = h.frame(
        0,
        server_frame::Body::Push(InboxPush {
            entry: Some(wire_message(1, "u1", "hi")),
        }),
    );
    assert_eq!(received_texts(&out), vec!["hi"]);
    assert_eq!(typing_changes(&out), vec![("bob".into(), vec![])]);
    // Nothing left to expire.
    assert!(typing_changes(&h.advance(TYPING_INTERVAL)).is_empty());
}

#[test]
fn typing_expires_while_the_connection_is_down() {
    let mut h = Harness::online();
    types(&mut h, "bob", "RC:TxtMsg", 10);
    h.feed(Input::Closed);
    let out = h.advance(TYPING_INTERVAL);
    assert_eq!(typing_changes(&out), vec![("bob".into(), vec![])]);
}
