//! RCIM wire protocol shared by the client engine and the reference server.
//!
//! * [`v1`]: the protobuf messages generated from `proto/rcim.proto`.
//! * [`FrameCodec`]: length-prefixed framing with a hard frame-size cap.
//! * [`codes`]: the RongCloud-compatible status codes used on the wire.
//! * [`media_type`]: the media message types and their default size limits.
//! * [`expansion`]: the message expansion limits both sides enforce.

/// Generated protobuf types of the wire protocol, version [`PROTOCOL_VERSION`]. The module is
/// named after the protobuf package `rcim.v1`, which stays `v1` across protocol versions: the
/// version a connection speaks is negotiated in `Connect.protocol_version`, not by the package
/// name.
#[allow(missing_docs, clippy::all)]
pub mod v1 {
    include!(concat!(env!("OUT_DIR"), "/rcim.v1.rs"));
}

pub mod codes;
pub mod expansion;
mod framing;
pub mod media_type;

pub use framing::{FrameCodec, FrameError};

/// Protocol version spoken by this build (sent in `Connect.protocol_version`).
pub const PROTOCOL_VERSION: u32 = 7;

/// Largest frame either side accepts, in bytes. Larger frames close the connection.
pub const MAX_FRAME_LEN: usize = 256 * 1024;

/// Largest message content (the JSON body of one message), in bytes (RongCloud: 128 KB).
pub const MAX_CONTENT_LEN: usize = 128 * 1024;

/// Largest number of inbox entries in one sync package (the seed's offline package size).
pub const MAX_SYNC_PACKAGE: u32 = 200;

/// Conversation type numbers (equal to `RCIMIWConversationType`).
pub mod conversation_type {
    /// One-to-one conversation.
    pub const PRIVATE: u32 = 1;
    /// Group conversation.
    pub const GROUP: u32 = 2;
    /// Chatroom.
    pub const CHATROOM: u32 = 3;
    /// System conversation.
    pub const SYSTEM: u32 = 4;
    /// Ultra group.
    pub const ULTRA_GROUP: u32 = 5;
}
