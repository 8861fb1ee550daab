'use strict';
/**
 * Unread state: per conversation, in total, by conversation types, clearing, first unread,
 * and the unread @-mentions of the user (group messages whose mentionedInfo names them or
 * everyone).
 */
const {
  Args,
  Code,
  ConversationType,
  PushNotificationLevel,
  ReceivedStatus,
  isDnd,
  typesOk,
} = require('../constants');
const { convKey, loadAndGet, pick } = require('../core');

module.exports = function unreadMethods(core) {
  const { emit, engineStore, messagesOf, isUnread, isUnreadMention, refreshConversation } = core;
  const unreadMentions = (e, a) => {
    const st = engineStore(e);
    return messagesOf(st, a.type, a.targetId, a.channelId)
      .filter((m) => isUnreadMention(st, m))
      .sort((x, y) => x.sentTime - y.sentTime);
  };
  return {
    ...loadAndGet('UnreadCount', {
      args: Args.conversation,
      run(e, a, id) {
        const c = engineStore(e).conversations.get(convKey(a.type, a.targetId, a.channelId));
        emit(
          e,
          'onUnreadCountLoaded',
          { code: 0, ...pick(a, 'type targetId channelId'), count: c ? c.unreadCount : 0 },
          id
        );
        return 0;
      },
    }),
    ...loadAndGet('TotalUnreadCount', {
      args: { channelId: 'string?' },
      run(e, a, id) {
        let count = 0;
        for (const c of engineStore(e).conversations.values()) {
          if (c.conversationType !== ConversationType.CHATROOM) count += c.unreadCount;
        }
        emit(e, 'onTotalUnreadCountLoaded', { code: 0, channelId: a.channelId, count }, id);
        return 0;
      },
    }),
    clearUnreadCount: {
      args: { ...Args.conversation, timestamp: 'number' },
      run(e, a, id) {
        const st = engineStore(e);
        const key = convKey(a.type, a.targetId, a.channelId);
        for (const m of st.messages) {
          if (convKey(m.conversationType, m.targetId, m.channelId) !== key) continue;
          if (a.timestamp === 0 || m.sentTime <= a.timestamp) {
            m.receivedStatus = ReceivedStatus.READ;
          }
        }
        const c = st.conversations.get(key);
        if (c) refreshConversation(st, c);
        emit(
          e,
          'onUnreadCountCleared',
          { code: 0, ...pick(a, 'type targetId channelId timestamp') },
          id
        );
        return 0;
      },
    },
    ...loadAndGet('UnreadCountByConversationTypes', {
      args: { ...Args.types, contain: 'boolean' },
      run(e, a, id) {
        const types = a.conversationTypes;
        if (!typesOk(types)) return Code.PARAM_ERROR;
        let count = 0;
        const st = engineStore(e);
        const typeLevels = st.settings ? st.settings.typeLevels : new Map();
        for (const c of st.conversations.values()) {
          if (
            !types.includes(c.conversationType) ||
            c.conversationType === ConversationType.CHATROOM
          ) {
            continue;
          }
          if (c.channelId !== (a.channelId || '')) continue;
          const typeLevel = typeLevels.get(c.conversationType) ?? PushNotificationLevel.NONE;
          if (!a.contain && isDnd(c.notificationLevel, typeLevel)) continue;
          count += c.unreadCount;
        }
        emit(
          e,
          'onUnreadCountByConversationTypesLoaded',
          { code: 0, ...pick(a, 'conversationTypes channelId contain'), count },
          id
        );
        return 0;
      },
    }),
    ...loadAndGet('UnreadMentionedCount', {
      args: Args.conversation,
      run(e, a, id) {
        if (a.type === ConversationType.CHATROOM) return Code.PARAM_ERROR;
        emit(
          e,
          'onUnreadMentionedCountLoaded',
          { code: 0, ...pick(a, 'type targetId channelId'), count: unreadMentions(e, a).length },
          id
        );
        return 0;
      },
    }),
    ...loadAndGet('UnreadMentionedMessages', {
      args: Args.conversation,
      run(e, a, id) {
        emit(
          e,
          'onUnreadMentionedMessagesLoaded',
          { code: 0, ...pick(a, 'type targetId channelId'), messages: unreadMentions(e, a) },
          id
        );
        return 0;
      },
    }),
    ...loadAndGet('FirstUnreadMessage', {
      args: Args.conversation,
      run(e, a, id) {
        const first = messagesOf(engineStore(e), a.type, a.targetId, a.channelId)
          .filter(isUnread)
          .sort((x, y) => x.sentTime - y.sentTime)[0];
        emit(
          e,
          'onFirstUnreadMessageLoaded',
          { code: 0, ...pick(a, 'type targetId channelId'), message: first || null },
          id
        );
        return 0;
      },
    }),
  };
};
