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
