'use strict';
/**
 * Numbers the mock shares with the real engine: the official enum values (RCIMDefines.ts of
 * the 5.2.5 wrapper), the status and error codes it answers with, and the argument checks
 * that make a wrong type resolve 1 (PARAM_ERROR) as the engine does.
 */

const ConnectionStatus = {
  NETWORK_UNAVAILABLE: 0,
  CONNECTED: 1,
  CONNECTING: 2,
  UNCONNECTED: 3,
  KICKED_OFFLINE_BY_OTHER_CLIENT: 4,
  TOKEN_INCORRECT: 5,
  CONN_USER_BLOCKED: 6,
  SIGN_OUT: 7,
  SUSPEND: 8,
  TIMEOUT: 9,
};
const ConversationType = { PRIVATE: 1, GROUP: 2, CHATROOM: 3, SYSTEM: 4, ULTRA_GROUP: 5 };
const MessageType = {
  UNKNOWN: 0,
  CUSTOM: 1,
  TEXT: 2,
  VOICE: 3,
  IMAGE: 4,
  FILE: 5,
  SIGHT: 6,
  GIF: 7,
  RECALL: 8,
  REFERENCE: 9,
  COMMAND: 10,
  COMMAND_NOTIFICATION: 11,
  LOCATION: 12,
};
const SentStatus = { SENDING: 0, FAILED: 1, SENT: 2, READ: 4, CANCELED: 6 };
/** Highest RCIMIWSentStatus (CANCELED) and RCIMIWReceivedStatus (MULTIPLE_RECEIVE) values. */
const MAX_SENT_STATUS = 6;
const MAX_RECEIVED_STATUS = 5;
const MentionedType = { ALL: 0, PART: 1 };
const MessageOperationPolicy = { LOCAL: 0, REMOTE: 1, LOCAL_REMOTE: 2 };
const CustomMessagePolicy = { COMMAND: 0, NORMAL: 1, STATUS: 2, STORAGE: 3 };
const ReceivedStatus = { UNREAD: 0, READ: 1 };
const Direction = { SEND: 0, RECEIVE: 1 };
const TimeOrder = { BEFORE: 0, AFTER: 1 };
// A conversation whose level was never set reports NONE (1, inherit), as in the engine.
const PushNotificationLevel = { ALL_MESSAGE: 0, NONE: 1 };

const Code = {
  SUCCESS: 0,
  PARAM_ERROR: 1,
  ENGINE_DESTROYED: 2,
  NATIVE_OPERATION_ERROR: 3,
  REJECTED_BY_BLACKLIST: 405,
  CONN_ID_REJECT: 31002,
  TOKEN_INCORRECT: 31004,
  CONN_USER_BLOCKED: 31009,
  DISCONN_KICK: 31010,
  CLIENT_NOT_INIT: 33001,
  CONNECT_TIMEOUT: 34006,
  SIGHT_DURATION_LIMIT: 34002,
  GIF_SIZE_LIMIT: 34003,
  FILE_EMPTY: 34018,
  NOT_MEDIA_MESSAGE: 34223,
  INVALID_MESSAGE_ID: 34204,
  MESSAGE_CANT_EXPAND: 34008,
  EXPANSION_SIZE_LIMIT_EXCEED: 34010,
  INVALID_LOCAL_PATH: 34234,
  INVALID_MEDIA_URL: 34235,
  RECALL_PARAMETER_INVALID: 25101,
  RECALL_USER_INVALID: 25107,
};

/** Do-not-disturb levels (MENTION, MENTION_USERS, MENTION_ALL, BLOCKED): left out of
 * getUnreadCountByConversationTypes unless `contain`. */
const isMuted = (level) => level >= 2 && level <= 5;

/** A non-empty list of known conversation types. */
const typesOk = (types) =>
  types.length > 0 && types.every((t) => Number.isInteger(t) && t >= 1 && t <= 5);

/** Message types that never count as unread. */
const NOT_COUNTED = new Set([
  MessageType.RECALL,
  MessageType.COMMAND,
  MessageType.COMMAND_NOTIFICATION,
]);

/** Message types sent with sendMediaMessage (a file to upload). */
const MEDIA_TYPES = new Set([
  MessageType.VOICE,
  MessageType.IMAGE,
  MessageType.FILE,
  MessageType.SIGHT,
  MessageType.GIF,
]);

/** Whether a message is kept in the local store (R071-R075; custom messages: their policy). */
function isStored(m) {
  if (m.messageType === MessageType.COMMAND) return false;
  if (m.messageType === MessageType.CUSTOM) {
    return m.policy === CustomMessagePolicy.NORMAL || m.policy === CustomMessagePolicy.STORAGE;
  }
  return true;
}

/** Whether a received message counts as unread. */
function isCounted(m) {
  if (m.messageType === MessageType.CUSTOM) return m.policy === CustomMessagePolicy.NORMAL;
  return !NOT_COUNTED.has(m.messageType);
}

/** channelId: at most 20 characters (R079). */
const channelIdOk = (channelId) =>
  channelId === null || channelId === undefined || channelId.length <= 20;

/** Whether `v` fits a parameter kind of a method's `args` spec. */
function typeOk(kind, v) {
  switch (kind) {
    case 'string':
      return typeof v === 'string';
    case 'string?':
      return v === null || v === undefined || typeof v === 'string';
    case 'number':
      return typeof v === 'number' && Number.isFinite(v);
    case 'boolean':
      return typeof v === 'boolean';
    case 'object':
      return v !== null && typeof v === 'object' && !Array.isArray(v);
    case 'array':
      return Array.isArray(v);
    case 'count20':
      return typeof v === 'number' && v > 0 && v <= 20;
    case 'count50':
      return typeof v === 'number' && v > 0 && v <= 50;
    default:
      return true;
  }
}

/** Parameter specs shared by several methods. */
const Args = {
  conversation: { type: 'number', targetId: 'string', channelId: 'string?' },
  types: { conversationTypes: 'array', channelId: 'string?' },
};

module.exports = {
  Args,
  Code,
  ConnectionStatus,
  ConversationType,
  CustomMessagePolicy,
  Direction,
  MAX_RECEIVED_STATUS,
  MAX_SENT_STATUS,
  MEDIA_TYPES,
  MentionedType,
  MessageOperationPolicy,
  MessageType,
  NOT_COUNTED,
  PushNotificationLevel,
  ReceivedStatus,
  SentStatus,
  TimeOrder,
  channelIdOk,
  isCounted,
  isMuted,
  isStored,
  typeOk,
  typesOk,
};
