//! Frame plumbing shared by the gateway's files: the codec types, building and queueing
//! server frames, logging bad frames.
//!
//! Most connections are idle most of the time, so an idle connection keeps no buffers: the
//! reader gives its buffer back whenever it waits for the socket with nothing buffered, and
//! the writer starts without one and gives it back after each flush
//! ([`release_write_buffer`]). Busy connections keep theirs while data keeps coming.

use super::io::{ReadHalf, WriteHalf};
use crate::hub::{Outbound, OutboundTx};
use bytes::BytesMut;
use futures::Stream;
use rcim_proto::v1::{server_frame, ClientFrame, ServerFrame};
use rcim_proto::{FrameCodec, FrameError};
use std::net::SocketAddr;
use std::pin::Pin;
use std::task::{Context, Poll};
use tokio::sync::mpsc;
use tokio_util::codec::{FramedRead, FramedWrite};
use tokio_util::sync::CancellationToken;

/// Bytes a reader coming back from idle reserves before reading: most client frames (pings,
/// sends of short texts, requests) fit, so one read takes them whole.
const READ_CHUNK: usize = 512;

/// Bytes of queued frames the writer gathers before it writes them out (it flushes after each
/// batch of the queue anyway).
const WRITE_BOUNDARY: usize = 8 * 1024;

/// The read half of a client connection, decoding client frames; see the module doc for its
/// buffer.
pub(crate) struct Reader {
    framed: FramedRead<ReadHalf, FrameCodec<ClientFrame, ServerFrame>>,
}

impl Reader {
    /// A reader without a buffer yet.
    pub(crate) fn new(read_half: ReadHalf) -> Self {
        Self {
            framed: FramedRead::with_capacity(read_half, FrameCodec::new(), 0),
        }
    }
}

impl Stream for Reader {
    type Item = Result<ClientFrame, FrameError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let framed = &mut self.get_mut().framed;
        if framed.read_buffer().capacity() == 0 {
            framed.read_buffer_mut().reserve(READ_CHUNK);
        }
        let polled = Pin::new(&mut *framed).poll_next(cx);
        if polled.is_pending() && framed.read_buffer().is_empty() {
            // Nothing buffered and nothing to read: wait without a buffer.
            *framed.read_buffer_mut() = BytesMut::new();
        }
        polled
    }
}

/// The write half of a client connection, encoding server frames.
pub(crate) type Writer = FramedWrite<WriteHalf, FrameCodec<ClientFrame, ServerFrame>>;

/// A writer without a buffer yet (the first frame allocates one).
pub(crate) fn new_writer(write_half: WriteHalf) -> Writer {
    let mut writer = FramedWrite::with_capacity(write_half, FrameCodec::new(), 0);
    writer.set_backpressure_boundary(WRITE_BOUNDARY);
    writer
}

/// Gives the writer's buffer back once everything in it is written (call after a flush): a
/// connection keeps no buffer between bursts, however large its last one was.
pub(crate) fn release_write_buffer(writer: &mut Writer) {
    if writer.write_buffer().is_empty() {
        *writer.write_buffer_mut() = BytesMut::new();
    }
}

/// A server frame answering (or, with `seq` 0, pushed outside of) a client frame.
pub(crate) fn frame(seq: u64, body: server_frame::Body) -> ServerFrame {
    ServerFrame {
        seq,
        body: Some(body),
    }
}

/// Queues a frame; a full queue disconnects the (slow) client.
pub(crate) fn queue(tx: &OutboundTx, cancel: &CancellationToken, f: ServerFrame) {
    match tx.try_send(Outbound::Frame(Box::new(f))) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use futures::{SinkExt as _, StreamExt as _};
    use prost::Message as _;
    use rcim_proto::v1::{client_frame, request, Ping, Request, SendMessage};
    use tokio::io::AsyncWriteExt as _;
    use tokio::net::{TcpListener, TcpStream};

    async fn pair() -> (TcpStream, TcpStream) {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let client = TcpStream::connect(listener.local_addr().unwrap());
        let (server, client) = tokio::join!(listener.accept(), client);
        (client.unwrap(), server.unwrap().0)
    }

    fn wire(f: &ClientFrame) -> Vec<u8> {
        let body = f.encode_to_vec();
        let mut out = (body.len() as u32).to_be_bytes().to_vec();
        out.extend(body);
        out
    }

    /// A waiting reader holds no buffer, and frames still arrive whole: one split across
    /// writes, one much larger than what a reader reserves when it wakes up.
    #[tokio::test]
    async fn an_idle_reader_holds_no_buffer() {
        let (mut client, server) = pair().await;
        let (rd, _wr) = super::super::io::split(tokio_util::either::Either::Left(server));
        let mut reader = Reader::new(rd);
        let ping = ClientFrame {
            seq: 1,
            body: Some(client_frame::Body::Ping(Ping {})),
        };
        let big = ClientFrame {
            seq: 2,
            body: Some(client_frame::Body::Request(Request {
                request_id: "r".into(),
                body: Some(request::Body::SendMessage(SendMessage {
                    content: "x".repeat(20_000),
                    ..Default::default()
                })),
            })),
        };
        client.write_all(&wire(&ping)).await.unwrap();
        assert_eq!(reader.next().await.unwrap().unwrap(), ping);
        assert!(futures::poll!(reader.next()).is_pending());
        assert_eq!(reader.framed.read_buffer().capacity(), 0);

        let split = wire(&ping);
        client.write_all(&split[..3]).await.unwrap();
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        assert!(futures::poll!(reader.next()).is_pending());
        // Part of a frame is buffered: that buffer stays.
        assert_eq!(reader.framed.read_buffer().len(), 3);
        client.write_all(&split[3..]).await.unwrap();
        assert_eq!(reader.next().await.unwrap().unwrap(), ping);

        client.write_all(&wire(&big)).await.unwrap();
        assert_eq!(reader.next().await.unwrap().unwrap(), big);
        assert!(futures::poll!(reader.next()).is_pending());
        assert_eq!(reader.framed.read_buffer().capacity(), 0);
    }

    /// The writer's buffer goes once a flush wrote it out; what it wrote arrives.
    #[tokio::test]
    async fn a_flushed_writer_holds_no_buffer() {
        let (client, server) = pair().await;
        let (_rd, wr) = super::super::io::split(tokio_util::either::Either::Left(server));
        let mut writer = new_writer(wr);
        let pong = frame(
            3,
            server_frame::Body::Pong(rcim_proto::v1::Pong { server_time: 7 }),
        );
        writer.feed(pong.clone()).await.unwrap();
        assert!(writer.write_buffer().capacity() > 0);
        writer.flush().await.unwrap();
        release_write_buffer(&mut writer);
        assert_eq!(writer.write_buffer().capacity(), 0);
        let mut read = FramedRead::new(client, FrameCodec::<ServerFrame, ClientFrame>::new());
        assert_eq!(read.next().await.unwrap().unwrap(), pong);
    }
}
