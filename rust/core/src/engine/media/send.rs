//! `sendMediaMessage` in the background: prepare, store (`MediaMessageAttached`), upload with
//! progress, then hand the message to the session's send queue.

use super::transfers::{Registration, TransferKey};
use super::MediaTask;
use crate::codec;
use crate::codes::{self, Code};
use crate::event::{Event, EventId};
use crate::media::prepare::{local_of, prepare, Prepared};
use crate::media::transfer::{Transfer, TransferError};
use crate::model::Message;
use crate::session::{Command, TicketRequest};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use rcim_proto::v1::MediaUploadRequest;
use rcim_store::{sent_status, MessageRow};
use serde_json::json;
use std::path::Path;
use std::time::Instant;
use tokio::sync::{mpsc, oneshot};

/// Characters kept as they are in the file name part of a download URL (RFC 3986 unreserved).
const NAME_ESCAPES: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Where the compressed copies of images being uploaded go, under a user's media directory.
pub(super) const UPLOAD_DIR: &str = "upload";

/// A media message with a remote URL and no local file: sent on without upload.
pub(super) fn is_forward(message: &Message) -> bool {
    local_of(message).is_empty() && reqwest::Url::parse(super::download::remote_of(message)).is_ok()
}

/// Deletes what uploads left in `<media_dir>/upload` (only a crash leaves anything: a send
/// deletes its compressed copy however it ends).
pub(super) fn sweep_upload_dir(media_dir: &Path) {
    let dir = media_dir.join(UPLOAD_DIR);
    match std::fs::remove_dir_all(&dir) {
        Ok(()) => tracing::debug!(dir = %dir.display(), "media: upload leftovers removed"),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => tracing::warn!(error = %e, "media: cannot clean the upload directory"),
    }
}

fn sending(message: Message, progress: u8, event_id: EventId) -> Event {
    Event::MediaMessageSending {
        message,
        progress,
        event_id,
    }
}

/// `MediaMessageSent` with a failure `code`; `message` as it is reported.
fn failed(message: Message, code: Code, event_id: EventId) -> Event {
    Event::MediaMessageSent {
        code: code.0,
        message,
        event_id,
    }
}

impl MediaTask {
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

    /// Ends a send whose message is stored as `id` with `code`: the message FAILED.
    async fn fail(&self, id: i64, message: &Message, code: Code, event_id: EventId) {
        let message = self.set_status(id, sent_status::FAILED, message).await;
        self.emit(failed(message, code, event_id)).await;
    }

    pub(super) async fn send(self, mut message: Message, event_id: EventId) {
        // The app's call counts for the 5-sends-per-second rule, not the end of its upload
        // (uploads finishing together must not push a paced sender over the limit).
        let requested = Instant::now();
        let forward = is_forward(&message);
        // A resent message object: its upload is registered before anything else, so a send
        // of it while it still uploads fails at once without touching its row.
        let mut registration = None;
        if let (false, Some(id)) = (forward, message.message_id) {
            match self.register(TransferKey::Upload(id)) {
                Ok(Some(r)) => registration = Some(r),
                Ok(None) => {
                    tracing::info!(id, "media: this message is uploading already");
                    return self
                        .emit(failed(message, Code::PARAM_ERROR, event_id))
                        .await;
                }
                Err(code) => {
                    message.sent_status = Some(sent_status::FAILED);
                    return self.emit(failed(message, code, event_id)).await;
                }
            }
        }
        let prepared = if forward {
            None
        } else {
            let compression = self.shared.config.compression;
            let work_dir = self.shared.config.media_dir(&self.user_id).join(UPLOAD_DIR);
            let to_prepare = message.clone();
            let prepared =
                tokio::task::spawn_blocking(move || prepare(&to_prepare, &compression, &work_dir))
                    .await
                    .unwrap_or(Err(Code(codes::RESULT_UNKNOWN)));
            match prepared {
                Ok(prepared) => Some(prepared),
                Err(code) => {
                    drop(registration);
                    message.sent_status = Some(sent_status::FAILED);
                    return self.emit(failed(message, code, event_id)).await;
                }
            }
        };
        if let Some(prepared) = &prepared {
            message.fields.extend(prepared.fields.clone());
        }
        let Some(row) = self.attach(&message).await else {
            // Every end of the send removes the compressed copy before it is reported.
            drop((prepared, registration));
            message.sent_status = Some(sent_status::FAILED);
            return self
                .emit(failed(message, Code::DATABASE_ERROR, event_id))
                .await;
        };
        let id = row.id;
        let message = codec::message_from_row(&row);
        if row.sent_status == sent_status::SENT {
            // Resending a message already sent: nothing to upload.
            drop((prepared, registration));
            self.emit(Event::MediaMessageAttached {
                message: message.clone(),
                event_id: event_id.clone(),
            })
            .await;
            return self
                .emit(Event::MediaMessageSent {
                    code: 0,
                    message,
                    event_id,
                })
                .await;
        }
        // Registered before the app hears of the message: a cancel from its
        // `onMediaMessageAttached` listener reaches the upload.
        let registration = match prepared {
            None => Ok(None),
            Some(_) => match registration {
                Some(r) if *r.key() == TransferKey::Upload(id) => Ok(Some(r)),
                // A new row (or a received message sent on as one): nothing can run yet.
                _ => self
                    .register(TransferKey::Upload(id))
                    .and_then(|r| r.map(Some).ok_or(Code::PARAM_ERROR)),
            },
        };
        self.emit(Event::MediaMessageAttached {
            message: message.clone(),
            event_id: event_id.clone(),
        })
        .await;
        let registration = match registration {
            Ok(r) => r,
            Err(code) => {
                drop(prepared);
                return self.fail(id, &message, code, event_id).await;
            }
        };
        let mut message = message;
        if let (Some(prepared), Some(registration)) = (prepared, registration) {
            let uploaded = self
                .upload(&message, &prepared, &registration, &event_id)
                .await;
            // The compressed copy (if any) is not needed any more.
            drop(prepared);
            // Settled: the key is let go of before the app hears of the end (it may send the
            // same message again at once).
            let canceled = registration.settle();
            let key = registration.key().clone();
            drop(registration);
            if let Some(cancel_event_id) = canceled {
                let message = self.set_status(id, sent_status::CANCELED, &message).await;
                return self
                    .report_canceled(&key, message, cancel_event_id, event_id)
                    .await;
            }
            match uploaded {
                Ok(remote) => {
                    message.fields.insert("remote".into(), json!(remote));
                }
                Err(code) => return self.fail(id, &message, Code::of(code), event_id).await,
            }
        }
        let command = Command::Send {
            message: Box::new(message.clone()),
            event_id: event_id.clone(),
            requested,
        };
        if let Err(code) = self.hand_over(command) {
            // No session of this user to send it (33001) or too many waiting (20604): the
            // upload's failure as far as the app is concerned.
            tracing::info!(
                code = code.0,
                "media: the upload found no session to send it"
            );
            self.fail(id, &message, Code::of(codes::FILE_UPLOAD_FAILED), event_id)
                .await;
        }
        // Otherwise the session reports `MediaMessageSent`.
    }

    /// Stores a media message about to be uploaded: a new row, or the row of a resent message
    /// object (SENDING again, with its new content); a row already sent is returned as it is.
    /// A `messageId` is trusted only when its row is this message (an outgoing one of the same
    /// type, conversation and channel, and the same UID when the object has one): a stale id
    /// (another user's row, or a row reused by another message) gets a new row instead.
    async fn attach(&self, message: &Message) -> Option<MessageRow> {
        let new = crate::session::outgoing_row(message, &self.user_id)?;
        let resend = message.message_id;
        let uid = message.message_uid.clone().filter(|u| !u.is_empty());
        self.store(move |s| {
            let uid = uid.as_deref();
            let Some(id) = resend else {
                return s.insert_outgoing(&new).map(Some);
            };
            match s.own_outgoing(id, &new, uid)? {
                Some(old) if old.sent_status == sent_status::SENT => Ok(Some(old)),
                Some(_) => match s.restart_outgoing(id, &new, uid)? {
                    Some(row) => Ok(Some(row)),
                    None => s.insert_outgoing(&new).map(Some),
                },
                // Not this message (a received one sent on included): a new message.
                None => s.insert_outgoing(&new).map(Some),
            }
        })
        .await
        .flatten()
    }

    /// Gets an upload ticket from the bound session and uploads the prepared file, reporting
    /// progress; the remote URL or the code of the failure (34011, or the file service's
    /// own refusal).
    async fn upload(
        &self,
        message: &Message,
        prepared: &Prepared,
        registration: &Registration,
        event_id: &EventId,
    ) -> Result<String, u32> {
        let cancel = registration.token();
        if cancel.is_cancelled() {
            // Cancelled (or aborted) while it was prepared: no ticket, which would count
            // against the user's upload quota for nothing.
            return Err(codes::FILE_UPLOAD_FAILED);
        }
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
        if let Err(code) = self.hand_over(Command::MediaTicket(ticket)) {
            tracing::info!(code = code.0, "media: no session to ask an upload ticket");
            return Err(codes::FILE_UPLOAD_FAILED);
        }
        let ticket = tokio::select! {
            _ = cancel.cancelled() => return Err(codes::FILE_UPLOAD_FAILED),
            answer = answer => answer.unwrap_or(Err(codes::FILE_UPLOAD_FAILED)),
        };
        let ticket = ticket.map_err(|code| match code {
            // The file service's own refusals keep their code (20604: the user's upload
            // quota or the request rate is used up; retrying later can succeed).
            codes::FILE_SIZE_OUT_OF_LIMIT
            | codes::GIF_SIZE_OUT_OF_LIMIT
            | codes::MEDIA_EMPTY
            | codes::MEDIA_TYPE_INVALID
            | codes::SEND_MSG_FREQUENCY_OVERRUN => code,
            other => {
                tracing::info!(code = other, "media: no upload ticket");
                codes::FILE_UPLOAD_FAILED
            }
        })?;
        let base = &self.shared.config.file_server;
        let url = format!("{base}/media/{}", ticket.file_id);
        let (progress, mut percents) = mpsc::unbounded_channel();
        let upload = Transfer {
            client: &self.shared.media_http,
            cancel,
            stall: self.shared.config.media_stall_timeout,
            progress,
        }
        .upload(&url, &ticket.token, &prepared.upload, prepared.size);
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
}
