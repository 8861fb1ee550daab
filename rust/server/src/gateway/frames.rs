//! Frame plumbing shared by the gateway's files: the codec types, building and queueing
//! server frames, logging bad frames.

use crate::hub::Outbound;
use rcim_proto::v1::{server_frame, ClientFrame, ServerFrame};
use rcim_proto::{FrameCodec, FrameError};
use std::net::SocketAddr;
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::sync::mpsc;
use tokio_util::codec::{FramedRead, FramedWrite};
use tokio_util::sync::CancellationToken;

/// The read half of a client connection, decoding client frames.
pub(crate) type Reader = FramedRead<OwnedReadHalf, FrameCodec<ClientFrame, ServerFrame>>;
/// The write half of a client connection, encoding server frames.
pub(crate) type Writer = FramedWrite<OwnedWriteHalf, FrameCodec<ClientFrame, ServerFrame>>;

/// A server frame answering (or, with `seq` 0, pushed outside of) a client frame.
pub(crate) fn frame(seq: u64, body: server_frame::Body) -> ServerFrame {
    ServerFrame {
        seq,
        body: Some(body),
    }
}

/// Queues a frame; a full queue disconnects the (slow) client.
pub(crate) fn queue(tx: &mpsc::Sender<Outbound>, cancel: &CancellationToken, f: ServerFrame) {
    match tx.try_send(Outbound::Frame(f)) {
        Ok(()) => {}
        Err(mpsc::error::TrySendError::Full(_)) => {
            tracing::warn!("outbound queue full; disconnecting slow client");
            cancel.cancel();
        }
        // The connection is already gone.
        Err(mpsc::error::TrySendError::Closed(_)) => cancel.cancel(),
    }
}

/// Logs why a frame could not be read (the connection is closed after it).
pub(crate) fn log_frame_error(peer: SocketAddr, conn_id: u64, e: &FrameError) {
    match e {
        FrameError::Decode(_) => {
            tracing::warn!(%peer, conn = conn_id, error = %e, "malformed frame; closing")
        }
        FrameError::Io(io) if io.kind() == std::io::ErrorKind::InvalidData => {
            tracing::warn!(%peer, conn = conn_id, error = %e, "oversize frame; closing")
        }
        FrameError::Io(_) => tracing::debug!(%peer, conn = conn_id, error = %e, "read failed"),
    }
}
