//! End to end through the Engine API: drafts, message count, first unread message, unread count
//! by conversation types and local search, on messages that came from a real server.

use rcim_core::codes;
use rcim_core::{ConversationKey, Event};
use rcim_testing::*;

fn key(target: &str) -> ConversationKey {
    ConversationKey::new(1, target, "")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn drafts_counts_first_unread_and_search_on_synced_messages() {
    let server = TestServer::start().await;
    let (ta, tb) = (server.token("alice").await, server.token("bob").await);
    let mut alice = TestClient::new(&server.navi_url(), "alice");
    let mut bob = TestClient::new(&server.navi_url(), "bob");
    alice.connect(&ta).await;
    bob.connect(&tb).await;

    for text in ["你好世界", "Hello World", "第三条 third"] {
        assert_eq!(bob.send_text("alice", text), 0);
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
    assert_eq!(
        alice
            .engine
            .load_message_count(key("bob"), Some("n".into())),
        0
    );
    let event = alice
        .wait_for("count", |e| matches!(e, Event::MessageCountLoaded { .. }))
        .await;
    assert_eq!(
        event,
        Event::MessageCountLoaded {
            code: 0,
            key: key("bob"),
            count: 3,
            event_id: Some("n".into()),
        }
    );

    // First unread message: the oldest; none after everything was read.
    assert_eq!(alice.engine.load_first_unread_message(key("bob"), None), 0);
    let Event::FirstUnreadMessageLoaded { code, message, .. } = alice
        .wait_for("first unread", |e| {
            matches!(e, Event::FirstUnreadMessageLoaded { .. })
        })
        .await
    else {
        unreachable!()
    };
    assert_eq!(code, 0);
    let first = message.expect("an unread message");
    assert_eq!(text_of(&first), "你好世界");
    assert_eq!(first.message_id, received[0].message_id);

    // Unread count by types (nothing is muted: contain makes no difference).
    for contain in [true, false] {
        assert_eq!(
            alice
                .engine
                .load_unread_count_by_conversation_types(vec![1, 2], "", contain, None),
            0
        );
        let event = alice
            .wait_for("unread by types", |e| {
                matches!(e, Event::UnreadCountByConversationTypesLoaded { .. })
            })
            .await;
        assert!(
            matches!(
                &event,
                Event::UnreadCountByConversationTypesLoaded { code: 0, count: 3, contain: c, conversation_types, .. }
                    if *c == contain && *conversation_types == vec![1, 2]
            ),
            "{event:?}"
        );
    }

    assert_eq!(alice.engine.clear_unread_count(key("bob"), 0, None), 0);
    assert_eq!(alice.engine.load_first_unread_message(key("bob"), None), 0);
    let event = alice
        .wait_for("first unread", |e| {
            matches!(e, Event::FirstUnreadMessageLoaded { .. })
        })
        .await;
    assert!(
        matches!(
            event,
            Event::FirstUnreadMessageLoaded {
                code: 0,
                message: None,
                ..
            }
        ),
        "{event:?}"
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
        assert_eq!(
            alice
                .engine
                .search_messages(key("bob"), keyword, 0, 50, Some("s".into())),
            0
        );
        let Event::MessagesSearched {
            code,
            key: k,
            keyword: kw,
            start_time,
            count,
            messages,
            event_id,
        } = alice
            .wait_for("search", |e| matches!(e, Event::MessagesSearched { .. }))
            .await
        else {
            unreachable!()
        };
        assert_eq!(
            (code, k, kw.as_str(), start_time, count),
            (0, key("bob"), keyword, 0, 50)
        );
        assert_eq!(event_id.as_deref(), Some("s"));
        let texts: Vec<_> = messages.iter().map(text_of).collect();
        assert_eq!(texts, expected, "keyword {keyword}");
    }

    // Drafts: a draft on a conversation without messages puts it on top of the list.
    assert_eq!(
        alice
            .engine
            .save_draft_message(key("carol"), "草稿 draft", Some("d".into())),
        0
    );
    let event = alice
        .wait_for("draft saved", |e| {
            matches!(e, Event::DraftMessageSaved { .. })
        })
        .await;
    assert_eq!(
        event,
        Event::DraftMessageSaved {
            code: 0,
            key: key("carol"),
            draft: "草稿 draft".into(),
            event_id: Some("d".into()),
        }
    );
    assert_eq!(alice.engine.load_draft_message(key("carol"), None), 0);
    let event = alice
        .wait_for("draft", |e| matches!(e, Event::DraftMessageLoaded { .. }))
        .await;
    assert!(
        matches!(&event, Event::DraftMessageLoaded { code: 0, draft, .. } if draft == "草稿 draft"),
        "{event:?}"
    );
    assert_eq!(alice.engine.load_conversations(vec![1], "", 0, 50, None), 0);
    let Event::ConversationsLoaded { conversations, .. } = alice
        .wait_for("conversations", |e| {
            matches!(e, Event::ConversationsLoaded { .. })
        })
        .await
    else {
        unreachable!()
    };
    let ids: Vec<_> = conversations.iter().map(|c| c.target_id.as_str()).collect();
    assert_eq!(ids, vec!["carol", "bob"]);
    assert_eq!(conversations[0].draft, "草稿 draft");
    assert!(conversations[0].last_message.is_none());
    assert_eq!(conversations[1].draft, "");

    assert_eq!(alice.engine.clear_draft_message(key("carol"), None), 0);
    alice
        .wait_for("draft cleared", |e| {
            matches!(e, Event::DraftMessageCleared { code: 0, .. })
        })
        .await;
    assert_eq!(alice.engine.load_draft_message(key("carol"), None), 0);
    let event = alice
        .wait_for("draft", |e| matches!(e, Event::DraftMessageLoaded { .. }))
        .await;
    assert!(
        matches!(&event, Event::DraftMessageLoaded { code: 0, draft, .. } if draft.is_empty()),
        "{event:?}"
    );

    // Out-of-range arguments are refused at once.
    let e = &alice.engine;
    assert_eq!(
        e.search_messages(key("bob"), "x", 0, 0, None),
        codes::PARAM_ERROR
    );
    assert_eq!(
        e.search_messages(key("bob"), "x", 0, 51, None),
        codes::PARAM_ERROR
    );
    assert_eq!(
        e.search_messages(key("bob"), "", 0, 10, None),
        codes::PARAM_ERROR
    );
    assert_eq!(
        e.search_messages(ConversationKey::new(3, "room", ""), "x", 0, 10, None),
        codes::PARAM_ERROR
    );
    assert_eq!(
        e.load_unread_count_by_conversation_types(vec![], "", true, None),
        codes::PARAM_ERROR
    );
    assert_eq!(
        e.load_unread_count_by_conversation_types(vec![1, 9], "", true, None),
        codes::PARAM_ERROR
    );
    assert_eq!(e.save_draft_message(key(""), "x", None), codes::PARAM_ERROR);
    assert_eq!(
        e.load_message_count(ConversationKey::new(0, "bob", ""), None),
        codes::PARAM_ERROR
    );
}
