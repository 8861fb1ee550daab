//! Conformance checks of the cloud history: numbering, pages, per-user visibility, group
//! membership, pruning and the offline compensation start.

use super::{code_of, group_text, key, kinds, text, Harness};
use crate::model::{
    GroupOp, HistoryQuery, HistorySlice, NewMessage, PruneCutoffs, UserConversation,
};
use crate::store::contract::{CommitSink, ServerStore};
use rcim_proto::codes;
use rcim_proto::conversation_type::{GROUP, PRIVATE};
use rcim_proto::v1::inbox_entry;

fn conv(user: &str, ctype: u32, target: &str) -> UserConversation {
    UserConversation {
        user_id: user.into(),
        conversation_type: ctype,
        target_id: target.into(),
        channel_id: String::new(),
    }
}

async fn page(
    h: &Harness,
    user: &str,
    ctype: u32,
    target: &str,
    sent_time: i64,
    after: bool,
    count: u32,
) -> anyhow::Result<HistorySlice> {
    h.store
        .history(HistoryQuery {
            conversation: conv(user, ctype, target),
            sent_time,
            after,
            count,
        })
        .await
}

fn page_seqs(p: &HistorySlice) -> Vec<u64> {
    p.messages.iter().map(|m| m.conv_seq).collect()
}

/// (messages' sequences, from, to, has_more) of a page.
fn shape(p: &HistorySlice) -> (Vec<u64>, u64, u64, bool) {
    (page_seqs(p), p.from_seq, p.to_seq, p.has_more)
}

pub(crate) async fn group(h: &Harness, id: &str, members: &[&str]) {
    h.store
        .change_group(GroupOp::Add {
            group_id: id.into(),
            name: String::new(),
            members: members.iter().map(|m| m.to_string()).collect(),
        })
        .await
        .unwrap();
}

/// Persisted, non-directed private and group messages are numbered 1, 2, 3, ... per
/// conversation (either direction of a pair is one conversation); others get 0. The number
/// is in the send outcome, the resend's outcome and the synced message.
pub(crate) async fn history_is_numbered_per_conversation<S: ServerStore>(
    open: impl FnOnce(CommitSink) -> S,
) {
    let h = Harness::start(open);
    let seq = |o: crate::model::SendOutcome| o.conv_seq;
    assert_eq!(seq(h.send(text("a", "b", "1")).await.unwrap()), 1);
    assert_eq!(seq(h.send(text("b", "a", "2")).await.unwrap()), 2);
    assert_eq!(seq(h.send(text("a", "c", "3")).await.unwrap()), 1);
    let unpersisted = NewMessage {
        persisted: false,
        ..text("a", "b", "4")
    };
    assert_eq!(seq(h.send(unpersisted).await.unwrap()), 0);
    let other_channel = NewMessage {
        channel_id: "ch".into(),
        ..text("a", "b", "5")
    };
    assert_eq!(seq(h.send(other_channel).await.unwrap()), 1);
    assert_eq!(seq(h.send(text("a", "b", "6")).await.unwrap()), 3);
    group(&h, "g", &["a", "b", "c"]).await;
    assert_eq!(seq(h.send(group_text("a", "g", "7")).await.unwrap()), 1);
    let directed = NewMessage {
        directed: vec!["b".into()],
        ..group_text("a", "g", "8")
    };
    assert_eq!(seq(h.send(directed).await.unwrap()), 0);
    assert_eq!(seq(h.send(group_text("b", "g", "9")).await.unwrap()), 2);
    // A resend answers the original number.
    let again = h.send(text("a", "b", "6")).await.unwrap();
    assert!(again.duplicate);
    assert_eq!(again.conv_seq, 3);
    let synced: Vec<u64> = h
        .inbox("b")
        .await
        .iter()
        .filter_map(|e| match &e.body {
            Some(inbox_entry::Body::Message(m)) => Some(m.conv_seq),
            _ => None,
        })
        .collect();
    assert_eq!(synced, vec![1, 2, 0, 1, 3, 1, 0, 2]);
    h.close().await;
}

/// Pages follow the protocol: ascending, `count` at most, the covered interval and
/// `has_more`, BEFORE and AFTER, from the newest with time 0, empty (0, 0) beyond the ends.
pub(crate) async fn history_pages_cover_intervals<S: ServerStore>(
    open: impl FnOnce(CommitSink) -> S,
) {
    let h = Harness::start(open);
    let mut times = vec![0];
    for i in 1..=10 {
        let (from, to) = if i % 2 == 0 { ("b", "a") } else { ("a", "b") };
        times.push(
            h.send(text(from, to, &format!("m{i}")))
                .await
                .unwrap()
                .sent_time,
        );
    }
    for (user, target) in [("a", "b"), ("b", "a")] {
        let p = page(&h, user, PRIVATE, target, 0, false, 3).await.unwrap();
        assert_eq!(shape(&p), (vec![8, 9, 10], 8, 10, true), "{user}");
        let p = page(&h, user, PRIVATE, target, times[8], false, 3)
            .await
            .unwrap();
        assert_eq!(shape(&p), (vec![5, 6, 7], 5, 7, true));
        let p = page(&h, user, PRIVATE, target, times[5], false, 4)
            .await
            .unwrap();
        assert_eq!(shape(&p), (vec![1, 2, 3, 4], 1, 4, false));
        let p = page(&h, user, PRIVATE, target, times[1], false, 4)
            .await
            .unwrap();
        assert_eq!(shape(&p), (vec![], 0, 0, false));
        let p = page(&h, user, PRIVATE, target, times[3], true, 4)
            .await
            .unwrap();
        assert_eq!(shape(&p), (vec![4, 5, 6, 7], 4, 7, true));
        let p = page(&h, user, PRIVATE, target, times[7], true, 5)
            .await
            .unwrap();
        assert_eq!(shape(&p), (vec![8, 9, 10], 8, 10, false));
        let p = page(&h, user, PRIVATE, target, times[10], true, 5)
            .await
            .unwrap();
        assert_eq!(shape(&p), (vec![], 0, 0, false));
        let p = page(&h, user, PRIVATE, target, 0, true, 100).await.unwrap();
        assert_eq!(shape(&p), ((1..=10).collect(), 1, 10, false));
    }
    let p = page(&h, "a", PRIVATE, "b", 0, false, 1).await.unwrap();
    let m = &p.messages[0];
    assert_eq!(
        (m.sender_id.as_str(), m.to_id.as_str(), m.sent_time),
        ("b", "a", times[10])
    );
    // A conversation without history, and a third user's view of someone else's pair.
    let p = page(&h, "a", PRIVATE, "z", 0, false, 10).await.unwrap();
    assert_eq!(shape(&p), (vec![], 0, 0, false));
    let p = page(&h, "c", PRIVATE, "b", 0, false, 10).await.unwrap();
    assert_eq!(shape(&p), (vec![], 0, 0, false));
    h.close().await;
}

/// Deleting hides messages from the deleter only (history and inbox: their sequences stay,
/// sync skips them) and tells their other devices; clearing hides everything up to a time
/// and never moves back.
pub(crate) async fn deletion_and_clearing_are_per_user<S: ServerStore>(
    open: impl FnOnce(CommitSink) -> S,
) {
    let h = Harness::start(open);
    let mut sent = vec![];
    for i in 1..=6 {
        sent.push(h.send(text("a", "b", &format!("m{i}"))).await.unwrap());
    }
    let uids = vec![
        sent[1].uid.clone(),
        sent[4].uid.clone(),
        sent[1].uid.clone(),
        "unknown".into(),
    ];
    for _ in 0..2 {
        h.store
            .delete_messages(
                conv("b", PRIVATE, "a"),
                uids.clone(),
                "db".into(),
                key("b", "d1"),
            )
            .await
            .unwrap();
    }
    // Another conversation's message is ignored.
    let other = h.send(text("c", "b", "x")).await.unwrap();
    h.store
        .delete_messages(
            conv("b", PRIVATE, "a"),
            vec![other.uid.clone()],
            "db".into(),
            None,
        )
        .await
        .unwrap();
    let p = page(&h, "b", PRIVATE, "a", 0, false, 100).await.unwrap();
    assert_eq!(shape(&p), (vec![1, 3, 4, 6], 1, 6, false));
    let p = page(&h, "a", PRIVATE, "b", 0, false, 100).await.unwrap();
    assert_eq!(page_seqs(&p), (1..=6).collect::<Vec<_>>());
    // Pages count visible messages only; the interval still covers the hidden ones.
    let p = page(&h, "b", PRIVATE, "a", 0, false, 2).await.unwrap();
    assert_eq!(shape(&p), (vec![4, 6], 4, 6, true));
    let inbox = h.inbox("b").await;
    let entries: Vec<(u64, &str)> = inbox.iter().map(|e| e.seq).zip(kinds(&inbox)).collect();
    assert_eq!(
        entries,
        vec![
            (1, "message"),
            (3, "message"),
            (4, "message"),
            (6, "message"),
            (7, "deleted"),
            (8, "message"),
            (9, "deleted")
        ]
    );
    assert_eq!(h.store.inbox_head("b".into()).await.unwrap(), 9);
    match &inbox[4].body {
        Some(inbox_entry::Body::MessagesDeleted(d)) => {
            assert_eq!(
                d.uids,
                vec![sent[1].uid.clone(), sent[4].uid.clone(), "unknown".into()]
            );
            assert_eq!((d.target_id.as_str(), d.device_id.as_str()), ("a", "db"));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(kinds(&h.inbox("a").await), vec!["message"; 6]);

    // a clears up to the third message; a lower clear later changes nothing.
    h.store
        .clear_history(
            conv("a", PRIVATE, "b"),
            sent[2].sent_time,
            "da".into(),
            key("a", "c1"),
        )
        .await
        .unwrap();
    h.store
        .clear_history(
            conv("a", PRIVATE, "b"),
            sent[0].sent_time,
            "da".into(),
            None,
        )
        .await
        .unwrap();
    let p = page(&h, "a", PRIVATE, "b", 0, false, 100).await.unwrap();
    assert_eq!(shape(&p), (vec![4, 5, 6], 1, 6, false));
    let p = page(&h, "a", PRIVATE, "b", sent[3].sent_time, false, 10)
        .await
        .unwrap();
    assert_eq!(shape(&p), (vec![], 1, 3, false));
    let p = page(&h, "a", PRIVATE, "b", 0, true, 2).await.unwrap();
    assert_eq!(shape(&p), (vec![4, 5], 1, 5, true));
    let p = page(&h, "b", PRIVATE, "a", 0, true, 100).await.unwrap();
    assert_eq!(page_seqs(&p), vec![1, 3, 4, 6], "b did not clear");
    let kinds_a = kinds(&h.inbox("a").await);
    assert_eq!(kinds_a[6..], ["cleared", "cleared"], "inbox copies stay");
    match &h.inbox("a").await[6].body {
        Some(inbox_entry::Body::HistoryCleared(c)) => {
            assert_eq!(c.before_time, sent[2].sent_time);
            assert_eq!(c.device_id, "da");
        }
        other => panic!("{other:?}"),
    }
    h.close().await;
}

/// A group's history is served to current members only (22406 otherwise), from when they
/// joined; directed messages are not in it.
pub(crate) async fn group_history_follows_membership<S: ServerStore>(
    open: impl FnOnce(CommitSink) -> S,
) {
    let h = Harness::start(open);
    group(&h, "g", &["a", "b"]).await;
    h.send(group_text("a", "g", "1")).await.unwrap();
    h.send(group_text("b", "g", "2")).await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    group(&h, "g", &["c"]).await;
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    h.send(group_text("a", "g", "3")).await.unwrap();
    let directed = NewMessage {
        directed: vec!["c".into()],
        ..group_text("a", "g", "4")
    };
    h.send(directed).await.unwrap();
    let p = page(&h, "a", GROUP, "g", 0, false, 10).await.unwrap();
    assert_eq!(shape(&p), (vec![1, 2, 3], 1, 3, false));
    let p = page(&h, "c", GROUP, "g", 0, false, 10).await.unwrap();
    assert_eq!(shape(&p), (vec![3], 1, 3, false));
    let err = page(&h, "d", GROUP, "g", 0, false, 10).await.unwrap_err();
    assert_eq!(code_of(&err), Some(codes::NOT_IN_GROUP));
    h.store
        .change_group(GroupOp::Quit {
            group_id: "g".into(),
            members: vec!["b".into()],
        })
        .await
        .unwrap();
    let err = page(&h, "b", GROUP, "g", 0, false, 10).await.unwrap_err();
    assert_eq!(code_of(&err), Some(codes::NOT_IN_GROUP));
    h.close().await;
}

/// Sends `n` group messages from `from` to `group` (channel `channel`) queued at once, so the
/// conversation clock runs ahead of the wall clock; returns the last sent time.
pub(crate) async fn burst(
    h: &Harness,
    from: &str,
    group: &str,
    channel: &str,
    tag: &str,
    n: usize,
) -> i64 {
    let mut pending = Vec::with_capacity(n);
    for i in 0..n {
        let msg = NewMessage {
            channel_id: channel.into(),
            ..group_text(from, group, &format!("{tag}-{i}"))
        };
        pending.push(h.store.submit_message(msg).await.unwrap());
    }
    let mut last = i64::MIN;
    for p in pending {
        last = last.max(p.await.unwrap().sent_time);
    }
    last
}

/// The sequences of the newest history page (100 at most) of `user` in `group`'s channel
/// `channel`.
async fn channel_page(h: &Harness, user: &str, group: &str, channel: &str) -> Vec<u64> {
    channel_page_from(h, user, group, channel, false).await
}

/// The newest history page of `user` in `group`'s channel `channel`, or the oldest one they
/// may see (`oldest`).
async fn channel_page_from(
    h: &Harness,
    user: &str,
    group: &str,
    channel: &str,
    oldest: bool,
) -> Vec<u64> {
    let p = h
        .store
        .history(HistoryQuery {
            conversation: UserConversation {
                channel_id: channel.into(),
                ..conv(user, GROUP, group)
            },
            sent_time: 0,
            after: oldest,
            count: 100,
        })
        .await
        .unwrap();
    page_seqs(&p)
}

/// A member who joins right after a burst (whose sent times ran ahead of the wall clock) sees
/// none of it, in any channel of the group, and sees what is sent after the join, in any
/// channel; the same for a member who quits and rejoins.
pub(crate) async fn a_join_follows_every_message_sent_before_it<S: ServerStore>(
    open: impl FnOnce(CommitSink) -> S,
) {
    const N: usize = 300;
    let h = Harness::start(open);
    group(&h, "g", &["a", "b"]).await;
    // Channel "x" runs far ahead; channel "" a little.
    let last_x = burst(&h, "a", "g", "x", "x", N).await;
    let last = burst(&h, "a", "g", "", "m", 5).await;
    // An embedded store commits the burst faster than one message per millisecond, so its
    // sent times run ahead of the wall clock: the case this test is about. A networked store
    // may stay behind the clock; the join must then follow the burst all the same.
    group(&h, "g", &["c"]).await;
    assert_eq!(channel_page(&h, "c", "g", "x").await, Vec::<u64>::new());
    assert_eq!(channel_page(&h, "c", "g", "").await, Vec::<u64>::new());
    assert_eq!(
        channel_page(&h, "a", "g", "x").await.last(),
        Some(&(N as u64))
    );
    assert_eq!(
        channel_page_from(&h, "a", "g", "x", true).await.first(),
        Some(&1)
    );
    assert_eq!(channel_page(&h, "a", "g", "").await, vec![1, 2, 3, 4, 5]);
    // Sent after the join: visible, also in the channel whose clock was behind the join.
    let after = h.send(group_text("a", "g", "after")).await.unwrap();
    assert!(after.sent_time > last);
    assert_eq!(channel_page(&h, "c", "g", "").await, vec![6]);
    let after_x = h
        .send(NewMessage {
            channel_id: "x".into(),
            ..group_text("b", "g", "after-x")
        })
        .await
        .unwrap();
    assert!(after_x.sent_time > last_x);
    assert_eq!(channel_page(&h, "c", "g", "x").await, vec![N as u64 + 1]);
    // The new member got them live too, and only them.
    assert_eq!(h.inbox("c").await.len(), 2);

    // A member who quits and rejoins right after another burst.
    h.store
        .change_group(GroupOp::Quit {
            group_id: "g".into(),
            members: vec!["b".into()],
        })
        .await
        .unwrap();
    burst(&h, "a", "g", "", "q", N).await;
    group(&h, "g", &["b"]).await;
    assert_eq!(channel_page(&h, "b", "g", "").await, Vec::<u64>::new());
    assert_eq!(channel_page(&h, "b", "g", "x").await, Vec::<u64>::new());
    h.send(group_text("c", "g", "rejoined")).await.unwrap();
    assert_eq!(channel_page(&h, "b", "g", "").await, vec![6 + N as u64 + 1]);
    // Adding a current member again keeps their join time.
    group(&h, "g", &["c"]).await;
    assert_eq!(
        channel_page_from(&h, "c", "g", "", true).await.first(),
        Some(&6),
        "c's view did not change"
    );
    h.close().await;
}

/// The offline retention prunes inbox entries and messages outside the history; the history
/// retention prunes history messages; conversation numbering continues after both.
pub(crate) async fn history_outlives_the_offline_retention<S: ServerStore>(
    open: impl FnOnce(CommitSink) -> S,
) {
    let h = Harness::start(open);
    h.send(text("a", "b", "1")).await.unwrap();
    let unpersisted = h
        .send(NewMessage {
            persisted: false,
            ..text("a", "b", "2")
        })
        .await
        .unwrap();
    let later = crate::util::now_ms() + 1_000;
    h.store
        .prune(PruneCutoffs {
            offline_before: Some(later),
            history_before: None,
            chatroom_before: None,
            ultragroup_before: None,
        })
        .await
        .unwrap();
    assert!(h.inbox("b").await.is_empty());
    let p = page(&h, "b", PRIVATE, "a", 0, false, 10).await.unwrap();
    assert_eq!(shape(&p), (vec![1], 1, 1, false));
    // The message outside the history is gone: deleting it finds nothing, but still succeeds.
    h.store
        .delete_messages(
            conv("b", PRIVATE, "a"),
            vec![unpersisted.uid],
            "d".into(),
            None,
        )
        .await
        .unwrap();
    h.store
        .prune(PruneCutoffs {
            offline_before: None,
            history_before: Some(later),
            chatroom_before: None,
            ultragroup_before: None,
        })
        .await
        .unwrap();
    let p = page(&h, "b", PRIVATE, "a", 0, false, 10).await.unwrap();
    assert_eq!(shape(&p), (vec![], 1, 1, false));
    assert_eq!(h.send(text("b", "a", "3")).await.unwrap().conv_seq, 2);
    h.close().await;
}

/// `inbox_seq_before` finds where a device without a cursor starts.
pub(crate) async fn compensation_start_is_found_by_time<S: ServerStore>(
    open: impl FnOnce(CommitSink) -> S,
) {
    let h = Harness::start(open);
    assert_eq!(
        h.store
            .inbox_seq_before("b".into(), i64::MAX)
            .await
            .unwrap(),
        0
    );
    let first = h.send(text("a", "b", "1")).await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    let second = h.send(text("a", "b", "2")).await.unwrap();
    let before = |t| h.store.inbox_seq_before("b".into(), t);
    assert_eq!(before(first.sent_time).await.unwrap(), 0);
    assert_eq!(before(second.sent_time).await.unwrap(), 1);
    assert_eq!(before(i64::MAX).await.unwrap(), 2);
    h.close().await;
}

/// Paging back through a long conversation 20 at a time, each page starting before the
/// previous page's oldest message, returns every message once, in order, and the pages'
/// intervals tile the sequence range with no gap; paging forward does the same.
pub(crate) async fn paging_covers_every_message_once<S: ServerStore>(
    open: impl FnOnce(CommitSink) -> S,
) {
    let h = Harness::start(open);
    const N: u64 = 1000;
    let mut pending = Vec::with_capacity(N as usize);
    for i in 0..N {
        let (from, to) = if i % 3 == 0 { ("b", "a") } else { ("a", "b") };
        pending.push(
            h.store
                .submit_message(text(from, to, &format!("m{i}")))
                .await
                .unwrap(),
        );
    }
    for p in pending {
        p.await.unwrap();
    }
    let mut seen = Vec::new();
    let (mut before, mut expected_to) = (0, N);
    loop {
        let p = page(&h, "a", PRIVATE, "b", before, false, 20)
            .await
            .unwrap();
        assert_eq!(p.to_seq, expected_to, "no gap between pages");
        assert_eq!(p.from_seq, p.messages[0].conv_seq);
        let mut seqs = page_seqs(&p);
        assert!(
            seqs.windows(2).all(|w| w[0] + 1 == w[1]),
            "ascending and dense"
        );
        seqs.extend(seen);
        seen = seqs;
        before = p.messages[0].sent_time;
        expected_to = p.from_seq - 1;
        if !p.has_more {
            assert_eq!(p.from_seq, 1);
            break;
        }
    }
    assert_eq!(seen, (1..=N).collect::<Vec<_>>());
    let mut forward = Vec::new();
    let mut after = 0;
    loop {
        let p = page(&h, "b", PRIVATE, "a", after, true, 20).await.unwrap();
        assert_eq!(p.from_seq, forward.len() as u64 + 1);
        forward.extend(page_seqs(&p));
        after = p.messages.last().unwrap().sent_time;
        if !p.has_more {
            assert_eq!(p.to_seq, N);
            break;
        }
    }
    assert_eq!(forward, (1..=N).collect::<Vec<_>>());
    h.close().await;
}

/// A page stops before it would not fit in a frame (`has_more` set, the interval ending at
/// what it returned), whatever `count` says.
pub(crate) async fn pages_fit_in_a_frame<S: ServerStore>(open: impl FnOnce(CommitSink) -> S) {
    let h = Harness::start(open);
    for i in 0..5 {
        let big = NewMessage {
            content: format!(r#"{{"content":"{}"}}"#, "x".repeat(100 * 1024)),
            ..text("a", "b", &format!("m{i}"))
        };
        h.send(big).await.unwrap();
    }
    let p = page(&h, "a", PRIVATE, "b", 0, false, 100).await.unwrap();
    assert_eq!(shape(&p), (vec![4, 5], 4, 5, true));
    let bytes: usize = p.messages.iter().map(prost::Message::encoded_len).sum();
    assert!(bytes < rcim_proto::MAX_FRAME_LEN - 1024);
    let p = page(&h, "a", PRIVATE, "b", 0, true, 100).await.unwrap();
    assert_eq!(shape(&p), (vec![1, 2], 1, 2, true));
    h.close().await;
}
