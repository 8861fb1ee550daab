//! The file service: upload tickets over the gateway (`MediaUploadRequest`), uploads
//! (`PUT /media/{id}`) and downloads (`GET|HEAD /media/{id}/{name}`, with Range).

mod common;

use common::*;
use rcim_proto::media_type::{FILE, GIF, IMAGE, SIGHT, VOICE};
use rcim_proto::v1::{request, response, MediaUploadRequest, MediaUploadTicket, Response};
use rcim_server::{MediaConfig, RunningServer};
use reqwest::StatusCode;
use serde_json::Value;
use std::time::Duration;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

const MIB: u64 = 1024 * 1024;

async fn start_with(dir: &std::path::Path, media: MediaConfig) -> RunningServer {
    let mut cfg = config(dir);
    cfg.media = media;
    rcim_server::start(cfg).await.expect("server starts")
}

/// Asks for a ticket; the raw response.
async fn ask(c: &mut RawClient, media_type: u32, size: u64, name: &str) -> Response {
    let seq = c
        .request(
            "",
            request::Body::MediaUpload(MediaUploadRequest {
                media_type,
                size,
                file_name: name.into(),
            }),
        )
        .await;
    c.wait_response(seq).await
}

async fn ticket(c: &mut RawClient, media_type: u32, size: u64, name: &str) -> MediaUploadTicket {
    let r = ask(c, media_type, size, name).await;
    assert_eq!(r.code, 0, "ticket refused");
    match r.body {
        Some(response::Body::MediaUpload(t)) => t,
        other => panic!("expected a ticket, got {other:?}"),
    }
}

fn random_bytes(n: usize) -> Vec<u8> {
    (0..n).map(|_| rand::random::<u8>()).collect()
}

/// `PUT`s `body` with `token`; the status and the JSON `code`.
async fn put(
    server: &RunningServer,
    file_id: &str,
    token: &str,
    body: Vec<u8>,
) -> (StatusCode, i64) {
    let r = reqwest::Client::new()
        .put(format!("{}/media/{file_id}", server.file_server_url()))
        .bearer_auth(token)
        .body(body)
        .send()
        .await
        .expect("upload request");
    let status = r.status();
    let json: Value = r.json().await.expect("json answer");
    (status, json["code"].as_i64().expect("code"))
}

fn url(server: &RunningServer, file_id: &str, name: &str) -> String {
    format!("{}/media/{file_id}/{name}", server.file_server_url())
}

#[tokio::test]
async fn tickets_follow_the_limits_of_each_type() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let mut c = RawClient::connect(server.gateway_addr(), "u", "d").await;
    let cases = [
        (IMAGE, 20 * MIB, 0),
        (IMAGE, 20 * MIB + 1, 26106),
        (VOICE, 10 * MIB, 0),
        (VOICE, 10 * MIB + 1, 26106),
        (FILE, 100 * MIB, 0),
        (FILE, 100 * MIB + 1, 26106),
        (SIGHT, 100 * MIB, 0),
        (SIGHT, 100 * MIB + 1, 26106),
        (GIF, 2 * MIB, 0),
        (GIF, 2 * MIB + 1, 34003),
        (FILE, 0, 34018),
        (2, 10, 34019),
        (12, 10, 34019),
    ];
    for (media_type, size, code) in cases {
        let r = ask(&mut c, media_type, size, "a.bin").await;
        assert_eq!(r.code, code, "type {media_type}, {size} bytes");
    }
    let r = ask(&mut c, FILE, 10, &"n".repeat(257)).await;
    assert_eq!(r.code, 33003, "file name over 256 bytes");
    let t = ticket(&mut c, FILE, 10, &"n".repeat(256)).await;
    assert!(
        t.file_id.len() >= 22
            && t.file_id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    );
    assert!(t.expires_at > now_ms() + 3_500_000 && t.expires_at <= now_ms() + 3_600_000);
    server.shutdown().await;
}

#[tokio::test]
async fn limits_are_configurable() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let media = MediaConfig {
        gif_max_bytes: 100,
        file_max_bytes: 1000,
        ..MediaConfig::default()
    };
    let server = start_with(dir.path(), media).await;
    let mut c = RawClient::connect(server.gateway_addr(), "u", "d").await;
    assert_eq!(ask(&mut c, GIF, 101, "a.gif").await.code, 34003);
    assert_eq!(ask(&mut c, GIF, 100, "a.gif").await.code, 0);
    assert_eq!(ask(&mut c, FILE, 1001, "a").await.code, 26106);
    server.shutdown().await;
}

#[tokio::test]
async fn each_user_has_an_upload_quota() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    // Refills 1 byte per 2 ms: the refusals below hold for hundreds of milliseconds.
    let window = Duration::from_secs(2);
    let media = MediaConfig {
        upload_quota_bytes: 1000,
        upload_quota_window: window,
        ..MediaConfig::default()
    };
    let server = start_with(dir.path(), media).await;
    let mut u = RawClient::connect(server.gateway_addr(), "u", "d").await;
    assert_eq!(ask(&mut u, FILE, 600, "a").await.code, 0);
    // Charged at issue, used or not: the second ticket does not fit.
    assert_eq!(ask(&mut u, FILE, 600, "a").await.code, 20604);
    assert_eq!(ask(&mut u, FILE, 1001, "a").await.code, 20604);
    // Refused for its own reason first, and not charged.
    assert_eq!(ask(&mut u, GIF, 3 * MIB, "a.gif").await.code, 34003);
    let t = ticket(&mut u, IMAGE, 400, "b.png").await;
    // The ticket of the last bytes uploads like any other.
    let (status, code) = put(&server, &t.file_id, &t.token, random_bytes(400)).await;
    assert_eq!((status, code), (StatusCode::OK, 0));
    // Per user, not per connection: a new connection of `u` has no fresh budget.
    drop(u);
    let mut u = RawClient::connect(server.gateway_addr(), "u", "d").await;
    assert_eq!(ask(&mut u, FILE, 500, "a").await.code, 20604);
    let mut v = RawClient::connect(server.gateway_addr(), "v", "d").await;
    assert_eq!(ask(&mut v, FILE, 1000, "a").await.code, 0);
    // A window after the last charge, the whole budget is back.
    tokio::time::sleep(window + Duration::from_millis(100)).await;
    assert_eq!(ask(&mut u, FILE, 1000, "a").await.code, 0);
    server.shutdown().await;
}

#[tokio::test]
async fn upload_then_download_whole_and_ranges() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let mut c = RawClient::connect(server.gateway_addr(), "u", "d").await;
    let data = random_bytes(700_000);
    let t = ticket(&mut c, IMAGE, data.len() as u64, "photo 1.jpg").await;
    assert_eq!(
        put(&server, &t.file_id, &t.token, data.clone()).await,
        (StatusCode::OK, 0)
    );
    let http = reqwest::Client::new();
    let link = url(&server, &t.file_id, "photo%201.jpg");

    let r = http.get(&link).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let h = r.headers().clone();
    assert_eq!(h["accept-ranges"], "bytes");
    assert_eq!(h["content-type"], "image/jpeg");
    assert_eq!(h["content-length"], data.len().to_string().as_str());
    let cd = h["content-disposition"].to_str().unwrap();
    assert!(
        cd.starts_with("attachment; filename=\"photo 1.jpg\""),
        "{cd}"
    );
    assert_eq!(r.bytes().await.unwrap().as_ref(), data.as_slice());

    let r = http.head(&link).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(
        r.headers()["content-length"],
        data.len().to_string().as_str()
    );
    assert!(r.bytes().await.unwrap().is_empty());

    let r = http
        .get(&link)
        .header("Range", "bytes=1000-1999")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(
        r.headers()["content-range"],
        format!("bytes 1000-1999/{}", data.len()).as_str()
    );
    assert_eq!(r.headers()["content-length"], "1000");
    assert_eq!(r.bytes().await.unwrap().as_ref(), &data[1000..2000]);

    // Resuming: everything from an offset on.
    let r = http
        .get(&link)
        .header("Range", "bytes=500000-")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(r.bytes().await.unwrap().as_ref(), &data[500_000..]);

    let r = http
        .get(&link)
        .header("Range", "bytes=-10")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(r.bytes().await.unwrap().as_ref(), &data[data.len() - 10..]);

    let r = http
        .get(&link)
        .header("Range", format!("bytes={}-", data.len()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::RANGE_NOT_SATISFIABLE);
    assert_eq!(
        r.headers()["content-range"],
        format!("bytes */{}", data.len()).as_str()
    );

    // Any name serves the same file; the name only sets the type and disposition.
    let r = http
        .get(url(&server, &t.file_id, "x.png"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["content-type"], "image/png");
    let r = http
        .get(url(&server, &t.file_id, "noext"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["content-type"], "application/octet-stream");

    // Unknown files.
    for id in ["AAAAAAAAAAAAAAAAAAAAAA", "a%2Fb", "a.b"] {
        let r = http.get(url(&server, id, "x.jpg")).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{id}");
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["code"], -3, "{id}");
    }

    // A second upload of a complete file is a success that changes nothing.
    let mut other = data.clone();
    other[0] ^= 0xff;
    assert_eq!(
        put(&server, &t.file_id, &t.token, other).await,
        (StatusCode::OK, 0)
    );
    let r = http.get(&link).send().await.unwrap();
    assert_eq!(r.bytes().await.unwrap().as_ref(), data.as_slice());

    // Files survive a restart.
    server.shutdown().await;
    let server = start(dir.path()).await;
    let r = http
        .get(url(&server, &t.file_id, "a.jpg"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.bytes().await.unwrap().as_ref(), data.as_slice());
    server.shutdown().await;
}

#[tokio::test]
async fn bad_tokens_are_refused() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let media = MediaConfig {
        ticket_ttl: Duration::from_millis(300),
        ..MediaConfig::default()
    };
    let server = start_with(dir.path(), media).await;
    let mut c = RawClient::connect(server.gateway_addr(), "u", "d").await;
    let data = random_bytes(1000);
    let t = ticket(&mut c, FILE, 1000, "a.bin").await;
    let t2 = ticket(&mut c, FILE, 1000, "b.bin").await;
    let refused = (StatusCode::UNAUTHORIZED, 34011);
    assert_eq!(
        put(&server, &t.file_id, "forged.token", data.clone()).await,
        refused
    );
    assert_eq!(
        put(&server, &t2.file_id, &t.token, data.clone()).await,
        refused,
        "another file id"
    );
    let mut tampered = t.token.clone();
    tampered.insert(3, 'x');
    assert_eq!(
        put(&server, &t.file_id, &tampered, data.clone()).await,
        refused
    );
    let r = reqwest::Client::new()
        .put(format!("{}/media/{}", server.file_server_url(), t.file_id))
        .body(data.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        StatusCode::UNAUTHORIZED,
        "no Authorization header"
    );
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(
        put(&server, &t.file_id, &t.token, data).await,
        refused,
        "expired"
    );
    let r = reqwest::get(url(&server, &t.file_id, "a.bin"))
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    server.shutdown().await;
}

#[tokio::test]
async fn wrong_sizes_keep_nothing() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path()).await;
    let mut c = RawClient::connect(server.gateway_addr(), "u", "d").await;
    let t = ticket(&mut c, FILE, 100_000, "a.bin").await;
    assert_eq!(
        put(&server, &t.file_id, &t.token, random_bytes(100_010)).await,
        (StatusCode::PAYLOAD_TOO_LARGE, 26106)
    );
    assert_eq!(
        put(&server, &t.file_id, &t.token, random_bytes(99_999)).await,
        (StatusCode::BAD_REQUEST, 34011)
    );
    let gif = ticket(&mut c, GIF, 1000, "a.gif").await;
    assert_eq!(
        put(&server, &gif.file_id, &gif.token, random_bytes(1001)).await,
        (StatusCode::PAYLOAD_TOO_LARGE, 34003)
    );
    // Too long without a Content-Length: refused once the extra bytes arrive.
    let (status, code, _) =
        raw_chunked_put(&server, &t.file_id, &t.token, &random_bytes(100_001)).await;
    assert_eq!((status, code), (413, 26106));
    for id in [&t.file_id, &gif.file_id] {
        let r = reqwest::get(url(&server, id, "a")).await.unwrap();
        assert_eq!(r.status(), StatusCode::NOT_FOUND);
    }
    let media = dir.path().join("media");
    let kept: Vec<_> = std::fs::read_dir(&media)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        kept,
        vec![std::ffi::OsString::from(".tmp")],
        "only the temp dir"
    );
    // Uploads in progress are in the process's own directory under `.tmp`: no file is left.
    let left: usize = std::fs::read_dir(media.join(".tmp"))
        .unwrap()
        .map(|d| std::fs::read_dir(d.unwrap().path()).unwrap().count())
        .sum();
    assert_eq!(left, 0);
    // The ticket stays usable for a correct upload.
    let data = random_bytes(100_000);
    assert_eq!(
        put(&server, &t.file_id, &t.token, data.clone()).await,
        (StatusCode::OK, 0)
    );
    server.shutdown().await;
}

/// Writes an HTTP/1.1 request head on a raw socket (no body yet).
async fn raw_put_head(
    server: &RunningServer,
    file_id: &str,
    token: &str,
    extra: &str,
) -> tokio::net::TcpStream {
    let mut s = tokio::net::TcpStream::connect(server.http_addr())
        .await
        .unwrap();
    let head = format!(
        "PUT /media/{file_id} HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {token}\r\n{extra}\r\n"
    );
    s.write_all(head.as_bytes()).await.unwrap();
    s
}

/// Reads an HTTP answer whose body is a small JSON object; the status, its `code` and the
/// raw text.
async fn read_answer(s: &mut tokio::net::TcpStream) -> (u16, i64, String) {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let body_of = |text: &str| {
        text.split_once("\r\n\r\n")
            .map(|(_, b)| b.trim().to_owned())
    };
    loop {
        let n = tokio::time::timeout(WAIT, s.read(&mut chunk))
            .await
            .expect("an answer")
            .unwrap_or(0);
        buf.extend_from_slice(&chunk[..n]);
        let text = String::from_utf8_lossy(&buf);
        if n == 0 || body_of(&text).is_some_and(|b| b.ends_with('}')) {
            break;
        }
    }
    let text = String::from_utf8_lossy(&buf).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let code = body_of(&text)
        .and_then(|b| serde_json::from_str::<Value>(&b).ok())
        .and_then(|v| v["code"].as_i64())
        .unwrap_or(i64::MIN);
    (status, code, text)
}

/// A chunked upload (no Content-Length) on a raw socket.
async fn raw_chunked_put(
    server: &RunningServer,
    file_id: &str,
    token: &str,
    data: &[u8],
) -> (u16, i64, String) {
    let mut s = raw_put_head(server, file_id, token, "Transfer-Encoding: chunked\r\n").await;
    for part in data.chunks(16 * 1024) {
        let mut frame = format!("{:x}\r\n", part.len()).into_bytes();
        frame.extend_from_slice(part);
        frame.extend_from_slice(b"\r\n");
        if s.write_all(&frame).await.is_err() {
            break;
        }
    }
    let _ = s.write_all(b"0\r\n\r\n").await;
    read_answer(&mut s).await
}

#[tokio::test]
async fn concurrent_uploads_are_capped_and_stalled_ones_dropped() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let media = MediaConfig {
        max_concurrent_uploads: 1,
        read_timeout: Duration::from_millis(500),
        ..MediaConfig::default()
    };
    let server = start_with(dir.path(), media).await;
    let mut c = RawClient::connect(server.gateway_addr(), "u", "d").await;
    let slow = ticket(&mut c, FILE, 1000, "slow.bin").await;
    let fast = ticket(&mut c, FILE, 1000, "fast.bin").await;
    let data = random_bytes(1000);

    // The first upload sends half its body and pauses: it holds the only slot.
    let mut s = raw_put_head(
        &server,
        &slow.file_id,
        &slow.token,
        "Content-Length: 1000\r\n",
    )
    .await;
    s.write_all(&data[..500]).await.unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    let r = reqwest::Client::new()
        .put(format!(
            "{}/media/{}",
            server.file_server_url(),
            fast.file_id
        ))
        .bearer_auth(&fast.token)
        .body(data.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(r.headers()["retry-after"], "1");
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["code"], 34011);

    // It stalls beyond the read timeout: dropped with 408, nothing kept, the slot is free.
    let (status, code, _) = read_answer(&mut s).await;
    assert_eq!((status, code), (408, 34011));
    let r = reqwest::get(url(&server, &slow.file_id, "slow.bin"))
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        put(&server, &fast.file_id, &fast.token, data.clone()).await,
        (StatusCode::OK, 0)
    );
    let r = reqwest::get(url(&server, &fast.file_id, "fast.bin"))
        .await
        .unwrap();
    assert_eq!(r.bytes().await.unwrap().as_ref(), data.as_slice());
    server.shutdown().await;
}

#[tokio::test]
async fn tickets_count_against_the_request_rate() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = config(dir.path());
    cfg.request_rate_per_sec = 2;
    let server = rcim_server::start(cfg).await.unwrap();
    let mut c = RawClient::connect(server.gateway_addr(), "u", "d").await;
    assert_eq!(ask(&mut c, FILE, 1, "a").await.code, 0);
    assert_eq!(ask(&mut c, FILE, 1, "a").await.code, 0);
    assert_eq!(ask(&mut c, FILE, 1, "a").await.code, 20604);
    server.shutdown().await;
}
