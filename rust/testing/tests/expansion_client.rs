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

/// `n` pairs `k0..k{n-1}` of `len`-character values.
fn many(n: usize, len: usize) -> Map<String, Value> {
    (0..n)
        .map(|i| (format!("k{i}"), json!("v".repeat(len))))
        .collect()
}

/// The expansion a message is sent with follows the per-message limits on both sides (one
/// definition, `rcim_proto::expansion`): 21..=300 entries within the byte cap pass the client
/// and the server, and the receiver gets them all; 301 entries, or entries beyond the byte
/// cap, are refused by the client at once (34010) instead of failing at the server.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_message_is_sent_with_up_to_300_expansion_entries() {
    let server = TestServer::start().await;
    let mut alice = server.online("alice").await;
    let mut bob = server.online("bob").await;

    // 300 × 300 characters ≈ 94 KB and 21 × 4096 characters ≈ 86 KB: within 112 KiB.
    for (n, len) in [(21, 4096), (150, 16), (300, 300)] {
        let mut message = codec::new_text_message(1, "bob", None, &format!("{n} entries"));
        message.expansion = Some(many(n, len));
        alice.engine.send_message(message, None).unwrap();
        let sent = sent(&mut alice).await;
        assert_eq!(sent.expansion, Some(many(n, len)), "{n} entries stored");
        let uid = sent.message_uid.clone().unwrap();
        let Event::MessageReceived { message, .. } = bob
            .wait_for("received", |e| {
                matches!(e, Event::MessageReceived { message, .. }
                    if message.message_uid.as_deref() == Some(uid.as_str()))
            })
            .await
        else {
            unreachable!()
        };
        assert_eq!(
            message.expansion,
            Some(many(n, len)),
            "{n} entries received"
        );
    }

    for (n, len) in [(301, 1), (30, 4096)] {
        let mut message = codec::new_text_message(1, "bob", None, "too much");
        message.expansion = Some(many(n, len));
        let code = alice.engine.send_message(message, None).unwrap_err();
        assert_eq!(code.value(), 34010, "{n} × {len}");
    }
}
