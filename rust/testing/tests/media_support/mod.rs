//! Helpers of the media tests: files made by the test, media messages, and the events of a
//! send or a download call.
#![allow(dead_code)] // Each test file uses its own part.

use rcim_core::media::transfer;
use rcim_core::model::message_type;
use rcim_core::{Event, Message};
use rcim_testing::*;
use serde_json::json;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// A media message from `local` to `to` (private), as the create* methods make it.
pub fn media(kind: u32, to: &str, local: &Path) -> Message {
    let mut message = Message {
        conversation_type: 1,
        message_type: kind,
        target_id: to.into(),
        ..Message::default()
    };
    message
        .fields
        .insert("local".into(), json!(local.to_str().unwrap()));
    if kind == message_type::VOICE || kind == message_type::SIGHT {
        message.fields.insert("duration".into(), json!(7));
    }
    message
}

/// A transfer with the default stall time.
pub fn transfer<'a>(
    client: &'a reqwest::Client,
    cancel: &'a tokio_util::sync::CancellationToken,
    progress: tokio::sync::mpsc::UnboundedSender<u8>,
) -> transfer::Transfer<'a> {
    transfer::Transfer {
        client,
        cancel,
        stall: transfer::STALL_TIMEOUT,
        progress,
    }
}

pub fn sha(path: &Path) -> String {
    hex::encode(Sha256::digest(std::fs::read(path).unwrap()))
}

pub fn noisy_image(width: u32, height: u32) -> image::RgbImage {
    image::RgbImage::from_fn(width, height, |x, y| {
        let v = x.wrapping_mul(2_654_435_761) ^ y.wrapping_mul(40_503);
        image::Rgb([v as u8, (v >> 8) as u8, (x / 3 + y / 5) as u8])
    })
}

/// The files of the test, made here: a small PNG, a large JPEG, a GIF, a 2 MB random file,
/// an audio file and a video-named file.
pub struct Files {
    pub dir: tempfile::TempDir,
}

impl Files {
    pub fn new() -> Files {
        let dir = tempfile::tempdir().unwrap();
        let files = Files { dir };
        image::RgbImage::from_fn(64, 48, |x, y| image::Rgb([x as u8 * 4, y as u8 * 5, 99]))
            .save(files.path("small.png"))
            .unwrap();
        noisy_image(2400, 1600).save(files.path("big.jpg")).unwrap();
        let frame = image::RgbaImage::from_pixel(33, 21, image::Rgba([200, 10, 10, 255]));
        let mut gif = std::fs::File::create(files.path("anim.gif")).unwrap();
        image::codecs::gif::GifEncoder::new(&mut gif)
            .encode_frame(image::Frame::new(frame))
            .unwrap();
        random_file(&files.path("data.bin"), 2 * 1024 * 1024);
        random_file(&files.path("voice.aac"), 40_000);
        random_file(&files.path("clip.mp4"), 300_000);
        files
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
}

/// What a `sendMediaMessage` call reported.
pub struct Sent {
    pub attached: Message,
    pub progress: Vec<u8>,
    pub code: i32,
    pub message: Message,
}

pub async fn send_media(client: &mut TestClient, message: Message, call: &str) -> Sent {
    assert_eq!(
        client
            .engine
            .send_media_message(message, Some(call.to_string())),
        Ok(())
    );
    let mut attached = None;
    let mut progress = Vec::new();
    loop {
        let event = client
            .wait_for("media send events", |e| e.event_id() == Some(call))
            .await;
        match event {
            Event::MediaMessageAttached { message, .. } => attached = Some(message),
            Event::MediaMessageSending {
                progress: percent, ..
            } => progress.push(percent),
            Event::MediaMessageSent { code, message, .. } => {
                return Sent {
                    attached: attached.unwrap_or_default(),
                    progress,
                    code,
                    message,
                }
            }
            other => panic!("unexpected {other:?}"),
        }
    }
}

/// Downloads `message`; the progress and the `MediaMessageDownloaded` code and message.
pub async fn download(
    client: &mut TestClient,
    message: Message,
    call: &str,
) -> (Vec<u8>, i32, Message) {
    assert_eq!(
        client
            .engine
            .download_media_message(message, Some(call.to_string())),
        Ok(())
    );
    let mut progress = Vec::new();
    loop {
        match client
            .wait_for("download events", |e| e.event_id() == Some(call))
            .await
        {
            Event::MediaMessageDownloading {
                progress: percent, ..
            } => progress.push(percent),
            Event::MediaMessageDownloaded { code, message, .. } => {
                return (progress, code, message)
            }
            other => panic!("unexpected {other:?}"),
        }
    }
}

pub fn assert_rising_to_100(progress: &[u8]) {
    assert!(!progress.is_empty());
    assert!(
        progress.windows(2).all(|w| w[0] < w[1]),
        "not rising: {progress:?}"
    );
    assert_eq!(progress.last(), Some(&100), "{progress:?}");
}

pub fn str_field<'a>(message: &'a Message, field: &str) -> &'a str {
    message
        .fields
        .get(field)
        .and_then(|v| v.as_str())
        .unwrap_or("")
}

/// Cancels the upload of `message` (its send call `send_call`) with the cancel call
/// "cancel": asserts the call is accepted and its event answers it with 0 and ends the send
/// call; returns the event's message.
pub async fn cancel_upload(client: &mut TestClient, message: &Message, send_call: &str) -> Message {
    assert_eq!(
        client
            .engine
            .cancel_sending_media_message(message.clone(), Some("cancel".into())),
        Ok(())
    );
    let Event::SendingMediaMessageCanceled {
        code,
        message: canceled,
        event_id,
        ended_event_id,
    } = client
        .wait_for("canceled", |e| {
            matches!(e, Event::SendingMediaMessageCanceled { .. })
        })
        .await
    else {
        unreachable!()
    };
    assert_eq!(
        (code, event_id.as_deref(), ended_event_id.as_deref()),
        (0, Some("cancel"), Some(send_call))
    );
    canceled
}

/// Engine options whose file server is a port nobody listens on (uploads fail).
pub fn closed_file_server() -> (rcim_core::EngineOptions, tokio::net::TcpSocket) {
    // Bound but never listening: connections are refused, and the port stays taken for as
    // long as the caller keeps the socket (a freed port could go to another test's server).
    let closed = tokio::net::TcpSocket::new_v4().unwrap();
    closed.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let port = closed.local_addr().unwrap().port();
    let options =
        serde_json::from_value(json!({ "fileServer": format!("http://127.0.0.1:{port}") }))
            .unwrap();
    (options, closed)
}
