'use strict';
/** Drafts: saving one creates the conversation and moves it up the list; clearing undoes it. */
const { Args } = require('../constants');
const { convKey, loadAndGet, pick } = require('../core');

module.exports = function draftMethods({ now, emit, engineStore, conversationOf }) {
  /** Clears a draft; a conversation that only existed for its draft leaves the list. */
  function clearDraft(st, key) {
    const c = st.conversations.get(key);
    st.draftTimes.delete(key);
    if (!c) return;
    c.draft = '';
    if (!c.lastMessage && !c.top && c.unreadCount === 0) st.conversations.delete(key);
  }

  return {
    saveDraftMessage: {
      args: { ...Args.conversation, draft: 'string' },
      run(e, a, id) {
        const st = engineStore(e);
        const key = convKey(a.type, a.targetId, a.channelId);
        if (a.draft === '') {
          clearDraft(st, key);
        } else {
          const c = conversationOf(st, {
            conversationType: a.type,
            targetId: a.targetId,
            channelId: a.channelId,
          });
          c.draft = a.draft;
          st.draftTimes.set(key, now());
        }
        emit(
          e,
          'onDraftMessageSaved',
          { code: 0, ...pick(a, 'type targetId channelId draft') },
          id
        );
        return 0;
      },
    },
    ...loadAndGet('DraftMessage', {
      args: Args.conversation,
      run(e, a, id) {
        const c = engineStore(e).conversations.get(convKey(a.type, a.targetId, a.channelId));
        emit(
          e,
          'onDraftMessageLoaded',
          { code: 0, ...pick(a, 'type targetId channelId'), draft: c ? c.draft : '' },
          id
        );
        return 0;
      },
    }),
    clearDraftMessage: {
      args: Args.conversation,
      run(e, a, id) {
        clearDraft(engineStore(e), convKey(a.type, a.targetId, a.channelId));
        emit(e, 'onDraftMessageCleared', { code: 0, ...pick(a, 'type targetId channelId') }, id);
        return 0;
      },
    },
  };
};
