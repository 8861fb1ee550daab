//! Raw protocol clients: a gateway connection that speaks frames itself, with no engine in
//! between, for the benchmarks that measure the server alone.

use futures::{SinkExt, StreamExt};
use rcim_proto::v1::{client_frame, server_frame, ClientFrame, Connect, Platform, ServerFrame};
use rcim_proto::FrameCodec;
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::net::TcpStream;
use tokio_util::codec::{Framed, FramedRead, FramedWrite, LengthDelimitedCodec};

/// A gateway connection framed as the client sees it.
pub type RawConnection = Framed<TcpStream, FrameCodec<ServerFrame, ClientFrame>>;

/// The read half of a raw connection, yielding each server frame still encoded (see
/// [`body_field`]).
pub type FrameReader = FramedRead<OwnedReadHalf, LengthDelimitedCodec>;

/// The write half of a raw connection.
pub type FrameWriter = FramedWrite<OwnedWriteHalf, FrameCodec<ServerFrame, ClientFrame>>;

/// `ServerFrame.push`'s field number (rcim.proto).
pub const PUSH: u32 = 6;
/// `ServerFrame.response`'s field number (rcim.proto).
pub const RESPONSE: u32 = 12;

/// Splits a logged-in connection into halves a reader task and a writer task own without a
/// shared lock; what was already read stays with the reader.
pub fn into_halves(conn: RawConnection) -> (FrameReader, FrameWriter) {
    let parts = conn.into_parts();
    let (read, write) = parts.io.into_split();
    // The same framing as `FrameCodec`: a 4-byte big-endian length, the same cap.
    let delimiter = LengthDelimitedCodec::builder()
        .length_field_length(4)
        .big_endian()
        .max_frame_length(rcim_proto::MAX_FRAME_LEN)
        .new_codec();
    let mut reader = FramedRead::new(read, delimiter);
    *reader.read_buffer_mut() = parts.read_buf;
    (reader, FramedWrite::new(write, FrameCodec::new()))
}

/// The field number of an encoded server frame's body (e.g. [`PUSH`]), read without decoding
/// the body: a benchmark that only counts pushes should not spend its CPU, shared with the
/// server it measures, decoding them. `None` for a frame without a body or a malformed one.
pub fn body_field(frame: &[u8]) -> Option<u32> {
    let mut bytes = frame.iter().copied();
    let mut varint = || {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let b = bytes.next()?;
            value |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Some(value);
            }
        }
        None
    };
    let mut key = varint()?;
    // `seq` (field 1, a varint) comes first when set.
    if key == 1 << 3 {
        varint()?;
        key = varint()?;
    }
    u32::try_from(key >> 3).ok()
}

/// Logs in over `stream` (connected, options set) as the desktop device `device_id` of the
/// user that `token` names; panics unless the server accepts.
pub async fn login(
    stream: TcpStream,
    app_key: &str,
    token: String,
    device_id: String,
) -> RawConnection {
    let mut framed = Framed::new(stream, FrameCodec::new());
    framed
        .send(ClientFrame {
            seq: 0,
            body: Some(client_frame::Body::Connect(Connect {
                protocol_version: rcim_proto::PROTOCOL_VERSION,
                app_key: app_key.into(),
                token,
                device_id: device_id.clone(),
                platform: Platform::Desktop as i32,
                ..Default::default()
            })),
        })
        .await
        .unwrap();
    match framed.next().await {
        Some(Ok(ServerFrame {
            body: Some(server_frame::Body::ConnectAck(ack)),
            ..
        })) if ack.code == 0 => framed,
        other => panic!("login of {device_id} failed: {other:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use prost::Message as _;
    use rcim_proto::v1::{InboxPush, Response};

    /// The body's field number is found behind any `seq`.
    #[test]
    fn body_fields() {
        let push = |seq| ServerFrame {
            seq,
            body: Some(server_frame::Body::Push(InboxPush::default())),
        };
        assert_eq!(body_field(&push(0).encode_to_vec()), Some(PUSH));
        assert_eq!(body_field(&push(300).encode_to_vec()), Some(PUSH));
        let response = ServerFrame {
            seq: 7,
            body: Some(server_frame::Body::Response(Response::default())),
        };
        assert_eq!(body_field(&response.encode_to_vec()), Some(RESPONSE));
        assert_eq!(body_field(&ServerFrame::default().encode_to_vec()), None);
    }
}
