//! The writing side of a connection: drains its bounded outbound queue onto the socket, in
//! batches with one flush each.

use super::frames::{release_write_buffer, Writer};
use crate::hub::Outbound;
use crate::outbound::OutboundRx;
use futures::SinkExt as _;
use rcim_proto::FrameError;
use std::time::Duration;
use tokio::io::AsyncWriteExt as _;
use tokio_util::sync::CancellationToken;

/// Frames written before one flush.
const WRITE_BATCH: usize = 64;
/// Bytes the writer reserves when a batch starts without a buffer (it is released after the
/// batch's flush, so an idle connection still holds none).
const BATCH_BUFFER: usize = 4 * 1024;
/// Buffered bytes beyond which pre-encoded frames are flushed before more are added (the
/// codec's own back-pressure only sees the frames it encodes).
const ENCODED_HIGH_WATER: usize = 128 * 1024;

/// Writes queued frames until `Close`, cancellation or a write error; then cancels the token
/// so the reader stops too.
pub(crate) async fn write_loop(mut writer: Writer, mut rx: OutboundRx, cancel: CancellationToken) {
    // One wait for the cancellation for the connection's lifetime: one per batch would
    // register and remove a waiter on the token each time.
    let cancelled = cancel.clone().cancelled_owned();
    tokio::pin!(cancelled);
    loop {
        let first = tokio::select! {
            biased;
            () = &mut cancelled => break,
            m = rx.recv() => m,
        };
        let Some(first) = first else { break };
        // The batch first: it usually completes at once, the cancellation is only polled
        // when the socket makes it wait.
        let written = tokio::select! {
            biased;
            r = write_batch(&mut writer, first, &mut rx) => r,
            () = &mut cancelled => break,
        };
        match written {
            Ok(true) => continue,
            Ok(false) => {
                // Close requested: everything before it has been flushed.
                let _ =
                    tokio::time::timeout(Duration::from_secs(2), writer.get_mut().shutdown()).await;
                break;
            }
            Err(e) => {
                tracing::debug!(error = %e, "write failed");
                break;
            }
        }
    }
    cancel.cancel();
}

/// Writes `first` and whatever else is queued (up to a batch), then flushes.
/// Returns `Ok(false)` when a `Close` was reached.
async fn write_batch(
    writer: &mut Writer,
    first: Outbound,
    rx: &mut OutboundRx,
) -> Result<bool, FrameError> {
    if writer.write_buffer().capacity() == 0 {
        // Back from idle (the buffer was released): room for a burst at once, rather than
        // growing (and copying) the buffer frame by frame.
        writer.write_buffer_mut().reserve(BATCH_BUFFER);
    }
    let mut next = Some(first);
    let mut n = 0;
    while let Some(item) = next.take() {
        match item {
            Outbound::Frame(f) => writer.feed(*f).await?,
            Outbound::Shared(bytes) => feed_encoded(writer, &bytes).await?,
            Outbound::Close => {
                writer.flush().await?;
                return Ok(false);
            }
        }
        n += 1;
        if n < WRITE_BATCH {
            next = rx.try_recv().ok();
        }
    }
    writer.flush().await?;
    release_write_buffer(writer);
    Ok(true)
}

/// Appends a pre-encoded frame with the codec's 4-byte big-endian length prefix (what
/// `FrameCodec` writes for a frame it encodes itself). A frame beyond the protocol's cap is
/// skipped: the client would drop the connection on it.
async fn feed_encoded(writer: &mut Writer, frame: &[u8]) -> Result<(), FrameError> {
    let Ok(len) = u32::try_from(frame.len()) else {
        return Ok(());
    };
    if frame.len() > rcim_proto::MAX_FRAME_LEN {
        tracing::warn!(len = frame.len(), "skipping an oversize pre-encoded frame");
        return Ok(());
    }
    if writer.write_buffer().len() >= ENCODED_HIGH_WATER {
        writer.flush().await?;
    }
    let buf = writer.write_buffer_mut();
    buf.reserve(4 + frame.len());
    buf.extend_from_slice(&len.to_be_bytes());
    buf.extend_from_slice(frame);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gateway::frames::new_writer;
    use futures::StreamExt as _;
    use rcim_proto::v1::{server_frame, ClientFrame, Pong, ServerFrame};
    use rcim_proto::FrameCodec;
    use tokio::net::{TcpListener, TcpStream};
    use tokio_util::codec::FramedRead;

    /// Pre-encoded frames reach the client exactly like frames the codec encodes, in queue
    /// order.
    #[tokio::test]
    async fn shared_frames_are_written_like_encoded_ones() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let client = TcpStream::connect(listener.local_addr().unwrap());
        let (server, client) = tokio::join!(listener.accept(), client);
        let (_rd, wr) =
            crate::gateway::io::split(tokio_util::either::Either::Left(server.unwrap().0));
        let writer = new_writer(wr);
        let (tx, rx) = crate::outbound::channel(8, 0);
        let pong = |t| ServerFrame {
            seq: t as u64,
            body: Some(server_frame::Body::Pong(Pong { server_time: t })),
        };
        let shared = bytes::Bytes::from(prost::Message::encode_to_vec(&pong(2)));
        tx.try_send(Outbound::Frame(Box::new(pong(1)))).unwrap();
        tx.try_send(Outbound::Shared(shared.clone())).unwrap();
        tx.try_send(Outbound::Shared(shared)).unwrap();
        tx.try_send(Outbound::Frame(Box::new(pong(3)))).unwrap();
        tx.try_send(Outbound::Close).unwrap();
        write_loop(writer, rx, CancellationToken::new()).await;
        let mut reader = FramedRead::new(
            client.unwrap(),
            FrameCodec::<ServerFrame, ClientFrame>::new(),
        );
        let mut got = Vec::new();
        while let Some(f) = reader.next().await {
            got.push(f.unwrap());
        }
        assert_eq!(got, [pong(1), pong(2), pong(2), pong(3)]);
    }
}
