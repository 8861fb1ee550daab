//! Status codes carried on the wire. Values follow RongCloud IMLib so apps can reuse their
//! error handling unchanged.

/// Success.
pub const OK: u32 = 0;
/// The sender is in the receiver's blacklist.
pub const REJECTED_BY_BLACKLIST: u32 = 405;
/// More than 5 messages per second from one connection.
pub const SEND_MSG_FREQUENCY_OVERRUN: u32 = 20604;
/// The sender is not a member of the group it sends to.
pub const NOT_IN_GROUP: u32 = 22406;
/// Request parameters invalid (server side).
pub const PARAMETER_INVALID: u32 = 33003;
/// The connection went away before the server answered; the SDK reconnects.
pub const NETWORK_UNAVAILABLE: u32 = 30002;
/// The server did not answer in time.
pub const MSG_RESPONSE_TIMEOUT: u32 = 30003;
/// Navigation request failed or answered garbage.
pub const NAVIGATION_REQUEST_ERROR: u32 = 30006;
/// Message content larger than [`crate::MAX_CONTENT_LEN`].
pub const MSG_SIZE_OUT_OF_LIMIT: u32 = 30016;
/// Protocol version not supported by the server.
pub const PROTOCOL_VERSION_ERROR: u32 = 31001;
/// App key rejected.
pub const CONN_ID_REJECT: u32 = 31002;
/// Token invalid, forged, expired or issued for another app key.
pub const CONN_TOKEN_INCORRECT: u32 = 31004;
/// The user is blocked from logging in.
pub const CONN_USER_BLOCKED: u32 = 31009;
/// Kicked: the same user logged in on another mobile device.
pub const DISCONN_KICK: u32 = 31010;
/// Another mobile device is online and the reconnecting device was told not to kick it.
pub const CONN_OTHER_DEVICE_LOGIN: u32 = 31023;
/// connect() was called while already connected.
pub const CONNECTION_EXIST: u32 = 34001;
/// connect() timed out (`timeout > 0`).
pub const CONNECT_TIMEOUT: u32 = 34006;
/// Recall: unknown message, or parameters that do not match it.
pub const RECALL_PARAMETER_INVALID: u32 = 25101;
/// Recall: only the sender of a message may recall it.
pub const RECALL_USER_INVALID: u32 = 25107;
/// The server failed internally (RC_SERVER_UNKNOWN_ERROR).
pub const SERVER_UNKNOWN_ERROR: u32 = 25104;
