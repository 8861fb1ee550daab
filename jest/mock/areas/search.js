'use strict';
/**
 * Local search: text messages by substring (in one conversation, within a time range with an
 * offset, or across conversations with a count per conversation), or one sender's messages;
 * newest first.
 */
const { Args, Code, ConversationType, MessageType, typesOk } = require('../constants');
const { pick, reported } = require('../core');

/** Whether a message's text contains `keyword` (case-insensitive, any script). */
const textHas = (m, keyword) =>
  typeof m.text === 'string' && m.text.toLowerCase().includes(keyword.toLowerCase());

/** Message types searchConversations accepts (RCIMIWMessageType values). */
const messageTypesOk = (types) =>
  types.length > 0 &&
  types.every((t) => Number.isInteger(t) && t >= MessageType.UNKNOWN && t <= MessageType.LOCATION);

module.exports = function searchMethods({ emit, engineStore, messagesOf }) {
  return {
    searchMessagesByTimeRange: {
      args: {
        ...Args.conversation,
        keyword: 'string',
        startTime: 'number',
        endTime: 'number',
        offset: 'number',
        count: 'count50',
      },
      run(e, a, id) {
        if (a.keyword === '' || a.type === ConversationType.CHATROOM) return Code.PARAM_ERROR;
        if (a.startTime < 0 || a.endTime < a.startTime || a.offset < 0) return Code.PARAM_ERROR;
        const messages = messagesOf(engineStore(e), a.type, a.targetId, a.channelId)
          .filter(
            (m) => textHas(m, a.keyword) && m.sentTime >= a.startTime && m.sentTime <= a.endTime
          )
          .sort((x, y) => y.sentTime - x.sentTime)
          .slice(a.offset, a.offset + a.count);
        emit(
          e,
          'onMessagesSearchedByTimeRange',
          {
            code: 0,
            ...pick(a, 'type targetId channelId keyword startTime endTime offset count'),
            messages,
          },
          id
        );
        return 0;
      },
    },
    searchConversations: {
      args: { ...Args.types, messageTypes: 'array', keyword: 'string' },
      run(e, a, id) {
        if (a.keyword === '' || !typesOk(a.conversationTypes)) return Code.PARAM_ERROR;
        if (!messageTypesOk(a.messageTypes)) return Code.PARAM_ERROR;
        const st = engineStore(e);
        const conversations = [];
        for (const c of st.conversations.values()) {
          if (!a.conversationTypes.includes(c.conversationType)) continue;
          if (c.channelId !== (a.channelId || '')) continue;
          const count = messagesOf(st, c.conversationType, c.targetId, c.channelId).filter(
            (m) => a.messageTypes.includes(m.messageType) && textHas(m, a.keyword)
          ).length;
          if (count > 0) conversations.push({ conversation: reported(st, c), count });
        }
        // Pinned first, then newest first.
        const last = (r) => (r.conversation.lastMessage ? r.conversation.lastMessage.sentTime : 0);
        conversations.sort(
          (x, y) => Number(y.conversation.top) - Number(x.conversation.top) || last(y) - last(x)
        );
        emit(
          e,
          'onConversationsSearched',
          {
            code: 0,
            ...pick(a, 'conversationTypes channelId messageTypes keyword'),
            conversations,
          },
          id
        );
        return 0;
      },
    },
    searchMessages: {
      args: { ...Args.conversation, keyword: 'string', startTime: 'number', count: 'count50' },
      run(e, a, id) {
        if (a.keyword === '' || a.type === ConversationType.CHATROOM) return Code.PARAM_ERROR;
        const messages = messagesOf(engineStore(e), a.type, a.targetId, a.channelId)
          .filter((m) => textHas(m, a.keyword) && (a.startTime <= 0 || m.sentTime < a.startTime))
          .sort((x, y) => y.sentTime - x.sentTime)
          .slice(0, a.count);
        emit(
          e,
          'onMessagesSearched',
          { code: 0, ...pick(a, 'type targetId channelId keyword startTime count'), messages },
          id
        );
        return 0;
      },
    },
    searchMessagesByUserId: {
      args: { userId: 'string', ...Args.conversation, startTime: 'number', count: 'count50' },
      run(e, a, id) {
        if (a.userId === '' || a.targetId === '') return Code.PARAM_ERROR;
        const messages = messagesOf(engineStore(e), a.type, a.targetId, a.channelId)
          .filter(
            (m) => m.senderUserId === a.userId && (a.startTime <= 0 || m.sentTime < a.startTime)
          )
          .sort((x, y) => y.sentTime - x.sentTime)
          .slice(0, a.count);
        emit(
          e,
          'onMessagesSearchedByUserId',
          { code: 0, ...pick(a, 'userId type targetId channelId startTime count'), messages },
          id
        );
        return 0;
      },
    },
  };
};
