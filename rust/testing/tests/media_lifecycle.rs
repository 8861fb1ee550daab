//! End to end: the life of media transfers around the session: a transfer stays with the
//! user that started it, a cancel from `onMediaMessageAttached` stops the upload, temporary
//! files do not outlive their send, a stalled file service fails the transfer, and a stale
//! `messageId` never rewrites another message.

use rcim_core::model::message_type;
use rcim_core::{ConversationKey, EngineOptions, Event, Message};
use rcim_testing::*;
use serde_json::json;
use std::path::PathBuf;
use std::time::Duration;

mod media_support;
use media_support::*;

/// Starts `sendMediaMessage` and returns the message of its `MediaMessageAttached`.
async fn attached(client: &mut TestClient, message: Message, call: &str) -> Message {
    assert_eq!(
        client
            .engine
            .send_media_message(message, Some(call.to_string())),
        Ok(())
    );
    let Event::MediaMessageAttached { message, .. } = client
        .wait_for("attached", |e| {
            matches!(e, Event::MediaMessageAttached { event_id, .. } if event_id.as_deref() == Some(call))
        })
        .await
    else {
        unreachable!()
    };
    message
}

/// The `MediaMessageSent` of call `call`: code and message.
async fn sent(client: &mut TestClient, call: &str) -> (i32, Message) {
    let Event::MediaMessageSent { code, message, .. } = client
        .wait_for("media sent", |e| {
            matches!(e, Event::MediaMessageSent { event_id, .. } if event_id.as_deref() == Some(call))
        })
        .await
    else {
        unreachable!()
    };
    (code, message)
}

fn upload_dir(client: &TestClient) -> PathBuf {
    client
        .engine
        .config()
        .media_dir(&client.user)
        .join("upload")
}

fn files_in(dir: &std::path::Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_upload_stays_with_its_user_when_another_one_connects() {
    let server = TestServer::start().await;
    let mut bob_device = server.online("bob").await;
    // One engine, two users: Bob first stores a message (row 1 of his database).
    let mut client = TestClient::new(&server.navi_url(), "bob");
    let bob_token = server.token("bob").await;
    client.connect(&bob_token).await;
    let bobs = client.send_and_wait("carol", "hello").await;
    client.engine.disconnect(false).unwrap();
    client.user = "alice".into();
    client.connect(&server.token("alice").await).await;
    let files = Files::new();
    let path = files.path("large.bin");
    random_file(&path, 90 * 1024 * 1024);
    let message = attached(&mut client, media(message_type::FILE, "bob", &path), "send").await;
    let id = message.message_id.unwrap();
    // The same row id in both databases: a hand-over to Bob's session would hit his row.
    assert_eq!(Some(id), bobs.message_id);
    client
        .wait_for("progress", |e| {
            matches!(e, Event::MediaMessageSending { .. })
        })
        .await;
    // Alice leaves and Bob signs in on the same engine while her upload runs.
    assert_eq!(client.engine.disconnect(false), Ok(()));
    let mark = client.seen.len();
    assert_eq!(client.engine.connect(&bob_token, 10, None), Ok(()));
    let (code, failed) = sent(&mut client, "send").await;
    assert_eq!(code, 34011, "{failed:?}");
    assert_eq!(failed.sent_status, Some(1), "FAILED");
    assert_eq!(failed.message_id, Some(id));
    client.user = "bob".into();
    let bob_connected =
        |e: &Event| matches!(e, Event::Connected { code: 0, user_id, .. } if user_id == "bob");
    // Its Connected may have come before the send's end.
    if !client.seen[mark..].iter().any(bob_connected) {
        client.wait_for("bob connected", bob_connected).await;
    }
    // Bob's database is untouched: his row is his text, sent; nothing was queued for Bob's
    // conversation with himself; nothing reached Bob's device.
    let in_bobs = answer(client.engine.message_by_id(id)).await;
    assert_eq!(in_bobs.message_type, message_type::TEXT);
    assert_eq!(text_of(&in_bobs), "hello");
    assert_eq!(in_bobs.sent_status, Some(2), "SENT");
    let key = ConversationKey::new(1, "bob", "");
    assert_eq!(answer(client.engine.message_count(key)).await, 0);
    assert!(!client
        .drain(Duration::from_millis(300))
        .await
        .iter()
        .any(|e| e.event_id() == Some("send")));
    assert!(!bob_device
        .drain(Duration::from_millis(300))
        .await
        .iter()
        .any(|e| matches!(e, Event::MessageReceived { .. })));
    // Alice's row is FAILED in her own database, with its local path and no remote.
    client.engine.disconnect(false).unwrap();
    client.user = "alice".into();
    client.connect(&server.token("alice").await).await;
    let stored = answer(client.engine.message_by_id(id)).await;
    assert_eq!(stored.sent_status, Some(1), "FAILED");
    assert_eq!(str_field(&stored, "remote"), "");
    assert_eq!(str_field(&stored, "local"), path.to_str().unwrap());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_cancel_from_the_attached_event_stops_the_upload() {
    let server = TestServer::start().await;
    let mut alice = server.online("alice").await;
    let mut bob = server.online("bob").await;
    let files = Files::new();
    let path = files.path("large.bin");
    random_file(&path, 90 * 1024 * 1024);
    let message = attached(&mut alice, media(message_type::FILE, "bob", &path), "send").await;
    // Right away, as a listener of onMediaMessageAttached would.
    let canceled = cancel_upload(&mut alice, &message, "send").await;
    assert_eq!(canceled.sent_status, Some(6), "CANCELED");
    let stored = answer(alice.engine.message_by_id(message.message_id.unwrap())).await;
    assert_eq!(stored.sent_status, Some(6));
    // Nothing else of the send call, and nothing sent.
    assert!(alice
        .drain(Duration::from_millis(500))
        .await
        .iter()
        .all(|e| e.event_id() != Some("send")));
    assert!(!bob
        .drain(Duration::from_millis(200))
        .await
        .iter()
        .any(|e| matches!(e, Event::MessageReceived { .. })));
}

/// Deterministic form of the test above: the app's event queue (one event long) is full
/// when `MediaMessageAttached` is emitted, so the send task waits in that emit until the test
/// reads events. The upload must be registered by then: a cancel call made while the event
/// has not even been delivered reaches it. An engine that registered after emitting would
/// answer 34204 for as long as nobody reads the events.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_upload_is_registered_before_its_attached_event_is_delivered() {
    let server = TestServer::start().await;
    let mut alice = TestClient::with_config(
        &server.navi_url(),
        "alice",
        EngineOptions::default(),
        |config| config.event_queue_len = 1,
    );
    alice.connect(&server.token("alice").await).await;
    alice.drain(Duration::from_millis(300)).await;
    let files = Files::new();
    // Fills the queue: its MessageAttached stays unread.
    alice.send_text("bob", "first").unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    while alice.events.is_empty() {
        assert!(
            std::time::Instant::now() < deadline,
            "the queue never filled"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let path = files.path("data.bin");
    assert_eq!(
        alice.engine.send_media_message(
            media(message_type::FILE, "carol", &path),
            Some("send".into())
        ),
        Ok(())
    );
    let to_carol = ConversationKey::new(1, "carol", "");
    let stored = loop {
        let stored = answer(alice.engine.messages(to_carol.clone(), 0, 1, 0, 1)).await;
        if let Some(stored) = stored.into_iter().next() {
            break stored;
        }
        assert!(std::time::Instant::now() < deadline, "never stored");
        tokio::time::sleep(Duration::from_millis(10)).await;
    };
    // No event read yet: the cancel must reach the upload all the same.
    let accepted = loop {
        let answer = alice
            .engine
            .cancel_sending_media_message(stored.clone(), Some("cancel".into()));
        if answer.is_ok() || std::time::Instant::now() > deadline {
            break answer;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    };
    assert_eq!(
        accepted,
        Ok(()),
        "the upload was not registered before its event"
    );
    let Event::SendingMediaMessageCanceled {
        code,
        message,
        ended_event_id,
        ..
    } = alice
        .wait_for("canceled", |e| {
            matches!(e, Event::SendingMediaMessageCanceled { .. })
        })
        .await
    else {
        unreachable!()
    };
    assert_eq!((code, ended_event_id.as_deref()), (0, Some("send")));
    assert_eq!(message.sent_status, Some(6), "CANCELED");
    assert!(
        alice.seen.iter().any(|e| matches!(
            e,
            Event::MediaMessageAttached { event_id, .. } if event_id.as_deref() == Some("send")
        )),
        "attached first"
    );
    assert!(
        !alice
            .seen
            .iter()
            .any(|e| matches!(e, Event::MediaMessageSending { .. })),
        "{:#?}",
        alice.seen
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn compressed_copies_do_not_outlive_their_send() {
    let server = TestServer::start().await;
    let files = Files::new();
    let big = files.path("big.jpg");
    let mut alice = TestClient::new(&server.navi_url(), "alice");
    // A crash left a compressed copy: the next session's start removes it.
    let upload = upload_dir(&alice);
    std::fs::create_dir_all(&upload).unwrap();
    std::fs::write(upload.join("left.jpg"), b"x").unwrap();
    alice.connect(&server.token("alice").await).await;
    assert_eq!(files_in(&upload), Vec::<PathBuf>::new(), "swept at connect");

    let sent = send_media(&mut alice, media(message_type::IMAGE, "bob", &big), "s").await;
    assert_eq!(sent.code, 0);
    assert_eq!(files_in(&upload), Vec::<PathBuf>::new(), "after an upload");
    // A compressed copy was made and uploaded: the file on the server is smaller.
    let (_, code, downloaded) = download(&mut alice, sent.message.clone(), "d").await;
    assert_eq!(code, 0);
    let uploaded = std::fs::metadata(str_field(&downloaded, "local"))
        .unwrap()
        .len();
    let original = std::fs::metadata(&big).unwrap().len();
    assert!(uploaded < original, "{uploaded} of {original} bytes");
    // Sent again although it was SENT: prepared (compressed) again, nothing uploaded.
    let again = send_media(&mut alice, sent.message, "again").await;
    assert_eq!((again.code, again.progress.len()), (0, 0));
    assert_eq!(files_in(&upload), Vec::<PathBuf>::new(), "after a resend");

    // An upload that fails: a file server nobody listens on.
    let (options, _refusing) = closed_file_server();
    let mut carol = TestClient::with_options(&server.navi_url(), "carol", options);
    carol.connect(&server.token("carol").await).await;
    let failed = send_media(&mut carol, media(message_type::IMAGE, "bob", &big), "f").await;
    assert_eq!(failed.code, 34011);
    assert_eq!(files_in(&upload_dir(&carol)), Vec::<PathBuf>::new());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_silent_file_service_fails_uploads_and_downloads() {
    let server = TestServer::start().await;
    // Accepts connections and never answers.
    let silent = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let file_server = format!("http://{}", silent.local_addr().unwrap());
    tokio::spawn(async move {
        let mut open = Vec::new();
        while let Ok((socket, _)) = silent.accept().await {
            open.push(socket);
        }
    });
    let options: EngineOptions =
        serde_json::from_value(json!({ "fileServer": file_server })).unwrap();
    let mut alice = TestClient::with_config(&server.navi_url(), "alice", options, |config| {
        config.media_stall_timeout = Duration::from_millis(500);
    });
    alice.connect(&server.token("alice").await).await;
    let files = Files::new();
    let started = std::time::Instant::now();
    let sent = send_media(
        &mut alice,
        media(message_type::VOICE, "bob", &files.path("voice.aac")),
        "v",
    )
    .await;
    assert_eq!(sent.code, 34011);
    assert_eq!(sent.message.sent_status, Some(1), "FAILED");
    let mut message = media(message_type::FILE, "bob", &files.path("data.bin"));
    message.fields.insert(
        "remote".into(),
        json!(format!("{file_server}/media/f/data.bin")),
    );
    let (_, code, _) = download(&mut alice, message, "d").await;
    assert_eq!(code, 34011);
    assert!(started.elapsed() < Duration::from_secs(10));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_stale_message_id_is_a_new_message_and_stamps_nothing() {
    let server = TestServer::start().await;
    let mut alice = server.online("alice").await;
    let mut bob = server.online("bob").await;
    let files = Files::new();
    let text = alice.send_and_wait("bob", "hello").await;
    let text_id = text.message_id.unwrap();
    // A media message object carrying the id of that text row (a stale object, or one from
    // another user's database): a new message, the text row untouched.
    let path = files.path("data.bin");
    let mut stale = media(message_type::FILE, "bob", &path);
    stale.message_id = Some(text_id);
    let sent = send_media(&mut alice, stale, "stale").await;
    assert_eq!(sent.code, 0, "{:?}", sent.message);
    assert_ne!(sent.message.message_id, Some(text_id));
    assert_eq!(sent.message.message_type, message_type::FILE);
    let row = answer(alice.engine.message_by_id(text_id)).await;
    assert_eq!(row.message_type, message_type::TEXT);
    assert_eq!(text_of(&row), "hello");
    assert_eq!(row.sent_status, Some(2), "SENT");

    // Bob downloads the file with the id of his text row: the file arrives, the text row
    // gets no local path.
    let received_text = bob.received().await;
    let received_file = bob.received().await;
    assert_eq!(received_file.message_type, message_type::FILE);
    let mut stale = received_file.clone();
    stale.message_id = received_text.message_id;
    let (_, code, downloaded) = download(&mut bob, stale, "down").await;
    assert_eq!(code, 0);
    assert_eq!(
        sha(std::path::Path::new(str_field(&downloaded, "local"))),
        sha(&path)
    );
    let text_row = answer(bob.engine.message_by_id(received_text.message_id.unwrap())).await;
    assert_eq!(text_row.message_type, message_type::TEXT);
    assert_eq!(str_field(&text_row, "local"), "");
    // Its own id stamps its own row.
    let (_, code, _) = download(&mut bob, received_file.clone(), "own").await;
    assert_eq!(code, 0);
    let file_row = answer(bob.engine.message_by_id(received_file.message_id.unwrap())).await;
    assert_ne!(str_field(&file_row, "local"), "");
}
