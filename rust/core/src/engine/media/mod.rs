//! Media messages: `sendMediaMessage` (prepare the file, store and announce the message,
//! upload with progress, then send it through the normal send queue), `downloadMediaMessage`
//! (download with progress, resuming a part; the local path kept in the store) and the two
//! cancel calls.
//!
//! **Transfers.** Each transfer runs in its own task, bound to the session (user and
//! database) that was current when it was called: it writes only that user's database and
//! hands its ticket request and its send only to that session. When that session is
//! replaced (`connect`), stopped (`disconnect`) or the engine destroyed, its transfers are
//! aborted and end as failures (uploads: 34011, message FAILED in its own database;
//! downloads: 34011), never handed to another user's session. Running transfers are in
//! [`transfers::Transfers`] (by message id for uploads, by the file they write for
//! downloads: one key per destination file), within their session, so a cancel call can stop
//! them. A download aborted before its file is in place reports 34011, never a success.
//!
//! **Cancel rules.** An upload is registered before `MediaMessageAttached`, so a cancel
//! from that event's listener stops it. A cancel call that finds its transfer running is
//! accepted (0) and answered by the cancel event (`SendingMediaMessageCanceled` /
//! `DownloadingMediaMessageCanceled`, code 0), which also ends the transfer call (it carries
//! both event ids): an upload cancelled leaves its message CANCELED and nothing is sent; a
//! download cancelled keeps its part to resume and stores no path. A transfer that completed
//! first (an upload uploaded, a download's file in place) is reported as completed, and a
//! cancel call from then on answers 34204 at once, like one for a message with nothing in
//! progress (never started, or finished). A second download of a message already
//! downloading answers PARAM_ERROR at once; a second send of a message object still
//! uploading ends that call with PARAM_ERROR (the first upload goes on).
//!
//! A message with a `remote` URL and no `local` file (a received media message sent on:
//! forwarding, R086) is stored and sent without upload or progress.
//!
//! **Codes.** At once: PARAM_ERROR for a bad conversation or a channelId over 20 characters,
//! 34223 not a media message, 34234 missing file or directory, 34018 empty file,
//! 26106/34003 over the limit, 34002 sight over 120 s. In `MediaMessageSent`: 34011 when the
//! upload fails (no ticket, no session to hand it to, transfer failed or stalled for
//! [`crate::media::transfer::STALL_TIMEOUT`], or no answer within
//! [`crate::media::transfer::RESPONSE_STALLS`] stall times once the whole file is sent);
//! 20604 when the ticket is refused for the user's upload quota or the request rate
//! (retrying later can succeed); the file service's own refusal (26106, 34003, 34018,
//! 34019); the message is then FAILED with its `local` kept. Once handed to the session, the
//! send's own codes. Downloads: no remote URL is refused at once with 34235; a failed one
//! reports -3 (HTTP 404), 34030 (403), 34251 (cannot write the file) or 34011 (any other
//! failure, a stall or an abort included).
//!
//! **Files kept.** A downloaded file stays where it was written (`<media>/download`, its
//! path stored with the message; the engine never deletes it). The `.part` of a cancelled,
//! failed or aborted download stays to be resumed until that message's download completes
//! (or the server says the file is gone), except a part another download of it is writing;
//! parts untouched for 7 days are deleted when a session of that user opens its database. A
//! compressed image made for an upload (`<media>/upload`) is deleted when its send ends,
//! however it ends; whatever a crash left there is deleted when a session of that user opens
//! its database.

mod download;
mod send;
pub(crate) mod transfers;

use super::create::{check_target, Target};
use super::{lock, Engine, Session, StopReason};
use crate::codec;
use crate::codes::{self, Code};
use crate::config::EngineConfig;
use crate::db::Db;
use crate::event::{Event, EventId};
use crate::media::limits;
use crate::media::prepare::local_of;
use crate::model::{message_type, Message};
use crate::session::Command;
use crate::shared::Shared;
use rcim_store::Store;
use serde_json::Value;
use std::sync::{Arc, Mutex};
use transfers::{Registration, SessionSlot, TransferKey, Transfers};

impl Engine {
    /// `sendMediaMessage`: checks the message and its file at once (see the module's codes),
    /// then in the background: prepares the file (image compression and thumbnail, GIF and file
    /// facts), stores the message SENDING with `local` (`MediaMessageAttached`), uploads the
    /// file (`MediaMessageSending` progress), sets `remote` and sends the message through the
    /// send queue (`MediaMessageSent`). Resending a message object that has a `messageId`
    /// reuses its row and uploads again (R083).
    pub fn send_media_message(&self, mut message: Message, event_id: EventId) -> Result<(), Code> {
        check_target(Target {
            conversation_type: message.conversation_type,
            target_id: &message.target_id,
            channel_id: message.channel_id.as_deref(),
        })?;
        if !limits::is_media(message.message_type) {
            return Err(Code::of(codes::NOT_MEDIA_MESSAGE));
        }
        crate::engine::expansion::check_message_extras(&message)?;
        message.channel_id = Some(codec::channel_for(
            message.conversation_type,
            message.channel_id.as_deref().unwrap_or(""),
        ));
        // A message whose file is on the server already (a received one sent on: "forward",
        // R086) goes without upload.
        if !send::is_forward(&message) {
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
        self.cancel_transfer(TransferKey::Upload(id), event_id)
    }

    /// `downloadMediaMessage`: downloads the file at the message's `remote` URL into the
    /// user's media directory (`MediaMessageDownloading` progress), resuming what an earlier,
    /// interrupted attempt left, and reports the message with `local` set
    /// (`MediaMessageDownloaded`); a stored message keeps the path (`getMessageById` shows it).
    pub fn download_media_message(&self, message: Message, event_id: EventId) -> Result<(), Code> {
        if !limits::is_media(message.message_type) {
            return Err(Code::of(codes::NOT_MEDIA_MESSAGE));
        }
        let remote = download::remote_of(&message);
        if remote.is_empty() || reqwest::Url::parse(remote).is_err() {
            return Err(Code::of(codes::INVALID_MEDIA_URL));
        }
        let task = self.media_task()?;
        let registration = task
            .register(download::key(&message))?
            .ok_or(Code::PARAM_ERROR)?;
        self.runtime
            .spawn(task.download(message, registration, event_id));
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
        self.cancel_transfer(download::key(&message), event_id)
    }

    /// Cancels the current session's transfer `key`; 34204 when it has none running.
    fn cancel_transfer(&self, key: TransferKey, event_id: EventId) -> Result<(), Code> {
        let slot = self.lock_session().as_ref().map(|s| s.db.clone());
        match slot {
            Some(slot) if self.transfers.cancel(&slot, key, event_id) => Ok(()),
            _ => Err(Code::INVALID_MESSAGE_ID),
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
            slot: session.db.clone(),
            user_id: session.user_id.clone(),
        })
    }
}

/// Cleans a user's media directory when a session of theirs opens its database: the
/// temporary files of uploads a crash cut short, and download parts untouched for
/// [`download::PART_MAX_AGE`]. Blocking (run off the async threads).
pub(crate) fn sweep(config: &EngineConfig, user_id: &str) {
    let dir = config.media_dir(user_id);
    send::sweep_upload_dir(&dir);
    download::sweep_parts(&dir);
}

/// What a media task needs from the engine (it outlives the call), and the session it is
/// bound to.
#[derive(Clone)]
struct MediaTask {
    shared: Arc<Shared>,
    session: Arc<Mutex<Option<Session>>>,
    transfers: Arc<Transfers>,
    /// The bound session's database.
    db: Db,
    /// The bound session's database slot (its identity: each `connect` makes a new one).
    slot: SessionSlot,
    user_id: String,
}

impl MediaTask {
    /// Whether `session` is the one this task is bound to.
    fn owns(&self, session: &Session) -> bool {
        session.user_id == self.user_id && Arc::ptr_eq(&session.db, &self.slot)
    }

    /// Registers a transfer of the bound session: `Err(34011)` when that session is no
    /// longer the engine's (replaced), `Ok(None)` when that transfer runs already. Under the
    /// session lock, so a `connect` or `disconnect` aborting the session's transfers sees it.
    fn register(&self, key: TransferKey) -> Result<Option<Registration>, Code> {
        let guard = lock(&self.session);
        if !guard.as_ref().is_some_and(|s| self.owns(s)) {
            return Err(Code::of(codes::FILE_UPLOAD_FAILED));
        }
        Ok(self.transfers.start(&self.slot, key))
    }

    /// Hands `command` to the bound session, only while it is the engine's and running:
    /// never to a session that followed it (another user's, or a new connect).
    fn hand_over(&self, command: Command) -> Result<(), Code> {
        let guard = lock(&self.session);
        match guard.as_ref() {
            Some(s) if self.owns(s) && *s.stop.borrow() == StopReason::Run => s.take(command),
            _ => Err(Code::CLIENT_NOT_INIT),
        }
    }

    async fn emit(&self, event: Event) {
        self.shared.emit(event).await;
    }

    /// Runs `job` on the bound session's store; `None` (logged) when the store failed.
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

    /// Reports a transfer stopped by the cancel call `cancel_event_id`: the event answers it
    /// and ends the transfer call `event_id`.
    async fn report_canceled(
        &self,
        key: &TransferKey,
        message: Message,
        cancel_event_id: EventId,
        event_id: EventId,
    ) {
        let event = match key {
            TransferKey::Upload(_) => Event::SendingMediaMessageCanceled {
                code: 0,
                message,
                event_id: cancel_event_id,
                ended_event_id: event_id,
            },
            TransferKey::Download(_) => Event::DownloadingMediaMessageCanceled {
                code: 0,
                message,
                event_id: cancel_event_id,
                ended_event_id: event_id,
            },
        };
        self.emit(event).await;
    }

    /// Runs `transfer` while turning the percents it sends into `event`s of `message`.
    async fn with_progress<T>(
        &self,
        transfer: impl std::future::Future<Output = T>,
        percents: &mut tokio::sync::mpsc::UnboundedReceiver<u8>,
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
}
