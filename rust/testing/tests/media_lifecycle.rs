//! End to end: the life of media transfers around the session: a transfer stays with the
//! user that started it, a cancel from `onMediaMessageAttached` stops the upload, temporary
//! files do not outlive their send, and a stalled file service fails the transfer.

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
    // Sent again although it was SENT: prepared (compressed) again, nothing uploaded.
    let again = send_media(&mut alice, sent.message, "again").await;
    assert_eq!((again.code, again.progress.len()), (0, 0));
    assert_eq!(files_in(&upload), Vec::<PathBuf>::new(), "after a resend");

    // An upload that fails: a file server nobody listens on.
    let mut carol = TestClient::with_options(&server.navi_url(), "carol", closed_file_server());
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
