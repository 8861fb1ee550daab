//! Length-prefixed framing: a 4-byte big-endian length, then one protobuf message.

use bytes::{Bytes, BytesMut};
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

    fn encode(&mut self, item: Out, dst: &mut BytesMut) -> Result<(), FrameError> {
        let bytes = Bytes::from(item.encode_to_vec());
        self.inner.encode(bytes, dst)?;
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

    #[test]
    fn garbage_is_a_decode_error() {
        let mut codec: FrameCodec<ClientFrame, ClientFrame> = FrameCodec::new();
        let mut buf = BytesMut::from(&[0u8, 0, 0, 3, 0xff, 0xff, 0xff][..]);
        assert!(matches!(codec.decode(&mut buf), Err(FrameError::Decode(_))));
    }
}
