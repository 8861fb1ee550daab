//! Directed group messages, blocked messages, bans and send refusals.

use super::*;
use crate::event::{BlockedMessageInfo, MessagingEvent};
use rcim_proto::v1::{Kicked, MessageBlocked};

fn directed(body: &str) -> Command {
    let mut message = codec::new_text_message(2, "g1", None, body);
    message.directed_user_ids = Some(vec!["bob".into(), "carol".into()]);
    Command::Send {
        message: Box::new(message),
        event_id: Some("d".into()),
        requested: Instant::now(),
    }
}

fn directed_ids(out: &[Action]) -> Vec<Vec<String>> {
    ops(out)
        .into_iter()
        .filter_map(|(_, r)| match r.body {
            Some(request::Body::SendMessage(s)) => Some(s.directed_user_ids),
            _ => None,
        })
        .collect()
}

#[test]
fn a_directed_message_names_its_members_and_reports_to_its_own_listeners() {
    let mut h = Harness::online();
    let out = h.feed(Input::Command(directed("psst")));
    assert_eq!(directed_ids(&out), vec![vec!["bob", "carol"]]);
    match events(&out).as_slice() {
        [Event::Messaging(MessagingEvent::GroupMessageToDesignatedUsersAttached {
            message,
            event_id,
        })] => {
            assert_eq!(event_id.as_deref(), Some("d"));
            assert_eq!(message.text(), Some("psst"));
            assert!(message.message_id.is_some(), "stored first");
        }
        other => panic!("{other:?}"),
    }
    let (seq, _) = ops(&out)[0].clone();
    let out = h.respond(
        seq,
        0,
        Some(response::Body::SendMessage(SendMessageResult {
            uid: "D1".into(),
            sent_time: 9,
            conv_seq: 0,
            change_seq: 0,
        })),
    );
    match events(&out).as_slice() {
        [Event::Messaging(MessagingEvent::GroupMessageToDesignatedUsersSent {
            code: 0,
            message,
            event_id,
        })] => {
            assert_eq!(event_id.as_deref(), Some("d"));
            assert_eq!(message.message_uid.as_deref(), Some("D1"));
        }
        other => panic!("{other:?}"),
    }
    // An ordinary send is reported as before.
    let out = h.send_text("bob", "plain");
    assert!(directed_ids(&out)[0].is_empty());
    assert!(matches!(
        events(&out).as_slice(),
        [Event::MessageAttached { .. }]
    ));
}

#[test]
fn a_directed_message_queued_offline_goes_to_the_same_members_after_a_restart() {
    let mut h = Harness::new();
    h.feed(Input::Command(directed("later")));
    let store = std::mem::replace(&mut h.store, Store::open_in_memory().unwrap());
    let mut h = Harness::with_store(store);
    let (_, out) = h.open(0);
    assert_eq!(directed_ids(&out), vec![vec!["bob", "carol"]]);
}

#[test]
fn a_blocked_message_is_announced_to_its_sender() {
    let mut h = Harness::online();
    let out = h.frame(
        0,
        server_frame::Body::Push(InboxPush {
            entry: Some(InboxEntry {
                seq: 1,
                body: Some(inbox_entry::Body::MessageBlocked(MessageBlocked {
                    conversation_type: 1,
                    target_id: "bob".into(),
                    channel_id: "ignored".into(),
                    uid: "B1".into(),
                    block_type: 1,
                    extra: "word".into(),
                    sent_time: 5,
                })),
            }),
        }),
    );
    assert_eq!(
        events(&out),
        vec![Event::Messaging(MessagingEvent::MessageBlocked {
            info: BlockedMessageInfo {
                conversation_type: 1,
                target_id: "bob".into(),
                channel_id: String::new(),
                blocked_msg_uid: "B1".into(),
                block_type: 1,
                extra: "word".into(),
            }
        })]
    );
    assert_eq!(h.store.inbox_cursor().unwrap(), 1);
}

#[test]
fn a_banned_user_cannot_connect_and_the_session_stops_trying() {
    let mut h = Harness::new();
    h.send_text("bob", "x");
    let out = h.feed(Input::Opened(ConnectAck {
        code: 31009,
        ..Default::default()
    }));
    assert_eq!(statuses(&out), vec![status::CONN_USER_BLOCKED]);
    let evs = events(&out);
    assert!(evs.contains(&Event::Connected {
        code: 31009,
        user_id: String::new(),
        event_id: Some("c".into()),
    }));
    assert!(evs
        .iter()
        .any(|e| matches!(e, Event::MessageSent { code: 31009, .. })));
    assert!(matches!(out.last(), Some(Action::Finish)));
    assert!(h.core.is_ended());
    let later = h.advance(Duration::from_secs(60));
    assert!(!later.iter().any(|a| matches!(a, Action::Open { .. })));
}

#[test]
fn a_ban_while_online_closes_the_session_for_good() {
    let mut h = Harness::online();
    let out = h.frame(
        0,
        server_frame::Body::Kicked(Kicked {
            code: 31009,
            reason: "banned".into(),
        }),
    );
    assert_eq!(statuses(&out), vec![status::CONN_USER_BLOCKED]);
    assert!(matches!(out.last(), Some(Action::Finish)));
    assert!(h.core.is_ended());
    let later = h.advance(Duration::from_secs(60));
    assert!(!later.iter().any(|a| matches!(a, Action::Open { .. })));
}

#[test]
fn blacklist_and_gag_refusals_fail_the_send_with_their_code() {
    for (conversation_type, target, code) in [(1, "bob", 405), (2, "g1", 22408)] {
        let mut h = Harness::online();
        let now = h.now;
        let out = h.feed(Input::Command(Command::Send {
            message: Box::new(codec::new_text_message(
                conversation_type,
                target,
                None,
                "x",
            )),
            event_id: Some("s".into()),
            requested: now,
        }));
        let (seq, _) = ops(&out)[0].clone();
        let out = h.respond(seq, code, None);
        match events(&out).as_slice() {
            [Event::MessageSent {
                code: reported,
                message,
                event_id,
            }] => {
                assert_eq!(*reported, code as i32);
                assert_eq!(event_id.as_deref(), Some("s"));
                assert_eq!(message.sent_status, Some(rcim_store::sent_status::FAILED));
                let row = h
                    .store
                    .message(message.message_id.unwrap())
                    .unwrap()
                    .unwrap();
                assert_eq!(row.sent_status, rcim_store::sent_status::FAILED);
            }
            other => panic!("{other:?}"),
        }
        assert!(h.store.outbox().unwrap().is_empty(), "not retried");
    }
}
