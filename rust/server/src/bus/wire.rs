//! What travels on the bus: a small JSON header saying what a message is, followed by its
//! binary body (protobuf bytes as the clients get them, so nothing is re-encoded per
//! recipient). Layout: header length (u32, little endian), header, body.

use bytes::{BufMut as _, Bytes, BytesMut};
use rcim_proto::v1::{inbox_entry, InboxEntry};
use serde::{Deserialize, Serialize};

/// Largest bus message we write, in bytes (NATS refuses payloads over its `max_payload`,
/// 1 MB by default): a user's share of a large batch is split into several messages.
pub(crate) const MAX_MESSAGE_BYTES: usize = 256 * 1024;

/// What a bus message is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "t", rename_all = "snake_case")]
pub(crate) enum Header {
    /// Committed inbox entries of the subject's user, in inbox order. Body: each
    /// `InboxEntry`, length-delimited.
    Inbox,
    /// A device of the subject's user was admitted on node `node`: other nodes apply the
    /// device rules to their own sessions of the user (same device: replaced; a mobile
    /// newcomer: other mobiles kicked).
    Login {
        node: String,
        device_id: String,
        platform: i32,
        /// When it was admitted (ms; the later of two logins wins).
        at_ms: i64,
    },
    /// An online-only frame for the subject's user (typing, an ultra-group resync hint).
    /// Body: the encoded `ServerFrame`.
    Online,
    /// Close the subject's user's sessions with `Kicked{code}` and refuse the logins in
    /// progress (a ban).
    Kick { code: u32, reason: String },
    /// Entries of the subject's user may have been lost on the bus: close the user's
    /// sessions so their devices resync from their inbox cursor.
    Resync,
    /// Same as [`Header::Resync`] for every session of every node.
    ResyncAll,
    /// A question to every node (with a reply subject; see [`super::questions`]).
    Ask {
        question: super::questions::Question,
    },
    /// Node `node`'s answer to an [`Header::Ask`]; a body for some answers.
    Answer {
        node: String,
        answer: super::questions::Answer,
    },
    /// Node `node` is alive and its clients connect to `gateway` (none: it has no address
    /// worth handing out, e.g. it listens on every interface without `--public-gateway`).
    Node {
        node: String,
        gateway: Option<String>,
    },
    /// Node `node` stops: forget it now rather than after the TTL.
    NodeGone { node: String },
    /// A chatroom frame for the room's members. Body: the encoded `ServerFrame`.
    Room { high: bool },
    /// An ultra-group event. Body: the encoded `UltraGroupEvent`. `only`: the users who may
    /// see it and the `skipped_seq` the other readers get instead (none: every reader).
    UltraGroup { only: Option<(Vec<String>, u64)> },
    /// A change of the records every node keeps in memory (ultra-group directory, chatroom
    /// records, moderation lists, KV), already in the store: apply it to this node's memory.
    Records {
        change: super::records::RecordChange,
    },
    /// Operations counted on node `node` since its last batch (rates shared across nodes,
    /// see [`crate::limits`]).
    Hits {
        node: String,
        hits: crate::limits::RateHits,
    },
    /// Notices of record changes may have been lost (a full queue, an outage): read every
    /// record kept in memory again from the store.
    ReloadRecords,
}

/// A bus message: `header` then `body`.
pub(crate) fn encode(header: &Header, body: &[u8]) -> Bytes {
    // A header of plain strings and numbers always serializes.
    let json = serde_json::to_vec(header).unwrap_or_default();
    let mut out = BytesMut::with_capacity(4 + json.len() + body.len());
    out.put_u32_le(json.len() as u32);
    out.put_slice(&json);
    out.put_slice(body);
    out.freeze()
}

/// The header and body of a bus message; `None` when it is not one.
pub(crate) fn decode(payload: &Bytes) -> Option<(Header, Bytes)> {
    let len = u32::from_le_bytes(payload.get(..4)?.try_into().ok()?) as usize;
    let json = payload.get(4..4 + len)?;
    let header = serde_json::from_slice(json).ok()?;
    Some((header, payload.slice(4 + len..)))
}

/// The encoding of an inbox entry's body alone (its oneof field), to be shared by every
/// inbox holding that body ([`put_entry`]).
pub(crate) fn encode_body(body: &inbox_entry::Body) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.encoded_len());
    body.encode(&mut out);
    out
}

/// Appends the length-delimited `InboxEntry{seq, body}` to `out`, `body` being
/// [`encode_body`]'s bytes.
pub(crate) fn put_entry(out: &mut Vec<u8>, seq: u64, body: &[u8]) {
    let len = prost::encoding::uint64::encoded_len(1, &seq) + body.len();
    prost::encoding::encode_varint(len as u64, out);
    prost::encoding::uint64::encode(1, &seq, out);
    out.extend_from_slice(body);
}

/// The entries of an [`Header::Inbox`] body; `None` when it does not decode.
pub(crate) fn entries(mut body: Bytes) -> Option<Vec<(u64, inbox_entry::Body)>> {
    let mut out = Vec::new();
    while !body.is_empty() {
        let e: InboxEntry = prost::Message::decode_length_delimited(&mut body).ok()?;
        out.push((e.seq, e.body?));
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rcim_proto::v1::Message;

    #[test]
    fn messages_and_entries_round_trip() {
        let body = inbox_entry::Body::Message(Message {
            uid: "m1".into(),
            content: "hi".into(),
            ..Default::default()
        });
        let mut raw = Vec::new();
        let encoded = encode_body(&body);
        put_entry(&mut raw, 7, &encoded);
        put_entry(&mut raw, 8, &encoded);
        let msg = encode(&Header::Inbox, &raw);
        let (header, rest) = decode(&msg).unwrap();
        assert_eq!(header, Header::Inbox);
        assert_eq!(entries(rest).unwrap(), vec![(7, body.clone()), (8, body)]);
        let login = Header::Login {
            node: "n".into(),
            device_id: "d".into(),
            platform: 1,
            at_ms: 5,
        };
        assert_eq!(decode(&encode(&login, b"")).unwrap().0, login);
        assert!(decode(&Bytes::from_static(b"\xff\xff\xff\xff{}")).is_none());
        assert!(decode(&Bytes::from_static(b"x")).is_none());
    }
}
