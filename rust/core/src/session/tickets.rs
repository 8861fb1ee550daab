//! Media upload tickets: `MediaUploadRequest` is a read-like request (no request id, not in
//! the outbox), asked when a media message's file is about to be uploaded and answered with a
//! `MediaUploadTicket`. The core sends waiting requests once online, correlates the answer by
//! seq (as it does for syncs) and hands it back through the request's reply channel. A request
//! waits for a connection at most the send timeout (30002), an unanswered one is asked again
//! after a reconnect and fails after the ack timeout (30003); when the session ends, the
//! requests still there fail with its code.

use super::queue::ACK_TIMEOUT;
use crate::codes;
use rcim_proto::v1::{
    client_frame, request, ClientFrame, MediaUploadRequest, MediaUploadTicket,
    Request as WireRequest,
};
use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};
use tokio::sync::oneshot;

/// The answer to a ticket request: the ticket, or the code of the refusal or failure.
pub(crate) type TicketResult = Result<MediaUploadTicket, u32>;

/// One ticket request and where its answer goes.
#[derive(Debug)]
pub(crate) struct TicketRequest {
    pub(crate) request: MediaUploadRequest,
    pub(crate) reply: oneshot::Sender<TicketResult>,
    /// When it was asked or, once on the wire, sent.
    pub(crate) since: Instant,
}

impl TicketRequest {
    /// Answers the request (the asker may have gone: then nothing happens).
    pub(crate) fn answer(self, result: TicketResult) {
        let _ = self.reply.send(result);
    }
}

/// Ticket requests waiting for the wire or for their answer.
#[derive(Debug, Default)]
pub(crate) struct Tickets {
    waiting: VecDeque<TicketRequest>,
    inflight: HashMap<u64, TicketRequest>,
}

impl Tickets {
    /// Queues a request.
    pub(crate) fn push(&mut self, request: TicketRequest) {
        self.waiting.push_back(request);
    }

    /// Frames for every waiting request, numbered by `seq`.
    pub(crate) fn take_ready(
        &mut self,
        now: Instant,
        mut seq: impl FnMut() -> u64,
    ) -> Vec<ClientFrame> {
        let mut frames = Vec::new();
        while let Some(mut ticket) = self.waiting.pop_front() {
            let seq = seq();
            frames.push(ClientFrame {
                seq,
                body: Some(client_frame::Body::Request(WireRequest {
                    request_id: String::new(),
                    body: Some(request::Body::MediaUpload(ticket.request.clone())),
                })),
            });
            ticket.since = now;
            self.inflight.insert(seq, ticket);
        }
        frames
    }

    /// The request answered by the frame numbered `seq`, if it is one.
    pub(crate) fn answered(&mut self, seq: u64) -> Option<TicketRequest> {
        self.inflight.remove(&seq)
    }

    /// After a lost connection, unanswered requests wait to be asked again.
    pub(crate) fn requeue_inflight(&mut self, now: Instant) {
        let mut inflight: Vec<(u64, TicketRequest)> = self.inflight.drain().collect();
        inflight.sort_by_key(|(seq, _)| *seq);
        for (_, mut ticket) in inflight.into_iter().rev() {
            ticket.since = now;
            self.waiting.push_front(ticket);
        }
    }

    /// Fails requests that waited longer than `timeout` for a connection (30002) or longer
    /// than the ack timeout for their answer (30003).
    pub(crate) fn expire(&mut self, now: Instant, timeout: Duration) {
        let (expired, waiting): (Vec<_>, Vec<_>) = self
            .waiting
            .drain(..)
            .partition(|t| now.saturating_duration_since(t.since) > timeout);
        self.waiting = waiting.into();
        for ticket in expired {
            ticket.answer(Err(codes::NETWORK_UNAVAILABLE));
        }
        let overdue: Vec<u64> = self
            .inflight
            .iter()
            .filter(|(_, t)| now.saturating_duration_since(t.since) > ACK_TIMEOUT)
            .map(|(seq, _)| *seq)
            .collect();
        for seq in overdue {
            if let Some(ticket) = self.inflight.remove(&seq) {
                ticket.answer(Err(codes::MSG_RESPONSE_TIMEOUT));
            }
        }
    }

    /// Fails every request with `code` (the session ended).
    pub(crate) fn fail_all(&mut self, code: u32) {
        for ticket in self.waiting.drain(..) {
            ticket.answer(Err(code));
        }
        for (_, ticket) in self.inflight.drain() {
            ticket.answer(Err(code));
        }
    }
}
