'use strict';
/**
 * Ultra groups (R210–R244), as the mock can have them without a server: every user of the app
 * key is a member of every ultra group and every channel exists (groups and channels are
 * made through the Server API in real life). Ultra-group messages are sent with sendMessage
 * (conversation type 5; no channel = "RCDefault") and reach the other users like group
 * messages; each channel is its own conversation.
 *
 * Here: the channel conversations of a group; unread and mention counts per group and over all
 * groups (at most 999, R230); messages "from the server" by uid (any stored copy of the app
 * key stands for the server's); clearing (LOCAL deletes local messages at or before the time,
 * REMOTE hides them from this user's server answers); modify (the sender only: 34203
 * otherwise; the same message type: 1 otherwise), recall (a recall record, or deleted with
 * `deleteRemote`) and expansion (set / remove keys of a message sent with `expansion`: 34008
 * otherwise; keys as for other messages: 34010), with the remote events on the other engines;
 * read sync (the user's other engines get onUltraGroupReadTimeReceived); typing (the others
 * get onUltraGroupTypingStatusChanged at once, one entry: no batching); default notification
 * levels of a group and of a channel (NONE until set). Argument errors resolve 1 at once.
 */
const {
  Code,
  ConversationType,
  Direction,
  MessageOperationPolicy,
  MessageType,
  PushNotificationLevel,
  ReceivedStatus,
  channelIdOk,
} = require('../constants');
const { clone, loadAndGet, reported } = require('../core');

const ULTRA = ConversationType.ULTRA_GROUP;
const RC_DEFAULT = 'RCDefault';
const CAP = 999;
const MAX_BATCH = 20;
const KEY = /^[A-Za-z0-9+=_-]{1,32}$/;
const INVALID_MESSAGE_UID = 34203;
const EXPANSION_SIZE_LIMIT_EXCEED = 34010;
const TYPING_TEXT = 0;

/** A channel id as the engine reports it: "" and null are RCDefault. */
const channelOf = (channelId) => channelId || RC_DEFAULT;
const groupOk = (id) => typeof id === 'string' && id !== '' && id.length <= 64;
const levelOk = (level) => Number.isInteger(level) && level >= 0 && level <= 5;
const policyOk = (p) =>
  p === MessageOperationPolicy.LOCAL ||
  p === MessageOperationPolicy.REMOTE ||
  p === MessageOperationPolicy.LOCAL_REMOTE;

/** A local read or change: argument errors resolve at once, no session needed. */
const local = ({ args, check, run }) => ({
  args,
  run(e, a, id) {
    const bad = check(e, a);
    if (bad) return bad;
    run(e, a, id);
    return 0;
  },
});

module.exports = function ultraGroupMethods(core) {
  const { s, emit, engineStore, refreshConversation } = core;
  // appKey|group|channel ("" for the group) -> default level; appKey|user|group|channel ->
  // the time before which the user cleared the channel's server history.
  const ug = { levels: new Map(), clearedBefore: new Map() };
  core.ultragroups = {
    reset() {
      ug.levels.clear();
      ug.clearedBefore.clear();
    },
  };

  const conversationsOf = (st, group) =>
    [...st.conversations.values()].filter(
      (c) => c.conversationType === ULTRA && c.targetId === group
    );

  /** Refreshes every channel conversation of the store (after messages went or changed). */
  function refreshAll(st) {
    for (const c of st.conversations.values()) {
      if (c.conversationType === ULTRA) refreshConversation(st, c);
    }
  }

  /** Unread (or mention) count of a user's ultra groups (`group` undefined: all), capped. */
  function count(st, group, field) {
    let n = 0;
    for (const c of st.conversations.values()) {
      if (c.conversationType !== ULTRA) continue;
      if (group !== undefined && c.targetId !== group) continue;
      n += c[field];
    }
    return Math.min(n, CAP);
  }

  /** Every stored copy of message `uid` of `appKey`: [{ st, m }]. */
  function copies(appKey, uid) {
    const out = [];
    for (const [key, st] of s.stores) {
      if (!key.startsWith(`${appKey}|`)) continue;
      const m = st.messages.find((x) => x.messageUId === uid && x.conversationType === ULTRA);
      if (m) out.push({ st, m });
    }
    return out;
  }

  /** Engines other than `e` of the users holding a copy (the caller's other engines too). */
  function tellOthers(e, uid, fn) {
    for (const { st, m } of copies(e.appKey, uid)) {
      for (const other of core.connectedEngines(e.appKey, st.userId)) {
        if (other.handle !== e.handle) fn(other, clone(m));
      }
    }
  }

  /** The caller's own sent copy of `uid`, or the code that refuses changing it. */
  function ownMessage(e, uid) {
    const m = engineStore(e).messages.find(
      (x) => x.messageUId === uid && x.conversationType === ULTRA
    );
    if (!m || m.direction !== Direction.SEND || m.messageType === MessageType.RECALL) {
      return { code: INVALID_MESSAGE_UID };
    }
    return { m, code: 0 };
  }

  /** Connected engines of every other user of the app key. */
  function* otherUsersEngines(e) {
    for (const other of s.engines.values()) {
      if (
        other.alive &&
        other.connected &&
        other.appKey === e.appKey &&
        other.userId !== e.userId
      ) {
        yield other;
      }
    }
  }

  const channelConversations = local({
    args: { type: 'number', targetId: 'string' },
    check: (e, a) => (a.type === ULTRA && groupOk(a.targetId) ? 0 : Code.PARAM_ERROR),
    run(e, a, id) {
      const st = engineStore(e);
      const list = conversationsOf(st, a.targetId)
        .map((c) => reported(st, c))
        .sort((x, y) => y.operationTime - x.operationTime);
      emit(
        e,
        'onConversationsLoadedForAllChannel',
        { code: 0, type: a.type, targetId: a.targetId, conversations: clone(list) },
        id
      );
    },
  });

  const batchRemote = {
    args: { messages: 'array' },
    queued: true,
    check(e, a) {
      const ms = a.messages;
      if (ms.length === 0 || ms.length > MAX_BATCH) return Code.PARAM_ERROR;
      const first = ms[0];
      const same = ms.every(
        (m) =>
          m &&
          m.conversationType === ULTRA &&
          typeof m.messageUId === 'string' &&
          m.messageUId !== '' &&
          m.targetId === first.targetId &&
          channelOf(m.channelId) === channelOf(first.channelId)
      );
      return same ? 0 : Code.PARAM_ERROR;
    },
    run(e, a, id) {
      const matchedMessages = [];
      const notMatchedMessages = [];
      for (const m of a.messages) {
        const cleared = ug.clearedBefore.get(
          `${e.appKey}|${e.userId}|${m.targetId}|${channelOf(m.channelId)}`
        );
        const found = copies(e.appKey, m.messageUId).find(
          ({ m: x }) => cleared === undefined || x.sentTime > cleared
        );
        if (found) matchedMessages.push(clone(found.m));
        else notMatchedMessages.push(clone(m));
      }
      emit(
        e,
        'onBatchRemoteUltraGroupMessagesLoaded',
        { code: 0, matchedMessages, notMatchedMessages },
        id
      );
    },
  };

  /** Deletes the user's local messages of `group` (one channel, or all) sent at or before `t`. */
  function clearLocal(e, group, channel, t) {
    const st = engineStore(e);
    st.messages = st.messages.filter(
      (m) =>
        !(
          m.conversationType === ULTRA &&
          m.targetId === group &&
          (channel === undefined || channelOf(m.channelId) === channel) &&
          m.sentTime <= t
        )
    );
    refreshAll(st);
  }

  const clearRemote = (e, group, channel, t) =>
    ug.clearedBefore.set(`${e.appKey}|${e.userId}|${group}|${channel}`, t);

  /** Expansion change of `uid` by `e` (`change(copy)` on every copy), or its refusal code. */
  function changeExpansion(e, uid, change) {
    const m = engineStore(e).messages.find(
      (x) => x.messageUId === uid && x.conversationType === ULTRA
    );
    if (!m) return INVALID_MESSAGE_UID;
    if (m.expansion === null || typeof m.expansion !== 'object') return Code.MESSAGE_CANT_EXPAND;
    for (const { m: copy } of copies(e.appKey, uid)) {
      if (!copy.expansion) copy.expansion = {};
      change(copy);
    }
    tellOthers(e, uid, (other, copy) =>
      emit(other, 'onRemoteUltraGroupMessageExpansionUpdated', { messages: [copy] })
    );
    return 0;
  }

  const removeKeys = {
    args: { messageUId: 'string', keys: 'array' },
    queued: true,
    check(e, a) {
      const keys = a.keys.filter((k) => k !== null && k !== undefined);
      if (a.messageUId === '' || keys.length === 0) return Code.PARAM_ERROR;
      if (keys.some((k) => typeof k !== 'string')) return Code.PARAM_ERROR;
      return keys.some((k) => !KEY.test(k)) ? EXPANSION_SIZE_LIMIT_EXCEED : 0;
    },
    run(e, a, id) {
      const code = changeExpansion(e, a.messageUId, (copy) => {
        for (const k of a.keys) delete copy.expansion[k];
      });
      emit(
        e,
        'onUltraGroupMessageExpansionForKeysRemoved',
        { code, messageUId: a.messageUId, keys: a.keys },
        id
      );
    },
  };

  /** A count getter: `name` is the event, `field` the conversation field, `perGroup` whether
   * it takes a group. */
  const counter = (name, field, perGroup) =>
    local({
      args: perGroup ? { targetId: 'string' } : {},
      check: (e, a) => (perGroup && !groupOk(a.targetId) ? Code.PARAM_ERROR : 0),
      run(e, a, id) {
        const n = count(engineStore(e), perGroup ? a.targetId : undefined, field);
        emit(
          e,
          name,
          perGroup ? { code: 0, targetId: a.targetId, count: n } : { code: 0, count: n },
          id
        );
      },
    });

  /** The default level getter of a group (`channel` false) or of a channel. */
  const levelGetter = (channel) => ({
    args: channel ? { targetId: 'string', channelId: 'string?' } : { targetId: 'string' },
    queued: true,
    check: (e, a) =>
      groupOk(a.targetId) && (!channel || channelIdOk(a.channelId)) ? 0 : Code.PARAM_ERROR,
    run(e, a, id) {
      const ch = channel ? channelOf(a.channelId) : '';
      const level = ug.levels.get(`${e.appKey}|${a.targetId}|${ch}`) ?? PushNotificationLevel.NONE;
      if (channel) {
        emit(
          e,
          'onUltraGroupChannelDefaultNotificationLevelLoaded',
          { code: 0, targetId: a.targetId, channelId: ch, level },
          id
        );
      } else {
        emit(
          e,
          'onUltraGroupDefaultNotificationLevelLoaded',
          { code: 0, targetId: a.targetId, level },
          id
        );
      }
    },
  });

  return {
    loadConversationsForAllChannel: channelConversations,
    getConversationsForAllChannel: channelConversations,
    loadBatchRemoteUltraGroupMessages: batchRemote,
    getBatchRemoteUltraGroupMessages: batchRemote,
    clearUltraGroupMessagesForAllChannel: local({
      args: { targetId: 'string', timestamp: 'number' },
      check: (e, a) => (groupOk(a.targetId) && a.timestamp >= 0 ? 0 : Code.PARAM_ERROR),
      run(e, a, id) {
        clearLocal(e, a.targetId, undefined, a.timestamp);
        emit(
          e,
          'onUltraGroupMessagesClearedForAllChannel',
          { code: 0, targetId: a.targetId, timestamp: a.timestamp },
          id
        );
      },
    }),
    clearUltraGroupMessages: {
      args: { targetId: 'string', channelId: 'string?', timestamp: 'number', policy: 'number' },
      check: (e, a) =>
        groupOk(a.targetId) && channelIdOk(a.channelId) && a.timestamp >= 0 && policyOk(a.policy)
          ? 0
          : Code.PARAM_ERROR,
      queued: true,
      run(e, a, id) {
        const ch = channelOf(a.channelId);
        if (a.policy !== MessageOperationPolicy.REMOTE) clearLocal(e, a.targetId, ch, a.timestamp);
        if (a.policy !== MessageOperationPolicy.LOCAL) clearRemote(e, a.targetId, ch, a.timestamp);
        emit(
          e,
          'onUltraGroupMessagesCleared',
          {
            code: 0,
            targetId: a.targetId,
            channelId: ch,
            timestamp: a.timestamp,
            policy: a.policy,
          },
          id
        );
      },
    },
    clearRemoteUltraGroupMessages: {
      args: { targetId: 'string', channelId: 'string?', timestamp: 'number' },
      check: (e, a) =>
        groupOk(a.targetId) && channelIdOk(a.channelId) && a.timestamp >= 0 ? 0 : Code.PARAM_ERROR,
      queued: true,
      run(e, a, id) {
        const ch = channelOf(a.channelId);
        clearRemote(e, a.targetId, ch, a.timestamp);
        emit(
          e,
          'onRemoteUltraGroupMessagesCleared',
          { code: 0, targetId: a.targetId, channelId: ch, timestamp: a.timestamp },
          id
        );
      },
    },
    modifyUltraGroupMessage: {
      args: { messageUId: 'string', message: 'object' },
      check: (e, a) =>
        a.messageUId !== '' && a.message.conversationType === ULTRA ? 0 : Code.PARAM_ERROR,
      queued: true,
      run(e, a, id) {
        const own = ownMessage(e, a.messageUId);
        let code = own.code;
        if (code === 0 && own.m.messageType !== a.message.messageType) code = Code.PARAM_ERROR;
        if (code === 0) {
          const content = clone(a.message);
          for (const k of [
            'messageId',
            'messageUId',
            'conversationType',
            'targetId',
            'channelId',
            'direction',
            'senderUserId',
            'sentStatus',
            'receivedStatus',
            'sentTime',
            'receivedTime',
            'expansion',
          ]) {
            delete content[k];
          }
          for (const { m } of copies(e.appKey, a.messageUId)) Object.assign(m, clone(content));
          tellOthers(e, a.messageUId, (other, copy) =>
            emit(other, 'onRemoteUltraGroupMessageModified', { messages: [copy] })
          );
        }
        emit(e, 'onUltraGroupMessageModified', { code, messageUId: a.messageUId }, id);
      },
    },
    recallUltraGroupMessage: {
      args: { message: 'object', deleteRemote: 'boolean' },
      check: (e, a) =>
        a.message.conversationType === ULTRA &&
        typeof a.message.messageUId === 'string' &&
        a.message.messageUId !== ''
          ? 0
          : Code.PARAM_ERROR,
      queued: true,
      run(e, a, id) {
        const uid = a.message.messageUId;
        const own = ownMessage(e, uid);
        let result = clone(a.message);
        if (own.code === 0) {
          const now = core.now();
          // The others are told with the record before the copies go.
          const records = new Map();
          for (const { st, m } of copies(e.appKey, uid)) {
            const record = {
              ...m,
              messageType: MessageType.RECALL,
              admin: false,
              deleted: a.deleteRemote,
              recallTime: now,
              recallActionTime: now,
              originalMessage: clone(m),
              receivedStatus: ReceivedStatus.READ,
            };
            delete record.text;
            records.set(st, record);
          }
          tellOthers(e, uid, (other) => {
            const record = records.get(engineStore(other));
            emit(other, 'onRemoteUltraGroupMessageRecalled', { messages: [clone(record)] });
          });
          for (const [st, record] of records) {
            const i = st.messages.findIndex((x) => x.messageUId === uid);
            if (a.deleteRemote) st.messages.splice(i, 1);
            else st.messages[i] = record;
            refreshAll(st);
            if (st === engineStore(e)) result = clone(record);
          }
        }
        emit(
          e,
          'onUltraGroupMessageRecalled',
          { code: own.code, message: result, deleteRemote: a.deleteRemote },
          id
        );
      },
    },
    updateUltraGroupMessageExpansion: {
      args: { messageUId: 'string', expansion: 'object' },
      queued: true,
      check(e, a) {
        const keys = Object.keys(a.expansion);
        if (a.messageUId === '' || keys.length === 0) return Code.PARAM_ERROR;
        if (Object.values(a.expansion).some((v) => typeof v !== 'string')) return Code.PARAM_ERROR;
        return keys.some((k) => !KEY.test(k)) ? EXPANSION_SIZE_LIMIT_EXCEED : 0;
      },
      run(e, a, id) {
        const code = changeExpansion(e, a.messageUId, (copy) =>
          Object.assign(copy.expansion, a.expansion)
        );
        emit(
          e,
          'onUltraGroupMessageExpansionUpdated',
          { code, expansion: a.expansion, messageUId: a.messageUId },
          id
        );
      },
    },
    removeUltraGroupMessageExpansionForKeys: removeKeys,
    removeUltraGroupMessageExpansion: removeKeys,
    ...loadAndGet(
      'UltraGroupAllUnreadCount',
      counter('onUltraGroupAllUnreadCountLoaded', 'unreadCount', false)
    ),
    ...loadAndGet(
      'UltraGroupAllUnreadMentionedCount',
      counter('onUltraGroupAllUnreadMentionedCountLoaded', 'mentionedCount', false)
    ),
    ...loadAndGet(
      'UltraGroupUnreadCount',
      counter('onUltraGroupUnreadCountLoaded', 'unreadCount', true)
    ),
    ...loadAndGet(
      'UltraGroupUnreadMentionedCount',
      counter('onUltraGroupUnreadMentionedCountLoaded', 'mentionedCount', true)
    ),
    syncUltraGroupReadStatus: {
      args: { targetId: 'string', channelId: 'string?', timestamp: 'number' },
      check: (e, a) => (groupOk(a.targetId) && channelIdOk(a.channelId) ? 0 : Code.PARAM_ERROR),
      queued: true,
      run(e, a, id) {
        const ch = channelOf(a.channelId);
        const st = engineStore(e);
        for (const m of st.messages) {
          if (
            m.conversationType === ULTRA &&
            m.targetId === a.targetId &&
            channelOf(m.channelId) === ch
          ) {
            m.receivedStatus = ReceivedStatus.READ;
          }
        }
        refreshAll(st);
        const now = core.now();
        for (const other of core.connectedEngines(e.appKey, e.userId)) {
          if (other.handle !== e.handle) {
            emit(other, 'onUltraGroupReadTimeReceived', {
              targetId: a.targetId,
              channelId: ch,
              timestamp: now,
            });
          }
        }
        emit(
          e,
          'onUltraGroupReadStatusSynced',
          { code: 0, targetId: a.targetId, channelId: ch, timestamp: a.timestamp },
          id
        );
      },
    },
    sendUltraGroupTypingStatus: {
      args: { targetId: 'string', channelId: 'string?', typingStatus: 'number' },
      check: (e, a) =>
        groupOk(a.targetId) && channelIdOk(a.channelId) && a.typingStatus === TYPING_TEXT
          ? 0
          : Code.PARAM_ERROR,
      queued: true,
      run(e, a, id) {
        const ch = channelOf(a.channelId);
        const info = [
          {
            targetId: a.targetId,
            channelId: ch,
            userId: e.userId,
            userNums: 1,
            status: a.typingStatus,
            timestamp: core.now(),
          },
        ];
        for (const other of otherUsersEngines(e))
          emit(other, 'onUltraGroupTypingStatusChanged', { info });
        emit(
          e,
          'onUltraGroupTypingStatusSent',
          { code: 0, targetId: a.targetId, channelId: ch, typingStatus: a.typingStatus },
          id
        );
      },
    },
    changeUltraGroupDefaultNotificationLevel: {
      args: { targetId: 'string', level: 'number' },
      check: (e, a) => (groupOk(a.targetId) && levelOk(a.level) ? 0 : Code.PARAM_ERROR),
      queued: true,
      run(e, a, id) {
        ug.levels.set(`${e.appKey}|${a.targetId}|`, a.level);
        emit(
          e,
          'onUltraGroupDefaultNotificationLevelChanged',
          { code: 0, targetId: a.targetId, level: a.level },
          id
        );
      },
    },
    ...loadAndGet('UltraGroupDefaultNotificationLevel', levelGetter(false)),
    changeUltraGroupChannelDefaultNotificationLevel: {
      args: { targetId: 'string', channelId: 'string?', level: 'number' },
      check: (e, a) =>
        groupOk(a.targetId) && channelIdOk(a.channelId) && levelOk(a.level) ? 0 : Code.PARAM_ERROR,
      queued: true,
      run(e, a, id) {
        const ch = channelOf(a.channelId);
        ug.levels.set(`${e.appKey}|${a.targetId}|${ch}`, a.level);
        emit(
          e,
          'onUltraGroupChannelDefaultNotificationLevelChanged',
          { code: 0, targetId: a.targetId, channelId: ch, level: a.level },
          id
        );
      },
    },
    ...loadAndGet('UltraGroupChannelDefaultNotificationLevel', levelGetter(true)),
  };
};
