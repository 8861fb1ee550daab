'use strict';
/**
 * Conversations: the list (pinned first, then by last message or draft time), one, remove one,
 * remove every conversation of some types (with their messages).
 */
const { Args, Code, typesOk } = require('../constants');
const { convKey, loadAndGet, pick } = require('../core');

module.exports = function conversationMethods({ emit, engineStore }) {
  return {
    ...loadAndGet('Conversations', {
      args: { ...Args.types, startTime: 'number', count: 'count50' },
      run(e, a, id) {
        const st = engineStore(e);
        const types = new Set(a.conversationTypes);
        let list = [...st.conversations.values()].filter(
          (c) => types.has(c.conversationType) && (c.lastMessage || c.draft || c.top)
        );
        const time = (c) =>
          Math.max(
            c.lastMessage ? c.lastMessage.sentTime : 0,
            st.draftTimes.get(convKey(c.conversationType, c.targetId, c.channelId)) || 0
          );
        if (a.startTime > 0) list = list.filter((c) => time(c) < a.startTime);
        list.sort((x, y) => Number(y.top) - Number(x.top) || time(y) - time(x));
        emit(
          e,
          'onConversationsLoaded',
          {
            code: 0,
            ...pick(a, 'conversationTypes channelId startTime count'),
            conversations: list.slice(0, a.count),
          },
          id
        );
        return 0;
      },
    }),
    ...loadAndGet('Conversation', {
      args: Args.conversation,
      run(e, a, id) {
        const c = engineStore(e).conversations.get(convKey(a.type, a.targetId, a.channelId));
        emit(
          e,
          'onConversationLoaded',
          { code: 0, ...pick(a, 'type targetId channelId'), conversation: c || null },
          id
        );
        return 0;
      },
    }),
    removeConversation: {
      args: Args.conversation,
      run(e, a, id) {
        engineStore(e).conversations.delete(convKey(a.type, a.targetId, a.channelId));
        emit(e, 'onConversationRemoved', { code: 0, ...pick(a, 'type targetId channelId') }, id);
        return 0;
      },
    },
    removeConversations: {
      args: Args.types,
      run(e, a, id) {
        if (!typesOk(a.conversationTypes)) return Code.PARAM_ERROR;
        const st = engineStore(e);
        const types = new Set(a.conversationTypes);
        const removed = (x) => types.has(x.conversationType) && x.channelId === (a.channelId || '');
        for (const [key, c] of st.conversations) if (removed(c)) st.conversations.delete(key);
        st.messages = st.messages.filter((m) => !removed(m));
        const args = {
          code: 0,
          conversationTypes: a.conversationTypes,
          channelId: a.channelId || '',
        };
        emit(e, 'onConversationsRemoved', args, id);
        return 0;
      },
    },
  };
};
