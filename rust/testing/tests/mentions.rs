//! End to end: @-mentions in a group raise the mentioned user's `mentionedCount` and
//! unread-mentioned count, reading the conversation clears them; `extra` reaches the receiver
//! (R070); `getMessageByUId` finds a received message.

use rcim_core::{codec, ConversationKey, Event, Message};
use rcim_testing::*;
use serde_json::json;

const GROUP: u32 = rcim_core::model::conversation_type::GROUP;

async fn received(client: &mut TestClient) -> Message {
    let Event::MessageReceived { message, .. } = client
        .wait_for("received", |e| matches!(e, Event::MessageReceived { .. }))
        .await
    else {
        unreachable!()
    };
    message
}

async fn mentioned_count(client: &TestClient, key: &ConversationKey) -> u64 {
    let conversation = answer(client.engine.conversation(key.clone()))
        .await
        .expect("the conversation");
    let count = answer(client.engine.unread_mentioned_count(key.clone())).await;
    assert_eq!(conversation.mentioned_count, count);
    count
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_group_mention_counts_for_the_mentioned_user_until_read() {
    let server = TestServer::start().await;
    let form = [
        ("userId", "alice"),
        ("userId", "bob"),
        ("userId", "carol"),
        ("groupId", "g1"),
        ("groupName", "Team"),
    ];
    let reply = server_api(&server.navi_url(), "/group/create.json", &form).await;
    assert_eq!(reply["code"], 200, "{reply}");
    let mut alice = server.online("alice").await;
    let mut bob = server.online("bob").await;
    let mut carol = server.online("carol").await;
    let g1 = ConversationKey::new(GROUP, "g1", "");

    let mut to_bob = codec::new_text_message(GROUP, "g1", None, "@bob look");
    to_bob.mentioned_info =
        Some(json!({"type": 1, "userIdList": ["bob"], "mentionedContent": "alice: @bob"}));
    to_bob.extra = Some("extra for everyone".into());
    alice.engine.send_message(to_bob, None).unwrap();
    let at_bob = received(&mut bob).await;
    assert_eq!(at_bob.extra.as_deref(), Some("extra for everyone"), "R070");
    assert_eq!(
        at_bob.mentioned_info,
        Some(json!({"type": 1, "userIdList": ["bob"], "mentionedContent": "alice: @bob"}))
    );
    received(&mut carol).await;
    assert_eq!(mentioned_count(&bob, &g1).await, 1);
    assert_eq!(mentioned_count(&carol, &g1).await, 0);

    let mut to_all = codec::new_text_message(GROUP, "g1", None, "@all meeting");
    to_all.mentioned_info = Some(json!({"type": 0}));
    alice.engine.send_message(to_all, None).unwrap();
    received(&mut bob).await;
    received(&mut carol).await;
    assert_eq!(mentioned_count(&bob, &g1).await, 2);
    assert_eq!(mentioned_count(&carol, &g1).await, 1);
    let unread = answer(bob.engine.unread_mentioned_messages(g1.clone())).await;
    let texts: Vec<String> = unread.iter().map(text_of).collect();
    assert_eq!(texts, ["@bob look", "@all meeting"]);
    // The sender's own copy never counts.
    alice
        .wait_for("sent", |e| matches!(e, Event::MessageSent { code: 0, .. }))
        .await;

    // getMessageByUId finds the received message.
    let uid = at_bob.message_uid.clone().expect("a uid");
    let found = answer(bob.engine.message_by_uid(&uid)).await;
    assert_eq!(found.message_id, at_bob.message_id);

    // Reading the conversation clears both counts.
    answer(bob.engine.clear_unread_count(g1.clone(), 0)).await;
    assert_eq!(mentioned_count(&bob, &g1).await, 0);
    assert!(answer(bob.engine.unread_mentioned_messages(g1.clone()))
        .await
        .is_empty());
    assert_eq!(answer(bob.engine.unread_count(g1)).await, 0);
}
