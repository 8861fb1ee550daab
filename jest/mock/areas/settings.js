'use strict';
/**
 * Conversation settings: pin (top status) and notification level, with the pinned and
 * do-not-disturb lists. A pin or level change reaches the user's other connected engines
 * (onConversationTopStatusSynced, with the pin state). Changes are queued while offline.
 */
const {
  Args,
  Code,
  ConversationType,
  PushNotificationLevel,
  isMuted,
  typesOk,
} = require('../constants');
const { convKey, loadAndGet, pick, reported } = require('../core');

module.exports = function settingMethods(core) {
  const { emit, engineStore, conversationOf } = core;

  /** Argument errors of a setting change (`top` or `level`), found before it is queued. */
  function checkSetting(a, field) {
    if (a.type === ConversationType.CHATROOM || !(a.type >= 1 && a.type <= 5) || !a.targetId) {
      return Code.PARAM_ERROR;
    }
    if (field === 'level' && !(Number.isInteger(a.level) && a.level >= 0 && a.level <= 5)) {
      return Code.PARAM_ERROR;
    }
    return 0;
  }

  /** Applies a setting change (`top` or `level`) for `e`'s user. */
  function changeSetting(e, a, id, field, event) {
    const args = pick(a, `type targetId channelId ${field}`);
    args.channelId = args.channelId || '';
    const st = engineStore(e);
    const key = convKey(a.type, a.targetId, a.channelId);
    // A conversation a setting creates is listed at the time of the setting (the engine's).
    if (!st.conversations.has(key)) st.settingTimes.set(key, core.now());
    const c = conversationOf(st, {
      conversationType: a.type,
      targetId: a.targetId,
      channelId: a.channelId,
    });
    if (field === 'top') c.top = a.top;
    else c.notificationLevel = a.level;
    // A level change has no synced listener of its own: it is announced with the pin state.
    for (const other of core.connectedEngines(e.appKey, e.userId)) {
      if (other === e) continue;
      emit(other, 'onConversationTopStatusSynced', {
        type: a.type,
        targetId: a.targetId,
        channelId: args.channelId,
        top: c.top,
      });
    }
    emit(e, event, { code: 0, ...args }, id);
  }

  /** The conversations of the given types (and channel) that `keep` selects. */
  function conversationList(e, a, id, keep, event) {
    if (!typesOk(a.conversationTypes)) return Code.PARAM_ERROR;
    const types = new Set(a.conversationTypes);
    const st = engineStore(e);
    const conversations = [...st.conversations.values()]
      .filter(
        (c) => types.has(c.conversationType) && c.channelId === (a.channelId || '') && keep(c)
      )
      .map((c) => reported(st, c));
    emit(e, event, { code: 0, ...pick(a, 'conversationTypes channelId'), conversations }, id);
    return 0;
  }

  const find = (e, a) => engineStore(e).conversations.get(convKey(a.type, a.targetId, a.channelId));

  return {
    changeConversationTopStatus: {
      args: { ...Args.conversation, top: 'boolean' },
      queued: true,
      check: (e, a) => checkSetting(a, 'top'),
      run: (e, a, id) => changeSetting(e, a, id, 'top', 'onConversationTopStatusChanged'),
    },
    ...loadAndGet('ConversationTopStatus', {
      args: Args.conversation,
      run(e, a, id) {
        const c = find(e, a);
        const top = Boolean(c && c.top);
        emit(
          e,
          'onConversationTopStatusLoaded',
          { code: 0, ...pick(a, 'type targetId channelId'), top },
          id
        );
        return 0;
      },
    }),
    ...loadAndGet('TopConversations', {
      args: Args.types,
      run: (e, a, id) => conversationList(e, a, id, (c) => c.top, 'onTopConversationsLoaded'),
    }),
    changeConversationNotificationLevel: {
      args: { ...Args.conversation, level: 'number' },
      queued: true,
      check: (e, a) => checkSetting(a, 'level'),
      run: (e, a, id) => changeSetting(e, a, id, 'level', 'onConversationNotificationLevelChanged'),
    },
    ...loadAndGet('ConversationNotificationLevel', {
      args: Args.conversation,
      run(e, a, id) {
        const c = find(e, a);
        const level = c ? c.notificationLevel : PushNotificationLevel.NONE;
        emit(
          e,
          'onConversationNotificationLevelLoaded',
          { code: 0, ...pick(a, 'type targetId channelId'), level },
          id
        );
        return 0;
      },
    }),
    ...loadAndGet('BlockedConversations', {
      args: Args.types,
      run: (e, a, id) =>
        conversationList(
          e,
          a,
          id,
          (c) => isMuted(c.notificationLevel),
          'onBlockedConversationsLoaded'
        ),
    }),
  };
};
