'use strict';
/**
 * Editing the local store: insert (one, or a batch of up to 500 all or nothing; private,
 * group and system chats; outgoing ones are SENT, incoming ones keep their receivedStatus,
 * UNREAD by default), delete (locally, or also
 * "on the server": every engine of the user shares the store, as the user's devices follow a
 * remote deletion), clear a conversation up to a time (R111 bounds), and the sent / received
 * status edits.
 */
const {
  Args,
  Code,
  ConversationType,
  Direction,
  MAX_RECEIVED_STATUS,
  MAX_SENT_STATUS,
  MessageOperationPolicy,
  MessageType,
  ReceivedStatus,
  SentStatus,
  channelIdOk,
  isStored,
} = require('../constants');
const { clone, convKey, pick } = require('../core');

/** insertMessages takes at most this many messages (the engine's bound; 10 is recommended). */
const MAX_INSERT = 500;
/** deleteLocalMessages / deleteMessages take at most this many (the server's bound). */
const MAX_DELETE = 100;

/** Conversation types messages can be inserted into. */
const INSERT_TYPES = [ConversationType.PRIVATE, ConversationType.GROUP, ConversationType.SYSTEM];

/** Whether `m` can be inserted: a storable message of a private/group/system chat (R099). */
function insertable(m) {
  if (!m || typeof m !== 'object' || Array.isArray(m)) return false;
  if (!INSERT_TYPES.includes(m.conversationType)) return false;
  if (typeof m.targetId !== 'string' || m.targetId === '' || !channelIdOk(m.channelId)) {
    return false;
  }
  if (m.messageType === MessageType.RECALL || m.messageType === MessageType.UNKNOWN) return false;
  return Number.isInteger(m.messageType) && isStored(m);
}

module.exports = function storageMethods(core) {
  const { s, now, emit, engineStore, conversationOf, refreshConversation, storeMessage } = core;

  /** The stored copy of an inserted message (R100, R101: default = an outgoing sent one). */
  function inserted(e, message) {
    const incoming = message.direction === Direction.RECEIVE;
    const m = {
      ...clone(message),
      messageId: s.nextMessageId++,
      direction: incoming ? Direction.RECEIVE : Direction.SEND,
      sentTime: message.sentTime > 0 ? message.sentTime : now(),
      channelId: message.channelId || '',
    };
    delete m.messageUId;
    if (incoming) {
      m.sentStatus = SentStatus.SENT;
      m.receivedStatus = message.receivedStatus ?? ReceivedStatus.UNREAD;
      if (!m.senderUserId) m.senderUserId = m.targetId;
    } else {
      m.sentStatus = SentStatus.SENT;
      m.receivedStatus = ReceivedStatus.READ;
      m.senderUserId = e.userId;
    }
    return storeMessage(engineStore(e), m);
  }

  /** Removes the stored messages with these messageIds (of one conversation when `key`). */
  function remove(st, ids, key) {
    const gone = st.messages.filter(
      (m) =>
        ids.has(m.messageId) &&
        (!key || convKey(m.conversationType, m.targetId, m.channelId) === key)
    );
    st.messages = st.messages.filter((m) => !gone.includes(m));
    for (const m of gone) refreshConversation(st, conversationOf(st, m));
    return gone;
  }

  /** The messageIds of a list of 1..100 messages (null when one has none). */
  function idsOf(messages) {
    if (messages.length === 0 || messages.length > MAX_DELETE) return null;
    const ids = new Set();
    for (const m of messages) {
      if (!m || !Number.isInteger(m.messageId) || m.messageId <= 0) return null;
      ids.add(m.messageId);
    }
    return ids;
  }

  /** A status edit of a stored message: 34204 (in the event) for an unknown messageId. */
  const statusEdit = (listener, field, max) => ({
    args: { messageId: 'number', [field]: 'number' },
    run(e, a, id) {
      if (!Number.isInteger(a[field]) || a[field] < 0 || a[field] > max) return Code.PARAM_ERROR;
      if (!e.userId) return Code.CLIENT_NOT_INIT;
      const st = engineStore(e);
      const m = st.messages.find((x) => x.messageId === a.messageId);
      if (m) {
        m[field] = a[field];
        refreshConversation(st, conversationOf(st, m));
      }
      const code = m ? 0 : Code.INVALID_MESSAGE_ID;
      emit(e, listener, { code, messageId: a.messageId }, id);
      return 0;
    },
  });

  return {
    insertMessage: {
      args: { message: 'object' },
      run(e, a, id) {
        if (!insertable(a.message)) return Code.PARAM_ERROR;
        if (!e.userId) return Code.CLIENT_NOT_INIT;
        emit(e, 'onMessageInserted', { code: 0, message: inserted(e, a.message) }, id);
        return 0;
      },
    },
    // All or nothing: one message that cannot be inserted refuses the whole batch.
    insertMessages: {
      args: { messages: 'array' },
      run(e, a, id) {
        const list = a.messages;
        if (list.length === 0 || list.length > MAX_INSERT || !list.every(insertable)) {
          return Code.PARAM_ERROR;
        }
        if (!e.userId) return Code.CLIENT_NOT_INIT;
        const messages = list.map((m) => inserted(e, m));
        emit(e, 'onMessagesInserted', { code: 0, messages }, id);
        return 0;
      },
    },
    deleteLocalMessages: {
      args: { messages: 'array' },
      run(e, a, id) {
        const ids = idsOf(a.messages);
        if (!ids) return Code.PARAM_ERROR;
        if (!e.userId) return Code.CLIENT_NOT_INIT;
        remove(engineStore(e), ids);
        emit(e, 'onLocalMessagesDeleted', { code: 0, messages: a.messages }, id);
        return 0;
      },
    },
    // Local and remote: the user's store is shared by their engines (their devices follow).
    deleteMessages: {
      args: { ...Args.conversation, messages: 'array' },
      queued: true,
      // Every message must belong to the conversation named by the call.
      check(e, a) {
        const key = convKey(a.type, a.targetId, a.channelId);
        const elsewhere = a.messages.some(
          (m) => convKey(m.conversationType, m.targetId, m.channelId) !== key
        );
        return !idsOf(a.messages) || elsewhere || !channelIdOk(a.channelId) ? Code.PARAM_ERROR : 0;
      },
      run(e, a, id) {
        remove(engineStore(e), idsOf(a.messages), convKey(a.type, a.targetId, a.channelId));
        emit(
          e,
          'onMessagesDeleted',
          { code: 0, ...pick(a, 'type targetId channelId messages') },
          id
        );
      },
    },
    // R111: 0 <= timestamp <= sentTime of the conversation's last message; 0 clears all.
    // REMOTE / LOCAL_REMOTE need a live session (33001), as they reach the server.
    clearMessages: {
      args: { ...Args.conversation, timestamp: 'number', policy: 'number' },
      run(e, a, id) {
        if (![0, 1, 2].includes(a.policy) || a.timestamp < 0) return Code.PARAM_ERROR;
        if (!e.userId) return Code.CLIENT_NOT_INIT;
        const st = engineStore(e);
        const key = convKey(a.type, a.targetId, a.channelId);
        const c = st.conversations.get(key);
        const last = c && c.lastMessage ? c.lastMessage.sentTime : 0;
        if (a.timestamp > last) return Code.PARAM_ERROR;
        if (a.policy !== MessageOperationPolicy.LOCAL && !e.connected) {
          return Code.CLIENT_NOT_INIT;
        }
        const ids = new Set(
          st.messages
            .filter(
              (m) =>
                convKey(m.conversationType, m.targetId, m.channelId) === key &&
                (a.timestamp === 0 || m.sentTime <= a.timestamp)
            )
            .map((m) => m.messageId)
        );
        remove(st, ids, key);
        emit(
          e,
          'onMessagesCleared',
          { code: 0, ...pick(a, 'type targetId channelId timestamp') },
          id
        );
        return 0;
      },
    },
    changeMessageSentStatus: statusEdit(
      'onMessageSentStatusChanged',
      'sentStatus',
      MAX_SENT_STATUS
    ),
    changeMessageReceiveStatus: statusEdit(
      'onMessageReceiveStatusChanged',
      'receivedStatus',
      MAX_RECEIVED_STATUS
    ),
  };
};
