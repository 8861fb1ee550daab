//! Media benchmarks on loopback (a benchmark, not a test: it prints figures).
//!
//! Run: `cargo bench -p rcim-testing --bench media` (add `-- --quick` for a short run).
//!
//! 1. Upload and download throughput of a 64 MiB file through the engine (sendMediaMessage:
//!    from `MediaMessageAttached` to progress 100; downloadMediaMessage: from the call to
//!    `MediaMessageDownloaded`) against `curl` moving the same file to and from the same
//!    server in the same run (`PUT` with a ticket asked over the gateway, `GET` of the URL);
//!    rounds alternate engine and curl, medians are printed with their ratio.
//! 2. The time to make the thumbnail, and the thumbnail plus the compressed image, of a
//!    12-megapixel JPEG (4000x3000, generated here).

use futures::{SinkExt, StreamExt};
use rcim_core::config::Compression;
use rcim_core::media::{picture, prepare};
use rcim_core::model::message_type;
use rcim_core::{Event, Message};
use rcim_proto::v1::{
    client_frame, request, response, server_frame, ClientFrame, Connect, MediaUploadRequest,
    Platform, Request, ServerFrame,
};
use rcim_proto::FrameCodec;
use rcim_testing::{random_file, TestClient, TestServer, APP_KEY};
use serde_json::json;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};
use tokio::net::TcpStream;
use tokio_util::codec::Framed;

const MIB: u64 = 1024 * 1024;
const SIZE: u64 = 64 * MIB;

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(|a, b| a.total_cmp(b));
    values[values.len() / 2]
}

fn mb_per_s(bytes: u64, secs: f64) -> f64 {
    bytes as f64 / 1e6 / secs
}

/// An upload ticket for `size` bytes, asked over a raw gateway connection as `user`.
async fn ticket(server: &TestServer, user: &str, size: u64) -> (String, String) {
    let stream = TcpStream::connect(server.gateway()).await.unwrap();
    let mut framed: Framed<TcpStream, FrameCodec<ServerFrame, ClientFrame>> =
        Framed::new(stream, FrameCodec::new());
    framed
        .send(ClientFrame {
            seq: 0,
            body: Some(client_frame::Body::Connect(Connect {
                protocol_version: rcim_proto::PROTOCOL_VERSION,
                app_key: APP_KEY.into(),
                token: server.token(user).await,
                device_id: "bench-curl".into(),
                platform: Platform::Desktop as i32,
                ..Default::default()
            })),
        })
        .await
        .unwrap();
    framed
        .send(ClientFrame {
            seq: 1,
            body: Some(client_frame::Body::Request(Request {
                request_id: String::new(),
                body: Some(request::Body::MediaUpload(MediaUploadRequest {
                    media_type: message_type::FILE,
                    size,
                    file_name: "bench.bin".into(),
                })),
            })),
        })
        .await
        .unwrap();
    while let Some(Ok(frame)) = framed.next().await {
        if let (
            1,
            Some(server_frame::Body::Response(rcim_proto::v1::Response {
                body: Some(response::Body::MediaUpload(t)),
                ..
            })),
        ) = (frame.seq, frame.body)
        {
            return (t.file_id, t.token);
        }
    }
    panic!("no ticket");
}

/// Runs curl with `args`, its body written to `out`; the seconds it took.
fn curl(out: &str, args: &[&str]) -> f64 {
    let started = Instant::now();
    let status = Command::new("curl")
        .args(["-sS", "-f", "-o", out])
        .args(args)
        .status()
        .expect("curl");
    assert!(status.success(), "curl {args:?} failed");
    started.elapsed().as_secs_f64()
}

async fn engine_upload(alice: &mut TestClient, file: &Path, round: usize) -> (f64, String) {
    let mut message = Message {
        conversation_type: 1,
        message_type: message_type::FILE,
        target_id: "bob".into(),
        ..Message::default()
    };
    message
        .fields
        .insert("local".into(), json!(file.to_str().unwrap()));
    let call = format!("up{round}");
    alice
        .engine
        .send_media_message(message, Some(call.clone()))
        .unwrap();
    let mut started = Instant::now();
    let mut uploaded = None;
    loop {
        match alice
            .wait_for("upload", |e| e.event_id() == Some(&call))
            .await
        {
            Event::MediaMessageAttached { .. } => started = Instant::now(),
            Event::MediaMessageSending { progress: 100, .. } => {
                uploaded = Some(started.elapsed().as_secs_f64())
            }
            Event::MediaMessageSent { code, message, .. } => {
                assert_eq!(code, 0);
                let remote = message.fields["remote"].as_str().unwrap().to_string();
                return (uploaded.unwrap(), remote);
            }
            _ => {}
        }
    }
}

async fn engine_download(bob: &mut TestClient, round: usize) -> f64 {
    let received = bob.received().await;
    let call = format!("down{round}");
    let started = Instant::now();
    bob.engine
        .download_media_message(received, Some(call.clone()))
        .unwrap();
    loop {
        if let Event::MediaMessageDownloaded { code, message, .. } = bob
            .wait_for("download", |e| e.event_id() == Some(&call))
            .await
        {
            let secs = started.elapsed().as_secs_f64();
            assert_eq!(code, 0);
            // Each round downloads a new file; keep the disk use flat.
            let _ = std::fs::remove_file(message.fields["local"].as_str().unwrap());
            return secs;
        }
    }
}

async fn throughput(rounds: usize) {
    let server = TestServer::start().await;
    let mut alice = server.online("alice").await;
    let mut bob = server.online("bob").await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bench.bin");
    random_file(&file, SIZE);
    let file_str = file.to_str().unwrap();
    let (mut up, mut down, mut curl_up, mut curl_down) = (vec![], vec![], vec![], vec![]);
    for round in 0..rounds {
        let (secs, remote) = engine_upload(&mut alice, &file, round).await;
        up.push(mb_per_s(SIZE, secs));
        down.push(mb_per_s(SIZE, engine_download(&mut bob, round).await));

        let (file_id, token) = ticket(&server, "alice", SIZE).await;
        let url = format!("{}/media/{file_id}", server.navi_url());
        let auth = format!("Authorization: Bearer {token}");
        let secs =
            tokio::task::block_in_place(|| curl("/dev/null", &["-T", file_str, "-H", &auth, &url]));
        curl_up.push(mb_per_s(SIZE, secs));
        // Into a file like the engine (which also syncs it to disk before renaming it).
        let copy = dir.path().join("curl.bin");
        let secs = tokio::task::block_in_place(|| curl(copy.to_str().unwrap(), &[&remote]));
        curl_down.push(mb_per_s(SIZE, secs));
        std::fs::remove_file(copy).unwrap();
    }
    let (up, down, curl_up, curl_down) =
        (median(up), median(down), median(curl_up), median(curl_down));
    println!("\n64 MiB file on loopback, median of {rounds} alternating rounds (MB/s):");
    println!(
        "  upload    engine {up:8.1}   curl {curl_up:8.1}   engine/curl {:.2}",
        up / curl_up
    );
    println!(
        "  download  engine {down:8.1}   curl {curl_down:8.1}   engine/curl {:.2}",
        down / curl_down
    );
}

fn images(rounds: usize) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("12mp.jpg");
    // Gradients, waves and sensor-like noise: a JPEG of a few MB, like a phone photo.
    let mut state = 0x9e37_79b9u32;
    image::RgbImage::from_fn(4000, 3000, |x, y| {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        let noise = (state % 48) as i32 - 24;
        let v = ((x as f32 / 37.0).sin() * 60.0 + (y as f32 / 23.0).cos() * 60.0) as i32;
        let c = |base: i32| (base + noise).clamp(0, 255) as u8;
        image::Rgb([
            c((x * 255 / 4000) as i32),
            c((y * 255 / 3000) as i32),
            c(128 + v),
        ])
    })
    .save(&path)
    .unwrap();
    let bytes = std::fs::metadata(&path).unwrap().len();
    let compression = Compression::default();
    let mut thumb = Vec::new();
    let mut both = Vec::new();
    let mut message = Message {
        message_type: message_type::IMAGE,
        ..Message::default()
    };
    message
        .fields
        .insert("local".into(), json!(path.to_str().unwrap()));
    let work = dir.path().join("work");
    for _ in 0..rounds {
        let started = Instant::now();
        let image = picture::decode(&path).unwrap();
        picture::thumbnail_base64(&image, &compression).unwrap();
        thumb.push(started.elapsed().as_secs_f64() * 1e3);
        let started = Instant::now();
        let prepared = prepare::prepare(&message, &compression, &work).unwrap();
        both.push(started.elapsed().as_secs_f64() * 1e3);
        assert!(
            prepared.temporary.is_some(),
            "compressed into a temporary file"
        );
        // Dropping `prepared` removes it.
    }
    println!(
        "\n12-megapixel JPEG (4000x3000, {:.1} MB), median of {rounds} (ms):",
        bytes as f64 / 1e6
    );
    println!(
        "  decode + thumbnail (240 px, q30)                      {:8.1}",
        median(thumb)
    );
    println!(
        "  decode + thumbnail + compressed image (1080 px, q85)  {:8.1}",
        median(both)
    );
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    println!(
        "rcim media benchmark (loopback, {} CPUs)",
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    images(if quick { 2 } else { 5 });
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        tokio::time::timeout(
            Duration::from_secs(600),
            throughput(if quick { 1 } else { 5 }),
        )
        .await
        .expect("throughput benchmark timed out");
    });
}
