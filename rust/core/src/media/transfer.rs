//! Streaming HTTP transfers with the file service: an upload (`PUT`, the file read in chunks,
//! never whole in memory) and a download (`GET` into `<name>.part`, resumed with
//! `Range: bytes=<have>-` when a part is there; renamed once complete). Both report progress
//! through a channel and stop at once when their [`CancellationToken`] is cancelled (a
//! cancelled download keeps its part for the next attempt). No retries: a failed transfer is
//! reported, and the app retries (resending the message, downloading again).

use super::progress::Progress;
use futures::StreamExt;
use reqwest::header::{AUTHORIZATION, CONTENT_LENGTH, CONTENT_RANGE, RANGE};
use reqwest::StatusCode;
use std::path::{Path, PathBuf};
use std::time::Duration;
use tokio::io::AsyncWriteExt;
use tokio::sync::mpsc::UnboundedSender;
use tokio_util::io::ReaderStream;
use tokio_util::sync::CancellationToken;

/// Read size of uploads.
const CHUNK: usize = 256 * 1024;

/// A download whose body brings nothing for this long fails (the server or network stalled).
pub const STALL_TIMEOUT: Duration = Duration::from_secs(60);

/// Write buffer of downloads.
const WRITE_BUFFER: usize = 1024 * 1024;

/// Why a transfer did not complete.
#[derive(Debug, thiserror::Error)]
pub enum TransferError {
    /// Cancelled by the app.
    #[error("cancelled")]
    Cancelled,
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

/// Uploads the file at `path` (`size` bytes) with `PUT url` and `Authorization: Bearer
/// token`, sending rising percents (never 100: the caller reports 100 once it is done) to
/// `progress`.
pub async fn upload(
    client: &reqwest::Client,
    url: &str,
    token: &str,
    path: &Path,
    size: u64,
    cancel: &CancellationToken,
    progress: UnboundedSender<u8>,
) -> Result<(), TransferError> {
    let file = tokio::fs::File::open(path).await?;
    let mut tracker = Progress::new(size, 0);
    let body = ReaderStream::with_capacity(file, CHUNK).inspect(move |chunk| {
        if let Ok(bytes) = chunk {
            if let Some(percent) = tracker.advance(bytes.len() as u64) {
                let _ = progress.send(percent);
            }
        }
    });
    let request = client
        .put(url)
        .header(AUTHORIZATION, format!("Bearer {token}"))
        .header(CONTENT_LENGTH, size)
        .body(reqwest::Body::wrap_stream(body))
        .send();
    let response = tokio::select! {
        biased;
        _ = cancel.cancelled() => return Err(TransferError::Cancelled),
        response = request => response.map_err(|e| TransferError::Network(e.to_string()))?,
    };
    let status = response.status();
    if status.is_success() {
        return Ok(());
    }
    Err(refused(response).await)
}

async fn refused(response: reqwest::Response) -> TransferError {
    let status = response.status();
    if status == StatusCode::NOT_FOUND {
        return TransferError::NotFound;
    }
    let code = response
        .json::<serde_json::Value>()
        .await
        .ok()
        .and_then(|v| v.get("code").and_then(serde_json::Value::as_i64))
        .map(|c| c as i32);
    TransferError::Refused {
        status: status.as_u16(),
        code,
    }
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

/// Downloads `url` to `dest`, resuming `dest.part` when there is one, sending rising percents
/// (including 100 at the end) to `progress`.
pub async fn download(
    client: &reqwest::Client,
    url: &str,
    dest: &Path,
    cancel: &CancellationToken,
    progress: UnboundedSender<u8>,
) -> Result<Downloaded, TransferError> {
    if let Some(dir) = dest.parent() {
        tokio::fs::create_dir_all(dir).await?;
    }
    let part = part_path(dest);
    let have = tokio::fs::metadata(&part).await.map_or(0, |m| m.len());
    let mut response = get(client, url, have, cancel).await?;
    if response.status() == StatusCode::RANGE_NOT_SATISFIABLE {
        // The part is not a prefix of this file (it changed, or the part is bad): start over.
        tokio::fs::remove_file(&part).await?;
        response = get(client, url, 0, cancel).await?;
    }
    let (start, size) = match response.status() {
        StatusCode::PARTIAL_CONTENT if have > 0 => content_range(&response)
            .filter(|(start, _)| *start == have)
            .ok_or_else(|| TransferError::Network("bad Content-Range".into()))?,
        StatusCode::OK => (0, response.content_length().unwrap_or(0)),
        _ => return Err(refused(response).await),
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
            _ = cancel.cancelled() => {
                file.flush().await?;
                return Err(TransferError::Cancelled);
            }
            chunk = tokio::time::timeout(STALL_TIMEOUT, body.next()) => chunk,
        };
        let chunk = match chunk {
            Ok(None) => break,
            Ok(Some(Ok(chunk))) => chunk,
            Ok(Some(Err(e))) => {
                file.flush().await?;
                return Err(TransferError::Network(e.to_string()));
            }
            Err(_) => {
                file.flush().await?;
                return Err(TransferError::Network("download stalled".into()));
            }
        };
        file.write_all(&chunk).await?;
        fetched += chunk.len() as u64;
        if let Some(percent) = tracker.advance(chunk.len() as u64) {
            let _ = progress.send(percent);
        }
    }
    file.flush().await?;
    // The rename below must not expose a file whose bytes are not on disk yet.
    file.get_ref().sync_all().await?;
    drop(file);
    let complete = start + fetched;
    if size > 0 && complete != size {
        return Err(TransferError::Network(format!(
            "body ended at {complete} of {size} bytes"
        )));
    }
    tokio::fs::rename(&part, dest).await?;
    if let Some(percent) = tracker.finish() {
        let _ = progress.send(percent);
    }
    Ok(Downloaded {
        fetched,
        size: complete,
        resumed: start > 0,
    })
}

async fn get(
    client: &reqwest::Client,
    url: &str,
    have: u64,
    cancel: &CancellationToken,
) -> Result<reqwest::Response, TransferError> {
    let mut request = client.get(url);
    if have > 0 {
        request = request.header(RANGE, format!("bytes={have}-"));
    }
    tokio::select! {
        biased;
        _ = cancel.cancelled() => Err(TransferError::Cancelled),
        response = request.send() => response.map_err(|e| TransferError::Network(e.to_string())),
    }
}

/// `(first byte, complete size)` of a `Content-Range: bytes <first>-<last>/<size>` header.
fn content_range(response: &reqwest::Response) -> Option<(u64, u64)> {
    parse_content_range(response.headers().get(CONTENT_RANGE)?.to_str().ok()?)
}

fn parse_content_range(value: &str) -> Option<(u64, u64)> {
    let (range, size) = value.strip_prefix("bytes ")?.split_once('/')?;
    let (first, _) = range.split_once('-')?;
    Some((first.trim().parse().ok()?, size.trim().parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_ranges_parse() {
        assert_eq!(parse_content_range("bytes 100-199/200"), Some((100, 200)));
        assert_eq!(parse_content_range("bytes */200"), None);
        assert_eq!(parse_content_range("items 1-2/3"), None);
        assert_eq!(
            part_path(Path::new("/a/b.png")),
            PathBuf::from("/a/b.png.part")
        );
    }
}
