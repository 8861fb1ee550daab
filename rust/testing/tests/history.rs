//! End to end: cloud history between real engines and a real `rcim-server`.

use rcim_core::engine::history::policy::{LOCAL, LOCAL_REMOTE, REMOTE};
use rcim_core::{ConversationKey, Event, Message};
use rcim_testing::*;
use std::time::Duration;

const PRIVATE: u32 = 1;
const BEFORE: u32 = 0;
const AFTER: u32 = 1;

async fn publish(server: &TestServer, from: &str, to: &str, text: &str) {
    let content = format!(r#"{{"content":"{text}"}}"#);
    let reply = server_api(
        &server.navi_url(),
        "/message/private/publish.json",
        &[
            ("fromUserId", from),
            ("toUserId", to),
            ("objectName", "RC:TxtMsg"),
            ("content", &content),
        ],
    )
    .await;
    assert_eq!(reply["code"], 200, "{reply}");
}

/// A server whose new devices get no offline compensation: their history comes from paging.
/// Registers alice and bob, publishes `texts` from alice to bob (oldest first); returns bob's
/// token.
async fn alice_wrote(server: &TestServer, texts: impl Iterator<Item = String>) -> String {
    server.token("alice").await;
    let bob_token = server.token("bob").await;
    for text in texts {
        publish(server, "alice", "bob", &text).await;
    }
    bob_token
}

/// A new device of bob, connected.
async fn bob_device(server: &TestServer, token: &str) -> TestClient {
    let mut bob = TestClient::new(&server.navi_url(), "bob");
    bob.connect(token).await;
    bob
}

async fn server_without_compensation() -> TestServer {
    TestServer::start_with(|c| c.offline_compensation_days = 0).await
}

async fn page(
    client: &TestClient,
    key: &ConversationKey,
    sent_time: i64,
    order: u32,
    policy: u32,
) -> Vec<Message> {
    answer(
        client
            .engine
            .messages(key.clone(), sent_time, order, policy, 20),
    )
    .await
}

/// Pages back from the newest message with LOCAL_REMOTE until a page is empty; the texts in
/// the order read (newest first).
async fn read_back(client: &TestClient, key: &ConversationKey) -> Vec<String> {
    let mut texts = Vec::new();
    let mut before = 0;
    loop {
        let got = page(client, key, before, BEFORE, LOCAL_REMOTE).await;
        if got.is_empty() {
            return texts;
        }
        assert!(got.len() <= 20);
        for pair in got.windows(2) {
            assert!(
                pair[0].sent_time > pair[1].sent_time,
                "BEFORE pages go back in time"
            );
        }
        before = got.last().unwrap().sent_time.unwrap();
        texts.extend(got.iter().map(text_of));
        assert!(texts.len() <= 10_000, "paging does not end");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_new_device_pages_back_5000_messages_once_in_order_and_reads_them_again_locally() {
    const TOTAL: usize = 5000;
    let server = server_without_compensation().await;
    let bob_token = alice_wrote(&server, (0..TOTAL).map(|i| format!("m{i}"))).await;
    // Bob's new device: nothing comes through the inbox (no compensation).
    let mut bob = bob_device(&server, &bob_token).await;
    let key = ConversationKey::new(PRIVATE, "alice", "");
    assert!(page(&bob, &key, 0, BEFORE, LOCAL).await.is_empty());

    let texts = read_back(&bob, &key).await;
    let expected: Vec<String> = (0..TOTAL).rev().map(|i| format!("m{i}")).collect();
    assert_eq!(texts.len(), TOTAL);
    assert!(texts == expected, "every message once, in order, no gap");
    let fetched = bob.engine.history_requests();
    assert_eq!(
        fetched as usize,
        TOTAL / 20,
        "one server page per page read"
    );

    // The second pass is served by the store: the newest page was fetched while the inbox
    // was caught up, so newer messages would have come through the inbox.
    assert!(read_back(&bob, &key).await == expected);
    assert_eq!(
        bob.engine.history_requests(),
        fetched,
        "no server request on the second pass"
    );
    // Stored history is neither unread nor announced.
    assert_eq!(answer(bob.engine.unread_count(key.clone())).await, 0);
    let received = bob
        .drain(Duration::from_millis(300))
        .await
        .into_iter()
        .filter(|e| matches!(e, Event::MessageReceived { .. }))
        .count();
    assert_eq!(received, 0);
    assert_eq!(answer(bob.engine.message_count(key)).await, TOTAL as u64);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn remote_and_after_pages_and_live_messages_join_the_history() {
    let server = server_without_compensation().await;
    let bob_token = alice_wrote(&server, (0..30).map(|i| format!("m{i}"))).await;
    let mut bob = bob_device(&server, &bob_token).await;
    let key = ConversationKey::new(PRIVATE, "alice", "");

    // REMOTE: the server's page, stored too (with message ids).
    let remote = page(&bob, &key, 0, BEFORE, REMOTE).await;
    let texts: Vec<_> = remote.iter().map(text_of).collect();
    let expected: Vec<_> = (10..30).rev().map(|i| format!("m{i}")).collect();
    assert_eq!(texts, expected);
    assert!(remote.iter().all(|m| m.message_id.is_some()));
    assert_eq!(bob.engine.history_requests(), 1);
    // The same page with LOCAL_REMOTE: held, and fetched up to the server's head while the
    // inbox was caught up: served locally.
    let again = page(&bob, &key, 0, BEFORE, LOCAL_REMOTE).await;
    assert_eq!(again.iter().map(text_of).collect::<Vec<_>>(), expected);
    assert_eq!(bob.engine.history_requests(), 1);

    // AFTER from the oldest: not held yet (the start is unknown), fetched once.
    let first = page(&bob, &key, 0, AFTER, LOCAL_REMOTE).await;
    let texts: Vec<_> = first.iter().map(text_of).collect();
    assert_eq!(texts, (0..20).map(|i| format!("m{i}")).collect::<Vec<_>>());
    assert_eq!(bob.engine.history_requests(), 2);
    let all = page(&bob, &key, 0, AFTER, LOCAL_REMOTE).await;
    assert_eq!(all.len(), 20);
    assert_eq!(bob.engine.history_requests(), 2, "everything held now");

    // A live message extends the newest range and makes it reach now: the newest page
    // stays local.
    publish(&server, "alice", "bob", "live").await;
    let got = bob.received().await;
    assert_eq!(text_of(&got), "live");
    let newest = page(&bob, &key, 0, BEFORE, LOCAL_REMOTE).await;
    assert_eq!(text_of(&newest[0]), "live");
    assert_eq!(bob.engine.history_requests(), 2);
    let again = page(&bob, &key, 0, BEFORE, LOCAL_REMOTE).await;
    assert_eq!(again.len(), 20);
    assert_eq!(bob.engine.history_requests(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn local_remote_offline_answers_the_network_code() {
    let mut server = server_without_compensation().await;
    server.token("alice").await;
    let bob_token = server.token("bob").await;
    publish(&server, "alice", "bob", "m0").await;
    let mut bob = TestClient::with_config(&server.navi_url(), "bob", Default::default(), |c| {
        c.send_timeout = Duration::from_secs(1)
    });
    bob.connect(&bob_token).await;
    server.kill();
    let key = ConversationKey::new(PRIVATE, "alice", "");
    let got = bob
        .engine
        .messages(key.clone(), 0, BEFORE, LOCAL_REMOTE, 20)
        .unwrap()
        .await;
    assert!(
        matches!(got, Err(code) if code.0 == 30002 || code.0 == 30003),
        "{got:?}"
    );
    // LOCAL still answers what is stored.
    assert!(page(&bob, &key, 0, BEFORE, LOCAL).await.is_empty());
}

async fn messages(
    client: &TestClient,
    key: &ConversationKey,
    sent_time: i64,
    order: u32,
    policy: u32,
    count: u32,
) -> Vec<String> {
    let got = answer(
        client
            .engine
            .messages(key.clone(), sent_time, order, policy, count),
    )
    .await;
    got.iter().map(text_of).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_short_server_page_never_leaves_a_gap_before_an_older_held_range() {
    let server = server_without_compensation().await;
    server.token("alice").await;
    let bob_token = server.token("bob").await;
    let big = "x".repeat(60 * 1024);
    for i in 0..10 {
        publish(&server, "alice", "bob", &format!("s{i}")).await;
    }
    for i in 0..10 {
        publish(&server, "alice", "bob", &format!("B{i}{big}")).await;
    }
    for i in 0..10 {
        publish(&server, "alice", "bob", &format!("t{i}")).await;
    }
    let mut bob = TestClient::new(&server.navi_url(), "bob");
    bob.connect(&bob_token).await;
    let key = ConversationKey::new(PRIVATE, "alice", "");
    // The newest ten and the oldest ten are held; the big ones between are not.
    let newest = messages(&bob, &key, 0, BEFORE, LOCAL_REMOTE, 10).await;
    assert_eq!(newest.last().map(String::as_str), Some("t0"));
    let oldest = messages(&bob, &key, 0, AFTER, LOCAL_REMOTE, 10).await;
    assert_eq!(oldest.last().map(String::as_str), Some("s9"));
    let t0 = answer(bob.engine.messages(key.clone(), 0, BEFORE, LOCAL, 10)).await[9]
        .sent_time
        .unwrap();

    // Paging back from t0: the server's pages of big messages are short (its byte cap);
    // every page ends where the server's did, so each big one is read, once, in order.
    let mut texts = Vec::new();
    let mut before = t0;
    loop {
        let got = answer(
            bob.engine
                .messages(key.clone(), before, BEFORE, LOCAL_REMOTE, 20),
        )
        .await;
        let Some(last) = got.last() else { break };
        before = last.sent_time.unwrap();
        texts.extend(
            got.iter()
                .map(|m| text_of(m).chars().take(2).collect::<String>()),
        );
        assert!(texts.len() <= 100, "paging does not end");
    }
    let expected: Vec<String> = (0..10)
        .rev()
        .map(|i| format!("B{i}"))
        .chain((0..10).rev().map(|i| format!("s{i}")))
        .collect();
    assert_eq!(texts, expected);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_clear_of_everything_queued_offline_keeps_what_arrived_after_the_call() {
    let mut server = TestServer::start().await;
    server.token("alice").await;
    let bob_token = server.token("bob").await;
    let mut phone = TestClient::new(&server.navi_url(), "bob");
    phone.connect(&bob_token).await;
    publish(&server, "alice", "bob", "before").await;
    phone.received().await;

    // Offline: the clear of everything waits in the outbox (across an app restart).
    server.kill();
    let key = ConversationKey::new(PRIVATE, "alice", "");
    assert_eq!(
        phone
            .engine
            .clear_messages(key.clone(), 0, REMOTE, Some("c".into())),
        Ok(())
    );
    phone.restart_engine().await;
    server.restart().await;
    // A message the user's other devices get before the clear reaches the server.
    publish(&server, "alice", "bob", "after").await;
    phone.connect(&bob_token).await;
    let Event::MessagesCleared { code, .. } = phone
        .wait_for("cleared", |e| matches!(e, Event::MessagesCleared { .. }))
        .await
    else {
        unreachable!()
    };
    assert_eq!(code, 0);

    // The cloud history lost what was there at the call only.
    let mut tablet = TestClient::new(&server.navi_url(), "bob");
    tablet.connect(&bob_token).await;
    let cloud = messages(&tablet, &key, 0, BEFORE, REMOTE, 20).await;
    assert_eq!(cloud, ["after"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deleted_messages_stay_deleted_locally_but_remote_pages_show_the_cloud() {
    let server = server_without_compensation().await;
    let bob_token = alice_wrote(&server, (0..5).map(|i| format!("m{i}"))).await;
    let bob = bob_device(&server, &bob_token).await;
    let key = ConversationKey::new(PRIVATE, "alice", "");
    let all = page(&bob, &key, 0, BEFORE, LOCAL_REMOTE).await;
    assert_eq!(all.len(), 5);
    let m2 = all.iter().find(|m| text_of(m) == "m2").unwrap().clone();
    answer(bob.engine.delete_local_messages(vec![m2])).await;

    // REMOTE: the cloud's page; the deleted message comes without a message id and is not
    // stored again.
    let remote = page(&bob, &key, 0, BEFORE, REMOTE).await;
    assert_eq!(remote.len(), 5);
    let again = remote.iter().find(|m| text_of(m) == "m2").unwrap();
    assert_eq!(again.message_id, None);
    let local = messages(&bob, &key, 0, BEFORE, LOCAL, 20).await;
    assert_eq!(local, ["m4", "m3", "m1", "m0"]);
    assert_eq!(
        messages(&bob, &key, 0, BEFORE, LOCAL_REMOTE, 20).await,
        local
    );
    // No conversation appeared from reading history.
    assert!(answer(bob.engine.conversation(key.clone())).await.is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn with_compensation_paging_while_the_inbox_syncs_receives_every_message_once() {
    const TOTAL: usize = 300;
    // The server's default: a new device gets the last day through its inbox.
    let server = TestServer::start().await;
    let bob_token = alice_wrote(&server, (0..TOTAL).map(|i| format!("m{i}"))).await;
    let mut bob = bob_device(&server, &bob_token).await;
    let key = ConversationKey::new(PRIVATE, "alice", "");
    // Paging starts at once, while the inbox is still being stored: pages read from the
    // newest reach messages the inbox has not brought yet.
    let texts = read_back(&bob, &key).await;
    let expected: Vec<String> = (0..TOTAL).rev().map(|i| format!("m{i}")).collect();
    assert!(texts == expected, "every message once, in order, no gap");

    // Every message is received (announced) once, whichever came first, and counts unread.
    let mut received = std::collections::HashSet::new();
    while received.len() < TOTAL {
        match bob.next(Duration::from_secs(10)).await {
            Some(Event::MessageReceived { message, .. }) => {
                assert!(received.insert(text_of(&message)), "announced twice");
            }
            Some(_) => {}
            None => panic!("only {} of {TOTAL} received", received.len()),
        }
    }
    assert_eq!(
        answer(bob.engine.unread_count(key.clone())).await,
        TOTAL as u64
    );
    // The second pass is local.
    let fetched = bob.engine.history_requests();
    assert!(read_back(&bob, &key).await == expected);
    assert_eq!(bob.engine.history_requests(), fetched, "no server request");
    assert_eq!(answer(bob.engine.message_count(key)).await, TOTAL as u64);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_late_group_member_pages_to_the_start_of_their_membership() {
    const GROUP: u32 = 2;
    let server = server_without_compensation().await;
    server.token("alice").await;
    let dave_token = server.token("dave").await;
    let group = |path: &'static str, user: &'static str| {
        let navi = server.navi_url();
        async move {
            let form = [("userId", user), ("groupId", "team"), ("groupName", "Team")];
            let reply = server_api(&navi, path, &form).await;
            assert_eq!(reply["code"], 200, "{reply}");
        }
    };
    let say = |text: String| {
        let navi = server.navi_url();
        async move {
            let content = format!(r#"{{"content":"{text}"}}"#);
            let form = [
                ("fromUserId", "alice"),
                ("toGroupId", "team"),
                ("objectName", "RC:TxtMsg"),
                ("content", content.as_str()),
            ];
            let reply = server_api(&navi, "/message/group/publish.json", &form).await;
            assert_eq!(reply["code"], 200, "{reply}");
        }
    };
    group("/group/create.json", "alice").await;
    for i in 0..30 {
        say(format!("early{i}")).await;
    }
    // Sent times are strictly increasing per conversation, so a burst runs ahead of the
    // clock, while the server records the join at its clock: let the clock catch up (a server
    // finding: a join right after a burst sees its last messages).
    tokio::time::sleep(Duration::from_millis(200)).await;
    group("/group/join.json", "dave").await;
    for i in 0..30 {
        say(format!("late{i}")).await;
    }
    let mut dave = TestClient::new(&server.navi_url(), "dave");
    dave.connect(&dave_token).await;
    let key = ConversationKey::new(GROUP, "team", "");
    let texts = read_back(&dave, &key).await;
    let expected: Vec<String> = (0..30).rev().map(|i| format!("late{i}")).collect();
    assert_eq!(texts, expected, "only what was sent after the join");
    // From the start onwards: the same messages, oldest first, and nothing more is asked.
    let fetched = dave.engine.history_requests();
    let first = messages(&dave, &key, 0, AFTER, LOCAL_REMOTE, 20).await;
    assert_eq!(
        first,
        (0..20).map(|i| format!("late{i}")).collect::<Vec<_>>()
    );
    assert_eq!(dave.engine.history_requests(), fetched);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_old_inserted_message_does_not_make_held_pages_fetched_again() {
    let server = server_without_compensation().await;
    let bob_token = alice_wrote(&server, (0..18).map(|i| format!("m{i}"))).await;
    let mut bob = bob_device(&server, &bob_token).await;
    // The 19th through the inbox: the held history reaches the newest message.
    publish(&server, "alice", "bob", "live").await;
    assert_eq!(text_of(&bob.received().await), "live");
    // Older than the whole cloud history, without a history sequence.
    let mut old = rcim_core::codec::new_text_message(PRIVATE, "alice", None, "old");
    old.sent_time = Some(1);
    old.direction = Some(1);
    answer(bob.engine.insert_message(old)).await;
    let key = ConversationKey::new(PRIVATE, "alice", "");
    let first = page(&bob, &key, 0, BEFORE, LOCAL_REMOTE).await;
    assert_eq!(first.len(), 20);
    assert_eq!(text_of(&first[0]), "live");
    assert_eq!(text_of(&first[19]), "old");
    assert_eq!(bob.engine.history_requests(), 1);
    let second = page(&bob, &key, 0, BEFORE, LOCAL_REMOTE).await;
    assert_eq!(second.len(), 20);
    assert_eq!(bob.engine.history_requests(), 1, "served locally");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_device_reading_from_the_oldest_first_still_gets_the_newest_from_the_server() {
    let server = server_without_compensation().await;
    let bob_token = alice_wrote(&server, (0..30).map(|i| format!("m{i}"))).await;
    // Bob's new device starts at the inbox head: nothing of the 30 comes through the inbox.
    let mut bob = bob_device(&server, &bob_token).await;
    let key = ConversationKey::new(PRIVATE, "alice", "");

    // From the oldest first: the range held (m0..m19) is the highest one, but no inbox
    // message proves it reaches the newest.
    let first = messages(&bob, &key, 0, AFTER, LOCAL_REMOTE, 20).await;
    assert_eq!(first, (0..20).map(|i| format!("m{i}")).collect::<Vec<_>>());
    assert_eq!(bob.engine.history_requests(), 1);
    // The newest page is asked from the server, not answered with m19..m0.
    let newest = messages(&bob, &key, 0, BEFORE, LOCAL_REMOTE, 20).await;
    assert_eq!(
        newest,
        (10..30).rev().map(|i| format!("m{i}")).collect::<Vec<_>>()
    );
    assert_eq!(bob.engine.history_requests(), 2);

    // A live message proves the newest range reaches now: from then on it is local.
    publish(&server, "alice", "bob", "live").await;
    assert_eq!(text_of(&bob.received().await), "live");
    let newest = messages(&bob, &key, 0, BEFORE, LOCAL_REMOTE, 20).await;
    assert_eq!(newest[0], "live");
    assert_eq!(
        newest[1..],
        (11..30).rev().map(|i| format!("m{i}")).collect::<Vec<_>>()
    );
    assert_eq!(bob.engine.history_requests(), 2, "served locally");
}
