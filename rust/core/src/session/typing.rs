//! Typing status (R156–R158): never stored, never queued, never synced. Going out, a device
//! sends at most one typing status per conversation per [`TYPING_INTERVAL`] (as RongCloud's
//! SDK: the peer keeps a typer for that long, so more would only cost traffic and rate);
//! coming in, each conversation keeps the set of users typing, each dropped
//! [`TYPING_INTERVAL`] after their last event or at once when a message from them arrives.
//! Every change of a set is one `onTypingStatusChanged` with the whole set.

use crate::codec;
use crate::event::{Event, MessagingEvent, TypingStatus};
use crate::model::Message;
use rcim_proto::v1::{client_frame, request, ClientFrame, Request, TypingEvent};
use rcim_store::ConversationKey;
use std::collections::HashMap;
use std::time::{Duration, Instant};

/// How long a typer stays without a new event, and the least time between two typing
/// statuses this device sends to one conversation.
pub(crate) const TYPING_INTERVAL: Duration = Duration::from_secs(6);

/// A `sendTypingStatus` call.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TypingCommand {
    pub(crate) key: ConversationKey,
    /// Object name of what is typed (`currentType`).
    pub(crate) object_name: String,
}

#[derive(Debug, Clone)]
struct Typer {
    status: TypingStatus,
    until: Instant,
}

/// The typing state of a session.
#[derive(Debug, Default)]
pub(crate) struct Typing {
    /// When this device last sent a typing status to each conversation (only the ones
    /// within the interval are kept).
    sent: HashMap<ConversationKey, Instant>,
    /// Who types in each conversation (no empty lists).
    typing: HashMap<ConversationKey, Vec<Typer>>,
}

impl Typing {
    /// The frame of `command` numbered `seq`, unless one went to its conversation less than
    /// [`TYPING_INTERVAL`] ago.
    pub(crate) fn outgoing(
        &mut self,
        command: TypingCommand,
        now: Instant,
        seq: impl FnOnce() -> u64,
    ) -> Option<ClientFrame> {
        self.sent
            .retain(|_, at| now.saturating_duration_since(*at) < TYPING_INTERVAL);
        if self.sent.contains_key(&command.key) {
            return None;
        }
        self.sent.insert(command.key.clone(), now);
        let key = command.key;
        Some(ClientFrame {
            seq: seq(),
            body: Some(client_frame::Body::Request(Request {
                // Not deduplicated by the server (nothing is stored), but every state
                // changing request carries an id.
                request_id: super::operations::new_request_id(),
                body: Some(request::Body::Typing(rcim_proto::v1::TypingStatus {
                    conversation_type: key.conversation_type,
                    target_id: key.target_id,
                    channel_id: key.channel_id,
                    object_name: command.object_name,
                })),
            })),
        })
    }

    /// Someone types: the event announcing the new set, if it changed (a repeated event only
    /// keeps the typer longer).
    pub(crate) fn received(&mut self, e: TypingEvent, now: Instant) -> Option<Event> {
        let channel = codec::channel_for(e.conversation_type, &e.channel_id);
        let key = ConversationKey::new(e.conversation_type, &e.target_id, &channel);
        let status = TypingStatus {
            user_id: e.user_id,
            content_type: e.object_name,
            sent_time: e.sent_time,
        };
        let until = now + TYPING_INTERVAL;
        let list = self.typing.entry(key.clone()).or_default();
        let changed = match list.iter_mut().find(|t| t.status.user_id == status.user_id) {
            Some(typer) => {
                let changed = typer.status.content_type != status.content_type;
                typer.status = status;
                typer.until = until;
                changed
            }
            None => {
                list.push(Typer { status, until });
                true
            }
        };
        changed.then(|| event(&key, list))
    }

    /// Drops the typers silent for [`TYPING_INTERVAL`]: one event per conversation whose set
    /// changed.
    pub(crate) fn expire(&mut self, now: Instant) -> Vec<Event> {
        let mut events = Vec::new();
        self.typing.retain(|key, list| {
            let before = list.len();
            list.retain(|t| t.until > now);
            if list.len() != before {
                events.push(event(key, list));
            }
            !list.is_empty()
        });
        events
    }

    /// A message arrived: its sender no longer types in its conversation.
    pub(crate) fn message_received(&mut self, message: &Message) -> Option<Event> {
        let sender = message.sender_user_id.as_deref()?;
        let channel = codec::channel_for(
            message.conversation_type,
            message.channel_id.as_deref().unwrap_or(""),
        );
        let key = ConversationKey::new(message.conversation_type, &message.target_id, &channel);
        let list = self.typing.get_mut(&key)?;
        let at = list.iter().position(|t| t.status.user_id == sender)?;
        list.remove(at);
        let event = event(&key, list);
        if list.is_empty() {
            self.typing.remove(&key);
        }
        Some(event)
    }

    /// When the next typer expires.
    pub(crate) fn next_expiry(&self) -> Option<Instant> {
        self.typing.values().flatten().map(|t| t.until).min()
    }
}

fn event(key: &ConversationKey, list: &[Typer]) -> Event {
    Event::Messaging(MessagingEvent::TypingStatusChanged {
        key: key.clone(),
        user_typing_status: list.iter().map(|t| t.status.clone()).collect(),
    })
}
