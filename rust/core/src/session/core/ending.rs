//! How a session ends: a shutdown, a sign-out (after the answers of operations on the wire),
//! or giving up after a refusal, kick or timeout. Whatever is still queued stays in the
//! outbox for the next connect; what cannot wait (unstored sends, server reads) fails.

use super::{Phase, SessionCore};
use crate::codes;
use crate::event::Event;
use crate::model::connection_status as status;
use crate::session::command::StopReason;
use crate::session::types::Action;
use rcim_proto::v1::{client_frame, ClientFrame, Disconnect};
use std::time::{Duration, Instant};

/// How long a sign-out waits for the answers of operations already on the wire.
const SIGN_OUT_SETTLE: Duration = Duration::from_secs(2);

impl SessionCore {
    /// Stops the session for `reason`: a shutdown at once, a sign-out once the answers of
    /// operations on the wire are in (at most [`SIGN_OUT_SETTLE`]).
    pub(super) fn stop(&mut self, now: Instant, reason: StopReason) {
        match reason {
            StopReason::Run => {}
            // Over already (a shutdown also ends a sign-out that is still settling).
            StopReason::Shutdown if self.phase == Phase::Ended => {}
            StopReason::Shutdown => {
                // Queued operations stay in the outbox for the next connect: nothing is lost.
                self.out.push(Action::Close { fresh_navi: false });
                self.end_session();
                self.out.push(Action::Finish);
            }
            StopReason::SignOut { receive_push } => match self.phase {
                Phase::Online { .. } if self.queue.has_inflight() => {
                    self.phase = Phase::Closing {
                        until: now + SIGN_OUT_SETTLE,
                        receive_push,
                    };
                }
                Phase::Online { .. } => {
                    self.phase = Phase::Closing {
                        until: now,
                        receive_push,
                    };
                    self.signed_out();
                }
                // Already signing out or over.
                Phase::Closing { .. } | Phase::Ended => {}
                _ => {
                    self.out.push(Action::Close { fresh_navi: false });
                    self.end_session();
                    self.set_status(status::SIGN_OUT);
                    self.out.push(Action::Finish);
                }
            },
        }
    }

    /// Ends the session; commands that came while the state was loading are stored now, as
    /// the driver's final drain stores the ones still handed over (queued on disk, or failed
    /// visibly), so none is silently dropped.
    pub(super) fn end_session(&mut self) {
        self.phase = Phase::Ended;
        self.reads
            .fail_all(self.ended_code.unwrap_or(codes::CLIENT_NOT_INIT as u32));
        self.chatroom_end(self.ended_code.unwrap_or(codes::CLIENT_NOT_INIT as u32));
        self.fail_transient();
        self.chatroom_clear_all();
        for command in std::mem::take(&mut self.early) {
            self.command(command);
        }
    }

    /// Ends a sign-out: says goodbye to the server; what is still queued waits on disk for the
    /// next connect.
    pub(super) fn signed_out(&mut self) {
        if let Phase::Closing { receive_push, .. } = self.phase {
            self.out.push(Action::Send(ClientFrame {
                seq: 0,
                body: Some(client_frame::Body::Disconnect(Disconnect { receive_push })),
            }));
        }
        self.out.push(Action::Close { fresh_navi: false });
        self.phase = Phase::Ended;
        self.reads.fail_all(codes::CLIENT_NOT_INIT as u32);
        self.chatroom_end(codes::CLIENT_NOT_INIT as u32);
        self.fail_transient();
        self.chatroom_clear_all();
        self.set_status(status::SIGN_OUT);
        self.out.push(Action::Finish);
    }

    /// Sends that are not stored cannot wait for the next session (R085), nor sends into
    /// chatrooms: they fail.
    pub(super) fn fail_transient(&mut self) {
        let code = self.ended_code.unwrap_or(codes::NETWORK_UNAVAILABLE);
        for entry in self.queue.take_transient() {
            self.complete(entry, code, None);
        }
    }

    /// Ends the session after a refusal, kick or timeout: reports it and fails queued sends.
    /// Other operations stay in the outbox for the next connect.
    pub(super) fn give_up(&mut self, code: u32, new_status: u32) {
        self.set_status(new_status);
        if !self.reported {
            self.reported = true;
            let event_id = self.connect_event_id.take();
            self.emit(Event::Connected {
                code: code as i32,
                user_id: String::new(),
                event_id,
            });
        }
        for entry in self.queue.take_all_sends() {
            self.complete(entry, code, None);
        }
        self.ended_code = Some(code);
        self.end_session();
        self.out.push(Action::Finish);
    }
}
