//! Conformance checks of the ultra-group channel streams: messages stored once per channel
//! with their sequences, changes with the shared change counter, what each user sees
//! (directed messages, clears), the capped unread and mention counts, read positions, pages
//! and the retention prune.

use super::{code_of, Harness};
use crate::model::{NewMessage, PruneCutoffs, RequestKey};
use crate::store::contract::{CommitSink, ServerStore};
use crate::store::ultragroup_stream_records::{
    UgAppend, UgChange, UgChangeKind, UgChangesQuery, UgHistoryQuery, UgWrite, UgWritten,
    MAX_COUNTED_UNREAD,
};
use rcim_proto::codes;
use rcim_proto::conversation_type::ULTRA_GROUP;
use rcim_proto::v1::Message;
use std::collections::HashMap;

pub(super) fn new(sender: &str, channel: &str, text: &str, client_id: &str) -> NewMessage {
    NewMessage {
        sender_id: sender.into(),
        client_msg_id: client_id.into(),
        conversation_type: ULTRA_GROUP,
        to_id: "g".into(),
        channel_id: channel.into(),
        object_name: "RC:TxtMsg".into(),
        content: format!("{{\"content\":\"{text}\"}}"),
        persisted: true,
        counted: true,
        ..Default::default()
    }
}

pub(super) async fn append(
    s: &dyn ServerStore,
    msg: NewMessage,
    mentioned: &[&str],
    all: bool,
) -> Message {
    let a = UgAppend {
        msg,
        mentioned: mentioned.iter().map(|u| (*u).to_owned()).collect(),
        mentions_all: all,
    };
    match s
        .ug_write(UgWrite::Append(Box::new(a)), None)
        .await
        .unwrap()
    {
        UgWritten::Appended {
            message: Some(m), ..
        } => *m,
        other => panic!("{other:?}"),
    }
}

pub(super) fn change(uid: &str, operator: &str, kind: UgChangeKind) -> UgWrite {
    UgWrite::Change(UgChange {
        group_id: "g".into(),
        channel_id: "c".into(),
        uid: uid.into(),
        operator_id: operator.into(),
        kind,
    })
}

pub(super) fn changes_q(user: &str, after: u64) -> UgChangesQuery {
    UgChangesQuery {
        group_id: "g".into(),
        channel_id: "c".into(),
        user_id: user.into(),
        after_seq: after,
        count: 100,
        since: 0,
        max_conv_seq: 0,
    }
}

pub(super) async fn state(
    s: &dyn ServerStore,
    user: &str,
) -> crate::store::ultragroup_stream_records::UgChannelState {
    let channels = vec![("g".to_owned(), "c".to_owned())];
    s.ug_states(user.into(), channels, 0)
        .await
        .unwrap()
        .remove(0)
}

pub(crate) async fn ultragroup_streams_number_and_change<S: ServerStore>(
    open: impl Fn(CommitSink) -> S,
) {
    let h = Harness::start(&open);
    let s = h.store.as_ref();
    let m1 = append(s, new("a", "c", "one", "k1"), &[], false).await;
    let m2 = append(s, new("b", "c", "two", ""), &[], false).await;
    let other = append(s, new("a", "d", "elsewhere", ""), &[], false).await;
    assert_eq!((m1.conv_seq, m1.change_seq), (1, 1));
    assert_eq!((m2.conv_seq, m2.change_seq), (2, 2));
    assert_eq!((other.conv_seq, other.change_seq), (1, 1));
    assert!(m2.sent_time > m1.sent_time);
    // A resend is answered with the original outcome and stores nothing.
    let again = UgAppend {
        msg: new("a", "c", "one", "k1"),
        mentioned: vec![],
        mentions_all: false,
    };
    let UgWritten::Appended { outcome, message } = s
        .ug_write(UgWrite::Append(Box::new(again)), None)
        .await
        .unwrap()
    else {
        panic!()
    };
    assert!(outcome.duplicate && message.is_none());
    assert_eq!(
        (outcome.uid.as_str(), outcome.conv_seq),
        (m1.uid.as_str(), 1)
    );
    let key = RequestKey {
        user_id: "a".into(),
        request_id: "k1".into(),
    };
    assert_eq!(s.sent_message(key).await.unwrap().unwrap().conv_seq, 1);

    // Modify: only the sender, same object name; the message moves to change 3.
    let modify = |by: &str, object: &str| {
        change(
            &m1.uid,
            by,
            UgChangeKind::Modify {
                object_name: object.into(),
                content: "{\"content\":\"edited\"}".into(),
            },
        )
    };
    let refused = s
        .ug_write(modify("b", "RC:TxtMsg"), None)
        .await
        .unwrap_err();
    assert_eq!(code_of(&refused), Some(codes::INVALID_MESSAGE_UID));
    let refused = s
        .ug_write(modify("a", "RC:ImgMsg"), None)
        .await
        .unwrap_err();
    assert_eq!(code_of(&refused), Some(codes::INVALID_MESSAGE_UID));
    let UgWritten::Changed {
        message: Some(m), ..
    } = s.ug_write(modify("a", "RC:TxtMsg"), None).await.unwrap()
    else {
        panic!()
    };
    assert_eq!((m.change_seq, m.modified), (3, true));
    // Expansion: refused without can_expand.
    let exp = change(
        &m2.uid,
        "a",
        UgChangeKind::Expansion {
            set: HashMap::from([("k".to_owned(), "v".to_owned())]),
            remove: vec![],
        },
    );
    let refused = s.ug_write(exp, None).await.unwrap_err();
    assert_eq!(code_of(&refused), Some(codes::MESSAGE_CANT_EXPAND));
    // Recall by another user needs is_admin; once per request; a repeat gives the time.
    let recall = |by: &str, admin: bool| {
        change(
            &m2.uid,
            by,
            UgChangeKind::Recall {
                delete_remote: true,
                is_admin: admin,
            },
        )
    };
    let refused = s.ug_write(recall("a", false), None).await.unwrap_err();
    assert_eq!(code_of(&refused), Some(codes::INVALID_MESSAGE_UID));
    let key = RequestKey {
        user_id: "api".into(),
        request_id: "r1".into(),
    };
    let UgWritten::Changed {
        message: Some(m),
        time,
        ..
    } = s
        .ug_write(recall("api", true), Some(key.clone()))
        .await
        .unwrap()
    else {
        panic!()
    };
    assert_eq!((m.object_name.as_str(), m.change_seq), ("RC:RcNtf", 4));
    let content: serde_json::Value = serde_json::from_str(&m.content).unwrap();
    assert_eq!(content["isDelete"], true);
    assert_eq!(content["isAdmin"], true);
    let UgWritten::Changed {
        message: None,
        time: again,
        ..
    } = s.ug_write(recall("api", true), Some(key)).await.unwrap()
    else {
        panic!()
    };
    assert_eq!(again, time);

    // Changes after 1: m2 (now recalled, change 4) and m1 (modified, change 3), ascending.
    let page = s.ug_changes(changes_q("z", 1)).await.unwrap();
    let seqs: Vec<u64> = page.messages.iter().map(|m| m.change_seq).collect();
    assert_eq!((seqs, page.head_seq, page.more), (vec![3, 4], 4, false));
    assert_eq!(page.messages[0].content, "{\"content\":\"edited\"}");
    h.close().await;
}

pub(crate) async fn ultragroup_visibility_and_counts<S: ServerStore>(
    open: impl Fn(CommitSink) -> S,
) {
    let h = Harness::start(&open);
    let s = h.store.as_ref();
    let mut directed = new("a", "c", "psst", "");
    directed.directed = vec!["b".into()];
    let d = append(s, directed, &[], false).await;
    assert_eq!(d.conv_seq, 0);
    append(s, new("a", "c", "hello @b", ""), &["b"], false).await;
    append(s, new("a", "c", "@all", ""), &[], true).await;
    let mut uncounted = new("a", "c", "cmd", "");
    uncounted.counted = false;
    append(s, uncounted, &[], false).await;
    append(s, new("b", "c", "mine", ""), &[], false).await;
    // b sees the directed message (not its own); c sees b's but not the directed one.
    let b = state(s, "b").await;
    assert_eq!((b.unread, b.unread_mentions), (3, 2));
    let c = state(s, "c").await;
    assert_eq!((c.unread, c.unread_mentions), (3, 1));
    assert_eq!(c.last_message.unwrap().content, "{\"content\":\"mine\"}");
    let seen = s.ug_changes(changes_q("c", 0)).await.unwrap();
    assert_eq!(seen.messages.len(), 4);
    assert_eq!(seen.head_seq, 5);
    let by_uid = s
        .ug_messages(
            "g".into(),
            "c".into(),
            vec![d.uid.clone()],
            Some("c".into()),
        )
        .await
        .unwrap();
    assert!(by_uid.is_empty());
    let by_uid = s
        .ug_messages(
            "g".into(),
            "c".into(),
            vec![d.uid.clone()],
            Some("b".into()),
        )
        .await
        .unwrap();
    assert_eq!(by_uid.len(), 1);
    // Reading resets the counts; new messages count again.
    let read = UgWrite::Read {
        user_id: "c".into(),
        group_id: "g".into(),
        channel_id: "c".into(),
        time: 77,
    };
    s.ug_write(read, None).await.unwrap();
    let c = state(s, "c").await;
    assert_eq!((c.unread, c.unread_mentions, c.read_time), (0, 0, 77));
    let last = append(s, new("a", "c", "later", ""), &[], false).await;
    assert_eq!(state(s, "c").await.unread, 1);
    // Clearing hides what was sent up to then, for that user only.
    let clear = UgWrite::Clear {
        user_id: "c".into(),
        group_id: "g".into(),
        channel_id: "c".into(),
        before_time: last.sent_time,
    };
    s.ug_write(clear, None).await.unwrap();
    let c = state(s, "c").await;
    assert_eq!((c.unread, c.cleared_before), (0, last.sent_time));
    assert!(c.last_message.is_none());
    assert!(s
        .ug_changes(changes_q("c", 0))
        .await
        .unwrap()
        .messages
        .is_empty());
    assert_eq!(
        s.ug_changes(changes_q("b", 0))
            .await
            .unwrap()
            .messages
            .len(),
        6
    );
    h.close().await;
}

pub(crate) async fn ultragroup_unread_is_capped<S: ServerStore>(open: impl Fn(CommitSink) -> S) {
    let h = Harness::start(&open);
    let s = h.store.as_ref();
    for n in 0..MAX_COUNTED_UNREAD + 5 {
        append(s, new("a", "c", &format!("{n}"), ""), &[], true).await;
    }
    let b = state(s, "b").await;
    assert_eq!(
        (b.unread, b.unread_mentions),
        (MAX_COUNTED_UNREAD, MAX_COUNTED_UNREAD)
    );
    assert_eq!(b.head_seq, u64::from(MAX_COUNTED_UNREAD) + 5);
    h.close().await;
}

pub(crate) async fn ultragroup_history_pages_and_prune<S: ServerStore>(
    open: impl Fn(CommitSink) -> S,
) {
    let h = Harness::start(&open);
    let s = h.store.as_ref();
    let mut sent = Vec::new();
    for n in 0..5 {
        sent.push(append(s, new("a", "c", &format!("{n}"), ""), &[], false).await);
    }
    let q = |sent_time: i64, after: bool, count: u32| UgHistoryQuery {
        group_id: "g".into(),
        channel_id: "c".into(),
        user_id: "b".into(),
        sent_time,
        after,
        count,
        since: 0,
    };
    let p = s.ug_history(q(0, false, 2)).await.unwrap();
    let seqs: Vec<u64> = p.messages.iter().map(|m| m.conv_seq).collect();
    assert_eq!(
        (seqs, p.from_seq, p.to_seq, p.has_more),
        (vec![4, 5], 4, 5, true)
    );
    let p = s.ug_history(q(sent[3].sent_time, false, 10)).await.unwrap();
    let seqs: Vec<u64> = p.messages.iter().map(|m| m.conv_seq).collect();
    assert_eq!(
        (seqs, p.from_seq, p.to_seq, p.has_more),
        (vec![1, 2, 3], 1, 3, false)
    );
    let p = s.ug_history(q(sent[1].sent_time, true, 2)).await.unwrap();
    let seqs: Vec<u64> = p.messages.iter().map(|m| m.conv_seq).collect();
    assert_eq!(
        (seqs, p.from_seq, p.to_seq, p.has_more),
        (vec![3, 4], 3, 4, true)
    );
    // Pruning deletes old messages; counters go on.
    let cut = PruneCutoffs {
        ultragroup_before: Some(sent[3].sent_time),
        ..Default::default()
    };
    s.prune(cut).await.unwrap();
    let left = s.ug_changes(changes_q("b", 0)).await.unwrap();
    let seqs: Vec<u64> = left.messages.iter().map(|m| m.conv_seq).collect();
    assert_eq!(seqs, [4, 5]);
    let next = append(s, new("a", "c", "after", ""), &[], false).await;
    assert_eq!((next.conv_seq, next.change_seq), (6, 6));
    h.close().await;
    // Everything survives a reopen.
    let h = Harness::start(&open);
    let page = h.store.ug_changes(changes_q("b", 0)).await.unwrap();
    assert_eq!((page.messages.len(), page.head_seq), (3, 6));
    h.close().await;
}
