//! End to end through the Engine API: drafts, message count, first unread message, unread count
//! by conversation types and local search, on messages that came from a real server.

use rcim_core::{Code, ConversationKey, Event};
use rcim_testing::*;

fn key(target: &str) -> ConversationKey {
    ConversationKey::new(1, target, "")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn drafts_counts_first_unread_and_search_on_synced_messages() {
    let server = TestServer::start().await;
    let mut alice = server.online("alice").await;
    let mut bob = server.online("bob").await;

    for text in ["你好世界", "Hello World", "第三条 third"] {
        assert_eq!(bob.send_text("alice", text), Ok(()));
        bob.wait_for("sent", |e| matches!(e, Event::MessageSent { code: 0, .. }))
            .await;
    }
    let mut received = Vec::new();
    while received.len() < 3 {
        if let Event::MessageReceived { message, .. } = alice
            .wait_for("received", |e| matches!(e, Event::MessageReceived { .. }))
            .await
        {
            received.push(message);
        }
    }

    // Message count.
    assert_eq!(answer(alice.engine.message_count(key("bob"))).await, 3);

    // First unread message: the oldest; none after everything was read.
    let first = answer(alice.engine.first_unread_message(key("bob")))
        .await
        .expect("an unread message");
    assert_eq!(text_of(&first), "你好世界");
    assert_eq!(first.message_id, received[0].message_id);

    // Unread count by types (nothing is muted: contain makes no difference).
    for contain in [true, false] {
        let count = alice
            .engine
            .unread_count_by_conversation_types(vec![1, 2], "", contain);
        assert_eq!(answer(count).await, 3, "contain {contain}");
    }

    answer(alice.engine.clear_unread_count(key("bob"), 0)).await;
    assert_eq!(
        answer(alice.engine.first_unread_message(key("bob"))).await,
        None
    );

    // Search: CJK substrings of 1, 2 and 3+ characters, Latin case-insensitively.
    for (keyword, expected) in [
        ("世", vec!["你好世界"]),
        ("世界", vec!["你好世界"]),
        ("好世界", vec!["你好世界"]),
        ("WORLD", vec!["Hello World"]),
        ("o", vec!["Hello World"]),
        ("th", vec!["第三条 third"]),
        ("不存在", vec![]),
    ] {
        let messages = answer(alice.engine.search_messages(key("bob"), keyword, 0, 50)).await;
        let texts: Vec<_> = messages.iter().map(text_of).collect();
        assert_eq!(texts, expected, "keyword {keyword}");
    }

    // Drafts: a draft on a conversation without messages puts it on top of the list. The save
    // is queued before the reads below, so they see it without waiting for it.
    let saved = alice
        .engine
        .save_draft_message(key("carol"), "草稿 draft")
        .expect("accepted");
    assert_eq!(
        answer(alice.engine.draft_message(key("carol"))).await,
        "草稿 draft"
    );
    assert_eq!(saved.await, Ok(()));
    let conversations = answer(alice.engine.conversations(vec![1], "", 0, 50)).await;
    let ids: Vec<_> = conversations.iter().map(|c| c.target_id.as_str()).collect();
    assert_eq!(ids, vec!["carol", "bob"]);
    assert_eq!(conversations[0].draft, "草稿 draft");
    assert!(conversations[0].last_message.is_none());
    assert_eq!(conversations[1].draft, "");

    answer(alice.engine.clear_draft_message(key("carol"))).await;
    assert_eq!(answer(alice.engine.draft_message(key("carol"))).await, "");

    // Out-of-range arguments are refused at once.
    let e = &alice.engine;
    let refused = [
        e.search_messages(key("bob"), "x", 0, 0).err(),
        e.search_messages(key("bob"), "x", 0, 51).err(),
        e.search_messages(key("bob"), "", 0, 10).err(),
        e.search_messages(ConversationKey::new(3, "room", ""), "x", 0, 10)
            .err(),
        e.unread_count_by_conversation_types(vec![], "", true).err(),
        e.unread_count_by_conversation_types(vec![1, 9], "", true)
            .err(),
        e.save_draft_message(key(""), "x").err(),
        e.message_count(ConversationKey::new(0, "bob", "")).err(),
    ];
    for (i, code) in refused.into_iter().enumerate() {
        assert_eq!(code, Some(Code::PARAM_ERROR), "call {i}");
    }
}
