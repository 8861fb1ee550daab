//! Conformance checks of the changes to a stored message: recall by any participant (the
//! content replaced everywhere) and expansion updates.

use super::{code_of, group_text, key, kinds, text, Harness};
use crate::model::{
    ExpansionUpdate, GroupOp, HistoryQuery, NewMessage, RecallRequest, UserConversation,
};
use crate::store::contract::{CommitSink, ServerStore};
use rcim_proto::codes;
use rcim_proto::conversation_type::{GROUP, PRIVATE};
use rcim_proto::v1::{inbox_entry, InboxEntry, Message};
use std::collections::HashMap;

fn recall(operator: &str, uid: &str, ctype: u32, target: &str) -> RecallRequest {
    RecallRequest {
        operator_id: operator.into(),
        only_sender: false,
        uid: uid.into(),
        conversation_type: ctype,
        target_id: target.into(),
        channel_id: String::new(),
    }
}

fn messages(entries: &[InboxEntry]) -> Vec<&Message> {
    entries
        .iter()
        .filter_map(|e| match &e.body {
            Some(inbox_entry::Body::Message(m)) => Some(m),
            _ => None,
        })
        .collect()
}

async fn history(h: &Harness, user: &str, ctype: u32, target: &str) -> Vec<Message> {
    h.store
        .history(HistoryQuery {
            conversation: UserConversation {
                user_id: user.into(),
                conversation_type: ctype,
                target_id: target.into(),
                channel_id: String::new(),
            },
            sent_time: 0,
            after: false,
            count: 100,
        })
        .await
        .unwrap()
        .messages
}

fn map(pairs: &[(&str, &str)]) -> HashMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// Any participant recalls by default (private: the receiver; group: a member, not a
/// non-member: 22406); the stored message becomes the recall notification in every inbox
/// copy and in the history, with no expansion and no push text.
pub(crate) async fn recall_replaces_the_message_everywhere<S: ServerStore>(
    open: impl FnOnce(CommitSink) -> S,
) {
    let h = Harness::start(open);
    let original = NewMessage {
        push_content: "secret push".into(),
        push_data: "secret data".into(),
        push_options: r#"{"pushContent":"secret"}"#.into(),
        can_expand: true,
        expansion: map(&[("k", "secret")]),
        ..text("a", "b", "1")
    };
    let sent = h.send(original).await.unwrap();
    let time = h
        .store
        .recall(recall("b", &sent.uid, PRIVATE, "a"), key("b", "r"))
        .await
        .unwrap();
    for user in ["a", "b"] {
        let inbox = h.inbox(user).await;
        assert_eq!(kinds(&inbox), vec!["message", "recall"], "{user}");
        let from_history = history(&h, user, PRIVATE, if user == "a" { "b" } else { "a" }).await;
        for m in [messages(&inbox)[0], &from_history[0]] {
            assert_eq!(m.uid, sent.uid);
            assert_eq!(m.object_name, "RC:RcNtf");
            assert!(!m.content.contains("hi") && !m.content.contains("secret"));
            let content: serde_json::Value = serde_json::from_str(&m.content).unwrap();
            assert_eq!(content["operatorId"], "b");
            assert_eq!(content["recallTime"], sent.sent_time);
            assert_eq!(content["recallActionTime"], time);
            assert_eq!(content["originalObjectName"], "RC:TxtMsg");
            assert_eq!(
                (content["isAdmin"].clone(), content["isDelete"].clone()),
                (false.into(), false.into())
            );
            assert!(m.expansion.is_empty() && !m.can_expand);
            assert!(
                m.push_content.is_empty() && m.push_data.is_empty() && m.push_options.is_empty()
            );
            assert_eq!(m.conv_seq, 1);
        }
        match &inbox[1].body {
            Some(inbox_entry::Body::Recall(r)) => {
                assert_eq!((r.operator_id.as_str(), r.sender_id.as_str()), ("b", "a"));
                assert_eq!(r.object_name, "RC:TxtMsg");
            }
            other => panic!("{other:?}"),
        }
    }
    // Groups: a member other than the sender recalls; a non-member is refused.
    h.store
        .change_group(GroupOp::Add {
            group_id: "g".into(),
            name: String::new(),
            members: vec!["a".into(), "b".into()],
        })
        .await
        .unwrap();
    let g = h.send(group_text("a", "g", "2")).await.unwrap();
    let err = h
        .store
        .recall(recall("c", &g.uid, GROUP, "g"), None)
        .await
        .unwrap_err();
    assert_eq!(code_of(&err), Some(codes::NOT_IN_GROUP));
    let only_sender = RecallRequest {
        only_sender: true,
        ..recall("b", &g.uid, GROUP, "g")
    };
    let err = h.store.recall(only_sender, None).await.unwrap_err();
    assert_eq!(code_of(&err), Some(codes::RECALL_USER_INVALID));
    h.store
        .recall(recall("b", &g.uid, GROUP, "g"), None)
        .await
        .unwrap();
    assert_eq!(
        history(&h, "a", GROUP, "g").await[0].object_name,
        "RC:RcNtf"
    );
    h.close().await;
}

/// The `Recall` entries of `user`'s inbox, as uids.
async fn recalled_uids(h: &Harness, user: &str) -> Vec<String> {
    h.inbox(user)
        .await
        .into_iter()
        .filter_map(|e| match e.body {
            Some(inbox_entry::Body::Recall(r)) => Some(r.uid),
            _ => None,
        })
        .collect()
}

/// A history message whose inbox copies were pruned (the offline retention is shorter than
/// the history's) is recalled on every participant's devices: the `Recall` entry goes to the
/// private conversation's two users and to the group's current members, not only to the
/// sender. A directed message (outside the history) reaches only those who hold it.
pub(crate) async fn recall_reaches_participants_after_pruning<S: ServerStore>(
    open: impl FnOnce(CommitSink) -> S,
) {
    let h = Harness::start(open);
    h.store
        .change_group(GroupOp::Add {
            group_id: "g".into(),
            name: String::new(),
            members: vec!["a".into(), "b".into(), "c".into()],
        })
        .await
        .unwrap();
    let private = h.send(text("a", "b", "1")).await.unwrap();
    let group = h.send(group_text("a", "g", "2")).await.unwrap();
    let prune = crate::model::PruneCutoffs {
        offline_before: Some(crate::util::now_ms() + 1_000),
        history_before: None,
        chatroom_before: None,
        ultragroup_before: None,
    };
    h.store.prune(prune).await.unwrap();
    for user in ["a", "b", "c"] {
        assert!(h.inbox(user).await.is_empty(), "{user}: copies pruned");
    }
    // Directed after the pruning, so its copies are held: only b (and the sender) get it.
    let directed = h
        .send(NewMessage {
            directed: vec!["b".into()],
            ..group_text("a", "g", "3")
        })
        .await
        .unwrap();
    h.store
        .recall(recall("a", &private.uid, PRIVATE, "b"), None)
        .await
        .unwrap();
    h.store
        .recall(recall("b", &group.uid, GROUP, "g"), None)
        .await
        .unwrap();
    h.store
        .recall(recall("a", &directed.uid, GROUP, "g"), None)
        .await
        .unwrap();
    let (p, g, d) = (private.uid, group.uid, directed.uid);
    assert_eq!(
        recalled_uids(&h, "a").await,
        vec![p.clone(), g.clone(), d.clone()]
    );
    assert_eq!(recalled_uids(&h, "b").await, vec![p, g.clone(), d]);
    assert_eq!(recalled_uids(&h, "c").await, vec![g]);
    h.close().await;
}

fn update(operator: &str, uid: &str, ctype: u32, target: &str) -> ExpansionUpdate {
    ExpansionUpdate {
        operator_id: operator.into(),
        operator_device_id: format!("{operator}-dev"),
        uid: uid.into(),
        conversation_type: ctype,
        target_id: target.into(),
        sync_operator: true,
        ..Default::default()
    }
}

/// Expansion: sent with the message, changed by any participant (each participant's inbox
/// gets the change once per request), refused with 34203 / 34008 / 34010 / 22406.
pub(crate) async fn expansion_rules<S: ServerStore>(open: impl FnOnce(CommitSink) -> S) {
    let h = Harness::start(open);
    let sent = h
        .send(NewMessage {
            can_expand: true,
            expansion: map(&[("k1", "v1")]),
            ..text("a", "b", "1")
        })
        .await
        .unwrap();
    assert_eq!(
        messages(&h.inbox("b").await)[0].expansion,
        map(&[("k1", "v1")])
    );
    let change = ExpansionUpdate {
        set: map(&[("k2", "v2")]),
        remove: vec!["k1".into()],
        ..update("b", &sent.uid, PRIVATE, "a")
    };
    for _ in 0..2 {
        h.store
            .update_expansion(change.clone(), key("b", "x1"))
            .await
            .unwrap();
    }
    for user in ["a", "b"] {
        let inbox = h.inbox(user).await;
        assert_eq!(kinds(&inbox), vec!["message", "expansion"], "{user}");
        match &inbox[1].body {
            Some(inbox_entry::Body::ExpansionChange(c)) => {
                assert_eq!(c.set, map(&[("k2", "v2")]));
                assert_eq!(c.remove, vec!["k1".to_string()]);
                assert_eq!(c.expansion, map(&[("k2", "v2")]));
                assert_eq!(
                    (c.operator_id.as_str(), c.operator_device_id.as_str()),
                    ("b", "b-dev")
                );
                assert_eq!((c.sender_id.as_str(), c.to_id.as_str()), ("a", "b"));
            }
            other => panic!("{other:?}"),
        }
        // Sync and history carry the expansion as it is now.
        assert_eq!(messages(&inbox)[0].expansion, map(&[("k2", "v2")]));
    }
    assert_eq!(
        history(&h, "a", PRIVATE, "b").await[0].expansion,
        map(&[("k2", "v2")])
    );
    let stored = h.store.expansion(sent.uid.clone()).await.unwrap().unwrap();
    assert_eq!(stored.to_wire(), map(&[("k2", "v2")]));
    assert!(stored.entries().all(|(_, _, ts)| ts > 0));
    assert!(h.store.expansion("nope".into()).await.unwrap().is_none());

    let refused = |u: ExpansionUpdate| async {
        code_of(&h.store.update_expansion(u, None).await.unwrap_err())
    };
    let with_set = |u: ExpansionUpdate| ExpansionUpdate {
        set: map(&[("k", "v")]),
        ..u
    };
    assert_eq!(
        refused(with_set(update("a", "nope", PRIVATE, "b"))).await,
        Some(codes::INVALID_MESSAGE_UID)
    );
    assert_eq!(
        refused(with_set(update("c", &sent.uid, PRIVATE, "b"))).await,
        Some(codes::INVALID_MESSAGE_UID)
    );
    assert_eq!(
        refused(with_set(update("a", &sent.uid, GROUP, "b"))).await,
        Some(codes::INVALID_MESSAGE_UID)
    );
    let plain = h.send(text("a", "b", "2")).await.unwrap();
    assert_eq!(
        refused(with_set(update("a", &plain.uid, PRIVATE, "b"))).await,
        Some(codes::MESSAGE_CANT_EXPAND)
    );
    // 300 keys at most on a message.
    for round in 0..15 {
        let set: HashMap<String, String> = (0..20)
            .map(|i| (format!("r{round}k{i}"), "v".into()))
            .collect();
        let u = ExpansionUpdate {
            set,
            ..update("a", &sent.uid, PRIVATE, "b")
        };
        let r = h.store.update_expansion(u, None).await;
        if round < 14 {
            r.unwrap();
        } else {
            assert_eq!(
                code_of(&r.unwrap_err()),
                Some(codes::EXPANSION_SIZE_LIMIT_EXCEED)
            );
        }
    }
    assert_eq!(
        h.store
            .expansion(sent.uid.clone())
            .await
            .unwrap()
            .unwrap()
            .to_wire()
            .len(),
        281
    );
    // Groups: members change it and every member's inbox gets it; non-members are refused.
    h.store
        .change_group(GroupOp::Add {
            group_id: "g".into(),
            name: String::new(),
            members: vec!["a".into(), "b".into(), "c".into()],
        })
        .await
        .unwrap();
    let g = h
        .send(NewMessage {
            can_expand: true,
            ..group_text("a", "g", "3")
        })
        .await
        .unwrap();
    assert_eq!(
        refused(with_set(update("d", &g.uid, GROUP, "g"))).await,
        Some(codes::NOT_IN_GROUP)
    );
    h.store
        .update_expansion(with_set(update("c", &g.uid, GROUP, "g")), None)
        .await
        .unwrap();
    for user in ["a", "b", "c"] {
        assert_eq!(
            kinds(&h.inbox(user).await).last(),
            Some(&"expansion"),
            "{user}"
        );
    }
    h.close().await;
}
