'use strict';
/**
 * Conversations: the list (pinned first, then by last message or draft time), one, remove one,
 * remove every conversation of some types (with their messages).
 */
const { Args, Code, typesOk } = require('../constants');
const { convKey, loadAndGet, pick, reported } = require('../core');

const keyOf = (c) => [c.conversationType, c.targetId, c.channelId || ''];

/** The engine's list order: pinned first, then by `operationTime` descending, ties by key. */
function inListOrder(x, y) {
  if (x.top !== y.top) return x.top ? -1 : 1;
  if (x.operationTime !== y.operationTime) return y.operationTime - x.operationTime;
  const [kx, ky] = [keyOf(x), keyOf(y)];
  for (let i = 0; i < 3; i++) if (kx[i] !== ky[i]) return kx[i] < ky[i] ? -1 : 1;
  return 0;
}

/**
 * The rest of `list` (in list order) after the page that ended at `startTime`, as the engine
 * finds it (rust/store/src/conversations.rs): after the last conversation whose
 * `lastMessage.sentTime` or `operationTime` is `startTime` (never an earlier one of the same
 * time: a repeat is worse than a skip); else after where the conversation owning the newest
 * stored message of that time would be; else every conversation older than it, pinned first.
 */
function pageAfter(st, types, list, startTime) {
  if (!(startTime > 0)) return list;
  let end = -1;
  list.forEach((c, i) => {
    if (c.operationTime === startTime || c.lastMessage?.sentTime === startTime) end = i;
  });
  if (end >= 0) return list.slice(end + 1);
  const owner = st.messages
    .filter((m) => m.sentTime === startTime && types.has(m.conversationType))
    .map((m) => list.find((c) => convKey(...keyOf(c)) === convKey(...keyOf(m))))
    .filter(Boolean)
    .pop();
  if (owner) {
    const at = { ...owner, operationTime: startTime };
    return list.filter((c) => inListOrder(c, at) > 0);
  }
  return list.filter((c) => c.operationTime < startTime);
}

module.exports = function conversationMethods({ emit, engineStore }) {
  return {
    ...loadAndGet('Conversations', {
      args: { ...Args.types, startTime: 'number', count: 'count50' },
      run(e, a, id) {
        const st = engineStore(e);
        const types = new Set(a.conversationTypes);
        const list = [...st.conversations.values()]
          .filter((c) => types.has(c.conversationType) && (c.lastMessage || c.draft || c.top))
          .map((c) => reported(st, c))
          .sort(inListOrder);
        emit(
          e,
          'onConversationsLoaded',
          {
            code: 0,
            ...pick(a, 'conversationTypes channelId startTime count'),
            conversations: pageAfter(st, types, list, a.startTime).slice(0, a.count),
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
          {
            code: 0,
            ...pick(a, 'type targetId channelId'),
            conversation: reported(engineStore(e), c) || null,
          },
          id
        );
        return 0;
      },
    }),
    removeConversation: {
      args: Args.conversation,
      run(e, a, id) {
        const st = engineStore(e);
        const key = convKey(a.type, a.targetId, a.channelId);
        st.conversations.delete(key);
        st.settingTimes.delete(key);
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
