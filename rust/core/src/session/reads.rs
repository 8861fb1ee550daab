//! Server reads: requests without a request id (not in the outbox) whose answer is a
//! `Response` — history pages, media upload tickets. The core sends waiting reads once
//! online, correlates the answer by seq (as it does for syncs) and hands the answer to the
//! read's [`ReadRequest::answer`]. A read waits for a connection at most the send timeout
//! (30002); an unanswered one is asked again after a reconnect and fails after the ack
//! timeout (30003); when the session ends, the reads still there fail with its code.
//!
//! Media upload tickets ([`TicketRequest`]) are one kind of read: they convert into a
//! [`ReadRequest`] whose answer extracts the `MediaUploadTicket`.

use super::queue::ACK_TIMEOUT;
use crate::codes;
use rcim_proto::v1::{
    client_frame, request, response, ClientFrame, MediaUploadRequest, MediaUploadTicket,
    Request as WireRequest,
};
use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};
use tokio::sync::oneshot;

/// The answer to a read: the `Response` body on success (`None` when the server sent none),
/// or the code of the refusal or failure.
pub(crate) type ReadResult = Result<Option<response::Body>, u32>;

/// Where a read's answer goes (called once).
pub(crate) type ReadReply = Box<dyn FnOnce(ReadResult) + Send>;

/// One read request and where its answer goes.
pub(crate) struct ReadRequest {
    /// What is asked.
    pub(crate) body: request::Body,
    /// Takes the answer.
    pub(crate) reply: ReadReply,
    /// When it was asked or, once on the wire, sent.
    pub(crate) since: Instant,
    /// Empty for reads; a state-changing request sent on this path (executed at most once
    /// by the server) carries its id, the same on every attempt.
    pub(crate) request_id: String,
}

impl std::fmt::Debug for ReadRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReadRequest")
            .field("body", &self.body)
            .field("since", &self.since)
            .finish_non_exhaustive()
    }
}

impl ReadRequest {
    /// A read of `body` answered through a channel: the receiver gets the answer (or is
    /// dropped unanswered only if the session is dropped without ending).
    pub(crate) fn channel(
        body: request::Body,
        since: Instant,
    ) -> (Self, oneshot::Receiver<ReadResult>) {
        let (tx, rx) = oneshot::channel();
        let reply: ReadReply = Box::new(move |result| {
            // The asker may have gone: then nothing happens.
            let _ = tx.send(result);
        });
        (
            Self {
                body,
                reply,
                since,
                request_id: String::new(),
            },
            rx,
        )
    }

    /// Answers the read.
    pub(crate) fn answer(self, result: ReadResult) {
        (self.reply)(result);
    }

    fn frame(&self, seq: u64) -> ClientFrame {
        ClientFrame {
            seq,
            body: Some(client_frame::Body::Request(WireRequest {
                request_id: self.request_id.clone(),
                body: Some(self.body.clone()),
            })),
        }
    }
}

/// The answer to a ticket request: the ticket, or the code of the refusal or failure.
pub(crate) type TicketResult = Result<MediaUploadTicket, u32>;

/// One media upload ticket request and where its answer goes.
#[derive(Debug)]
pub(crate) struct TicketRequest {
    pub(crate) request: MediaUploadRequest,
    pub(crate) reply: oneshot::Sender<TicketResult>,
    /// When it was asked.
    pub(crate) since: Instant,
}

impl From<TicketRequest> for ReadRequest {
    fn from(ticket: TicketRequest) -> Self {
        let TicketRequest {
            request,
            reply,
            since,
        } = ticket;
        let reply: ReadReply = Box::new(move |result: ReadResult| {
            let ticket = match result {
                Ok(Some(response::Body::MediaUpload(t))) => Ok(t),
                Ok(_) => Err(codes::SERVER_UNKNOWN_ERROR),
                Err(code) => Err(code),
            };
            let _ = reply.send(ticket);
        });
        ReadRequest {
            body: request::Body::MediaUpload(request),
            reply,
            since,
            request_id: String::new(),
        }
    }
}

/// Reads waiting for the wire or for their answer.
#[derive(Debug, Default)]
pub(crate) struct Reads {
    waiting: VecDeque<ReadRequest>,
    inflight: HashMap<u64, ReadRequest>,
}

impl Reads {
    /// Queues a read.
    pub(crate) fn push(&mut self, read: ReadRequest) {
        self.waiting.push_back(read);
    }

    /// Frames for every waiting read, numbered by `seq`.
    pub(crate) fn take_ready(
        &mut self,
        now: Instant,
        mut seq: impl FnMut() -> u64,
    ) -> Vec<ClientFrame> {
        let mut frames = Vec::new();
        while let Some(mut read) = self.waiting.pop_front() {
            let seq = seq();
            frames.push(read.frame(seq));
            read.since = now;
            self.inflight.insert(seq, read);
        }
        frames
    }

    /// The read answered by the frame numbered `seq`, if it is one.
    pub(crate) fn answered(&mut self, seq: u64) -> Option<ReadRequest> {
        self.inflight.remove(&seq)
    }

    /// After a lost connection, unanswered reads wait to be asked again.
    pub(crate) fn requeue_inflight(&mut self, now: Instant) {
        let mut inflight: Vec<(u64, ReadRequest)> = self.inflight.drain().collect();
        inflight.sort_by_key(|(seq, _)| *seq);
        for (_, mut read) in inflight.into_iter().rev() {
            read.since = now;
            self.waiting.push_front(read);
        }
    }

    /// Fails reads that waited longer than `timeout` for a connection (30002) or longer
    /// than the ack timeout for their answer (30003).
    pub(crate) fn expire(&mut self, now: Instant, timeout: Duration) {
        let (expired, waiting): (Vec<_>, Vec<_>) = self
            .waiting
            .drain(..)
            .partition(|r| now.saturating_duration_since(r.since) > timeout);
        self.waiting = waiting.into();
        for read in expired {
            read.answer(Err(codes::NETWORK_UNAVAILABLE));
        }
        let overdue: Vec<u64> = self
            .inflight
            .iter()
            .filter(|(_, r)| now.saturating_duration_since(r.since) > ACK_TIMEOUT)
            .map(|(seq, _)| *seq)
            .collect();
        for seq in overdue {
            if let Some(read) = self.inflight.remove(&seq) {
                read.answer(Err(codes::MSG_RESPONSE_TIMEOUT));
            }
        }
    }

    /// Fails every read with `code` (the session ended).
    pub(crate) fn fail_all(&mut self, code: u32) {
        for read in self.waiting.drain(..) {
            read.answer(Err(code));
        }
        for (_, read) in self.inflight.drain() {
            read.answer(Err(code));
        }
    }
}
