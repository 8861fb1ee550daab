//! Status codes carried on the wire. Values follow RongCloud IMLib so apps can reuse their
//! error handling unchanged.

/// Success.
pub const OK: u32 = 0;
/// The sender is in the receiver's blacklist.
pub const REJECTED_BY_BLACKLIST: u32 = 405;
/// More than 5 messages per second from one connection; also the server's other request
/// rate and a user's media upload quota (`MediaUploadRequest`).
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

// Media messages and the file service. The server answers the first six (ticket refusals,
// upload failures, unknown files); the client engine reports all of them.

/// A file over its type's size limit (`sendMediaMessage`, the file service).
pub const FILE_SIZE_OUT_OF_LIMIT: u32 = 26106;
/// A GIF over its size limit (RC_GIF_MSG_SIZE_LIMIT_EXCEED).
pub const GIF_SIZE_OUT_OF_LIMIT: u32 = 34003;
/// A media transfer with the file service failed (RC_FILE_UPLOAD_FAILED): on the server a
/// bad, forged or expired ticket, a short or broken upload body, a storage failure; on the
/// client also downloads that fail on the network or with an HTTP error other than 404 and 403.
pub const FILE_UPLOAD_FAILED: u32 = 34011;
/// The media file is missing or empty.
pub const MEDIA_EMPTY: u32 = 34018;
/// The type is not a media type, or the file is not of the message's media type (an IMAGE
/// that does not decode, a GIF without a GIF header).
pub const MEDIA_TYPE_INVALID: u32 = 34019;
/// The file service has no such file (HTTP 404; IMLib OPERATION_MEDIA_NOT_FOUND). Negative,
/// unlike the other codes.
pub const MEDIA_NOT_FOUND: i32 = -3;
/// A short video longer than [`crate::media_type::SIGHT_MAX_SECONDS`].
pub const SIGHT_DURATION_LIMIT_EXCEED: u32 = 34002;
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
/// No such message uid (or it belongs to another conversation): expansion updates.
pub const INVALID_MESSAGE_UID: u32 = 34203;
/// The message cannot be expanded: sent without expansion, or not private/group (R065).
pub const MESSAGE_CANT_EXPAND: u32 = 34008;
/// An expansion key over 32 characters or outside `[A-Za-z0-9+=_-]`, a value over 4096
/// characters, more than 20 pairs in one update or more than 300 on a message (R066, R127).
pub const EXPANSION_SIZE_LIMIT_EXCEED: u32 = 34010;

// Chatrooms (R184–R209).

/// Not in the chatroom (sending, reading its history or KV; auto-kicked).
pub const NOT_IN_CHATROOM: u32 = 23406;
/// Gagged in the chatroom (or the whole room is banned).
pub const FORBIDDEN_IN_CHATROOM: u32 = 23408;
/// Blocked from the chatroom (kicked and banned from joining for a while).
pub const KICKED_FROM_CHATROOM: u32 = 23409;
/// The chatroom does not exist (joining without `autoCreate`, a destroyed room).
pub const CHATROOM_NOT_EXIST: u32 = 23410;
/// The chatroom's KV store is full (100 keys).
pub const KV_STORE_FULL: u32 = 23423;
/// The key exists and `overwrite` was not set, or it was set by another user and `force`
/// was not set.
pub const KV_OVERWRITE_REFUSED: u32 = 23424;
/// More than 100 KV operations per second in the room.
pub const KV_RATE_EXCEEDED: u32 = 23425;
/// The key does not exist.
pub const KV_KEY_NOT_EXIST: u32 = 23427;
/// Some keys of a batch failed (see the per-key errors).
pub const KV_NOT_ALL_SUCCESS: u32 = 23428;
/// More than 10 entries in one KV request.
pub const KV_BATCH_TOO_LARGE: u32 = 23429;

/// Ultra group: a parameter is invalid (Server API).
pub const ULTRA_GROUP_PARAMETER_ERROR: u32 = 24403;
/// Not a member of the ultra group.
pub const NOT_IN_ULTRA_GROUP: u32 = 24406;
/// Muted in the ultra group (or its channel).
pub const FORBIDDEN_IN_ULTRA_GROUP: u32 = 24408;
/// The ultra group does not exist.
pub const ULTRA_GROUP_NOT_EXIST: u32 = 24410;
/// The ultra group has the most members it may have.
pub const ULTRA_GROUP_MEMBERS_EXCEED_LIMIT: u32 = 24411;
/// The user is a member of the most ultra groups allowed (100, R211).
pub const ULTRA_GROUP_NUMBER_EXCEED_LIMIT: u32 = 24412;
/// The ultra group has the most channels allowed (50, R216).
pub const ULTRA_GROUP_CHANNELS_EXCEED_LIMIT: u32 = 24413;
/// The channel does not exist.
pub const ULTRA_GROUP_CHANNEL_ID_NOT_EXIST: u32 = 24414;
/// More messages per second in the channel than allowed.
pub const ULTRA_GROUP_CHANNEL_MESSAGE_EXCEED_LIMIT: u32 = 24415;
/// Not listed in the private channel.
pub const ULTRA_GROUP_USER_NOT_IN_PRIVATE_CHANNEL: u32 = 24416;
/// The call does not support ultra groups.
pub const ULTRA_GROUP_NOT_SUPPORT: u32 = 34022;
