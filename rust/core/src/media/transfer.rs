//! Streaming HTTP transfers with the file service: an upload (`PUT`, the file read in chunks,
//! never whole in memory) and a download (`GET` into `<name>.part`, resumed with
//! `Range: bytes=<have>-` when a part is there; renamed once complete). Both report progress
//! through a channel and stop at once when their [`CancellationToken`] is cancelled (a
//! cancelled download keeps its part for the next attempt). No retries: a failed transfer is
//! reported, and the app retries (resending the message, downloading again).
//!
//! Neither hangs: a transfer during which nothing moves for its `stall` time fails with
//! [`TransferError::Stalled`]: no chunk of an upload's body taken by the connection, no
//! response headers, no chunk of a download's body. Once an upload's whole body is taken, its
//! response has [`RESPONSE_STALLS`] stall times to arrive instead of one.

use super::progress::Progress;
use futures::StreamExt;
use reqwest::header::{AUTHORIZATION, CONTENT_LENGTH, CONTENT_RANGE, RANGE};
use reqwest::StatusCode;
use std::path::{Path, PathBuf};
use std::time::Duration;
use tokio::io::AsyncWriteExt;
use tokio::sync::mpsc::UnboundedSender;
use tokio::sync::watch;
use tokio_util::io::ReaderStream;
use tokio_util::sync::CancellationToken;

/// Read size of uploads.
const CHUNK: usize = 256 * 1024;

/// Default stall time: a transfer during which nothing moves for this long fails (the server
/// or the network stalled). See [`crate::config::EngineConfig::media_stall_timeout`].
pub const STALL_TIMEOUT: Duration = Duration::from_secs(30);

/// Once an upload's whole body is taken by the connection, its response has this many stall
/// times to arrive (2 minutes by default). The body taken is not the body delivered: on a slow
/// uplink the last megabytes may still drain from the socket's buffers, moving nothing the
/// client can watch, and the server answers only once it has them all.
pub const RESPONSE_STALLS: u32 = 4;

/// Write buffer of downloads.
const WRITE_BUFFER: usize = 1024 * 1024;

/// Why a transfer did not complete.
#[derive(Debug, thiserror::Error)]
pub enum TransferError {
    /// Cancelled by the app (or aborted with the session).
    #[error("cancelled")]
    Cancelled,
    /// Nothing moved for the stall time.
    #[error("stalled")]
    Stalled,
    /// The server has no such file (HTTP 404).
    #[error("not found")]
    NotFound,
    /// The server answered another failure status (with its `code` when the body had one).
    #[error("server answered {status}")]
    Refused {
        /// HTTP status.
        status: u16,
        /// The `code` of a JSON body (`{"code": 34011}`), if any.
        code: Option<i32>,
    },
    /// The connection failed or the reply was malformed.
    #[error("network: {0}")]
    Network(String),
    /// A local file could not be read or written.
    #[error("local file: {0}")]
    Local(#[from] std::io::Error),
}

/// How a transfer runs: its HTTP client, cancel token, stall time and where its progress
/// (rising percents) goes.
pub struct Transfer<'a> {
    /// The client (no overall timeout: the stall time bounds the transfer instead).
    pub client: &'a reqwest::Client,
    /// Stops the transfer at once.
    pub cancel: &'a CancellationToken,
    /// See [`STALL_TIMEOUT`].
    pub stall: Duration,
    /// Rising percents.
    pub progress: UnboundedSender<u8>,
}

/// What a completed download did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Downloaded {
    /// Bytes fetched by this call (less than the file when it resumed a part).
    pub fetched: u64,
    /// Size of the complete file.
    pub size: u64,
    /// Whether it continued a part left by an earlier attempt.
    pub resumed: bool,
}

/// The part file of a download to `dest`.
pub fn part_path(dest: &Path) -> PathBuf {
    let mut name = dest.as_os_str().to_os_string();
    name.push(".part");
    PathBuf::from(name)
}

impl Transfer<'_> {
    /// Uploads the file at `path` (`size` bytes) with `PUT url` and `Authorization: Bearer
    /// token`, sending rising percents (never 100: the caller reports 100 once it is done).
    pub async fn upload(
        self,
        url: &str,
        token: &str,
        path: &Path,
        size: u64,
    ) -> Result<(), TransferError> {
        let file = tokio::fs::File::open(path).await?;
        let mut tracker = Progress::new(size, 0);
        let progress = self.progress;
        // Ticks each time the connection takes a chunk (the stall watchdog's heartbeat),
        // with whether the whole body is taken.
        let (moved, mut activity) = watch::channel(false);
        let mut taken = 0u64;
        let body = ReaderStream::with_capacity(file, CHUNK).inspect(move |chunk| {
            if let Ok(bytes) = chunk {
                taken += bytes.len() as u64;
                moved.send_replace(taken >= size);
                if let Some(percent) = tracker.advance(bytes.len() as u64) {
                    let _ = progress.send(percent);
                }
            }
        });
        let request = self
            .client
            .put(url)
            .header(AUTHORIZATION, format!("Bearer {token}"))
            .header(CONTENT_LENGTH, size)
            .body(reqwest::Body::wrap_stream(body))
            .send();
        tokio::pin!(request);
        let idle = tokio::time::sleep(self.stall);
        tokio::pin!(idle);
        let response = loop {
            tokio::select! {
                biased;
                _ = self.cancel.cancelled() => return Err(TransferError::Cancelled),
                response = &mut request => {
                    break response.map_err(|e| TransferError::Network(e.to_string()))?;
                }
                // Once the body is gone (sender dropped) this branch is off: the response
                // then has the allowance set at the last chunk.
                Ok(()) = activity.changed() => {
                    let allowance = if *activity.borrow_and_update() {
                        self.stall * RESPONSE_STALLS
                    } else {
                        self.stall
                    };
                    idle.as_mut().reset(tokio::time::Instant::now() + allowance);
                }
                _ = &mut idle => return Err(TransferError::Stalled),
            }
        };
        if response.status().is_success() {
            return Ok(());
        }
        Err(refused(response, self.stall).await)
    }

    /// Downloads `url` to `dest`, resuming `dest.part` when there is one, sending rising
    /// percents (including 100 at the end). Once every byte is in the part, `commit` decides
    /// (false: the transfer was cancelled meanwhile, [`TransferError::Cancelled`], the part
    /// kept) before the part becomes `dest`: a transfer is either reported cancelled with
    /// its part kept, or complete with its file in place, never both.
    pub async fn download(
        self,
        url: &str,
        dest: &Path,
        commit: impl FnOnce() -> bool,
    ) -> Result<Downloaded, TransferError> {
        if let Some(dir) = dest.parent() {
            tokio::fs::create_dir_all(dir).await?;
        }
        let part = part_path(dest);
        let have = tokio::fs::metadata(&part).await.map_or(0, |m| m.len());
        let mut response = self.get(url, have).await?;
        if response.status() == StatusCode::RANGE_NOT_SATISFIABLE {
            if content_range(&response).is_some_and(|(_, size)| size == have && have > 0) {
                // The part is the whole file (an earlier attempt stopped right before its
                // rename): nothing left to fetch.
                return self.complete(&part, dest, have, 0, have, commit).await;
            }
            // The part is not a prefix of this file (it changed, or the part is bad): start
            // over.
            tokio::fs::remove_file(&part).await?;
            response = self.get(url, 0).await?;
        }
        let (start, size) = match response.status() {
            StatusCode::PARTIAL_CONTENT if have > 0 => content_range(&response)
                .filter(|(start, _)| *start == have)
                .ok_or_else(|| TransferError::Network("bad Content-Range".into()))?,
            StatusCode::OK => (0, response.content_length().unwrap_or(0)),
            _ => return Err(refused(response, self.stall).await),
        };
        let file = tokio::fs::OpenOptions::new()
            .create(true)
            .write(true)
            .append(start > 0)
            .truncate(start == 0)
            .open(&part)
            .await?;
        // Large writes: each write of a tokio file is a trip to the blocking pool.
        let mut file = tokio::io::BufWriter::with_capacity(WRITE_BUFFER, file);
        let mut tracker = Progress::new(size, start);
        let mut fetched = 0u64;
        let mut body = response.bytes_stream();
        loop {
            let chunk = tokio::select! {
                biased;
                _ = self.cancel.cancelled() => Err(TransferError::Cancelled),
                chunk = tokio::time::timeout(self.stall, body.next()) => match chunk {
                    Ok(None) => break,
                    Ok(Some(Ok(chunk))) => Ok(chunk),
                    Ok(Some(Err(e))) => Err(TransferError::Network(e.to_string())),
                    Err(_) => Err(TransferError::Stalled),
                },
            };
            let chunk = match chunk {
                Ok(chunk) => chunk,
                Err(e) => {
                    // What arrived is kept for the next attempt.
                    file.flush().await?;
                    return Err(e);
                }
            };
            file.write_all(&chunk).await?;
            fetched += chunk.len() as u64;
            if let Some(percent) = tracker.advance(chunk.len() as u64) {
                let _ = self.progress.send(percent);
            }
        }
        file.flush().await?;
        // The rename must not expose a file whose bytes are not on disk yet.
        file.get_ref().sync_all().await?;
        drop(file);
        let complete = start + fetched;
        if size > 0 && complete != size {
            return Err(TransferError::Network(format!(
                "body ended at {complete} of {size} bytes"
            )));
        }
        self.complete(&part, dest, complete, fetched, start, commit)
            .await
    }

    /// The last step of a download: `commit`, then the part becomes `dest` and 100 is
    /// reported.
    async fn complete(
        &self,
        part: &Path,
        dest: &Path,
        size: u64,
        fetched: u64,
        start: u64,
        commit: impl FnOnce() -> bool,
    ) -> Result<Downloaded, TransferError> {
        if !commit() {
            return Err(TransferError::Cancelled);
        }
        tokio::fs::rename(part, dest).await?;
        let _ = self.progress.send(100);
        Ok(Downloaded {
            fetched,
            size,
            resumed: start > 0,
        })
    }

    /// `GET url` from byte `have`; the stall time bounds the wait for the response headers.
    async fn get(&self, url: &str, have: u64) -> Result<reqwest::Response, TransferError> {
        let mut request = self.client.get(url);
        if have > 0 {
            request = request.header(RANGE, format!("bytes={have}-"));
        }
        tokio::select! {
            biased;
            _ = self.cancel.cancelled() => Err(TransferError::Cancelled),
            response = tokio::time::timeout(self.stall, request.send()) => match response {
                Ok(response) => response.map_err(|e| TransferError::Network(e.to_string())),
                Err(_) => Err(TransferError::Stalled),
            },
        }
    }
}

/// The error of a failure answer (its body, a small JSON, read within `stall`).
async fn refused(response: reqwest::Response, stall: Duration) -> TransferError {
    let status = response.status();
    if status == StatusCode::NOT_FOUND {
        return TransferError::NotFound;
    }
    let code = tokio::time::timeout(stall, response.json::<serde_json::Value>())
        .await
        .ok()
        .and_then(Result::ok)
        .and_then(|v| v.get("code").and_then(serde_json::Value::as_i64))
        .map(|c| c as i32);
    TransferError::Refused {
        status: status.as_u16(),
        code,
    }
}

/// `(first byte, complete size)` of a `Content-Range: bytes <first>-<last>/<size>` header
/// (`first` is 0 for the `bytes */<size>` of a 416).
fn content_range(response: &reqwest::Response) -> Option<(u64, u64)> {
    parse_content_range(response.headers().get(CONTENT_RANGE)?.to_str().ok()?)
}

fn parse_content_range(value: &str) -> Option<(u64, u64)> {
    let (range, size) = value.strip_prefix("bytes ")?.split_once('/')?;
    let size = size.trim().parse().ok()?;
    if range.trim() == "*" {
        return Some((0, size));
    }
    let (first, _) = range.split_once('-')?;
    Some((first.trim().parse().ok()?, size))
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::AsyncReadExt;
    use tokio::net::TcpListener;
    use tokio::sync::mpsc;

    #[test]
    fn content_ranges_parse() {
        assert_eq!(parse_content_range("bytes 100-199/200"), Some((100, 200)));
        assert_eq!(parse_content_range("bytes */200"), Some((0, 200)));
        assert_eq!(parse_content_range("items 1-2/3"), None);
        assert_eq!(
            part_path(Path::new("/a/b.png")),
            PathBuf::from("/a/b.png.part")
        );
    }

    /// A server on loopback that reads each request's headers, then answers `reply` (or
    /// nothing at all when `None`, keeping the connection open).
    async fn server(reply: Option<&'static str>) -> String {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            let mut open = Vec::new();
            while let Ok((mut socket, _)) = listener.accept().await {
                let Some(reply) = reply else {
                    // Silent: keeps the socket, reads nothing, answers nothing.
                    open.push(socket);
                    continue;
                };
                tokio::spawn(async move {
                    let mut seen = Vec::new();
                    let mut buf = [0u8; 1024];
                    while !seen.windows(4).any(|w| w == b"\r\n\r\n") {
                        match socket.read(&mut buf).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => seen.extend_from_slice(&buf[..n]),
                        }
                    }
                    let _ = socket.write_all(reply.as_bytes()).await;
                    let _ = socket.flush().await;
                });
            }
        });
        format!("http://{addr}/media/f/x.bin")
    }

    fn transfer<'a>(
        client: &'a reqwest::Client,
        cancel: &'a CancellationToken,
        stall: Duration,
    ) -> (Transfer<'a>, mpsc::UnboundedReceiver<u8>) {
        let (progress, percents) = mpsc::unbounded_channel();
        let transfer = Transfer {
            client,
            cancel,
            stall,
            progress,
        };
        (transfer, percents)
    }

    #[tokio::test]
    async fn a_silent_server_stalls_uploads_and_downloads() {
        let url = server(None).await;
        let client = reqwest::Client::new();
        let cancel = CancellationToken::new();
        let stall = Duration::from_millis(300);
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("up.bin");
        std::fs::write(&file, vec![7u8; 3 * CHUNK]).unwrap();
        let started = std::time::Instant::now();
        let (t, _p) = transfer(&client, &cancel, stall);
        let up = t.upload(&url, "token", &file, 3 * CHUNK as u64).await;
        assert!(matches!(up, Err(TransferError::Stalled)), "{up:?}");
        let dest = dir.path().join("down.bin");
        let (t, _p) = transfer(&client, &cancel, stall);
        let down = t.download(&url, &dest, || true).await;
        assert!(matches!(down, Err(TransferError::Stalled)), "{down:?}");
        assert!(started.elapsed() < Duration::from_secs(5));
    }

    #[tokio::test]
    async fn a_slow_answer_after_the_whole_body_is_not_a_stall() {
        // Reads the whole body, then takes two stall times to answer.
        let stall = Duration::from_millis(300);
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/media/f", listener.local_addr().unwrap());
        let len = 3 * CHUNK;
        tokio::spawn(async move {
            let (mut socket, _) = listener.accept().await.unwrap();
            let mut seen = Vec::new();
            let mut buf = vec![0u8; 64 * 1024];
            loop {
                let head = seen.windows(4).position(|w| w == b"\r\n\r\n");
                if head.is_some_and(|h| seen.len() >= h + 4 + len) {
                    break;
                }
                match socket.read(&mut buf).await {
                    Ok(0) | Err(_) => return,
                    Ok(n) => seen.extend_from_slice(&buf[..n]),
                }
            }
            tokio::time::sleep(stall * 2).await;
            let reply = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
            let _ = socket.write_all(reply.as_bytes()).await;
            let _ = socket.flush().await;
        });
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("up.bin");
        std::fs::write(&file, vec![7u8; len]).unwrap();
        let client = reqwest::Client::new();
        let cancel = CancellationToken::new();
        let (t, _p) = transfer(&client, &cancel, stall);
        let up = t.upload(&url, "token", &file, len as u64).await;
        assert!(up.is_ok(), "{up:?}");
    }

    #[tokio::test]
    async fn a_download_cancelled_before_its_rename_keeps_the_complete_part() {
        let url = server(Some(
            "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello",
        ))
        .await;
        let client = reqwest::Client::new();
        let cancel = CancellationToken::new();
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("x.bin");
        // The cancel won: no file, the whole part kept.
        let (t, _p) = transfer(&client, &cancel, STALL_TIMEOUT);
        let refused = t.download(&url, &dest, || false).await;
        assert!(
            matches!(refused, Err(TransferError::Cancelled)),
            "{refused:?}"
        );
        assert!(!dest.exists());
        assert_eq!(std::fs::read(part_path(&dest)).unwrap(), b"hello");
        // The completion won: the file is in place and 100 reported.
        std::fs::remove_file(part_path(&dest)).unwrap();
        let (t, mut percents) = transfer(&client, &cancel, STALL_TIMEOUT);
        let done = t.download(&url, &dest, || true).await.unwrap();
        assert_eq!((done.size, done.fetched, done.resumed), (5, 5, false));
        assert_eq!(std::fs::read(&dest).unwrap(), b"hello");
        assert!(!part_path(&dest).exists());
        let mut seen = Vec::new();
        while let Ok(p) = percents.try_recv() {
            seen.push(p);
        }
        assert_eq!(seen.last(), Some(&100));
    }

    #[tokio::test]
    async fn a_complete_part_is_renamed_without_fetching_again() {
        let url = server(Some(
            "HTTP/1.1 416 Range Not Satisfiable\r\nContent-Range: bytes */5\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        ))
        .await;
        let client = reqwest::Client::new();
        let cancel = CancellationToken::new();
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("x.bin");
        std::fs::write(part_path(&dest), b"hello").unwrap();
        let (t, _p) = transfer(&client, &cancel, STALL_TIMEOUT);
        let done = t.download(&url, &dest, || true).await.unwrap();
        assert_eq!((done.size, done.fetched, done.resumed), (5, 0, true));
        assert_eq!(std::fs::read(&dest).unwrap(), b"hello");
    }
}
