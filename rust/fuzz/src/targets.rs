//! The targets that need no server: the frame decoder and the token parser.

use bytes::BytesMut;
use prost::Message;
use rcim_proto::v1::{ClientFrame, ServerFrame};
use rcim_proto::FrameCodec;
use rcim_server::fuzzing::sign_token_payload;
use rcim_server::{issue_token, verify_signature};
use tokio_util::codec::{Decoder as _, Encoder as _};

/// App key and secret of the token target (and of the in-process servers).
pub const APP_KEY: &str = "fuzz-app";
/// See [`APP_KEY`].
pub const APP_SECRET: &str = "fuzz-secret";

/// Reads `data` as a byte stream of frames, both as the server reads client frames and as the
/// client reads server frames. Checks, for each side: feeding the stream in two parts (split
/// where the first byte says) yields the same frames and the same error as feeding it whole,
/// and every decoded frame encodes back to a frame that decodes to itself.
pub fn frame_decoder(data: &[u8]) {
    check_side::<ClientFrame, ServerFrame>(data);
    check_side::<ServerFrame, ClientFrame>(data);
}

fn check_side<In, Out>(data: &[u8])
where
    In: Message + Default + PartialEq + Clone + std::fmt::Debug,
    Out: Message,
{
    let whole = decode_all::<In, Out>(&[data]);
    let split = data.first().map_or(0, |b| *b as usize % (data.len() + 1));
    let parts = decode_all::<In, Out>(&[&data[..split], &data[split..]]);
    assert_eq!(whole, parts, "decoding depends on how the bytes arrive");
    for frame in whole.0 {
        let mut codec = FrameCodec::<In, In>::new();
        let mut buf = BytesMut::new();
        codec
            .encode(frame.clone(), &mut buf)
            .expect("a decoded frame encodes");
        let again = codec.decode(&mut buf).expect("an encoded frame decodes");
        assert_eq!(again.as_ref(), Some(&frame), "frame round trip");
        assert!(buf.is_empty());
    }
}

/// The frames decoded from `chunks` fed one after another, and whether decoding stopped on an
/// error (after which a connection is closed: nothing more is read).
fn decode_all<In: Message + Default, Out>(chunks: &[&[u8]]) -> (Vec<In>, bool) {
    let mut codec = FrameCodec::<In, Out>::new();
    let mut buf = BytesMut::new();
    let mut frames = Vec::new();
    for chunk in chunks {
        buf.extend_from_slice(chunk);
        loop {
            match codec.decode(&mut buf) {
                Ok(Some(frame)) => frames.push(frame),
                Ok(None) => break,
                Err(_) => return (frames, true),
            }
        }
    }
    // At the end of the stream the codec may hold an incomplete frame: not an error here
    // (the connection reports it as a closed stream).
    (frames, false)
}

/// Parses `data` as a connection token. The first byte chooses the form: odd, the rest is a
/// token's payload signed validly (the fuzzer reaches the payload's decoding); even, the rest
/// is the token text itself. Accepted claims must issue a token that verifies to the same
/// claims.
pub fn token(data: &[u8]) {
    let Some((flags, rest)) = data.split_first() else {
        return;
    };
    let token = if flags & 1 == 1 {
        sign_token_payload(APP_SECRET, rest)
    } else {
        String::from_utf8_lossy(rest).into_owned()
    };
    if let Some(claims) = verify_signature(&token, APP_SECRET) {
        let again = issue_token(
            &claims.app_key,
            APP_SECRET,
            &claims.user_id,
            claims.issued_at_ms,
            claims.expiry_ms,
        );
        assert_eq!(verify_signature(&again, APP_SECRET), Some(claims));
        assert!(verify_signature(&token, "another secret").is_none());
    }
}
