//! End to end: media messages between real engines and a real `rcim-server` file service
//! (upload tickets over the gateway, `PUT`/`GET /media/...` on its HTTP listener).

use base64::Engine as _;
use rcim_core::media::transfer;
use rcim_core::model::message_type;
use rcim_core::{Code, ConversationKey, EngineOptions, Event, Message};
use rcim_testing::*;

mod media_support;
use media_support::*;
use serde_json::json;
use std::path::{Path, PathBuf};
use std::time::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_media_type_is_sent_received_and_downloaded_byte_for_byte() {
    init_logging();
    let server = TestServer::start().await;
    let mut alice = server.online("alice").await;
    let mut bob = server.online("bob").await;
    let files = Files::new();
    let cases = [
        (message_type::IMAGE, "small.png"),
        (message_type::GIF, "anim.gif"),
        (message_type::FILE, "data.bin"),
        (message_type::VOICE, "voice.aac"),
        (message_type::SIGHT, "clip.mp4"),
    ];
    for (kind, name) in cases {
        let path = files.path(name);
        let sent = send_media(&mut alice, media(kind, "bob", &path), name).await;
        assert_eq!(sent.code, 0, "{name}: {:?}", sent.message);
        assert_eq!(sent.attached.sent_status, Some(0), "attached SENDING");
        assert!(sent.attached.message_id.is_some());
        assert_eq!(str_field(&sent.attached, "local"), path.to_str().unwrap());
        assert_rising_to_100(&sent.progress);
        assert_eq!(sent.message.sent_status, Some(2));
        let remote = str_field(&sent.message, "remote").to_string();
        assert!(remote.starts_with(&server.navi_url()), "{remote}");

        let received = bob.received().await;
        assert_eq!(received.message_type, kind, "{name}: {received:?}");
        assert_eq!(str_field(&received, "remote"), remote);
        let (progress, code, downloaded) = download(&mut bob, received.clone(), name).await;
        assert_eq!(code, 0);
        assert_rising_to_100(&progress);
        let local = PathBuf::from(str_field(&downloaded, "local"));
        assert_eq!(sha(&local), sha(&path), "{name}: bytes differ");
        // The path is kept with the stored message.
        let stored = answer(bob.engine.message_by_id(received.message_id.unwrap())).await;
        assert_eq!(str_field(&stored, "local"), local.to_str().unwrap());
        match kind {
            message_type::IMAGE => {
                let thumb = base64::engine::general_purpose::STANDARD
                    .decode(str_field(&received, "thumbnailBase64String"))
                    .unwrap();
                let thumb = image::load_from_memory(&thumb).unwrap();
                assert!(thumb.width().max(thumb.height()) <= 240);
            }
            message_type::GIF => {
                assert_eq!(received.fields["width"], 33);
                assert_eq!(received.fields["height"], 21);
                assert_eq!(
                    received.fields["dataSize"],
                    std::fs::metadata(&path).unwrap().len()
                );
            }
            message_type::FILE => {
                assert_eq!(received.fields["name"], "data.bin");
                assert_eq!(received.fields["fileType"], "bin");
                assert_eq!(received.fields["size"], 2 * 1024 * 1024);
            }
            _ => assert_eq!(received.fields["duration"], 7),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn large_images_are_compressed_with_the_configured_thumbnail() {
    init_logging();
    let server = TestServer::start().await;
    let options: EngineOptions =
        serde_json::from_value(json!({ "compressOptions": { "thumbnailMaxSize": 120 } })).unwrap();
    let mut alice = TestClient::with_options(&server.navi_url(), "alice", options);
    alice.connect(&server.token("alice").await).await;
    let mut bob = server.online("bob").await;
    let files = Files::new();
    let big = files.path("big.jpg");
    let sent = send_media(&mut alice, media(message_type::IMAGE, "bob", &big), "i").await;
    assert_eq!(sent.code, 0);
    let received = bob.received().await;
    let thumb = base64::engine::general_purpose::STANDARD
        .decode(str_field(&received, "thumbnailBase64String"))
        .unwrap();
    let thumb = image::load_from_memory(&thumb).unwrap();
    // 2400x1600 fits 120x80, but a thumbnail keeps a 100 px short edge (thumbnailMinSize's
    // default) and is cropped to 120 on the long one.
    assert_eq!((thumb.width(), thumb.height()), (120, 100));
    let (_, code, downloaded) = download(&mut bob, received, "d").await;
    assert_eq!(code, 0);
    let image = image::open(str_field(&downloaded, "local")).unwrap();
    assert_eq!((image.width(), image.height()), (1080, 720));

    // Sent as it is when asked for the original.
    let mut original = media(message_type::IMAGE, "bob", &big);
    original.fields.insert("original".into(), json!(true));
    assert_eq!(send_media(&mut alice, original, "o").await.code, 0);
    let received = bob.received().await;
    assert_eq!(received.fields["original"], true);
    let (_, _, downloaded) = download(&mut bob, received, "d2").await;
    assert_eq!(sha(Path::new(str_field(&downloaded, "local"))), sha(&big));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_cancelled_upload_is_canceled_and_the_same_instance_uploads_again() {
    init_logging();
    let server = TestServer::start().await;
    let mut alice = server.online("alice").await;
    let mut bob = server.online("bob").await;
    let files = Files::new();
    let path = files.path("large.bin");
    random_file(&path, 90 * 1024 * 1024);
    let message = media(message_type::FILE, "bob", &path);
    assert_eq!(
        alice
            .engine
            .send_media_message(message, Some("send".into())),
        Ok(())
    );
    let Event::MediaMessageAttached { message, .. } = alice
        .wait_for("attached", |e| {
            matches!(e, Event::MediaMessageAttached { .. })
        })
        .await
    else {
        unreachable!()
    };
    alice
        .wait_for("progress", |e| {
            matches!(e, Event::MediaMessageSending { .. })
        })
        .await;
    let canceled = cancel_upload(&mut alice, &message, "send").await;
    assert_eq!(canceled.sent_status, Some(6), "CANCELED");
    let id = message.message_id.unwrap();
    let stored = answer(alice.engine.message_by_id(id)).await;
    assert_eq!(stored.sent_status, Some(6));
    assert_eq!(str_field(&stored, "local"), path.to_str().unwrap());
    // Nothing more of that call, and nothing to cancel any more.
    assert!(alice
        .drain(Duration::from_millis(300))
        .await
        .iter()
        .all(|e| e.event_id() != Some("send")));
    assert_eq!(
        alice.engine.cancel_sending_media_message(message, None),
        Err(Code::INVALID_MESSAGE_ID)
    );

    // R083: the same instance is sent again, from its row.
    let again = send_media(&mut alice, stored, "again").await;
    assert_eq!(again.code, 0);
    assert_eq!(again.attached.message_id, Some(id));
    assert_rising_to_100(&again.progress);
    let received = bob.received().await;
    assert_eq!(received.fields["size"], 90 * 1024 * 1024);
    let key = ConversationKey::new(1, "alice", "");
    assert_eq!(
        answer(
            alice
                .engine
                .message_count(ConversationKey::new(1, "bob", ""))
        )
        .await,
        1
    );
    assert_eq!(answer(bob.engine.message_count(key)).await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_failed_upload_leaves_the_message_failed_with_its_local_path() {
    init_logging();
    let server = TestServer::start().await;
    // A file server nobody listens on.
    let (options, _refusing) = closed_file_server();
    let mut alice = TestClient::with_options(&server.navi_url(), "alice", options);
    alice.connect(&server.token("alice").await).await;
    let files = Files::new();
    let path = files.path("voice.aac");
    let sent = send_media(&mut alice, media(message_type::VOICE, "bob", &path), "v").await;
    assert_eq!(sent.code, 34011);
    assert_eq!(sent.message.sent_status, Some(1), "FAILED");
    let stored = answer(
        alice
            .engine
            .message_by_id(sent.attached.message_id.unwrap()),
    )
    .await;
    assert_eq!(stored.sent_status, Some(1));
    assert_eq!(str_field(&stored, "local"), path.to_str().unwrap());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_cancelled_download_keeps_its_part_and_resumes_with_range() {
    init_logging();
    let server = TestServer::start().await;
    let mut alice = server.online("alice").await;
    let mut bob = server.online("bob").await;
    let files = Files::new();
    let path = files.path("large.bin");
    random_file(&path, 90 * 1024 * 1024);
    let sent = send_media(&mut alice, media(message_type::FILE, "bob", &path), "s").await;
    assert_eq!(sent.code, 0);
    let received = bob.received().await;
    assert_eq!(
        bob.engine
            .download_media_message(received.clone(), Some("get".into())),
        Ok(())
    );
    bob.wait_for("progress", |e| {
        matches!(e, Event::MediaMessageDownloading { .. })
    })
    .await;
    assert_eq!(
        bob.engine
            .cancel_downloading_media_message(received.clone(), Some("stop".into())),
        Ok(())
    );
    let Event::DownloadingMediaMessageCanceled {
        code,
        event_id,
        ended_event_id,
        ..
    } = bob
        .wait_for("canceled", |e| {
            matches!(e, Event::DownloadingMediaMessageCanceled { .. })
        })
        .await
    else {
        unreachable!()
    };
    assert_eq!(
        (code, event_id.as_deref(), ended_event_id.as_deref()),
        (0, Some("stop"), Some("get"))
    );
    let stored = answer(bob.engine.message_by_id(received.message_id.unwrap())).await;
    assert_eq!(str_field(&stored, "local"), "", "not downloaded");
    let (progress, code, downloaded) = download(&mut bob, received, "again").await;
    assert_eq!(code, 0);
    assert_rising_to_100(&progress);
    assert_eq!(sha(Path::new(str_field(&downloaded, "local"))), sha(&path));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_download_resumes_from_its_part_and_fetches_only_the_rest() {
    init_logging();
    let server = TestServer::start().await;
    let mut alice = server.online("alice").await;
    let files = Files::new();
    let path = files.path("data.bin");
    let sent = send_media(&mut alice, media(message_type::FILE, "bob", &path), "s").await;
    assert_eq!(sent.code, 0);
    let remote = str_field(&sent.message, "remote").to_string();
    let original = std::fs::read(&path).unwrap();
    let dest = files.path("out.bin");
    // An earlier attempt left the first 1.5 MB.
    let have = 1_500_000;
    std::fs::write(transfer::part_path(&dest), &original[..have]).unwrap();
    let client = reqwest::Client::new();
    let cancel = tokio_util::sync::CancellationToken::new();
    let (progress, mut percents) = tokio::sync::mpsc::unbounded_channel();
    let done = transfer(&client, &cancel, progress)
        .download(&remote, &dest, || true)
        .await
        .unwrap();
    assert!(done.resumed);
    assert_eq!(done.fetched, (original.len() - have) as u64);
    assert_eq!(std::fs::read(&dest).unwrap(), original);
    assert!(
        percents.recv().await.unwrap() >= 71,
        "starts where the part ends"
    );
    // A part that is not a prefix any more (longer than the file): starts over.
    std::fs::write(transfer::part_path(&dest), vec![0u8; original.len() + 10]).unwrap();
    let (progress, _percents) = tokio::sync::mpsc::unbounded_channel();
    let done = transfer(&client, &cancel, progress)
        .download(&remote, &dest, || true)
        .await
        .unwrap();
    assert!(!done.resumed);
    assert_eq!(std::fs::read(&dest).unwrap(), original);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn bad_files_and_missing_media_answer_their_codes_and_store_nothing() {
    init_logging();
    let server = TestServer::start().await;
    let mut alice = server.online("alice").await;
    let files = Files::new();
    let send = |m: Message| alice.engine.send_media_message(m, None);
    let missing = files.path("missing.png");
    assert_eq!(
        send(media(message_type::IMAGE, "bob", &missing)),
        Err(Code(34234))
    );
    assert_eq!(
        send(media(message_type::FILE, "bob", files.dir.path())),
        Err(Code(34234))
    );
    let big_gif = files.path("big.gif");
    std::fs::File::create(&big_gif)
        .unwrap()
        .set_len(2 * 1024 * 1024 + 1)
        .unwrap();
    assert_eq!(
        send(media(message_type::GIF, "bob", &big_gif)),
        Err(Code(34003))
    );
    let huge = files.path("huge.bin");
    std::fs::File::create(&huge)
        .unwrap()
        .set_len(100 * 1024 * 1024 + 1)
        .unwrap();
    assert_eq!(
        send(media(message_type::FILE, "bob", &huge)),
        Err(Code(26106))
    );
    let mut long_clip = media(message_type::SIGHT, "bob", &files.path("clip.mp4"));
    long_clip.fields.insert("duration".into(), json!(121));
    assert_eq!(send(long_clip), Err(Code(34002)));
    let text = rcim_core::codec::new_text_message(1, "bob", None, "x");
    assert_eq!(send(text), Err(Code(34223)));
    assert_eq!(
        alice
            .engine
            .send_message(media(message_type::FILE, "bob", &huge), None),
        Err(Code::PARAM_ERROR)
    );
    tokio::time::sleep(Duration::from_millis(200)).await;
    let key = ConversationKey::new(1, "bob", "");
    assert_eq!(answer(alice.engine.message_count(key)).await, 0);

    // No remote: 34235 at once; a remote the server does not have: -3.
    let mut no_remote = media(message_type::FILE, "bob", &huge);
    assert_eq!(
        alice.engine.download_media_message(no_remote.clone(), None),
        Err(Code(34235))
    );
    no_remote.fields.insert(
        "remote".into(),
        json!(format!("{}/media/nosuchfile/x.bin", server.navi_url())),
    );
    let (_, code, _) = download(&mut alice, no_remote, "404").await;
    assert_eq!(code, -3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_received_media_message_is_sent_on_without_upload() {
    init_logging();
    let server = TestServer::start().await;
    let mut alice = server.online("alice").await;
    let mut bob = server.online("bob").await;
    let mut carol = server.online("carol").await;
    let files = Files::new();
    let sent = send_media(
        &mut alice,
        media(message_type::GIF, "bob", &files.path("anim.gif")),
        "s",
    )
    .await;
    assert_eq!(sent.code, 0);
    let mut received = bob.received().await;
    assert_eq!(str_field(&received, "local"), "");
    received.target_id = "carol".into();
    let forwarded = send_media(&mut bob, received.clone(), "f").await;
    assert_eq!(forwarded.code, 0, "{:?}", forwarded.message);
    assert!(forwarded.progress.is_empty(), "nothing uploaded");
    assert_ne!(
        forwarded.message.message_id, received.message_id,
        "a new row"
    );
    let at_carol = carol.received().await;
    assert_eq!(at_carol.message_type, message_type::GIF);
    assert_eq!(at_carol.fields["remote"], sent.message.fields["remote"]);
    assert_eq!(at_carol.fields["width"], 33);
}
