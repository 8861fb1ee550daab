//! Media messages: `sendMediaMessage` (prepare the file, store and announce the message,
//! upload with progress, then send it through the normal send queue), `downloadMediaMessage`
//! (download with progress, resuming a part; the local path kept in the store) and the two
//! cancel calls.
//!
//! Each transfer runs in its own task; the running ones are in [`Transfers`] (by message id for
//! uploads, by message id or remote URL for downloads) so a cancel call can stop them. A cancel
//! event answers the cancel call and ends the transfer call (it carries both event ids); an
//! upload cancelled leaves its message CANCELED, a download keeps its part to resume.
//!
//! A message with a `remote` URL and no `local` file (a received media message sent on:
//! forwarding, R086) is stored and sent without upload or progress.
//!
//! Codes: see [`crate::codes`]. Invalid local file (34234 missing/directory, 34018 empty,
//! 26106/34003 over the limit), 34002 sight over 120 s, 34223 not a media message, all at
//! once; an upload that fails reports 34011 (or the file service's own refusal: 26106, 34003,
//! 34018, 34019) in `MediaMessageSent` with the message FAILED and its `local` kept; a
//! download without remote URL is refused at once with 34235, one that fails reports -3 (HTTP
//! 404), 34030 (403), 34251 (cannot write the file) or 34011 (any other failure). Cancelling
//! when nothing of that message is in progress (never started, or finished) answers 34204 at
//! once. A second download of a message already downloading answers PARAM_ERROR at once.

use super::{hand_over, valid_conversation, Engine, Session};
use crate::codec;
use crate::codes::{self, Code};
use crate::db::Db;
use crate::event::{Event, EventId};
use crate::media::limits;
use crate::media::prepare::{local_of, prepare, Prepared};
use crate::media::transfer::{self, TransferError};
use crate::model::{message_type, Message};
use crate::session::{Command, TicketRequest};
use crate::shared::Shared;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use rcim_proto::v1::MediaUploadRequest;
use rcim_store::{sent_status, MessageRow, Store};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::future::Future;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Instant;
use tokio::sync::{mpsc, oneshot};
use tokio_util::sync::CancellationToken;

/// Characters kept as they are in the file name part of a download URL (RFC 3986 unreserved).
const NAME_ESCAPES: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// What a running transfer is known by.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum TransferKey {
    /// The upload of a stored media message.
    Upload(i64),
    /// The download of a stored message (by id) or of a URL (a message that is not stored).
    Download(String),
}

struct Running {
    cancel: CancellationToken,
    /// Set by the cancel call (with its event id).
    canceled_by: Option<EventId>,
}

/// The media transfers in progress.
#[derive(Default)]
pub(crate) struct Transfers {
    running: Mutex<HashMap<TransferKey, Running>>,
}

impl Transfers {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<TransferKey, Running>> {
        self.running.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Registers a transfer; `None` when one with that key runs already.
    fn start(&self, key: TransferKey) -> Option<CancellationToken> {
        let mut running = self.lock();
        if running.contains_key(&key) {
            return None;
        }
        let cancel = CancellationToken::new();
        running.insert(
            key,
            Running {
                cancel: cancel.clone(),
                canceled_by: None,
            },
        );
        Some(cancel)
    }

    /// Cancels a running transfer for the call `event_id`; false when none runs.
    fn cancel(&self, key: &TransferKey, event_id: EventId) -> bool {
        let mut running = self.lock();
        let Some(entry) = running.get_mut(key) else {
            return false;
        };
        if entry.canceled_by.is_some() {
            // Cancelled already: that call gets the event.
            return false;
        }
        entry.canceled_by = Some(event_id);
        entry.cancel.cancel();
        true
    }

    /// Unregisters a transfer; `Some(cancel call)` when it was cancelled by the app (then its
    /// outcome is the cancel, whatever the transfer did).
    fn finish(&self, key: &TransferKey) -> Option<EventId> {
        self.lock().remove(key).and_then(|r| r.canceled_by)
    }

    /// Stops every transfer (engine shutdown); they end as failed, not as cancelled.
    pub(crate) fn abort_all(&self) {
        for running in self.lock().values() {
            running.cancel.cancel();
        }
    }
}

/// What a media task needs from the engine (it outlives the call).
#[derive(Clone)]
struct MediaTask {
    shared: Arc<Shared>,
    session: Arc<Mutex<Option<Session>>>,
    transfers: Arc<Transfers>,
    db: Db,
    user_id: String,
}

impl Engine {
    /// `sendMediaMessage`: checks the message and its file at once (see the module's codes),
    /// then in the background: prepares the file (image compression and thumbnail, GIF and file
    /// facts), stores the message SENDING with `local` (`MediaMessageAttached`), uploads the
    /// file (`MediaMessageSending` progress), sets `remote` and sends the message through the
    /// send queue (`MediaMessageSent`). Resending a message object that has a `messageId`
    /// reuses its row and uploads again (R083).
    pub fn send_media_message(&self, message: Message, event_id: EventId) -> Result<(), Code> {
        if !valid_conversation(message.conversation_type, &message.target_id) {
            return Err(Code::PARAM_ERROR);
        }
        if !limits::is_media(message.message_type) {
            return Err(Code::of(codes::NOT_MEDIA_MESSAGE));
        }
        // A message whose file is on the server already (a received one sent on: "forward",
        // R086) goes without upload.
        if !is_forward(&message) {
            limits::check_file(message.message_type, local_of(&message))?;
        }
        if message.message_type == message_type::SIGHT
            && message
                .fields
                .get("duration")
                .and_then(Value::as_f64)
                .is_some_and(|d| d > limits::SIGHT_MAX_SECONDS as f64)
        {
            return Err(Code::of(codes::SIGHT_DURATION_LIMIT_EXCEED));
        }
        let task = self.media_task()?;
        self.runtime.spawn(task.send(message, event_id));
        Ok(())
    }

    /// `cancelSendingMediaMessage`: stops the upload of `message` (by its `messageId`). The
    /// message becomes CANCELED and `SendingMediaMessageCanceled` answers this call and ends
    /// the send call. 34204 at once when no upload of it is in progress.
    pub fn cancel_sending_media_message(
        &self,
        message: Message,
        event_id: EventId,
    ) -> Result<(), Code> {
        let id = message.message_id.ok_or(Code::INVALID_MESSAGE_ID)?;
        if self.transfers.cancel(&TransferKey::Upload(id), event_id) {
            Ok(())
        } else {
            Err(Code::INVALID_MESSAGE_ID)
        }
    }

    /// `downloadMediaMessage`: downloads the file at the message's `remote` URL into the
    /// user's media directory (`MediaMessageDownloading` progress), resuming what an earlier,
    /// interrupted attempt left, and reports the message with `local` set
    /// (`MediaMessageDownloaded`); a stored message keeps the path (`getMessageById` shows it).
    pub fn download_media_message(&self, message: Message, event_id: EventId) -> Result<(), Code> {
        if !limits::is_media(message.message_type) {
            return Err(Code::of(codes::NOT_MEDIA_MESSAGE));
        }
        let remote = remote_of(&message);
        if remote.is_empty() || reqwest::Url::parse(remote).is_err() {
            return Err(Code::of(codes::INVALID_MEDIA_URL));
        }
        let task = self.media_task()?;
        let key = download_key(&message);
        let cancel = self.transfers.start(key.clone()).ok_or(Code::PARAM_ERROR)?;
        self.runtime
            .spawn(task.download(message, key, cancel, event_id));
        Ok(())
    }

    /// `cancelDownloadingMediaMessage`: stops the download of `message`, keeping the part
    /// fetched so far; `DownloadingMediaMessageCanceled` answers this call and ends the
    /// download call. 34204 at once when no download of it is in progress.
    pub fn cancel_downloading_media_message(
        &self,
        message: Message,
        event_id: EventId,
    ) -> Result<(), Code> {
        if self.transfers.cancel(&download_key(&message), event_id) {
            Ok(())
        } else {
            Err(Code::INVALID_MESSAGE_ID)
        }
    }

    /// The context of a media task: 33001 before `connect` opened the user's database.
    fn media_task(&self) -> Result<MediaTask, Code> {
        let guard = self.lock_session();
        let session = guard.as_ref().ok_or(Code::CLIENT_NOT_INIT)?;
        let db = session.db.get().cloned().ok_or(Code::CLIENT_NOT_INIT)?;
        Ok(MediaTask {
            shared: self.shared.clone(),
            session: self.session.clone(),
            transfers: self.transfers.clone(),
            db,
            user_id: session.user_id.clone(),
        })
    }
}

/// A media message with a remote URL and no local file: sent on without upload.
fn is_forward(message: &Message) -> bool {
    local_of(message).is_empty() && reqwest::Url::parse(remote_of(message)).is_ok()
}

fn remote_of(message: &Message) -> &str {
    message
        .fields
        .get("remote")
        .and_then(Value::as_str)
        .unwrap_or("")
}

fn download_key(message: &Message) -> TransferKey {
    match message.message_id {
        Some(id) => TransferKey::Download(format!("#{id}")),
        None => TransferKey::Download(remote_of(message).to_string()),
    }
}

/// The file name at the end of a download URL (percent-decoded), safe as a path component.
fn file_name_of(remote: &str) -> String {
    let last = remote
        .split(['?', '#'])
        .next()
        .unwrap_or("")
        .rsplit('/')
        .next()
        .unwrap_or("");
    let decoded = percent_encoding::percent_decode_str(last).decode_utf8_lossy();
    let safe: String = decoded
        .chars()
        .map(|c| match c {
            '/' | '\\' | '\0' | ':' => '_',
            c => c,
        })
        .collect();
    let safe = safe.trim_start_matches('.');
    if safe.is_empty() {
        "file".to_string()
    } else {
        safe.chars().take(128).collect()
    }
}

impl MediaTask {
    async fn emit(&self, event: Event) {
        self.shared.emit(event).await;
    }

    /// Runs `job` on the store; `None` (logged) when the store failed.
    async fn store<R, F>(&self, job: F) -> Option<R>
    where
        R: Send + 'static,
        F: FnOnce(&mut Store) -> rcim_store::Result<R> + Send + 'static,
    {
        match self.db.call(job).await {
            Ok(value) => Some(value),
            Err(e) => {
                tracing::error!(error = %e, "media: store failed");
                None
            }
        }
    }

    /// Sets the sent status of stored message `id`; the message as stored then (or `message`
    /// with that status when the store failed).
    async fn set_status(&self, id: i64, status: u8, message: &Message) -> Message {
        let row = self
            .store(move |s| s.update_sent(id, status, None, None))
            .await
            .flatten();
        match row {
            Some(row) => codec::message_from_row(&row),
            None => {
                let mut message = message.clone();
                message.sent_status = Some(status);
                message
            }
        }
    }

    async fn send(self, mut message: Message, event_id: EventId) {
        let failed = |mut message: Message, code: u32| {
            message.sent_status = Some(sent_status::FAILED);
            Event::MediaMessageSent {
                code: code as i32,
                message,
                event_id: event_id.clone(),
            }
        };
        let prepared = if is_forward(&message) {
            None
        } else {
            let compression = self.shared.config.compression;
            let work_dir = self.shared.config.media_dir(&self.user_id).join("upload");
            let to_prepare = message.clone();
            let prepared =
                tokio::task::spawn_blocking(move || prepare(&to_prepare, &compression, &work_dir))
                    .await
                    .unwrap_or(Err(Code(codes::RESULT_UNKNOWN)));
            match prepared {
                Ok(prepared) => Some(prepared),
                Err(code) => return self.emit(failed(message, code.0 as u32)).await,
            }
        };
        if let Some(prepared) = &prepared {
            message.fields.extend(prepared.fields.clone());
        }
        let Some(row) = self.attach(&message).await else {
            return self
                .emit(failed(message, codes::DATABASE_ERROR as u32))
                .await;
        };
        let id = row.id;
        let message = codec::message_from_row(&row);
        self.emit(Event::MediaMessageAttached {
            message: message.clone(),
            event_id: event_id.clone(),
        })
        .await;
        if row.sent_status == sent_status::SENT {
            // Resending a message already sent: nothing to upload.
            return self
                .emit(Event::MediaMessageSent {
                    code: 0,
                    message,
                    event_id,
                })
                .await;
        }
        let mut message = message;
        if let Some(prepared) = prepared {
            let key = TransferKey::Upload(id);
            let Some(cancel) = self.transfers.start(key.clone()) else {
                tracing::info!(id, "media: this message is uploading already");
                return self.emit(failed(message, codes::PARAM_ERROR as u32)).await;
            };
            let uploaded = self.upload(&message, &prepared, &cancel, &event_id).await;
            if prepared.temporary {
                if let Err(e) = tokio::fs::remove_file(&prepared.upload).await {
                    tracing::debug!(error = %e, "media: cannot remove a compressed copy");
                }
            }
            if let Some(cancel_event_id) = self.transfers.finish(&key) {
                let message = self.set_status(id, sent_status::CANCELED, &message).await;
                return self
                    .emit(Event::SendingMediaMessageCanceled {
                        code: 0,
                        message,
                        event_id: cancel_event_id,
                        ended_event_id: event_id,
                    })
                    .await;
            }
            match uploaded {
                Ok(remote) => {
                    message.fields.insert("remote".into(), json!(remote));
                }
                Err(code) => {
                    let message = self.set_status(id, sent_status::FAILED, &message).await;
                    return self.emit(failed(message, code)).await;
                }
            }
        }
        let command = Command::Send {
            message: Box::new(message.clone()),
            event_id: event_id.clone(),
            requested: Instant::now(),
        };
        if let Err(code) = hand_over(&self.session, command) {
            let message = self.set_status(id, sent_status::FAILED, &message).await;
            self.emit(failed(message, code.0 as u32)).await;
        }
        // Otherwise the session reports `MediaMessageSent`.
    }

    /// Stores a media message about to be uploaded: a new row, or the row of a resent message
    /// object (SENDING again, with its new content); a row already sent is returned as it is.
    async fn attach(&self, message: &Message) -> Option<MessageRow> {
        let new = crate::session::outgoing_row(message, &self.user_id)?;
        let resend = message.message_id;
        self.store(move |s| match resend {
            // Only this user's own message object is resent from its row; a received one is
            // sent on as a new message.
            Some(id) => match s.message(id)? {
                Some(old) if old.direction != rcim_store::direction::SEND => {
                    s.insert_outgoing(&new).map(Some)
                }
                Some(old) if old.sent_status == sent_status::SENT => Ok(Some(old)),
                Some(_) => s.restart_outgoing(id, &new.content, new.extra_json.as_deref()),
                None => s.insert_outgoing(&new).map(Some),
            },
            None => s.insert_outgoing(&new).map(Some),
        })
        .await
        .flatten()
    }

    /// Gets an upload ticket and uploads the prepared file, reporting progress; the remote URL
    /// or the code of the failure.
    async fn upload(
        &self,
        message: &Message,
        prepared: &Prepared,
        cancel: &CancellationToken,
        event_id: &EventId,
    ) -> Result<String, u32> {
        let (reply, answer) = oneshot::channel();
        let ticket = TicketRequest {
            request: MediaUploadRequest {
                media_type: message.message_type,
                size: prepared.size,
                file_name: prepared.file_name.clone(),
            },
            reply,
            since: Instant::now(),
        };
        hand_over(&self.session, Command::MediaTicket(ticket)).map_err(|c| c.0 as u32)?;
        let ticket = tokio::select! {
            _ = cancel.cancelled() => return Err(codes::FILE_UPLOAD_FAILED),
            answer = answer => answer.unwrap_or(Err(codes::FILE_UPLOAD_FAILED)),
        };
        let ticket = ticket.map_err(|code| match code {
            // The file service's own refusals keep their code.
            codes::FILE_SIZE_OUT_OF_LIMIT
            | codes::GIF_SIZE_OUT_OF_LIMIT
            | codes::MEDIA_EMPTY
            | codes::MEDIA_TYPE_INVALID => code,
            other => {
                tracing::info!(code = other, "media: no upload ticket");
                codes::FILE_UPLOAD_FAILED
            }
        })?;
        let base = &self.shared.config.file_server;
        let url = format!("{base}/media/{}", ticket.file_id);
        let (progress, mut percents) = mpsc::unbounded_channel();
        let upload = transfer::upload(
            &self.shared.media_http,
            &url,
            &ticket.token,
            &prepared.upload,
            prepared.size,
            cancel,
            progress,
        );
        let result = self
            .with_progress(upload, &mut percents, message, event_id, sending)
            .await;
        if let Err(e) = result {
            tracing::info!(error = %e, "media: upload failed");
            return Err(match e {
                TransferError::Refused {
                    code: Some(code), ..
                } if code > 0 && code as u32 != codes::FILE_UPLOAD_FAILED => code as u32,
                _ => codes::FILE_UPLOAD_FAILED,
            });
        }
        self.emit(sending(message.clone(), 100, event_id.clone()))
            .await;
        let name = utf8_percent_encode(&prepared.file_name, NAME_ESCAPES);
        Ok(format!("{url}/{name}"))
    }

    /// Runs `transfer` while turning the percents it sends into `event`s of `message`.
    async fn with_progress<T>(
        &self,
        transfer: impl Future<Output = T>,
        percents: &mut mpsc::UnboundedReceiver<u8>,
        message: &Message,
        event_id: &EventId,
        event: fn(Message, u8, EventId) -> Event,
    ) -> T {
        let forward = async {
            // Ends when the transfer drops its sender.
            while let Some(percent) = percents.recv().await {
                self.emit(event(message.clone(), percent, event_id.clone()))
                    .await;
            }
        };
        let (result, ()) = tokio::join!(transfer, forward);
        result
    }

    async fn download(
        self,
        message: Message,
        key: TransferKey,
        cancel: CancellationToken,
        event_id: EventId,
    ) {
        let remote = remote_of(&message).to_string();
        let prefix = match (message.message_id, &message.message_uid) {
            (Some(id), _) => format!("m{id}"),
            (None, Some(uid)) if !uid.is_empty() => crate::config::sanitize(uid),
            _ => format!("u{:016x}", url_hash(&remote)),
        };
        let dest: PathBuf = self
            .shared
            .config
            .media_dir(&self.user_id)
            .join("download")
            .join(format!("{prefix}-{}", file_name_of(&remote)));
        let (progress, mut percents) = mpsc::unbounded_channel();
        let download =
            transfer::download(&self.shared.media_http, &remote, &dest, &cancel, progress);
        let result = self
            .with_progress(download, &mut percents, &message, &event_id, downloading)
            .await;
        if let Some(cancel_event_id) = self.transfers.finish(&key) {
            return self
                .emit(Event::DownloadingMediaMessageCanceled {
                    code: 0,
                    message,
                    event_id: cancel_event_id,
                    ended_event_id: event_id,
                })
                .await;
        }
        let code = match result {
            Ok(done) => {
                tracing::debug!(
                    fetched = done.fetched,
                    size = done.size,
                    resumed = done.resumed,
                    "media: downloaded"
                );
                let local = dest.to_string_lossy().into_owned();
                let mut message = message;
                if let Some(id) = message.message_id {
                    let path = local.clone();
                    if let Some(Some(row)) = self.store(move |s| s.set_local_path(id, &path)).await
                    {
                        message = codec::message_from_row(&row);
                    }
                }
                message.fields.insert("local".into(), json!(local));
                return self
                    .emit(Event::MediaMessageDownloaded {
                        code: 0,
                        message,
                        event_id,
                    })
                    .await;
            }
            Err(TransferError::NotFound) => codes::MEDIA_NOT_FOUND,
            Err(TransferError::Refused { status: 403, .. }) => {
                codes::MEDIA_DOWNLOAD_FORBIDDEN as i32
            }
            Err(TransferError::Local(e)) => {
                tracing::warn!(error = %e, "media: cannot write a download");
                codes::FILE_SAVE_FAILED as i32
            }
            Err(e) => {
                tracing::info!(error = %e, "media: download failed");
                codes::FILE_UPLOAD_FAILED as i32
            }
        };
        self.emit(Event::MediaMessageDownloaded {
            code,
            message,
            event_id,
        })
        .await;
    }
}

fn sending(message: Message, progress: u8, event_id: EventId) -> Event {
    Event::MediaMessageSending {
        message,
        progress,
        event_id,
    }
}

fn downloading(message: Message, progress: u8, event_id: EventId) -> Event {
    Event::MediaMessageDownloading {
        message,
        progress,
        event_id,
    }
}

/// A stable name for a download that belongs to no stored message.
fn url_hash(url: &str) -> u64 {
    // FNV-1a: stable across runs and builds (unlike `DefaultHasher`), so a part resumes.
    url.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn download_names_are_safe_path_components() {
        assert_eq!(file_name_of("http://h/media/id/a%20b.png"), "a b.png");
        assert_eq!(file_name_of("http://h/media/id/..%2F..%2Fx"), "_.._x");
        assert_eq!(file_name_of("http://h/media/id/"), "file");
        assert_eq!(file_name_of("http://h/media/id/x.png?sig=1"), "x.png");
        assert_ne!(url_hash("http://a/1"), url_hash("http://a/2"));
    }

    #[test]
    fn a_cancel_reaches_a_running_transfer_once() {
        let transfers = Transfers::default();
        let key = TransferKey::Upload(7);
        let token = transfers.start(key.clone()).unwrap();
        assert!(transfers.start(key.clone()).is_none());
        assert!(transfers.cancel(&key, Some("c".into())));
        assert!(token.is_cancelled());
        assert!(!transfers.cancel(&key, Some("again".into())));
        assert_eq!(transfers.finish(&key), Some(Some("c".into())));
        assert!(!transfers.cancel(&key, None));
        assert!(transfers.start(key.clone()).is_some());
        assert_eq!(transfers.finish(&key), None);
    }
}
