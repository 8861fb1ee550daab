//! How the session core continues once the store has done its work: announcing stored sends,
//! queueing stored operations, reporting answered ones, announcing inbox entries, and starting
//! from the loaded state.

use super::{Phase, SessionCore};
use crate::codec;
use crate::codes;
use crate::event::Event;
use crate::media::limits::is_media;
use crate::model::connection_status as status;
use crate::session::inbox::Inbox;
use crate::session::operations::{self, Entry};
use crate::session::types::{Action, StoreDone, StoreJob};
use prost::Message as _;
use rcim_proto::v1::Request as WireRequest;
use rcim_store::sent_status;
use std::time::Instant;

impl SessionCore {
    /// Reports an operation's outcome, with the messages argument of its call when this
    /// session still holds it (remote deletions).
    fn report(&mut self, entry: Entry, code: u32, row: Option<rcim_store::MessageRow>) {
        let call_messages = self.call_messages.remove(&entry.request.request_id);
        if let Some(mut event) = operations::outcome(entry, code, row) {
            match (call_messages, &mut event) {
                (Some(list), Event::MessagesDeleted { messages, .. }) => *messages = list,
                (Some(list), event) => {
                    crate::session::messaging_ops::attach_call_messages(event, list)
                }
                (None, _) => {}
            }
            self.emit(event);
        }
    }

    pub(super) fn stored(&mut self, now: Instant, done: StoreDone) {
        match done {
            StoreDone::Loaded(result) => self.loaded(now, result),
            StoreDone::SendPersisted {
                result,
                queue,
                message,
                event_id,
            } => match result {
                Ok(Some((row, to_send, outbox_id))) => {
                    let announced = codec::message_from_row(&row);
                    let media = is_media(row.message_type);
                    // A media message was announced when its upload started.
                    if !media {
                        self.emit(Event::MessageAttached {
                            message: announced.clone(),
                            event_id: event_id.clone(),
                        });
                    }
                    if !to_send {
                        if row.sent_status == sent_status::SENT {
                            self.emit(operations::sent_event(0, announced, event_id));
                        }
                        return;
                    }
                    let entry = Entry {
                        outbox_id: outbox_id.unwrap_or(0),
                        request: operations::send_request(&row),
                        event_id,
                        row: Some(row),
                        arg: None,
                        since: now,
                    };
                    if queue {
                        self.queue.push(entry);
                        self.flush(now);
                    } else {
                        let code = self.ended_code.unwrap_or(codes::SEND_MSG_FREQUENCY_OVERRUN);
                        self.complete(entry, code, None);
                    }
                }
                Ok(None) | Err(_) => {
                    if let Err(e) = result {
                        tracing::error!(error = %e, "cannot store outgoing message");
                    }
                    let mut failed = *message;
                    failed.sent_status = Some(sent_status::FAILED);
                    self.emit(operations::sent_event(
                        codes::DATABASE_ERROR,
                        failed,
                        event_id,
                    ));
                }
            },
            StoreDone::Enqueued {
                result,
                request,
                event_id,
                arg,
            } => {
                let mut entry = Entry {
                    outbox_id: 0,
                    request: *request,
                    event_id,
                    row: None,
                    arg,
                    since: now,
                };
                match result {
                    Ok(id) => {
                        entry.outbox_id = id;
                        if self.phase != Phase::Ended {
                            self.queue.push(entry);
                            self.flush(now);
                        }
                    }
                    Err(e) => {
                        tracing::error!(error = %e, "cannot queue an operation");
                        self.report(entry, codes::DATABASE_ERROR as u32, None);
                    }
                }
            }
            StoreDone::Completed {
                entry,
                code,
                stored,
            } => {
                let mut code = code;
                let row = match stored {
                    Ok(row) => row,
                    Err(e) => {
                        tracing::error!(error = %e, "cannot store the answer of an operation");
                        if code == codes::OK && !entry.is_send() {
                            code = codes::DATABASE_ERROR as u32;
                        }
                        None
                    }
                };
                self.report(*entry, code, row);
            }
            StoreDone::InboxApplied { result, batch } => match result {
                Ok((inserted, recalled)) => {
                    for event in self.inbox.applied(&batch, inserted, recalled) {
                        self.emit(event);
                    }
                    self.flush(now);
                }
                Err(e) => {
                    tracing::error!(error = %e, "cannot store received messages");
                    self.inbox.apply_failed();
                    if matches!(self.phase, Phase::Online { .. }) {
                        self.lost(now);
                    }
                }
            },
            StoreDone::Chatroom(done) => self.chatroom_stored(*done),
            StoreDone::SettingsVersion(_) | StoreDone::SettingsApplied(_) => {
                self.settings_stored(now, done)
            }
            StoreDone::Discarded(result) => {
                if let Err(e) = result {
                    tracing::error!(error = %e, "cannot delete unreadable queued operations");
                }
            }
            StoreDone::CursorSet(result) => {
                if let Err(e) = result {
                    tracing::error!(error = %e, "cannot store the inbox cursor");
                    if matches!(self.phase, Phase::Online { .. }) {
                        self.lost(now);
                    }
                }
            }
        }
    }

    fn loaded(
        &mut self,
        now: Instant,
        result: Result<
            (Option<u64>, u64, Vec<rcim_store::outbox::QueuedOperation>),
            rcim_store::StoreError,
        >,
    ) {
        if self.phase != Phase::Loading {
            // Stopped while loading: the early commands were stored then.
            return;
        }
        let (cursor, epoch, queued) = match result {
            Ok(loaded) => loaded,
            Err(e) => {
                tracing::error!(error = %e, "cannot read local state");
                self.give_up(codes::DATABASE_ERROR as u32, status::UNCONNECTED);
                return;
            }
        };
        self.inbox = Inbox::new(cursor, epoch);
        // Operations a previous run stored but never saw answered: they go again (the server
        // answers a repeated request id with its original answer), reporting to the listener.
        let mut unreadable = Vec::new();
        for (row, message) in queued {
            let request = match &message {
                Some(message) => operations::send_request(message),
                None => match WireRequest::decode(row.request.as_slice()) {
                    Ok(request) => request,
                    Err(e) => {
                        // Nothing can send or report it: it would stay forever.
                        tracing::warn!(error = %e, id = row.id, "deleting an unreadable queued operation");
                        unreadable.push(row.id);
                        continue;
                    }
                },
            };
            self.queue.push(Entry {
                outbox_id: row.id,
                request,
                event_id: None,
                row: message,
                arg: None,
                since: now,
            });
        }
        if !unreadable.is_empty() {
            self.out.push(Action::Store(StoreJob::Discard(unreadable)));
        }
        self.phase = Phase::Waiting { until: now };
        for command in std::mem::take(&mut self.early) {
            self.command(command);
        }
        self.wait(now);
    }
}
