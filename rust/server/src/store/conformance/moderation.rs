//! Conformance checks of moderation (sensitive words, bans, gags, blocked sends) and group
//! read receipts.

use super::{code_of, group_text, key, kinds, text, Harness};
use crate::model::{
    GroupOp, HistoryQuery, ModerationOp, NewMessage, ReceiptAnswer, ReceiptAsk, SensitiveWord,
    UserConversation,
};
use crate::store::contract::{CommitSink, ServerStore};
use rcim_proto::codes;
use rcim_proto::conversation_type::GROUP;
use rcim_proto::v1::{inbox_entry, InboxEntry, Message};

fn word(w: &str, r: Option<&str>) -> ModerationOp {
    ModerationOp::AddWord {
        word: SensitiveWord {
            word: w.into(),
            replace_word: r.map(Into::into),
        },
        max_words: 2,
        over_limit_code: 1016,
    }
}

fn ids(users: &[&str]) -> Vec<String> {
    users.iter().map(|u| u.to_string()).collect()
}

pub(crate) async fn moderation_rules<S: ServerStore>(open: impl FnOnce(CommitSink) -> S) {
    let h = Harness::start(open);
    let s = &h.store;
    // Words: unique regardless of ASCII case, capped, changed when added again.
    s.moderate(word("bad", None)).await.unwrap();
    s.moderate(word("坏蛋", Some("**"))).await.unwrap();
    let e = s.moderate(word("more", None)).await.unwrap_err();
    assert_eq!(code_of(&e), Some(1016));
    s.moderate(word("BAD", Some("***"))).await.unwrap();
    let words = s.sensitive_words().await.unwrap();
    assert_eq!(words.len(), 2);
    assert_eq!(words[0].replace_word.as_deref(), Some("***"));
    s.moderate(ModerationOp::DeleteWords(ids(&["Bad", "none"])))
        .await
        .unwrap();
    assert_eq!(s.sensitive_words().await.unwrap()[0].word, "坏蛋");

    // Bans and gags in force until their end.
    let now = crate::util::now_ms();
    let ban = ModerationOp::Ban {
        user_ids: ids(&["x", "y"]),
        until: now + 60_000,
    };
    s.moderate(ban).await.unwrap();
    s.moderate(ModerationOp::Unban(ids(&["y"]))).await.unwrap();
    let bans = s.bans(None, now).await.unwrap();
    assert_eq!(bans.len(), 1);
    assert_eq!(bans[0].user_id, "x");
    assert!(s
        .bans(Some("x".into()), now + 60_000)
        .await
        .unwrap()
        .is_empty());
    let add = GroupOp::Add {
        group_id: "g".into(),
        name: String::new(),
        members: ids(&["a", "b"]),
    };
    s.change_group(add).await.unwrap();
    let gag = ModerationOp::Gag {
        group_id: "g".into(),
        user_ids: ids(&["b"]),
        until: i64::MAX,
    };
    s.moderate(gag).await.unwrap();
    assert_eq!(s.gags("g".into(), None, now).await.unwrap().len(), 1);
    let e = h.send(group_text("b", "g", "1")).await.unwrap_err();
    assert_eq!(code_of(&e), Some(22408));
    // Only member sends (`require_member`) are gagged.
    let publish = NewMessage {
        require_member: false,
        ..group_text("b", "g", "2")
    };
    h.send(publish).await.unwrap();
    let ungag = ModerationOp::Ungag {
        group_id: "g".into(),
        user_ids: ids(&["b"]),
    };
    s.moderate(ungag).await.unwrap();
    h.send(group_text("b", "g", "3")).await.unwrap();

    // A blocked message: an answer, a `MessageBlocked` for the sender, nothing else.
    let blocked = NewMessage {
        blocked: true,
        ..text("a", "c", "b1")
    };
    let sent = h.send(blocked.clone()).await.unwrap();
    assert!(!sent.uid.is_empty() && sent.conv_seq == 0);
    let again = h.send(blocked).await.unwrap();
    assert_eq!(
        (again.uid.as_str(), again.duplicate),
        (sent.uid.as_str(), true)
    );
    assert!(h.inbox("c").await.is_empty());
    let own = h.inbox("a").await;
    let Some(inbox_entry::Body::MessageBlocked(b)) = &own.last().unwrap().body else {
        panic!("{own:?}")
    };
    assert_eq!(
        (b.uid.as_str(), b.target_id.as_str(), b.block_type),
        (sent.uid.as_str(), "c", 2)
    );
    assert_eq!(kinds(&own).iter().filter(|k| **k == "blocked").count(), 1);
    h.close().await;
}

fn ask(requester: &str, uid: &str) -> ReceiptAsk {
    ReceiptAsk {
        requester: requester.into(),
        device_id: "d".into(),
        group_id: "g".into(),
        channel_id: String::new(),
        uid: uid.into(),
    }
}

fn answer(reader: &str, uids: &[&str]) -> ReceiptAnswer {
    ReceiptAnswer {
        reader: reader.into(),
        device_id: "d".into(),
        group_id: "g".into(),
        channel_id: String::new(),
        uids: ids(uids),
    }
}

fn message_of<'a>(entries: &'a [InboxEntry], uid: &str) -> &'a Message {
    entries
        .iter()
        .find_map(|e| match &e.body {
            Some(inbox_entry::Body::Message(m)) if m.uid == uid => Some(m),
            _ => None,
        })
        .expect("the message")
}

pub(crate) async fn group_receipts<S: ServerStore>(open: impl FnOnce(CommitSink) -> S) {
    let h = Harness::start(open);
    let s = &h.store;
    let add = GroupOp::Add {
        group_id: "g".into(),
        name: String::new(),
        members: ids(&["a", "b", "c"]),
    };
    s.change_group(add).await.unwrap();
    let uid = h.send(group_text("a", "g", "1")).await.unwrap().uid;
    let code = |r: anyhow::Result<()>| r.err().and_then(|e| code_of(&e));
    assert_eq!(
        code(s.request_receipt(ask("b", &uid), None).await),
        Some(codes::INVALID_MESSAGE_UID)
    );
    assert_eq!(
        code(s.request_receipt(ask("z", &uid), None).await),
        Some(codes::NOT_IN_GROUP)
    );
    s.request_receipt(ask("a", &uid), key("a", "r1"))
        .await
        .unwrap();
    s.request_receipt(ask("a", &uid), key("a", "r2"))
        .await
        .unwrap();
    for m in ["a", "b", "c"] {
        let k = kinds(&h.inbox(m).await);
        assert_eq!(
            k.iter().filter(|k| **k == "receipt requested").count(),
            1,
            "{m}"
        );
    }
    assert_eq!(
        code(s.respond_receipt(answer("z", &[&uid]), None).await),
        Some(codes::NOT_IN_GROUP)
    );
    s.respond_receipt(answer("b", &[&uid, "unknown"]), key("b", "x1"))
        .await
        .unwrap();
    s.respond_receipt(answer("b", &[&uid]), key("b", "x2"))
        .await
        .unwrap();
    s.respond_receipt(answer("a", &[&uid]), None).await.unwrap();
    let sender = h.inbox("a").await;
    let responded: Vec<_> = sender
        .iter()
        .filter_map(|e| match &e.body {
            Some(inbox_entry::Body::ReceiptResponded(r)) => Some(r),
            _ => None,
        })
        .collect();
    assert_eq!(
        responded.len(),
        1,
        "one new response; the sender's own is skipped"
    );
    assert!(responded[0].responses.contains_key("b"));
    let receipt = message_of(&sender, &uid).receipt.clone().unwrap();
    assert!(receipt.requested && receipt.responses.len() == 1);
    let b = message_of(&h.inbox("b").await, &uid)
        .receipt
        .clone()
        .unwrap();
    assert!(b.requested && b.responded && b.responses.is_empty());
    let c = message_of(&h.inbox("c").await, &uid)
        .receipt
        .clone()
        .unwrap();
    assert!(c.requested && !c.responded);
    let q = HistoryQuery {
        conversation: UserConversation {
            user_id: "a".into(),
            conversation_type: GROUP,
            target_id: "g".into(),
            channel_id: String::new(),
        },
        count: 10,
        ..Default::default()
    };
    let page = s.history(q).await.unwrap();
    assert_eq!(
        page.messages[0].receipt.as_ref().unwrap().responses.len(),
        1
    );
    h.close().await;
}
