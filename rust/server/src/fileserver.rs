//! The file service's HTTP routes, on the same listener as navigation and the Server API
//! (not behind the Server API signature):
//!
//! * `PUT /media/{file_id}` with `Authorization: Bearer <ticket token>` and a body of exactly
//!   the ticket's size. The body is streamed into the [`crate::blob::BlobStore`] (never held
//!   in memory) and becomes downloadable only once complete. Answers, all JSON `{"code":N}`:
//!   200 `0` stored (also when this file id was already complete: the first upload wins and
//!   the repeat changes nothing, so a client may retry after a lost answer); 401 `34011`
//!   missing, forged or expired token, or a token for another file id; 413 `26106` (`34003`
//!   for a GIF) as soon as more bytes than the ticket's size arrive (or a `Content-Length`
//!   says so), nothing kept; 400 `34011` a body shorter than the ticket or broken off; 408
//!   `34011` no body bytes for `MediaConfig::read_timeout`; 503 `34011` (with `Retry-After`)
//!   when `MediaConfig::max_concurrent_uploads` uploads are running; 500 `34011` storage
//!   failure.
//! * `GET` / `HEAD /media/{file_id}/{name}`: the file, no token needed (the 128-bit random id
//!   is the capability). `name` is only used for `Content-Type` (guessed from its extension)
//!   and `Content-Disposition: attachment`. `Accept-Ranges: bytes`; one `Range` answers 206
//!   with `Content-Range`; an unsatisfiable, malformed or multi-range `Range` answers 416
//!   with `Content-Range: bytes */<size>`. Unknown id: 404 `{"code":-3}`.

use crate::blob::{valid_blob_id, ByteStream, Stored};
use crate::service::ServiceError;
use crate::state::Shared;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, put};
use axum::Router;
use futures::StreamExt as _;
use rcim_proto::codes::{self, FILE_UPLOAD_FAILED};
use rcim_proto::media_type::too_large_code;
use std::io;
use std::sync::Arc;
use std::time::Duration;

/// `code` of the JSON answer for an unknown file (OPERATION_MEDIA_NOT_FOUND).
const MEDIA_NOT_FOUND: i64 = codes::MEDIA_NOT_FOUND as i64;

/// The file service routes.
pub(crate) fn router() -> Router<Arc<Shared>> {
    Router::new()
        .route("/media/{file_id}", put(upload))
        .route("/media/{file_id}/{name}", get(download).head(download))
}

/// A JSON `{"code": code}` answer with `status`.
fn answer(status: StatusCode, code: i64) -> Response {
    (
        status,
        crate::api::json_headers(),
        serde_json::json!({ "code": code }).to_string(),
    )
        .into_response()
}

fn upload_failed(status: StatusCode) -> Response {
    answer(status, i64::from(FILE_UPLOAD_FAILED))
}

/// Why an upload body was cut off (travels inside `io::Error` through the blob store).
#[derive(Debug, thiserror::Error)]
enum BodyError {
    #[error("more bytes than the ticket allows")]
    TooLong,
    #[error("no upload bytes within the read timeout")]
    Stalled,
    #[error("reading the upload failed: {0}")]
    Read(String),
}

/// `body` as a [`ByteStream`] that fails with [`BodyError::TooLong`] as soon as more than
/// `size` bytes arrived, and with [`BodyError::Stalled`] when no bytes come for `idle`.
fn capped(body: Body, size: u64, idle: Duration) -> ByteStream {
    let state = (body.into_data_stream(), 0u64, false);
    futures::stream::unfold(state, move |(mut body, received, ended)| async move {
        if ended {
            return None;
        }
        let failure = match tokio::time::timeout(idle, body.next()).await {
            Err(_) => BodyError::Stalled,
            Ok(None) => return None,
            Ok(Some(Err(e))) => BodyError::Read(e.to_string()),
            Ok(Some(Ok(chunk))) => {
                let received = received + chunk.len() as u64;
                if received <= size {
                    return Some((Ok(chunk), (body, received, false)));
                }
                BodyError::TooLong
            }
        };
        // The error ends the stream: the store drops the upload.
        Some((Err(io::Error::other(failure)), (body, received, true)))
    })
    .boxed()
}

/// The token of an `Authorization: Bearer <token>` header.
fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then_some(token.trim())
}

/// `PUT /media/{file_id}` (see the module docs).
async fn upload(
    State(shared): State<Arc<Shared>>,
    Path(file_id): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let media = &shared.media;
    let grant = match bearer(&headers).map(|t| media.check_upload(t, &file_id)) {
        Some(Ok(grant)) => grant,
        Some(Err(e)) => {
            tracing::debug!(file = %file_id, reason = %e, "upload refused");
            return upload_failed(StatusCode::UNAUTHORIZED);
        }
        None => return upload_failed(StatusCode::UNAUTHORIZED),
    };
    let too_large = || {
        answer(
            StatusCode::PAYLOAD_TOO_LARGE,
            i64::from(too_large_code(grant.media_type)),
        )
    };
    let announced = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    if announced.is_some_and(|n| n > grant.size) {
        return too_large();
    }
    let Some(_slot) = media.upload_slot() else {
        tracing::warn!(user = %grant.user_id, "too many uploads at once; refusing one");
        let mut r = upload_failed(StatusCode::SERVICE_UNAVAILABLE);
        r.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        return r;
    };
    let stream = capped(body, grant.size, media.config.read_timeout);
    match media.blobs.put(&file_id, grant.size, stream).await {
        Ok(stored) => {
            tracing::debug!(user = %grant.user_id, file = %file_id, size = grant.size,
                existed = stored == Stored::Existed, "upload complete");
            answer(StatusCode::OK, 0)
        }
        Err(e) => match e.get_ref().and_then(|e| e.downcast_ref::<BodyError>()) {
            Some(BodyError::TooLong) => too_large(),
            Some(BodyError::Stalled) => upload_failed(StatusCode::REQUEST_TIMEOUT),
            Some(BodyError::Read(_)) => upload_failed(StatusCode::BAD_REQUEST),
            None if e.kind() == io::ErrorKind::UnexpectedEof => {
                upload_failed(StatusCode::BAD_REQUEST)
            }
            None if e.kind() == io::ErrorKind::InvalidData => too_large(),
            None => {
                let e = ServiceError::Internal(e.into());
                tracing::error!(file = %file_id, error = %e, "storing an upload failed");
                upload_failed(StatusCode::INTERNAL_SERVER_ERROR)
            }
        },
    }
}

/// What a `Range` header asks of a file of `size` bytes.
#[derive(Debug, PartialEq, Eq)]
enum Wanted {
    /// No range: the whole file (200).
    Whole,
    /// One satisfiable range, `start..=end` (206).
    Part(u64, u64),
    /// Unsatisfiable, malformed or several ranges (416).
    Unsatisfiable,
}

fn wanted(headers: &HeaderMap, size: u64) -> Wanted {
    let Some(value) = headers.get(header::RANGE) else {
        return Wanted::Whole;
    };
    let ranges = value
        .to_str()
        .ok()
        .and_then(|v| http_range_header::parse_range_header(v).ok())
        .and_then(|p| p.validate(size).ok());
    match ranges.as_deref() {
        Some([r]) if r.start() <= r.end() && *r.end() < size => Wanted::Part(*r.start(), *r.end()),
        _ => Wanted::Unsatisfiable,
    }
}

/// What `filename*` must percent-encode: everything but RFC 5987's `attr-char`.
const ATTR_CHAR_ESCAPES: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'!')
    .remove(b'#')
    .remove(b'$')
    .remove(b'&')
    .remove(b'+')
    .remove(b'-')
    .remove(b'.')
    .remove(b'^')
    .remove(b'_')
    .remove(b'`')
    .remove(b'|')
    .remove(b'~');

/// `Content-Disposition: attachment` naming `name` (an ASCII fallback and the UTF-8 name).
fn disposition(name: &str) -> HeaderValue {
    let fallback: String = name
        .chars()
        .map(|c| match c {
            ' '..='~' if c != '"' && c != '\\' => c,
            _ => '_',
        })
        .collect();
    let encoded = percent_encoding::utf8_percent_encode(name, ATTR_CHAR_ESCAPES);
    HeaderValue::from_str(&format!(
        "attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("attachment"))
}

/// `GET` / `HEAD /media/{file_id}/{name}` (see the module docs).
async fn download(
    State(shared): State<Arc<Shared>>,
    method: Method,
    Path((file_id, name)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    if !valid_blob_id(&file_id) {
        return answer(StatusCode::NOT_FOUND, MEDIA_NOT_FOUND);
    }
    let blobs = &shared.media.blobs;
    let size = match blobs.size(&file_id).await {
        Ok(Some(size)) => size,
        Ok(None) => return answer(StatusCode::NOT_FOUND, MEDIA_NOT_FOUND),
        Err(e) => {
            tracing::error!(file = %file_id, error = %e, "reading a media file failed");
            return answer(StatusCode::INTERNAL_SERVER_ERROR, MEDIA_NOT_FOUND);
        }
    };
    let mut response = Response::builder()
        .header(header::ACCEPT_RANGES, "bytes")
        .header(
            header::CONTENT_TYPE,
            mime_guess::from_path(&name)
                .first_or_octet_stream()
                .essence_str(),
        )
        .header(header::CONTENT_DISPOSITION, disposition(&name))
        .header(header::X_CONTENT_TYPE_OPTIONS, "nosniff")
        // A file id never changes content.
        .header(header::CACHE_CONTROL, "public, max-age=31536000, immutable");
    let (status, start, end) = match wanted(&headers, size) {
        Wanted::Whole => (StatusCode::OK, 0, size),
        Wanted::Part(first, last) => {
            response = response.header(
                header::CONTENT_RANGE,
                format!("bytes {first}-{last}/{size}"),
            );
            (StatusCode::PARTIAL_CONTENT, first, last + 1)
        }
        Wanted::Unsatisfiable => {
            return (
                StatusCode::RANGE_NOT_SATISFIABLE,
                [(header::CONTENT_RANGE, format!("bytes */{size}"))],
                [(header::ACCEPT_RANGES, "bytes")],
            )
                .into_response();
        }
    };
    response = response
        .status(status)
        .header(header::CONTENT_LENGTH, end - start);
    let body = if method == Method::HEAD {
        Body::empty()
    } else {
        match blobs.read(&file_id, start..end).await {
            Ok(Some(stream)) => Body::from_stream(stream),
            Ok(None) => return answer(StatusCode::NOT_FOUND, MEDIA_NOT_FOUND),
            Err(e) => {
                tracing::error!(file = %file_id, error = %e, "reading a media file failed");
                return answer(StatusCode::INTERNAL_SERVER_ERROR, MEDIA_NOT_FOUND);
            }
        }
    };
    response.body(body).unwrap_or_else(|e| {
        tracing::error!(error = %e, "building a download response failed");
        answer(StatusCode::INTERNAL_SERVER_ERROR, MEDIA_NOT_FOUND)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range(v: &str, size: u64) -> Wanted {
        let mut h = HeaderMap::new();
        h.insert(header::RANGE, HeaderValue::from_str(v).unwrap());
        wanted(&h, size)
    }

    #[test]
    fn ranges() {
        assert_eq!(wanted(&HeaderMap::new(), 10), Wanted::Whole);
        assert_eq!(range("bytes=0-3", 10), Wanted::Part(0, 3));
        assert_eq!(range("bytes=4-", 10), Wanted::Part(4, 9));
        assert_eq!(range("bytes=-3", 10), Wanted::Part(7, 9));
        assert_eq!(range("bytes=5-100", 10), Wanted::Part(5, 9));
        assert_eq!(range("bytes=10-", 10), Wanted::Unsatisfiable);
        assert_eq!(range("bytes=0-1,3-4", 10), Wanted::Unsatisfiable);
        assert_eq!(range("items=0-1", 10), Wanted::Unsatisfiable);
    }

    #[test]
    fn disposition_names_the_file() {
        let v = disposition("photo \"1\".jpg");
        assert_eq!(
            v.to_str().unwrap(),
            "attachment; filename=\"photo _1_.jpg\"; filename*=UTF-8''photo%20%221%22.jpg"
        );
        let v = disposition("照片.png");
        assert_eq!(
            v.to_str().unwrap(),
            "attachment; filename=\"__.png\"; filename*=UTF-8''%E7%85%A7%E7%89%87.png"
        );
    }
}
