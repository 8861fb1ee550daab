//! The settings read at login, from the core's side: after the `ConnectAck` the applied
//! version is read from the store; when it differs from the server's, the settings are read
//! page by page and stored wholesale, and only then does the inbox sync start (see
//! `session::settings`).

use super::{Phase, SessionCore};
use crate::event::Event;
use crate::session::settings::PageOutcome;
use crate::session::types::{Action, StoreDone, StoreJob};
use rcim_proto::v1::{client_frame, request, response, ClientFrame, Request, SettingsRequest};
use std::time::Instant;

impl SessionCore {
    /// The connection was accepted with the server's settings at `server_version`.
    pub(super) fn settings_opened(&mut self, server_version: u64) {
        self.settings.opened(server_version);
        self.inbox.hold = true;
        self.out.push(Action::Store(StoreJob::SettingsVersion));
    }

    /// The connection is gone: a read in progress is abandoned (the next connection decides
    /// again).
    pub(super) fn settings_closed(&mut self) {
        self.settings.done();
        self.inbox.hold = false;
    }

    pub(super) fn settings_stored(&mut self, now: Instant, done: StoreDone) {
        match done {
            StoreDone::SettingsVersion(Ok(applied)) => {
                self.inbox.settings_version = applied;
                match self.settings.checked(applied) {
                    Some(first) => self.ask_settings(first),
                    None => self.settings_released(now),
                }
            }
            StoreDone::SettingsApplied(Ok((version, changed))) => {
                tracing::debug!(version, changed = changed.len(), "settings applied");
                self.inbox.settings_version = version;
                // Changed elsewhere while this device was away: announced as live changes
                // are (the inbox entries that carried them are skipped now).
                for (key, top) in changed {
                    self.emit(Event::ConversationTopStatusSynced { key, top });
                }
                self.settings_released(now);
            }
            StoreDone::SettingsVersion(Err(e)) | StoreDone::SettingsApplied(Err(e)) => {
                tracing::error!(error = %e, "cannot read or store the settings");
                self.settings_released(now);
            }
            _ => {}
        }
    }

    /// An answer to the settings page being read.
    pub(super) fn settings_page(
        &mut self,
        now: Instant,
        result: Result<Option<response::Body>, u32>,
    ) {
        match self.settings.page(result) {
            PageOutcome::Next(next) => self.ask_settings(next),
            PageOutcome::Apply(snapshot) => {
                self.out
                    .push(Action::Store(StoreJob::ApplySettings(snapshot)));
            }
            PageOutcome::Failed => self.settings_released(now),
        }
    }

    /// A page unanswered for the ack timeout: the read is given up (the inbox must not wait
    /// for ever); the next login reads again.
    pub(super) fn settings_tick(&mut self, now: Instant) {
        if self
            .settings
            .overdue(now, crate::session::queue::ACK_TIMEOUT)
        {
            tracing::warn!("settings read timed out");
            self.settings_page(now, Err(crate::codes::MSG_RESPONSE_TIMEOUT));
        }
    }

    /// Puts a settings page request on the wire (a read: no request id).
    fn ask_settings(&mut self, body: SettingsRequest) {
        if !matches!(self.phase, Phase::Online { .. }) {
            self.settings.done();
            return;
        }
        let seq = self.next_seq;
        self.next_seq += 1;
        self.settings.asked(seq, body, self.now);
        self.out.push(Action::Send(ClientFrame {
            seq,
            body: Some(client_frame::Body::Request(Request {
                request_id: String::new(),
                body: Some(request::Body::Settings(body)),
            })),
        }));
    }

    /// The inbox may sync now.
    fn settings_released(&mut self, now: Instant) {
        self.settings.done();
        self.inbox.hold = false;
        self.flush(now);
    }
}
