//! The [`ServerStore`] conformance suite: one set of checks written against the trait only,
//! which every implementation must pass. An implementation runs it with
//! `crate::store::conformance::conformance_tests!(open)`, where `open(dir, sink)` creates a
//! store with its data under `dir` publishing its commits on `sink`; the macro generates one
//! `#[tokio::test]` per check.

use crate::model::{
    GroupOp, LoggedRequest, NewMessage, RecallRequest, Rejected, RequestKey, SyncPage,
};
use crate::store::contract::{commit_feed, CommitSink, ServerStore};
use rcim_proto::codes;
use rcim_proto::conversation_type::{GROUP, PRIVATE};
use rcim_proto::v1::{inbox_entry, ConversationSetting, InboxEntry};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tokio::task::JoinHandle;

mod changes;
mod chatroom;
mod chatroom_kv;
mod history;
mod moderation;
mod push;
mod settings;
mod ultragroup_directory;
mod ultragroup_lifecycle;
mod ultragroup_stream;

pub(crate) use changes::*;
pub(crate) use chatroom::*;
pub(crate) use chatroom_kv::*;
pub(crate) use history::*;
pub(crate) use moderation::*;
pub(crate) use push::*;
pub(crate) use settings::*;
pub(crate) use ultragroup_directory::*;
pub(crate) use ultragroup_lifecycle::*;
pub(crate) use ultragroup_stream::*;

/// Generates one `#[tokio::test]` per conformance check for the store made by `$open`.
macro_rules! conformance_tests {
    ($open:path) => {
        $crate::store::conformance::conformance_tests!(@each $open;
            inbox_is_dense_per_user,
            entries_are_published_before_the_answer,
            resend_returns_the_original_outcome,
            sent_times_increase_per_conversation,
            sync_pages_hold_at_most_200_entries,
            group_membership,
            group_messages_reach_members,
            recall_rules,
            events_are_appended_once_per_request,
            executed_requests_can_be_looked_up,
            token_expiry_bookkeeping,
            pruning_keeps_heads_and_forgets_the_rest,
            data_survives_a_reopen,
            custom_flag_is_kept,
            status_messages_are_never_stored,
            history_is_numbered_per_conversation,
            history_pages_cover_intervals,
            deletion_and_clearing_are_per_user,
            group_history_follows_membership,
            a_join_follows_every_message_sent_before_it,
            history_outlives_the_offline_retention,
            compensation_start_is_found_by_time,
            paging_covers_every_message_once,
            pages_fit_in_a_frame,
            recall_replaces_the_message_everywhere,
            recall_reaches_participants_after_pruning,
            expansion_rules,
            settings_changes_are_versioned,
            blacklist_limit_and_sends,
            settings_pages_cover_everything_once,
            settings_outlive_pruning,
            moderation_rules,
            group_receipts,
            push_registrations,
            push_devices_are_capped_per_user,
            badges_count_pushes_since_the_last_connect,
            push_audience_pages,
            push_settings_are_versioned,
            push_recipients_of_a_message,
            push_templates_and_names,
            chatroom_rooms_and_history,
            chatroom_entries_are_kept_per_room,
            chatroom_restrictions_end_by_themselves,
            ultragroup_streams_number_and_change,
            ultragroup_visibility_and_counts,
            ultragroup_unread_is_capped,
            ultragroup_history_pages_and_prune,
            ultragroup_directory_is_kept,
            ultragroup_deleted_streams_are_gone,
            ultragroup_clear_zero_clears_everything,
            ultragroup_changes_to_known_messages,
            ultragroup_directed_expansion_and_modified_mentions,
            ultragroup_reads_start_at_the_join
        );
    };
    (@each $open:path; $($check:ident),* $(,)?) => {
        $(
            #[tokio::test]
            async fn $check() {
                let dir = tempfile::tempdir().expect("temp dir");
                let open = |sink| $open(dir.path(), sink);
                $crate::store::conformance::$check(open).await;
            }
        )*
    };
}
pub(crate) use conformance_tests;

/// A store under test and what its commit feed published, per user.
pub(crate) struct Harness {
    pub store: Arc<dyn ServerStore>,
    published: Arc<Mutex<HashMap<String, Vec<u64>>>>,
    reader: JoinHandle<()>,
}

impl Harness {
    /// Opens a store and reads its commit feed like live delivery would.
    pub(crate) fn start<S: ServerStore>(open: impl FnOnce(CommitSink) -> S) -> Self {
        let (sink, mut feed) = commit_feed();
        let store: Arc<dyn ServerStore> = Arc::new(open(sink));
        let published: Arc<Mutex<HashMap<String, Vec<u64>>>> = Arc::default();
        let log = published.clone();
        let reader = tokio::spawn(async move {
            while let Some(batch) = feed.recv().await {
                {
                    let mut log = log.lock().unwrap();
                    for e in &batch.entries {
                        log.entry(e.user_id.clone()).or_default().push(e.seq);
                    }
                }
                batch.release.run();
            }
        });
        Self {
            store,
            published,
            reader,
        }
    }

    /// Sequences published for `user`, in publication order.
    pub(crate) fn published(&self, user: &str) -> Vec<u64> {
        self.published
            .lock()
            .unwrap()
            .get(user)
            .cloned()
            .unwrap_or_default()
    }

    /// Closes the store (queued writes applied) and waits for the feed to end.
    pub(crate) async fn close(self) {
        self.store.close().await;
        drop(self.store);
        let _ = tokio::time::timeout(std::time::Duration::from_secs(5), self.reader).await;
    }

    /// Sends a message and waits for its commit.
    pub(crate) async fn send(&self, msg: NewMessage) -> anyhow::Result<crate::model::SendOutcome> {
        self.store.submit_message(msg).await?.await
    }

    /// Every entry of `user`'s inbox, following `has_more`.
    pub(crate) async fn inbox(&self, user: &str) -> Vec<InboxEntry> {
        let mut out = Vec::new();
        let mut after = 0;
        loop {
            let page = self.store.sync(user.into(), after, 0).await.unwrap();
            after = page.entries.last().map_or(after, |e| e.seq);
            out.extend(page.entries);
            if !page.has_more {
                return out;
            }
        }
    }
}

pub(crate) fn text(from: &str, to: &str, client_msg_id: &str) -> NewMessage {
    NewMessage {
        sender_id: from.into(),
        client_msg_id: client_msg_id.into(),
        conversation_type: PRIVATE,
        to_id: to.into(),
        object_name: "RC:TxtMsg".into(),
        content: r#"{"content":"hi"}"#.into(),
        persisted: true,
        counted: true,
        include_sender: true,
        ..Default::default()
    }
}

pub(crate) fn group_text(from: &str, group: &str, client_msg_id: &str) -> NewMessage {
    NewMessage {
        conversation_type: GROUP,
        require_member: true,
        ..text(from, group, client_msg_id)
    }
}

fn code_of(e: &anyhow::Error) -> Option<u32> {
    e.downcast_ref::<Rejected>().map(|r| r.code)
}

fn seqs(entries: &[InboxEntry]) -> Vec<u64> {
    entries.iter().map(|e| e.seq).collect()
}

fn kinds(entries: &[InboxEntry]) -> Vec<&'static str> {
    entries
        .iter()
        .map(|e| match e.body {
            Some(inbox_entry::Body::Message(_)) => "message",
            Some(inbox_entry::Body::Recall(_)) => "recall",
            Some(inbox_entry::Body::ReadReceipt(_)) => "receipt",
            Some(inbox_entry::Body::ConversationSetting(_)) => "setting",
            Some(inbox_entry::Body::ExpansionChange(_)) => "expansion",
            Some(inbox_entry::Body::MessagesDeleted(_)) => "deleted",
            Some(inbox_entry::Body::HistoryCleared(_)) => "cleared",
            Some(inbox_entry::Body::UserSetting(_)) => "user setting",
            Some(inbox_entry::Body::ReadStatus(_)) => "read status",
            Some(inbox_entry::Body::ReceiptRequested(_)) => "receipt requested",
            Some(inbox_entry::Body::ReceiptResponded(_)) => "receipt responded",
            Some(inbox_entry::Body::MessageBlocked(_)) => "blocked",
            None => "none",
        })
        .collect()
}

fn setting(target: &str) -> inbox_entry::Body {
    inbox_entry::Body::ConversationSetting(ConversationSetting {
        conversation_type: PRIVATE,
        target_id: target.into(),
        top: Some(true),
        ..Default::default()
    })
}

fn key(user: &str, id: &str) -> Option<RequestKey> {
    Some(RequestKey {
        user_id: user.into(),
        request_id: id.into(),
    })
}

fn offline_cutoff(before: i64) -> crate::model::PruneCutoffs {
    crate::model::PruneCutoffs {
        offline_before: Some(before),
        history_before: None,
        chatroom_before: None,
        ultragroup_before: None,
    }
}

fn range(n: u64) -> Vec<u64> {
    (1..=n).collect()
}

/// Messages go to the recipient's and the sender's inbox; each inbox is 1, 2, 3, ...
pub(crate) async fn inbox_is_dense_per_user<S: ServerStore>(open: impl FnOnce(CommitSink) -> S) {
    let h = Harness::start(open);
    h.send(text("a", "b", "1")).await.unwrap();
    h.send(text("b", "a", "2")).await.unwrap();
    h.send(text("c", "b", "3")).await.unwrap();
    h.store
        .append_event(vec!["b".into(), "b".into()], setting("a"), None)
        .await
        .unwrap();
    assert_eq!(seqs(&h.inbox("a").await), range(2));
    assert_eq!(
        seqs(&h.inbox("b").await),
        range(4),
        "duplicate owners count once"
    );
    assert_eq!(seqs(&h.inbox("c").await), range(1));
    assert_eq!(h.store.inbox_head("b".into()).await.unwrap(), 4);
    assert_eq!(h.store.inbox_head("nobody".into()).await.unwrap(), 0);
    assert_eq!(h.published("b"), range(4));
    h.close().await;
}

/// A write resolves only after its entries were published on the commit feed.
pub(crate) async fn entries_are_published_before_the_answer<S: ServerStore>(
    open: impl FnOnce(CommitSink) -> S,
) {
    let h = Harness::start(open);
    for n in 1..=20u64 {
        h.send(text("a", "b", &n.to_string())).await.unwrap();
        assert_eq!(h.published("b"), range(n));
    }
    h.store
        .append_event(vec!["a".into()], setting("b"), None)
        .await
        .unwrap();
    assert_eq!(h.published("a"), range(21));
    h.close().await;
}

/// A resend (same sender and client message id) answers the original uid and sent time and
/// stores nothing; an empty client id never deduplicates.
pub(crate) async fn resend_returns_the_original_outcome<S: ServerStore>(
    open: impl FnOnce(CommitSink) -> S,
) {
    let h = Harness::start(open);
    let first = h.send(text("a", "b", "same")).await.unwrap();
    let again = h.send(text("a", "b", "same")).await.unwrap();
    assert!(!first.duplicate);
    assert!(again.duplicate);
    assert_eq!((&again.uid, again.sent_time), (&first.uid, first.sent_time));
    // Another sender may use the same client id.
    let other = h.send(text("c", "b", "same")).await.unwrap();
    assert!(!other.duplicate);
    assert_ne!(other.uid, first.uid);
    h.send(text("a", "b", "")).await.unwrap();
    h.send(text("a", "b", "")).await.unwrap();
    assert_eq!(h.inbox("b").await.len(), 4);
    assert_eq!(h.published("b"), range(4), "a duplicate is not published");
    h.close().await;
}

/// Sent times are strictly increasing per conversation (both directions of a private one).
pub(crate) async fn sent_times_increase_per_conversation<S: ServerStore>(
    open: impl FnOnce(CommitSink) -> S,
) {
    let h = Harness::start(open);
    let mut last = 0;
    for n in 0..50 {
        let (from, to) = if n % 2 == 0 { ("a", "b") } else { ("b", "a") };
        let o = h.send(text(from, to, &format!("m{n}"))).await.unwrap();
        assert!(
            o.sent_time > last,
            "message {n}: {} after {last}",
            o.sent_time
        );
        last = o.sent_time;
    }
    h.close().await;
}

/// Sync returns at most 200 entries (or `limit`), in order, and says whether more remain.
pub(crate) async fn sync_pages_hold_at_most_200_entries<S: ServerStore>(
    open: impl FnOnce(CommitSink) -> S,
) {
    let h = Harness::start(open);
    let mut pending = Vec::new();
    for n in 0..450 {
        pending.push(
            h.store
                .submit_message(text("a", "b", &n.to_string()))
                .await
                .unwrap(),
        );
    }
    for p in pending {
        p.await.unwrap();
    }
    let page = |after, limit| h.store.sync("b".into(), after, limit);
    let SyncPage {
        entries,
        has_more,
        head,
    } = page(0, 0).await.unwrap();
    assert_eq!((seqs(&entries), has_more, head), (range(200), true, 450));
    let p = page(200, 1000).await.unwrap();
    assert_eq!((p.entries.len(), p.has_more), (200, true));
    assert_eq!(p.entries[0].seq, 201);
    let p = page(400, 0).await.unwrap();
    assert_eq!((p.entries.len(), p.has_more), (50, false));
    let p = page(10, 5).await.unwrap();
    assert_eq!(
        (seqs(&p.entries), p.has_more),
        (vec![11, 12, 13, 14, 15], true)
    );
    let p = page(450, 0).await.unwrap();
    assert!(p.entries.is_empty() && !p.has_more);
    // Messages keep their order and content.
    let first = &h.inbox("b").await[0];
    match &first.body {
        Some(inbox_entry::Body::Message(m)) => {
            assert_eq!((m.sender_id.as_str(), m.client_msg_id.as_str()), ("a", "0"));
        }
        other => panic!("expected a message, got {other:?}"),
    }
    h.close().await;
}

/// Create / join / quit / dismiss, member order, the 3000-member cap.
pub(crate) async fn group_membership<S: ServerStore>(open: impl FnOnce(CommitSink) -> S) {
    let h = Harness::start(open);
    let add = |members: &[&str]| GroupOp::Add {
        group_id: "g".into(),
        name: "G".into(),
        members: members.iter().map(|m| m.to_string()).collect(),
    };
    assert_eq!(
        h.store.change_group(add(&["a", "b", "c"])).await.unwrap(),
        3
    );
    assert_eq!(h.store.change_group(add(&["c", "d"])).await.unwrap(), 4);
    assert_eq!(
        h.store.group_members("g".into()).await.unwrap(),
        vec!["a", "b", "c", "d"]
    );
    let quit = GroupOp::Quit {
        group_id: "g".into(),
        members: vec!["b".into()],
    };
    assert_eq!(h.store.change_group(quit).await.unwrap(), 3);
    // Beyond 3000 members: refused (1002), nothing changed.
    let many: Vec<String> = (0..3000).map(|i| format!("u{i}")).collect();
    let too_many = GroupOp::Add {
        group_id: "g".into(),
        name: String::new(),
        members: many,
    };
    let err = h.store.change_group(too_many).await.unwrap_err();
    assert_eq!(code_of(&err), Some(1002));
    assert_eq!(h.store.group_members("g".into()).await.unwrap().len(), 3);
    // Quitting the last members deletes the group; dismiss deletes it at once.
    let quit_all = GroupOp::Quit {
        group_id: "g".into(),
        members: vec!["a".into(), "c".into(), "d".into()],
    };
    assert_eq!(h.store.change_group(quit_all).await.unwrap(), 0);
    assert!(h.store.group_members("g".into()).await.unwrap().is_empty());
    h.store.change_group(add(&["a"])).await.unwrap();
    let dismiss = GroupOp::Dismiss {
        group_id: "g".into(),
    };
    assert_eq!(h.store.change_group(dismiss).await.unwrap(), 0);
    assert!(h.store.group_members("g".into()).await.unwrap().is_empty());
    h.close().await;
}

/// A group message is stored once for every member (sender included); non-members are refused
/// when membership is required; a directed message reaches only its targets and the sender.
pub(crate) async fn group_messages_reach_members<S: ServerStore>(
    open: impl FnOnce(CommitSink) -> S,
) {
    let h = Harness::start(open);
    let add = GroupOp::Add {
        group_id: "g".into(),
        name: "G".into(),
        members: vec!["a".into(), "b".into(), "c".into()],
    };
    h.store.change_group(add).await.unwrap();
    let err = h.send(group_text("x", "g", "1")).await.unwrap_err();
    assert_eq!(code_of(&err), Some(codes::NOT_IN_GROUP));
    let o = h.send(group_text("a", "g", "2")).await.unwrap();
    for member in ["a", "b", "c"] {
        let inbox = h.inbox(member).await;
        assert_eq!(inbox.len(), 1, "{member}");
        match &inbox[0].body {
            Some(inbox_entry::Body::Message(m)) => assert_eq!(m.uid, o.uid),
            other => panic!("expected a message, got {other:?}"),
        }
    }
    assert!(h.inbox("x").await.is_empty());
    let directed = NewMessage {
        directed: vec!["b".into()],
        require_member: false,
        ..group_text("x", "g", "3")
    };
    h.send(directed).await.unwrap();
    assert_eq!(h.inbox("b").await.len(), 2);
    assert_eq!(h.inbox("c").await.len(), 1);
    assert_eq!(h.inbox("x").await.len(), 1, "the sender's own copy");
    h.close().await;
}

/// With `only_sender`, only the sender recalls (25107); unknown messages and conversations
/// the operator is not in are 25101; a recall appends one entry per holder, once.
pub(crate) async fn recall_rules<S: ServerStore>(open: impl FnOnce(CommitSink) -> S) {
    let h = Harness::start(open);
    let sent = h.send(text("a", "b", "1")).await.unwrap();
    let recall = |operator: &str, uid: &str, target: &str| RecallRequest {
        operator_id: operator.into(),
        uid: uid.into(),
        conversation_type: PRIVATE,
        target_id: target.into(),
        channel_id: String::new(),
        only_sender: true,
    };
    let err = h
        .store
        .recall(recall("b", &sent.uid, "a"), None)
        .await
        .unwrap_err();
    assert_eq!(code_of(&err), Some(codes::RECALL_USER_INVALID));
    // A third user naming the receiver as the target is not in the conversation.
    let err = h
        .store
        .recall(recall("c", &sent.uid, "b"), None)
        .await
        .unwrap_err();
    assert_eq!(code_of(&err), Some(codes::RECALL_PARAMETER_INVALID));
    let err = h
        .store
        .recall(recall("a", "NO-SUCH", "b"), None)
        .await
        .unwrap_err();
    assert_eq!(code_of(&err), Some(codes::RECALL_PARAMETER_INVALID));
    let err = h
        .store
        .recall(recall("a", &sent.uid, "c"), None)
        .await
        .unwrap_err();
    assert_eq!(code_of(&err), Some(codes::RECALL_PARAMETER_INVALID));
    let time = h
        .store
        .recall(recall("a", &sent.uid, "b"), key("a", "r1"))
        .await
        .unwrap();
    assert!(time > 0);
    // Again with the same request id, with another one, and without one: same time, nothing
    // appended.
    for request in [key("a", "r1"), key("a", "r2"), None] {
        let again = h
            .store
            .recall(recall("a", &sent.uid, "b"), request)
            .await
            .unwrap();
        assert_eq!(again, time);
    }
    for user in ["a", "b"] {
        assert_eq!(
            kinds(&h.inbox(user).await),
            vec!["message", "recall"],
            "{user}"
        );
    }
    h.close().await;
}

/// An event with a request key is appended once; the key cannot be reused for a recall.
pub(crate) async fn events_are_appended_once_per_request<S: ServerStore>(
    open: impl FnOnce(CommitSink) -> S,
) {
    let h = Harness::start(open);
    for _ in 0..3 {
        h.store
            .append_event(vec!["a".into()], setting("b"), key("a", "e1"))
            .await
            .unwrap();
    }
    // Keys are per user.
    h.store
        .append_event(vec!["b".into()], setting("a"), key("b", "e1"))
        .await
        .unwrap();
    assert_eq!(h.inbox("a").await.len(), 1);
    assert_eq!(h.inbox("b").await.len(), 1);
    let sent = h.send(text("a", "b", "m")).await.unwrap();
    let req = RecallRequest {
        operator_id: "a".into(),
        uid: sent.uid,
        conversation_type: PRIVATE,
        target_id: "b".into(),
        channel_id: String::new(),
        only_sender: false,
    };
    let err = h.store.recall(req, key("a", "e1")).await.unwrap_err();
    assert_eq!(code_of(&err), Some(codes::PARAMETER_INVALID));
    assert_eq!(kinds(&h.inbox("a").await), vec!["setting", "message"]);
    h.close().await;
}

/// `sent_message` finds a stored message by (sender, client id) with its original outcome;
/// `logged_request` finds executed recalls (with their time) and events, per user, but no
/// refused request.
pub(crate) async fn executed_requests_can_be_looked_up<S: ServerStore>(
    open: impl FnOnce(CommitSink) -> S,
) {
    let h = Harness::start(open);
    let k = |user: &str, id: &str| key(user, id).unwrap();
    assert_eq!(h.store.sent_message(k("a", "m")).await.unwrap(), None);
    let sent = h.send(text("a", "b", "m")).await.unwrap();
    let found = h.store.sent_message(k("a", "m")).await.unwrap().unwrap();
    assert_eq!(
        (found.uid.as_str(), found.sent_time),
        (sent.uid.as_str(), sent.sent_time)
    );
    assert!(found.duplicate);
    assert_eq!(h.store.sent_message(k("b", "m")).await.unwrap(), None);

    h.store
        .append_event(vec!["a".into()], setting("b"), key("a", "e"))
        .await
        .unwrap();
    let recall = |operator: &str| RecallRequest {
        operator_id: operator.into(),
        uid: sent.uid.clone(),
        conversation_type: PRIVATE,
        target_id: if operator == "a" { "b" } else { "a" }.into(),
        channel_id: String::new(),
        only_sender: true,
    };
    // A refused recall (not the sender) is not logged.
    h.store
        .recall(recall("b"), key("b", "r"))
        .await
        .unwrap_err();
    let recall_time = h.store.recall(recall("a"), key("a", "r")).await.unwrap();
    let logged = |user: &str, id: &str| h.store.logged_request(k(user, id));
    assert_eq!(logged("a", "e").await.unwrap(), Some(LoggedRequest::Event));
    assert_eq!(
        logged("a", "r").await.unwrap(),
        Some(LoggedRequest::Recall { recall_time })
    );
    assert_eq!(logged("b", "r").await.unwrap(), None);
    assert_eq!(logged("b", "e").await.unwrap(), None);
    // A send's client id is not a logged request.
    assert_eq!(logged("a", "m").await.unwrap(), None);
    h.close().await;
}

/// `tokens_valid_after` starts at 0 and follows `expire_tokens`; profile updates keep it.
pub(crate) async fn token_expiry_bookkeeping<S: ServerStore>(open: impl FnOnce(CommitSink) -> S) {
    let h = Harness::start(open);
    assert_eq!(h.store.tokens_valid_after("a".into()).await.unwrap(), 0);
    h.store
        .upsert_user("a".into(), Some("A".into()), None)
        .await
        .unwrap();
    assert_eq!(h.store.tokens_valid_after("a".into()).await.unwrap(), 0);
    h.store
        .expire_tokens(vec!["a".into(), "new".into()], 1234)
        .await
        .unwrap();
    assert_eq!(h.store.tokens_valid_after("a".into()).await.unwrap(), 1234);
    assert_eq!(
        h.store.tokens_valid_after("new".into()).await.unwrap(),
        1234
    );
    h.store
        .upsert_user("a".into(), None, Some("p".into()))
        .await
        .unwrap();
    assert_eq!(h.store.tokens_valid_after("a".into()).await.unwrap(), 1234);
    h.close().await;
}

/// Pruning deletes entries, dedupe records and logged requests; heads stay, so sequences
/// continue densely.
pub(crate) async fn pruning_keeps_heads_and_forgets_the_rest<S: ServerStore>(
    open: impl FnOnce(CommitSink) -> S,
) {
    let h = Harness::start(open);
    let first = h.send(text("a", "b", "m")).await.unwrap();
    h.store
        .append_event(vec!["a".into()], setting("b"), key("a", "e"))
        .await
        .unwrap();
    // Nothing is old enough yet.
    h.store.prune(offline_cutoff(0)).await.unwrap();
    assert_eq!(h.inbox("b").await.len(), 1);
    h.store
        .prune(offline_cutoff(crate::util::now_ms() + 1_000))
        .await
        .unwrap();
    assert!(h.inbox("a").await.is_empty());
    assert!(h.inbox("b").await.is_empty());
    assert_eq!(h.store.inbox_head("a".into()).await.unwrap(), 2);
    // The dedupe record and the logged request are gone with them.
    let k = |id: &str| key("a", id).unwrap();
    assert_eq!(h.store.sent_message(k("m")).await.unwrap(), None);
    assert_eq!(h.store.logged_request(k("e")).await.unwrap(), None);
    let again = h.send(text("a", "b", "m")).await.unwrap();
    assert!(!again.duplicate);
    assert_ne!(again.uid, first.uid);
    h.store
        .append_event(vec!["a".into()], setting("b"), key("a", "e"))
        .await
        .unwrap();
    assert_eq!(seqs(&h.inbox("a").await), vec![3, 4]);
    assert_eq!(seqs(&h.inbox("b").await), vec![2]);
    h.close().await;
}

/// Everything committed is there after the store is closed and opened again.
pub(crate) async fn data_survives_a_reopen<S: ServerStore>(open: impl Fn(CommitSink) -> S) {
    let h = Harness::start(&open);
    let sent = h.send(text("a", "b", "m")).await.unwrap();
    h.store
        .append_event(vec!["a".into()], setting("b"), key("a", "e"))
        .await
        .unwrap();
    let add = GroupOp::Add {
        group_id: "g".into(),
        name: "G".into(),
        members: vec!["a".into()],
    };
    h.store.change_group(add).await.unwrap();
    h.close().await;

    let h = Harness::start(&open);
    assert_eq!(kinds(&h.inbox("a").await), vec!["message", "setting"]);
    let again = h.send(text("a", "b", "m")).await.unwrap();
    assert!(again.duplicate);
    assert_eq!(again.uid, sent.uid);
    h.store
        .append_event(vec!["a".into()], setting("b"), key("a", "e"))
        .await
        .unwrap();
    assert_eq!(h.inbox("a").await.len(), 2);
    assert_eq!(h.store.group_members("g".into()).await.unwrap(), vec!["a"]);
    h.close().await;
}

/// The custom-type flag is stored with the message: sync returns it, also after a reopen.
pub(crate) async fn custom_flag_is_kept<S: ServerStore>(open: impl Fn(CommitSink) -> S) {
    let flags = |entries: &[InboxEntry]| -> Vec<bool> {
        entries
            .iter()
            .map(|e| match &e.body {
                Some(inbox_entry::Body::Message(m)) => m.custom,
                other => panic!("expected a message, got {other:?}"),
            })
            .collect()
    };
    let h = Harness::start(&open);
    let custom = NewMessage {
        object_name: "App:Card".into(),
        custom: true,
        ..text("a", "b", "m1")
    };
    h.send(custom).await.unwrap();
    h.send(text("a", "b", "m2")).await.unwrap();
    assert_eq!(flags(&h.inbox("b").await), vec![true, false]);
    h.close().await;
    let h = Harness::start(&open);
    assert_eq!(flags(&h.inbox("a").await), vec![true, false]);
    h.close().await;
}

/// A status (online-only) message never reaches the store: it is refused, nothing appended.
pub(crate) async fn status_messages_are_never_stored<S: ServerStore>(
    open: impl FnOnce(CommitSink) -> S,
) {
    let h = Harness::start(open);
    let status = NewMessage {
        status: true,
        ..text("a", "b", "s1")
    };
    assert!(h.send(status).await.is_err());
    assert!(h.inbox("b").await.is_empty());
    assert!(h
        .store
        .sent_message(key("a", "s1").unwrap())
        .await
        .unwrap()
        .is_none());
    h.close().await;
}
