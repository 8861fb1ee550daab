//! End to end: conversation top (pin) status and notification levels, stored on the server
//! as entries of the user's own inbox so their other (and offline) devices converge.

use rcim_core::{Code, ConversationKey, Event};
use rcim_testing::*;
use std::time::Duration;

const PRIVATE: u32 = 1;
const GROUP: u32 = 2;
const CHATROOM: u32 = 3;

fn key(ctype: u32, target: &str) -> ConversationKey {
    ConversationKey::new(ctype, target, "")
}

async fn top_of(client: &mut TestClient, k: &ConversationKey) -> bool {
    answer(client.engine.conversation_top_status(k.clone())).await
}

async fn level_of(client: &mut TestClient, k: &ConversationKey) -> u32 {
    answer(client.engine.conversation_notification_level(k.clone())).await
}

async fn top_targets(client: &mut TestClient) -> Vec<String> {
    let conversations = answer(client.engine.top_conversations(vec![PRIVATE, GROUP], "")).await;
    assert!(conversations.iter().all(|c| c.top));
    conversations.into_iter().map(|c| c.target_id).collect()
}

async fn blocked_targets(client: &mut TestClient) -> Vec<String> {
    let conversations = answer(
        client
            .engine
            .blocked_conversations(vec![PRIVATE, GROUP], ""),
    )
    .await;
    conversations.into_iter().map(|c| c.target_id).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pin_and_a_level_reach_the_users_offline_device() {
    let server = TestServer::start().await;
    let ta = server.token("alice").await;
    let mut phone = TestClient::new(&server.navi_url(), "alice");
    phone.connect(&ta).await;

    // Pinning a conversation without messages creates it.
    let bob = key(PRIVATE, "bob");
    assert!(!top_of(&mut phone, &bob).await);
    assert_eq!(
        phone
            .engine
            .change_conversation_top_status(bob.clone(), true, Some("pin".into())),
        Ok(())
    );
    let event = phone
        .wait_for("pinned", |e| {
            matches!(e, Event::ConversationTopStatusChanged { .. })
        })
        .await;
    assert_eq!(
        event,
        Event::ConversationTopStatusChanged {
            code: 0,
            key: bob.clone(),
            top: true,
            event_id: Some("pin".into()),
        }
    );
    assert!(top_of(&mut phone, &bob).await);
    assert_eq!(top_targets(&mut phone).await, vec!["bob".to_string()]);

    // Mute a group.
    let g1 = key(GROUP, "g1");
    assert_eq!(
        phone
            .engine
            .change_conversation_notification_level(g1.clone(), 5, Some("lvl".into())),
        Ok(())
    );
    let event = phone
        .wait_for("level", |e| {
            matches!(e, Event::ConversationNotificationLevelChanged { .. })
        })
        .await;
    assert_eq!(
        event,
        Event::ConversationNotificationLevelChanged {
            code: 0,
            key: g1.clone(),
            level: 5,
            event_id: Some("lvl".into()),
        }
    );
    assert_eq!(level_of(&mut phone, &g1).await, 5);
    assert_eq!(blocked_targets(&mut phone).await, vec!["g1".to_string()]);

    // The device that made the change is not told it was synced.
    let events = phone.drain(Duration::from_millis(300)).await;
    assert!(
        !events
            .iter()
            .any(|e| matches!(e, Event::ConversationTopStatusSynced { .. })),
        "{events:?}"
    );

    // Invalid arguments are refused at once.
    assert_eq!(
        phone
            .engine
            .change_conversation_top_status(key(CHATROOM, "room"), true, None),
        Err(Code::PARAM_ERROR)
    );
    assert_eq!(
        phone
            .engine
            .change_conversation_notification_level(g1.clone(), 6, None),
        Err(Code::PARAM_ERROR)
    );
    assert_eq!(
        phone.engine.top_conversations(vec![], "").err(),
        Some(Code::PARAM_ERROR)
    );

    phone.engine.disconnect(true).unwrap();
    phone
        .wait_for("signed out", |e| {
            matches!(e, Event::ConnectionStatusChanged { status: 7 })
        })
        .await;

    // Another installation of the same user (its own data directory and device id) connects
    // later: the pin arrives through sync, announced as synced; the level is just stored.
    let mut tablet = TestClient::new(&server.navi_url(), "alice");
    assert_ne!(tablet.engine.device_id(), phone.engine.device_id());
    tablet.connect(&ta).await;
    let event = tablet
        .wait_for("synced", |e| {
            matches!(e, Event::ConversationTopStatusSynced { .. })
        })
        .await;
    assert_eq!(
        event,
        Event::ConversationTopStatusSynced {
            key: bob.clone(),
            top: true,
        }
    );
    assert!(top_of(&mut tablet, &bob).await);
    assert_eq!(level_of(&mut tablet, &g1).await, 5);
    assert_eq!(blocked_targets(&mut tablet).await, vec!["g1".to_string()]);

    // The tablet unpins; the phone converges when it comes back.
    assert_eq!(
        tablet
            .engine
            .change_conversation_top_status(bob.clone(), false, None),
        Ok(())
    );
    tablet
        .wait_for("unpinned", |e| {
            matches!(e, Event::ConversationTopStatusChanged { code: 0, .. })
        })
        .await;
    assert!(top_targets(&mut tablet).await.is_empty());
    tablet.engine.disconnect(true).unwrap();
    tablet
        .wait_for("signed out", |e| {
            matches!(e, Event::ConnectionStatusChanged { status: 7 })
        })
        .await;
    phone.connect(&ta).await;
    let event = phone
        .wait_for("synced", |e| {
            matches!(e, Event::ConversationTopStatusSynced { .. })
        })
        .await;
    assert_eq!(
        event,
        Event::ConversationTopStatusSynced {
            key: bob.clone(),
            top: false,
        }
    );
    assert!(!top_of(&mut phone, &bob).await);
}

/// After `disconnect()` there is no session to queue a change in: it is refused at once (33001)
/// and nothing is stored. (While the connection is only lost, a change is queued and goes when
/// it is back: see `offline_operations.rs`.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_after_sign_out_is_refused() {
    let server = TestServer::start().await;
    let ta = server.token("alice").await;
    let mut phone = TestClient::new(&server.navi_url(), "alice");
    phone.connect(&ta).await;
    phone.engine.disconnect(true).unwrap();
    phone
        .wait_for("signed out", |e| {
            matches!(e, Event::ConnectionStatusChanged { status: 7 })
        })
        .await;
    let refused = phone
        .engine
        .change_conversation_top_status(key(PRIVATE, "bob"), true, None);
    assert_eq!(refused, Err(Code::CLIENT_NOT_INIT));
    assert!(!top_of(&mut phone, &key(PRIVATE, "bob")).await);
}
