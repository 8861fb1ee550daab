//! Push frames encoded straight from a committed entry, for live delivery.
//!
//! Building an owned `ServerFrame` per push means deep-cloning the message (a dozen strings)
//! for each user and again for each of their sessions, then measuring and encoding it in
//! every writer. Instead the entry's body is encoded once — a private message's two copies
//! (the recipient's and the sender's) and a group message's member copies share it — and
//! each user's frame is that body behind the envelope of its own inbox sequence. Every
//! session of the user gets the same bytes ([`crate::outbound::Outbound::Shared`]).

use bytes::{BufMut as _, Bytes, BytesMut};
use prost::encoding::{encode_key, encode_varint, encoded_len_varint, key_len, WireType};
use rcim_proto::v1::{inbox_entry, InboxEntry};
use std::sync::Arc;

/// `ServerFrame.push` (`body` oneof).
const SERVER_FRAME_PUSH: u32 = 6;
/// `InboxPush.entry`.
const INBOX_PUSH_ENTRY: u32 = 1;
/// `InboxEntry.seq`.
const INBOX_ENTRY_SEQ: u32 = 1;

/// Encodes push frames for the entries of one delivery, reusing a body's encoding for the
/// entries that share it (consecutive entries with the same `Arc`).
#[derive(Default)]
pub(crate) struct PushEncoder {
    last: Option<(Arc<inbox_entry::Body>, Bytes)>,
}

impl PushEncoder {
    /// The encoded `InboxEntry.body` of `body` (with its oneof field key).
    fn body_bytes(&mut self, body: &Arc<inbox_entry::Body>) -> Bytes {
        if let Some((last, bytes)) = &self.last {
            if Arc::ptr_eq(last, body) {
                return bytes.clone();
            }
        }
        let mut buf = BytesMut::with_capacity(body.encoded_len());
        body.encode(&mut buf);
        let bytes = buf.freeze();
        self.last = Some((body.clone(), bytes.clone()));
        bytes
    }

    /// The encoded `ServerFrame` pushing the entry `seq` with `body`, unchanged, and the
    /// entry's encoded length (what [`crate::model::fit_entry`] measures).
    pub(crate) fn shared(&mut self, seq: u64, body: &Arc<inbox_entry::Body>) -> (Bytes, usize) {
        let body = self.body_bytes(body);
        frame(seq, &body)
    }
}

/// The encoded `ServerFrame` pushing `entry` (for an entry that had to be changed first).
pub(crate) fn owned(entry: &InboxEntry) -> Bytes {
    let body = entry.body.as_ref().map_or_else(Vec::new, |b| {
        let mut buf = Vec::with_capacity(b.encoded_len());
        b.encode(&mut buf);
        buf
    });
    frame(entry.seq, &body).0
}

/// `ServerFrame { seq: 0, body: Push(InboxPush { entry: InboxEntry { seq, body } }) }` from
/// the body's encoding; and the entry's encoded length.
fn frame(seq: u64, body: &[u8]) -> (Bytes, usize) {
    // Proto3 leaves default scalars out: a frame's seq (0) always, an entry's when 0.
    let seq_len = if seq == 0 {
        0
    } else {
        key_len(INBOX_ENTRY_SEQ) + encoded_len_varint(seq)
    };
    let entry_len = seq_len + body.len();
    let push_len = key_len(INBOX_PUSH_ENTRY) + encoded_len_varint(entry_len as u64) + entry_len;
    let frame_len = key_len(SERVER_FRAME_PUSH) + encoded_len_varint(push_len as u64) + push_len;
    let mut buf = BytesMut::with_capacity(frame_len);
    encode_key(SERVER_FRAME_PUSH, WireType::LengthDelimited, &mut buf);
    encode_varint(push_len as u64, &mut buf);
    encode_key(INBOX_PUSH_ENTRY, WireType::LengthDelimited, &mut buf);
    encode_varint(entry_len as u64, &mut buf);
    if seq != 0 {
        encode_key(INBOX_ENTRY_SEQ, WireType::Varint, &mut buf);
        encode_varint(seq, &mut buf);
    }
    buf.put_slice(body);
    (buf.freeze(), entry_len)
}

#[cfg(test)]
mod tests {
    use super::*;
    use prost::Message as _;
    use rcim_proto::v1::{server_frame, InboxPush, Message, Recall, ServerFrame};

    fn expected(seq: u64, body: Option<inbox_entry::Body>) -> Vec<u8> {
        ServerFrame {
            seq: 0,
            body: Some(server_frame::Body::Push(InboxPush {
                entry: Some(InboxEntry { seq, body }),
            })),
        }
        .encode_to_vec()
    }

    /// The frames are byte for byte what prost encodes for the owned frame, shared bodies
    /// included, and the length is the entry's.
    #[test]
    fn frames_match_prost() {
        let message = Arc::new(inbox_entry::Body::Message(Message {
            uid: "u1".into(),
            sender_id: "a".into(),
            to_id: "b".into(),
            content: "x".repeat(300),
            sent_time: 1_700_000_000_000,
            ..Default::default()
        }));
        let mut encoder = PushEncoder::default();
        for seq in [1, 127, 128, 300_000, u64::MAX] {
            let (bytes, len) = encoder.shared(seq, &message);
            assert_eq!(bytes.as_ref(), expected(seq, Some((*message).clone())));
            let entry = InboxEntry {
                seq,
                body: Some((*message).clone()),
            };
            assert_eq!(len, entry.encoded_len());
        }
        let recall = Arc::new(inbox_entry::Body::Recall(Recall::default()));
        let (bytes, _) = encoder.shared(0, &recall);
        assert_eq!(bytes.as_ref(), expected(0, Some((*recall).clone())));
        let stripped = InboxEntry { seq: 9, body: None };
        assert_eq!(owned(&stripped).as_ref(), expected(9, None));
    }
}
