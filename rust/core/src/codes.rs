//! Status codes the engine reports (IMLib-compatible numbers): the wire's and the media
//! codes shared with the server ([`rcim_proto::codes`], re-exported here) and the engine's own.

pub use rcim_proto::codes::*;

/// The call's arguments are invalid (`RCIMIWErrorCode.PARAM_ERROR`); nothing happens.
pub const PARAM_ERROR: i32 = 1;
/// The engine was destroyed (`RCIMIWErrorCode.ENGINE_DESTROYED`).
pub const ENGINE_DESTROYED: i32 = 2;
/// An unexpected internal failure (`RCIMIWErrorCode.RESULT_UNKNOWN`).
pub const RESULT_UNKNOWN: i32 = 4;
/// Not connected / database not opened yet (IMLib CLIENT_NOT_INIT).
pub const CLIENT_NOT_INIT: i32 = 33001;
/// The local database failed (IMLib DATABASE_ERROR).
pub const DATABASE_ERROR: i32 = 33002;
/// The message with that id does not exist (IMLib invalid messageId).
pub const INVALID_MESSAGE_ID: i32 = 34204;

/// An IMLib status code as a Rust error: why a call was rejected at once, or why it failed
/// later. Serialises as the bare number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct Code(pub i32);

impl Code {
    /// See [`PARAM_ERROR`].
    pub const PARAM_ERROR: Code = Code(PARAM_ERROR);
    /// See [`CLIENT_NOT_INIT`].
    pub const CLIENT_NOT_INIT: Code = Code(CLIENT_NOT_INIT);
    /// See [`DATABASE_ERROR`].
    pub const DATABASE_ERROR: Code = Code(DATABASE_ERROR);
    /// See [`INVALID_MESSAGE_ID`].
    pub const INVALID_MESSAGE_ID: Code = Code(INVALID_MESSAGE_ID);
    /// Too many operations waiting for the connection (IMLib SEND_MSG_FREQUENCY_OVERRUN).
    pub const SEND_MSG_FREQUENCY_OVERRUN: Code = Code(SEND_MSG_FREQUENCY_OVERRUN as i32);
    /// The message content is too large (IMLib MSG_SIZE_OUT_OF_LIMIT).
    pub const MSG_SIZE_OUT_OF_LIMIT: Code = Code(MSG_SIZE_OUT_OF_LIMIT as i32);

    /// Builds a code from an unsigned protocol code.
    pub const fn of(code: u32) -> Code {
        Code(code as i32)
    }

    /// The number, as listeners and callbacks report it.
    pub fn value(self) -> i32 {
        self.0
    }
}

impl From<Code> for i32 {
    fn from(code: Code) -> i32 {
        code.0
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "code {}", self.0)
    }
}

impl std::error::Error for Code {}
