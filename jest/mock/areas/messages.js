'use strict';
/**
 * Messages: create (text, reference, custom, location; media ones are in media.js), send
 * (attached → sent, then delivered to the other users; queued while offline; a directed group
 * message reaches only the named members; a private one to a user who blacklisted the sender
 * fails with 405), local history,
 * lookup by id and by uid, and the message count of a conversation.
 */
const {
  Args,
  Code,
  ConversationType,
  MEDIA_TYPES,
  MessageType,
  SentStatus,
  TimeOrder,
  channelIdOk,
  isStored,
} = require('../constants');
const { clone, convKey, draftMessage, loadAndGet, pick } = require('../core');

/** Types sendMessage refuses with PARAM_ERROR: media (sendMediaMessage) and received-only ones. */
const notForSendMessage = (type) =>
  MEDIA_TYPES.has(type) || type === MessageType.RECALL || type === MessageType.UNKNOWN;

/** A create entry: argument spec plus the fields of the message built from them. */
const creator = (messageType, args, fields) => ({
  args: { ...Args.conversation, ...args },
  run(e, a) {
    if (!channelIdOk(a.channelId)) return Code.PARAM_ERROR;
    return { code: 0, value: draftMessage(a, messageType, fields(a)) };
  },
});

module.exports = function messageMethods(core) {
  const { s, emit, engineStore, conversationOf, messagesOf, refreshConversation } = core;

  /** Whether the peer of a private message has blacklisted its sender (the send fails, 405). */
  function blockedByPeer(e, m) {
    if (m.conversationType !== ConversationType.PRIVATE) return false;
    const peer = core.store(e.appKey, m.targetId);
    return !!(peer.settings && peer.settings.blacklist.includes(e.userId));
  }

  /**
   * A send entry: stored and attached at once (`attached` event), sent when online (queued
   * while the connection is down; `sent` event), then delivered to the users `recipients(a)`
   * names (undefined: the conversation's members).
   */
  function sender(attached, sent, recipients) {
    const fail = (e, id, m, code) => {
      m.sentStatus = SentStatus.FAILED;
      emit(e, sent, { code, message: m }, id);
    };
    return {
      args: { message: 'object' },
      queued: true,
      check: (e, a) =>
        notForSendMessage(a.message.messageType) || !channelIdOk(a.message.channelId)
          ? Code.PARAM_ERROR
          : 0,
      prepare(e, a, id) {
        const m = core.attach(e, a.message);
        emit(e, attached, { message: m }, id);
        return m;
      },
      run(e, a, id, m) {
        if (blockedByPeer(e, m)) return fail(e, id, m, Code.REJECTED_BY_BLACKLIST);
        if (m.conversationType === ConversationType.CHATROOM) {
          m.messageUId = m.messageUId || `MOCK-${s.nextUId++}`;
          const refused = core.chatrooms.accept(e, m);
          if (refused) return fail(e, id, m, refused);
        }
        const st = engineStore(e);
        m.sentStatus = SentStatus.SENT;
        m.messageUId = m.messageUId || `MOCK-${s.nextUId++}`;
        if (isStored(m) && m.conversationType !== ConversationType.CHATROOM) {
          refreshConversation(st, conversationOf(st, m));
        }
        emit(e, sent, { code: 0, message: m }, id);
        core.deliver(e, m, recipients(a));
      },
      // The session ended (kicked, refused, timed out) before it went out.
      fail: (e, a, id, m, code) => fail(e, id, m, code),
    };
  }

  return {
    createTextMessage: creator(MessageType.TEXT, { text: 'string' }, (a) => ({ text: a.text })),
    createReferenceMessage: creator(
      MessageType.REFERENCE,
      { referenceMessage: 'object', text: 'string' },
      (a) => ({ text: a.text, referenceMessage: clone(a.referenceMessage) })
    ),
    createCustomMessage: creator(
      MessageType.CUSTOM,
      { policy: 'number', messageIdentifier: 'string', fields: 'object' },
      (a) => ({ identifier: a.messageIdentifier, policy: a.policy, fields: clone(a.fields) })
    ),
    createLocationMessage: creator(
      MessageType.LOCATION,
      { longitude: 'number', latitude: 'number', poiName: 'string', thumbnailPath: 'string' },
      (a) => pick(a, 'longitude latitude poiName thumbnailPath')
    ),
    sendMessage: sender('onMessageAttached', 'onMessageSent', () => undefined),
    sendGroupMessageToDesignatedUsers: {
      ...sender(
        'onGroupMessageToDesignatedUsersAttached',
        'onGroupMessageToDesignatedUsersSent',
        (a) => a.userIds
      ),
      args: { message: 'object', userIds: 'array' },
      check: (e, a) =>
        a.message.conversationType !== ConversationType.GROUP ||
        notForSendMessage(a.message.messageType) ||
        a.userIds.length === 0 ||
        a.userIds.some((u) => typeof u !== 'string' || u === '')
          ? Code.PARAM_ERROR
          : 0,
    },
    ...loadAndGet('Messages', {
      args: {
        ...Args.conversation,
        sentTime: 'number',
        order: 'number',
        policy: 'number',
        count: 'count20',
      },
      run(e, a, id) {
        const st = engineStore(e);
        const key = convKey(a.type, a.targetId, a.channelId);
        let msgs = st.messages.filter(
          (m) => convKey(m.conversationType, m.targetId, m.channelId) === key
        );
        if (a.order === TimeOrder.AFTER) {
          msgs = msgs.filter((m) => m.sentTime > a.sentTime).slice(0, a.count);
        } else {
          const ref = a.sentTime > 0 ? a.sentTime : Infinity;
          msgs = msgs
            .filter((m) => m.sentTime < ref)
            .reverse()
            .slice(0, a.count);
        }
        emit(
          e,
          'onMessagesLoaded',
          { code: 0, ...pick(a, 'type targetId channelId sentTime order'), messages: msgs },
          id
        );
        return 0;
      },
    }),
    // The reply is the whole answer, as from the engine: the message, 34204 for an unknown
    // id, 33001 before the engine has connected once.
    getMessageById: {
      args: { messageId: 'number' },
      run(e, a) {
        if (!e.userId) return Code.CLIENT_NOT_INIT;
        const m = engineStore(e).messages.find((x) => x.messageId === a.messageId);
        return m ? { code: 0, value: clone(m) } : Code.INVALID_MESSAGE_ID;
      },
    },
    // As getMessageById, by server id: 34204 for an unknown uid, 1 for an empty one.
    getMessageByUId: {
      args: { messageUId: 'string' },
      run(e, a) {
        if (a.messageUId === '') return Code.PARAM_ERROR;
        if (!e.userId) return Code.CLIENT_NOT_INIT;
        const m = engineStore(e).messages.find((x) => x.messageUId === a.messageUId);
        return m ? { code: 0, value: clone(m) } : Code.INVALID_MESSAGE_ID;
      },
    },
    ...loadAndGet('MessageCount', {
      args: Args.conversation,
      run(e, a, id) {
        const count = messagesOf(engineStore(e), a.type, a.targetId, a.channelId).length;
        emit(
          e,
          'onMessageCountLoaded',
          { code: 0, ...pick(a, 'type targetId channelId'), count },
          id
        );
        return 0;
      },
    }),
  };
};
