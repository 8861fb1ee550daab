//! Sends of private and group messages (stored), status messages (online only), and the
//! answers to a resend over the send rate. Chatroom and ultra-group sends branch off to
//! [`super::chatroom`] and [`super::ultragroup`].

use super::acks::SendAck;
use super::answers::{code_only, failure, send_result};
use super::requests::{Conn, MAX_OBJECT_NAME_LEN};
use crate::model::{NewMessage, RequestKey};
use crate::service::{messages, replay};
use rcim_proto::codes;
use rcim_proto::v1::{Response, SendMessage};
use std::time::Instant;

impl Conn {
    /// A send: the request id is the message's client id, so the store's dedupe on (sender,
    /// client id) answers a resend with the original uid and sent time.
    pub(super) async fn on_send(&mut self, seq: u64, request_id: String, mut m: SendMessage) {
        if m.conversation_type == rcim_proto::conversation_type::CHATROOM {
            return self.on_chatroom_send(seq, request_id, m).await;
        }
        if m.conversation_type == rcim_proto::conversation_type::ULTRA_GROUP {
            return self.on_ultragroup_send(seq, request_id, m).await;
        }
        if m.object_name.len() > MAX_OBJECT_NAME_LEN {
            return self.respond(seq, code_only(codes::PARAMETER_INVALID));
        }
        if let Err(e) =
            messages::check_directed(m.conversation_type, &m.object_name, &m.directed_user_ids)
        {
            return self.respond(seq, failure(&e, "a directed send"));
        }
        let status = m.status;
        let directed = std::mem::take(&mut m.directed_user_ids);
        let mut msg = NewMessage {
            // A status message is not synced to the sender's other devices.
            include_sender: !status,
            // Only these members (and the sender's devices) get it; not in the history.
            directed,
            // Group sends: only members may send (22406 otherwise) and gagged ones may not
            // (22408), checked by the store in the same transaction that fans the message out.
            require_member: true,
            // R060: a private message to a user who blacklisted the sender is refused (405).
            check_blacklist: true,
            ..NewMessage::from_send(self.user_id.clone(), request_id, m)
        };
        // Checked first, so an invalid send does not use up the rate.
        if let Err(e) = messages::check(&msg) {
            return self.respond(seq, failure(&e, "a send"));
        }
        if let Some(response) = self.over_send_rate(&msg).await {
            return self.respond(seq, response);
        }
        // Sensitive words: replaced in what everyone receives, or the message is blocked (the
        // sender still gets a normal answer, R267, and a stored send a `MessageBlocked` inbox
        // entry). Status messages too: online only is no way around the filter.
        self.shared.moderation.screen_message(&mut msg);
        if msg.status {
            return self.on_status_send(seq, msg).await;
        }
        // Kicked or banned meanwhile: not stored (the waits below favour the slot and the
        // store over the cancellation, so this is the one check of it when neither waits).
        if self.cancel.is_cancelled() {
            return;
        }
        let Some(permit) = self.in_flight_slot().await else {
            return;
        };
        tracing::trace!(conn = self.conn_id, seq, "send accepted");
        let started = Instant::now();
        // Queue in arrival order (so one connection's messages keep their order), then wait
        // for the commit off the read loop ([`super::acks`]). The store is polled first: it
        // usually takes the message at once, and the cancellation is then never waited for.
        let submitted = tokio::select! {
            biased;
            r = messages::submit(self.shared.store.as_ref(), msg) => r,
            _ = self.cancel.cancelled() => return,
        };
        let ack = SendAck {
            seq,
            submitted,
            started,
            permit,
        };
        // Cannot fail: the ack loop reads until this sender, owned by `self`, is dropped.
        let handed = self.acks.send(ack);
        debug_assert!(handed.is_ok(), "the ack loop ended before the read loop");
    }

    /// An online-only send: delivered at once, nothing stored (see
    /// [`messages::publish_status`]); answered like a send, with the uid and time it was given.
    async fn on_status_send(&self, seq: u64, msg: NewMessage) {
        let shared = &self.shared;
        let published = tokio::select! {
            _ = self.cancel.cancelled() => return,
            r = messages::publish_status(shared.store.as_ref(), shared.hub.as_ref(), msg) => r,
        };
        let response = match published {
            Ok(o) => send_result(o, 0),
            Err(e) => failure(&e, "a status message"),
        };
        tracing::trace!(seq, code = response.code, "status message answered");
        self.respond(seq, response);
    }

    /// Over the send rate: the original answer if the message `key` is already stored (a
    /// resend after a lost answer), else `None` (refused).
    pub(super) async fn sent_original(&self, key: RequestKey) -> Option<Response> {
        let sent = tokio::select! {
            _ = self.cancel.cancelled() => return None,
            r = replay::original_send(self.shared.store.as_ref(), key) => r,
        };
        match sent {
            Ok(sent) => sent.map(|o| send_result(o, 0)),
            Err(e) => {
                tracing::warn!(conn = self.conn_id, error = %e, "looking up a resent message failed");
                None
            }
        }
    }

    /// The answer to a send over the connection's send rate, `None` within it: a resend (same
    /// request id) gets its original answer, any other 20604.
    pub(super) async fn over_send_rate(&mut self, msg: &NewMessage) -> Option<Response> {
        if self.send_limiter.try_acquire() {
            return None;
        }
        let key = RequestKey {
            user_id: msg.sender_id.clone(),
            request_id: msg.client_msg_id.clone(),
        };
        let response = self.sent_original(key).await;
        Some(response.unwrap_or_else(|| code_only(codes::SEND_MSG_FREQUENCY_OVERRUN)))
    }
}
