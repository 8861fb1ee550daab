//! The answers of a connection's sends, each queued once its commit is done: one loop per
//! connection awaits them all, beside the read loop and the writer (a task per send would
//! cost a spawn, its bookkeeping and a wake-up per message). When the read loop ends, the
//! sends still committing are handed to one background task, so the connection ends at once
//! as before and every send is still answered (and measured) when its commit is done.

use super::answers::{failure, send_result};
use super::frames::{frame, queue};
use crate::hub::OutboundTx;
use crate::metrics::{InFlight, Metrics};
use crate::service::ServiceError;
use crate::state::Shared;
use crate::store::PendingSend;
use futures::stream::FuturesUnordered;
use futures::StreamExt as _;
use rcim_proto::v1::server_frame;
use std::sync::Arc;
use std::time::Instant;
use tokio::sync::{mpsc, OwnedSemaphorePermit};
use tokio_util::sync::CancellationToken;

/// A send handed to the store, to answer after its commit.
pub(super) struct SendAck {
    pub seq: u64,
    /// The store's answer, or why it did not take the send.
    pub submitted: Result<PendingSend, ServiceError>,
    pub started: Instant,
    /// The send's in-flight slot, held until it is answered.
    pub permit: InFlight<OwnedSemaphorePermit>,
}

/// Where the read loop hands its sends (bounded by the in-flight slots they hold).
pub(super) type AckTx = mpsc::UnboundedSender<SendAck>;
/// What [`ack_loop`] reads.
pub(crate) type AckRx = mpsc::UnboundedReceiver<SendAck>;

/// A connection's send answers: a new channel.
pub(super) fn channel() -> (AckTx, AckRx) {
    mpsc::unbounded_channel()
}

/// What answering needs of the connection, shared by its pending answers.
struct Answerer {
    tx: OutboundTx,
    cancel: CancellationToken,
    metrics: Arc<Metrics>,
}

/// Answers each send of `rx` once its commit is done, until the read loop drops its end;
/// the sends still committing then are answered by a background task.
pub(crate) async fn ack_loop(
    mut rx: AckRx,
    shared: Arc<Shared>,
    tx: OutboundTx,
    cancel: CancellationToken,
) {
    let answerer = Arc::new(Answerer {
        tx,
        cancel,
        metrics: shared.metrics.clone(),
    });
    let mut running = FuturesUnordered::new();
    loop {
        tokio::select! {
            biased;
            Some(()) = running.next(), if !running.is_empty() => {}
            ack = rx.recv() => match ack {
                Some(ack) => running.push(answer(answerer.clone(), ack)),
                None => break,
            },
        }
    }
    if !running.is_empty() {
        shared
            .tracker
            .spawn(async move { while running.next().await.is_some() {} });
    }
}

/// Waits for one send's commit, then queues its answer.
async fn answer(answerer: Arc<Answerer>, ack: SendAck) {
    let SendAck {
        seq,
        submitted,
        started,
        permit,
    } = ack;
    let outcome = match submitted {
        Ok(pending) => pending.await.map_err(ServiceError::from),
        Err(e) => Err(e),
    };
    let response = match outcome {
        Ok(o) => send_result(o, 0),
        Err(e) => failure(&e, "a send"),
    };
    tracing::trace!(seq, code = response.code, "send committed");
    answerer
        .metrics
        .send_answered(started.elapsed(), response.code);
    queue(
        &answerer.tx,
        &answerer.cancel,
        frame(seq, server_frame::Body::Response(response)),
    );
    drop(permit);
}
