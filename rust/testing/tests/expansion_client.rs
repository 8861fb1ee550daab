//! End to end, the client side of message expansion: which messages may take an
//! update, and the outcome of one the server answers (the server side is tested with it).

use rcim_core::{codec, Event};
use rcim_testing::*;
use serde_json::{json, Map, Value};

fn pairs(v: Value) -> Map<String, Value> {
    v.as_object().unwrap().clone()
}

async fn sent(client: &mut TestClient) -> rcim_core::Message {
    let Event::MessageSent { message, .. } = client
        .wait_for("sent", |e| matches!(e, Event::MessageSent { code: 0, .. }))
        .await
    else {
        unreachable!()
    };
    message
}

/// Asks for the pair k=v on message `uid` (call `id`).
fn update(client: &TestClient, uid: &str, id: &str) {
    let pair = pairs(json!({"k": "v"}));
    client
        .engine
        .update_message_expansion(uid, pair, Some(id.to_string()))
        .unwrap();
}

async fn updated(client: &mut TestClient, id: &str) -> i32 {
    let Event::MessageExpansionUpdated { code, .. } = client
        .wait_for(
            "expansion updated",
            |e| matches!(e, Event::MessageExpansionUpdated { event_id: Some(i), .. } if i == id),
        )
        .await
    else {
        unreachable!()
    };
    code
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expansion_updates_need_a_stored_message_sent_with_expansion() {
    let server = TestServer::start().await;
    let mut alice = server.online("alice").await;
    let _bob = server.online("bob").await;

    let mut expandable = codec::new_text_message(1, "bob", None, "vote");
    expandable.expansion = Some(Map::new());
    alice.engine.send_message(expandable, None).unwrap();
    let expandable = sent(&mut alice).await;
    assert_eq!(
        expandable.expansion,
        Some(Map::new()),
        "enabled, even empty (R125)"
    );
    alice.send_text("bob", "plain").unwrap();
    let plain = sent(&mut alice).await;

    // No such message here: 1; sent without expansion: 34008 (both without asking the server).
    update(&alice, "NOPE", "a");
    assert_eq!(updated(&mut alice, "a").await, 1);
    update(&alice, plain.message_uid.as_deref().unwrap(), "b");
    assert_eq!(updated(&mut alice, "b").await, 34008);
    // An expandable message: the server answers; on success the stored message has the pair.
    let uid = expandable.message_uid.clone().unwrap();
    update(&alice, &uid, "c");
    let code = updated(&mut alice, "c").await;
    let stored = answer(alice.engine.message_by_uid(&uid)).await;
    if code == 0 {
        assert_eq!(stored.expansion, Some(pairs(json!({"k": "v"}))));
    } else {
        assert_eq!(stored.expansion, Some(Map::new()), "code {code}: unchanged");
    }
}
