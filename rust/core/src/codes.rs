//! Status codes the engine reports (IMLib-compatible numbers).

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

/// File over its type's size limit (`sendMediaMessage`, the file service).
pub const FILE_SIZE_OUT_OF_LIMIT: u32 = 26106;
/// Short video longer than 120 s.
pub const SIGHT_DURATION_LIMIT_EXCEED: u32 = 34002;
/// GIF over its size limit.
pub const GIF_SIZE_OUT_OF_LIMIT: u32 = 34003;
/// A media transfer with the file service failed (upload, and downloads that fail on the
/// network or with an HTTP error other than 404 and 403).
pub const FILE_UPLOAD_FAILED: u32 = 34011;
/// The media file is empty.
pub const MEDIA_EMPTY: u32 = 34018;
/// The file is not of the message's media type (an IMAGE that does not decode, a GIF without
/// a GIF header).
pub const MEDIA_TYPE_INVALID: u32 = 34019;
/// The file service refused a download (HTTP 403).
pub const MEDIA_DOWNLOAD_FORBIDDEN: u32 = 34030;
/// `sendMediaMessage` was given a message that is not media.
pub const NOT_MEDIA_MESSAGE: u32 = 34223;
/// The media message's local path is empty, missing or not a regular file.
pub const INVALID_LOCAL_PATH: u32 = 34234;
/// The media message has no remote URL to download.
pub const INVALID_MEDIA_URL: u32 = 34235;
/// A media file could not be written locally.
pub const FILE_SAVE_FAILED: u32 = 34251;
/// The file service has no such file (HTTP 404; IMLib OPERATION_MEDIA_NOT_FOUND).
pub const MEDIA_NOT_FOUND: i32 = -3;

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
