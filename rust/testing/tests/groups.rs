//! End to end: group messaging between real engines and a real `rcim-server`.

use rcim_core::{codec, Code, ConversationKey, Event, Message};
use rcim_testing::*;
use std::time::Duration;

const GROUP: u32 = rcim_core::model::conversation_type::GROUP;

async fn create_group(server: &TestServer, group: &str, members: &[&str]) {
    let mut form: Vec<(&str, &str)> = members.iter().map(|m| ("userId", *m)).collect();
    form.push(("groupId", group));
    form.push(("groupName", "Team"));
    let reply = server_api(&server.navi_url(), "/group/create.json", &form).await;
    assert_eq!(reply["code"], 200, "create: {reply}");
}

fn send_group_text(client: &TestClient, group: &str, text: &str) -> Result<(), Code> {
    let message = codec::new_text_message(GROUP, group, None, text);
    client.engine.send_message(message, None)
}

async fn received(client: &mut TestClient) -> (Message, bool) {
    let Event::MessageReceived {
        message, offline, ..
    } = client
        .wait_for("received", |e| matches!(e, Event::MessageReceived { .. }))
        .await
    else {
        unreachable!()
    };
    (message, offline)
}

/// The conversation list of `client` (group conversations only).
async fn group_conversations(client: &mut TestClient) -> Vec<rcim_core::Conversation> {
    answer(client.engine.conversations(vec![GROUP], "", 0, 50)).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn group_text_reaches_every_member() {
    let server = TestServer::start().await;
    let ta = server.token("alice").await;
    let tb = server.token("bob").await;
    let tc = server.token("carol").await;
    let td = server.token("dave").await;
    create_group(&server, "team", &["alice", "bob", "carol"]).await;

    let mut alice = TestClient::new(&server.navi_url(), "alice");
    let mut bob = TestClient::new(&server.navi_url(), "bob");
    let mut carol = TestClient::new(&server.navi_url(), "carol");
    alice.connect(&ta).await;
    carol.connect(&tc).await;
    // bob stays offline for now.

    assert_eq!(send_group_text(&alice, "team", "hello team"), Ok(()));
    let Event::MessageSent { code, message, .. } = alice
        .wait_for("sent", |e| matches!(e, Event::MessageSent { .. }))
        .await
    else {
        unreachable!()
    };
    assert_eq!(code, 0);
    assert_eq!(message.sent_status, Some(2));
    assert_eq!(message.conversation_type, GROUP);
    assert_eq!(message.target_id, "team");
    let attached = alice
        .seen
        .iter()
        .position(|e| matches!(e, Event::MessageAttached { .. }))
        .expect("attached fired");
    assert!(attached < alice.seen.len() - 1);
    let uid = message.message_uid.clone().expect("uid");

    let (got, offline) = received(&mut carol).await;
    assert!(!offline);
    assert_eq!(text_of(&got), "hello team");
    assert_eq!(got.conversation_type, GROUP);
    assert_eq!(got.target_id, "team");
    assert_eq!(got.sender_user_id.as_deref(), Some("alice"));
    assert_eq!(got.message_uid.as_deref(), Some(uid.as_str()));

    // bob connects later and gets it through sync.
    bob.connect(&tb).await;
    let (got, offline) = received(&mut bob).await;
    assert!(offline);
    assert_eq!(text_of(&got), "hello team");
    assert_eq!(got.conversation_type, GROUP);
    assert_eq!(got.target_id, "team");
    assert_eq!(got.sender_user_id.as_deref(), Some("alice"));

    // The sender's own copy completed its row: no second message, no "received" event.
    let echoes = alice.drain(Duration::from_millis(500)).await;
    assert!(!echoes
        .iter()
        .any(|e| matches!(e, Event::MessageReceived { .. })));
    let convs = group_conversations(&mut alice).await;
    assert_eq!(convs.len(), 1);
    assert_eq!(
        (convs[0].target_id.as_str(), convs[0].unread_count),
        ("team", 0)
    );
    let messages =
        answer(
            alice
                .engine
                .messages(ConversationKey::new(GROUP, "team", ""), 0, 0, 0, 20),
        )
        .await;
    assert_eq!(messages.len(), 1, "one local row for the sender");
    for member in [&mut bob, &mut carol] {
        let convs = group_conversations(member).await;
        assert_eq!(convs.len(), 1);
        assert_eq!(convs[0].target_id, "team");
        assert_eq!(convs[0].unread_count, 1, "{}", member.user);
        assert_eq!(
            text_of(convs[0].last_message.as_ref().unwrap()),
            "hello team"
        );
    }

    // dave is not a member: his send fails with 22406.
    let mut dave = TestClient::new(&server.navi_url(), "dave");
    dave.connect(&td).await;
    assert_eq!(send_group_text(&dave, "team", "let me in"), Ok(()));
    let Event::MessageSent { code, message, .. } = dave
        .wait_for("sent", |e| matches!(e, Event::MessageSent { .. }))
        .await
    else {
        unreachable!()
    };
    assert_eq!(code, 22406);
    assert_eq!(message.sent_status, Some(1), "FAILED");
    let late = carol.drain(Duration::from_millis(400)).await;
    assert!(!late
        .iter()
        .any(|e| matches!(e, Event::MessageReceived { .. })));
}
