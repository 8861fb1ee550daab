'use strict';
/**
 * Messages: create, send (attached → sent, then delivered to the other users; queued while
 * offline), local history, lookup by id and the message count of a conversation.
 */
const {
  Args,
  Code,
  Direction,
  MessageType,
  ReceivedStatus,
  SentStatus,
  TimeOrder,
} = require('../constants');
const { clone, convKey, loadAndGet, pick } = require('../core');

module.exports = function messageMethods(core) {
  const { s, now, emit, engineStore, conversationOf, messagesOf, refreshConversation } = core;
  return {
    createTextMessage: {
      args: { ...Args.conversation, text: 'string' },
      run(e, a) {
        return {
          code: 0,
          value: {
            conversationType: a.type,
            messageType: MessageType.TEXT,
            targetId: a.targetId,
            channelId: a.channelId || '',
            direction: Direction.SEND,
            sentStatus: SentStatus.SENDING,
            receivedStatus: ReceivedStatus.UNREAD,
            text: a.text,
          },
        };
      },
    },
    sendMessage: {
      args: { message: 'object' },
      queued: true,
      // Stored and attached at once; sent when online (queued while the connection is down).
      prepare(e, a, id) {
        const st = engineStore(e);
        let m = a.message.messageId
          ? st.messages.find((x) => x.messageId === a.message.messageId)
          : null;
        if (!m) {
          m = {
            ...clone(a.message),
            messageId: s.nextMessageId++,
            senderUserId: e.userId,
            direction: Direction.SEND,
            sentStatus: SentStatus.SENDING,
            sentTime: now(),
          };
          if (m.channelId === undefined || m.channelId === null) m.channelId = '';
          core.storeMessage(st, m);
        }
        emit(e, 'onMessageAttached', { message: m }, id);
        return m;
      },
      run(e, a, id, m) {
        const st = engineStore(e);
        m.sentStatus = SentStatus.SENT;
        m.messageUId = m.messageUId || `MOCK-${s.nextUId++}`;
        refreshConversation(st, conversationOf(st, m));
        emit(e, 'onMessageSent', { code: 0, message: m }, id);
        core.deliver(e, m);
      },
      // The session ended (kicked, refused, timed out) before it went out.
      fail(e, a, id, m, code) {
        m.sentStatus = SentStatus.FAILED;
        emit(e, 'onMessageSent', { code, message: m }, id);
      },
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
