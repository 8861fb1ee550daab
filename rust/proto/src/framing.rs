//! Length-prefixed framing: a 4-byte big-endian length, then one protobuf message.

use bytes::{BufMut as _, BytesMut};
use prost::Message;
use std::marker::PhantomData;
use tokio_util::codec::{Decoder, Encoder, LengthDelimitedCodec};

/// Why a frame could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum FrameError {
    /// Socket error, or a frame longer than [`crate::MAX_FRAME_LEN`].
    #[error("transport: {0}")]
    Io(#[from] std::io::Error),
    /// The frame's bytes are not a valid protobuf message of the expected type.
    #[error("malformed frame: {0}")]
    Decode(#[from] prost::DecodeError),
}

/// A codec that reads frames of type `In` and writes frames of type `Out`.
///
/// Client side: `FrameCodec<ServerFrame, ClientFrame>`; server side the reverse.
pub struct FrameCodec<In, Out> {
    inner: LengthDelimitedCodec,
    _types: PhantomData<fn(Out) -> In>,
}

impl<In, Out> FrameCodec<In, Out> {
    /// A codec with the protocol's frame cap ([`crate::MAX_FRAME_LEN`]).
    pub fn new() -> Self {
        Self::with_max_len(crate::MAX_FRAME_LEN)
    }

    /// A codec with a custom frame cap (tests).
    pub fn with_max_len(max: usize) -> Self {
        let inner = LengthDelimitedCodec::builder()
            .length_field_length(4)
            .big_endian()
            .max_frame_length(max)
            .new_codec();
        Self {
            inner,
            _types: PhantomData,
        }
    }
}

impl<In, Out> Default for FrameCodec<In, Out> {
    fn default() -> Self {
        Self::new()
    }
}

impl<In: Message + Default, Out> Decoder for FrameCodec<In, Out> {
    type Item = In;
    type Error = FrameError;

    fn decode(&mut self, src: &mut BytesMut) -> Result<Option<In>, FrameError> {
        match self.inner.decode(src)? {
            Some(bytes) => Ok(Some(In::decode(bytes)?)),
            None => Ok(None),
        }
    }
}

impl<In, Out: Message> Encoder<Out> for FrameCodec<In, Out> {
    type Error = FrameError;

    /// Encodes straight into `dst` behind the 4-byte big-endian length (what the inner
    /// codec writes), without an intermediate buffer; the same size cap and error.
    fn encode(&mut self, item: Out, dst: &mut BytesMut) -> Result<(), FrameError> {
        let len = item.encoded_len();
        let prefix = u32::try_from(len)
            .ok()
            .filter(|_| len <= self.inner.max_frame_length());
        let Some(prefix) = prefix else {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "frame size too big",
            )
            .into());
        };
        dst.reserve(4 + len);
        dst.put_u32(prefix);
        item.encode_raw(dst);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::v1::{client_frame::Body, ClientFrame, Ping};

    #[test]
    fn round_trip_and_cap() {
        let mut enc: FrameCodec<ClientFrame, ClientFrame> = FrameCodec::new();
        let mut buf = BytesMut::new();
        let frame = ClientFrame {
            seq: 7,
            body: Some(Body::Ping(Ping {})),
        };
        enc.encode(frame.clone(), &mut buf).unwrap();
        assert_eq!(enc.decode(&mut buf).unwrap(), Some(frame));

        let mut small: FrameCodec<ClientFrame, ClientFrame> = FrameCodec::with_max_len(8);
        let mut buf = BytesMut::from(&[0u8, 0, 0, 100][..]);
        assert!(matches!(small.decode(&mut buf), Err(FrameError::Io(_))));
    }

    /// The frame on the wire is the length-delimited encoding of the message; an encoding
    /// beyond the cap is refused like the inner codec refuses it.
    #[test]
    fn encodes_like_the_length_delimited_codec() {
        let frame = ClientFrame {
            seq: 300,
            body: Some(Body::Ping(Ping {})),
        };
        let mut enc: FrameCodec<ClientFrame, ClientFrame> = FrameCodec::new();
        let mut ours = BytesMut::new();
        enc.encode(frame.clone(), &mut ours).unwrap();
        let mut theirs = BytesMut::new();
        let bytes = bytes::Bytes::from(frame.encode_to_vec());
        FrameCodec::<ClientFrame, ClientFrame>::new()
            .inner
            .encode(bytes, &mut theirs)
            .unwrap();
        assert_eq!(ours, theirs);
        let mut small: FrameCodec<ClientFrame, ClientFrame> = FrameCodec::with_max_len(2);
        let refused = small.encode(frame, &mut BytesMut::new());
        assert!(
            matches!(refused, Err(FrameError::Io(e)) if e.kind() == std::io::ErrorKind::InvalidInput)
        );
    }

    #[test]
    fn garbage_is_a_decode_error() {
        let mut codec: FrameCodec<ClientFrame, ClientFrame> = FrameCodec::new();
        let mut buf = BytesMut::from(&[0u8, 0, 0, 3, 0xff, 0xff, 0xff][..]);
        assert!(matches!(codec.decode(&mut buf), Err(FrameError::Decode(_))));
    }
}
