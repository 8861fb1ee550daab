//! End to end: operations made while the server is down are stored first, survive an app
//! restart, and reach the server once when it is back; the user's other device sees each once.

use rcim_core::model::message_type;
use rcim_core::{ConversationKey, Event};
use rcim_testing::*;
use std::time::Duration;

const PRIVATE: u32 = 1;
const SUSPEND: u32 = rcim_core::model::connection_status::SUSPEND;

fn count(events: &[Event], pred: impl Fn(&Event) -> bool) -> usize {
    events.iter().filter(|e| pred(e)).count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn recall_pin_and_read_receipt_made_while_the_server_is_down_survive_a_restart() {
    let mut server = TestServer::start().await;
    let ta = server.token("alice").await;
    let tb = server.token("bob").await;
    let mut phone = TestClient::new(&server.navi_url(), "alice");
    let mut bob = TestClient::new(&server.navi_url(), "bob");
    phone.connect(&ta).await;
    bob.connect(&tb).await;

    assert_eq!(phone.send_text("bob", "oops"), Ok(()));
    let oops = phone.sent().await;
    let oops_at_bob = bob.received().await;
    assert_eq!(bob.send_text("alice", "read me"), Ok(()));
    let read_me = phone.received().await;
    bob.sent().await;

    server.kill();
    phone
        .wait_for("suspended", |e| {
            matches!(e, Event::ConnectionStatusChanged { status: SUSPEND })
        })
        .await;

    let bob_key = ConversationKey::new(PRIVATE, "bob", "");
    assert_eq!(
        phone.engine.recall_message(oops.clone(), Some("r".into())),
        Ok(())
    );
    assert_eq!(
        phone
            .engine
            .change_conversation_top_status(bob_key.clone(), true, Some("p".into())),
        Ok(())
    );
    let read_time = read_me.sent_time.unwrap();
    assert_eq!(
        phone
            .engine
            .send_private_read_receipt_message("bob", "", read_time, Some("rr".into())),
        Ok(())
    );
    // Nothing is failed while the server is down: the operations wait.
    let meanwhile = phone.drain(Duration::from_millis(700)).await;
    assert_eq!(
        count(&meanwhile, |e| matches!(
            e,
            Event::MessageRecalled { .. }
                | Event::ConversationTopStatusChanged { .. }
                | Event::PrivateReadReceiptMessageSent { .. }
        )),
        0,
        "{meanwhile:?}"
    );

    // The app is killed and started again on the same data; then the server comes back.
    phone.restart_engine().await;
    server.restart().await;
    phone.connect(&ta).await;

    // The three results, in any order.
    let results = |e: &Event| {
        matches!(
            e,
            Event::MessageRecalled { .. }
                | Event::ConversationTopStatusChanged { .. }
                | Event::PrivateReadReceiptMessageSent { .. }
        )
    };
    for _ in 0..3 {
        phone.wait_for("a result", results).await;
    }
    let recalled = phone
        .seen
        .iter()
        .find(|e| matches!(e, Event::MessageRecalled { .. }))
        .cloned()
        .expect("recall reported");
    let Event::MessageRecalled {
        code,
        message,
        event_id,
    } = &recalled
    else {
        unreachable!()
    };
    assert_eq!(
        (*code, event_id.clone()),
        (0, None),
        "listener only after a restart"
    );
    assert_eq!(message.message_type, message_type::RECALL);
    assert_eq!(message.message_uid, oops.message_uid);
    let later = phone.drain(Duration::from_millis(1500)).await;
    let all: Vec<Event> = phone.seen.clone();
    assert!(all.contains(&Event::ConversationTopStatusChanged {
        code: 0,
        key: bob_key.clone(),
        top: true,
        event_id: None,
    }));
    assert!(all.contains(&Event::PrivateReadReceiptMessageSent {
        code: 0,
        target_id: "bob".into(),
        channel_id: String::new(),
        timestamp: read_time,
        event_id: None,
    }));
    for (what, n) in [
        (
            "recall",
            count(&all, |e| matches!(e, Event::MessageRecalled { .. })),
        ),
        (
            "pin",
            count(&all, |e| {
                matches!(e, Event::ConversationTopStatusChanged { .. })
            }),
        ),
        (
            "receipt",
            count(&all, |e| {
                matches!(e, Event::PrivateReadReceiptMessageSent { .. })
            }),
        ),
    ] {
        assert_eq!(n, 1, "{what} reported once: {later:?}");
    }

    // The peer sees the recall and the receipt once (it reconnects by itself).
    bob.wait_for("remote recall", |e| {
        matches!(e, Event::RemoteMessageRecalled { .. })
    })
    .await;
    bob.wait_for("receipt", |e| {
        matches!(e, Event::PrivateReadReceiptReceived { .. })
    })
    .await;
    let bob_later = bob.drain(Duration::from_millis(1000)).await;
    assert_eq!(
        count(
            &bob.seen,
            |e| matches!(e, Event::RemoteMessageRecalled { message }
            if message.message_uid == oops_at_bob.message_uid)
        ),
        1,
        "{bob_later:?}"
    );
    assert_eq!(
        count(&bob.seen, |e| matches!(
            e,
            Event::PrivateReadReceiptReceived { target_id, timestamp, .. }
                if target_id == "alice" && *timestamp == read_time
        )),
        1
    );

    // The user's other device syncs the pin once, and the message as recalled.
    phone.engine.disconnect(true).unwrap();
    phone
        .wait_for("signed out", |e| {
            matches!(e, Event::ConnectionStatusChanged { status: 7 })
        })
        .await;
    let mut tablet = TestClient::new(&server.navi_url(), "alice");
    tablet.connect(&ta).await;
    tablet
        .wait_for("synced", |e| {
            matches!(e, Event::ConversationTopStatusSynced { .. })
        })
        .await;
    tablet.drain(Duration::from_millis(1000)).await;
    assert_eq!(
        count(&tablet.seen, |e| {
            *e == Event::ConversationTopStatusSynced {
                key: bob_key.clone(),
                top: true,
            }
        }),
        1
    );
    assert_eq!(
        count(&tablet.seen, |e| matches!(
            e,
            Event::ConversationTopStatusSynced { .. }
        )),
        1
    );
    let messages = answer(tablet.engine.messages(bob_key.clone(), 0, 0, 0, 20)).await;
    let mine = messages
        .iter()
        .find(|m| m.message_uid == oops.message_uid)
        .expect("the recalled message synced");
    assert_eq!(mine.message_type, message_type::RECALL);
    // The receipt cleared the conversation's unread count on the other device too.
    assert_eq!(answer(tablet.engine.unread_count(bob_key)).await, 0);
}

/// Without a restart the call's own callback gets the outcome, once, when the server is back.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_recall_made_while_the_server_is_down_reports_to_its_call_when_it_is_back() {
    let mut server = TestServer::start().await;
    let ta = server.token("alice").await;
    server.token("bob").await;
    let mut phone = TestClient::new(&server.navi_url(), "alice");
    phone.connect(&ta).await;
    assert_eq!(phone.send_text("bob", "oops"), Ok(()));
    let oops = phone.sent().await;

    server.kill();
    phone
        .wait_for("suspended", |e| {
            matches!(e, Event::ConnectionStatusChanged { status: SUSPEND })
        })
        .await;
    assert_eq!(
        phone.engine.recall_message(oops.clone(), Some("r".into())),
        Ok(())
    );
    server.restart().await;
    let recalled = phone
        .wait_for("recalled", |e| matches!(e, Event::MessageRecalled { .. }))
        .await;
    assert!(
        matches!(&recalled, Event::MessageRecalled { code: 0, event_id: Some(id), message }
            if id == "r" && message.message_type == message_type::RECALL),
        "{recalled:?}"
    );
    let later = phone.drain(Duration::from_millis(1000)).await;
    assert_eq!(
        count(&later, |e| matches!(e, Event::MessageRecalled { .. })),
        0,
        "{later:?}"
    );
}
