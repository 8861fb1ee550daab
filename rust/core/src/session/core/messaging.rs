//! The session core's part in typing and directed group messages: typing statuses go out
//! only while connected, typing events come in as transient frames, and the events of a
//! directed send are its own listeners'.

use super::{Phase, SessionCore};
use crate::event::{Event, MessagingEvent};
use crate::session::typing::TypingCommand;
use rcim_proto::v1::{transient, Transient};
use std::time::Instant;

impl SessionCore {
    /// Sends a typing status now, or drops it: offline (never queued, R052) or within the
    /// interval of the last one to that conversation.
    pub(super) fn send_typing(&mut self, command: TypingCommand) {
        if !matches!(self.phase, Phase::Online { .. }) {
            return;
        }
        let mut next = self.next_seq;
        let frame = self.typing.outgoing(command, self.now, || {
            next += 1;
            next - 1
        });
        self.next_seq = next;
        if let Some(frame) = frame {
            self.out.push(crate::session::types::Action::Send(frame));
        }
    }

    /// An event that is neither stored nor synced.
    pub(super) fn transient(&mut self, now: Instant, transient: Transient) {
        match transient.body {
            Some(transient::Body::Typing(typing)) => {
                if let Some(event) = self.typing.received(typing, now) {
                    self.emit(event);
                }
            }
            None => {}
        }
    }
}

/// A directed group message's store and send events are reported to their own listeners.
pub(super) fn retag(event: Event) -> Event {
    match event {
        Event::MessageAttached { message, event_id } if message.directed_user_ids.is_some() => {
            Event::Messaging(MessagingEvent::GroupMessageToDesignatedUsersAttached {
                message,
                event_id,
            })
        }
        Event::MessageSent {
            code,
            message,
            event_id,
        } if message.directed_user_ids.is_some() => {
            Event::Messaging(MessagingEvent::GroupMessageToDesignatedUsersSent {
                code,
                message,
                event_id,
            })
        }
        event => event,
    }
}
