'use strict';
/**
 * Read state: private read receipts (the peer's sent messages up to the timestamp become READ
 * and its connected engines get onPrivateReadReceiptReceived), group read receipts (members
 * are asked to acknowledge a message; the sender's copy keeps who responded, in its
 * groupReadReceiptInfo) and the read position synced to the user's other engines. Queued
 * while offline.
 */
const { Code, ConversationType, Direction, ReceivedStatus, SentStatus } = require('../constants');
const { convKey } = require('../core');

module.exports = function receiptMethods(core) {
  const { s, store, emit, connectedEngines, engineStore, now } = core;

  /** Every stored copy of the message `uid` in `appKey`'s stores, with its owner's id. */
  function* copiesOf(appKey, uid) {
    for (const [key, st] of s.stores) {
      if (!key.startsWith(`${appKey}|`)) continue;
      for (const m of st.messages) if (m.messageUId === uid) yield { st, m };
    }
  }

  const isGroupMessage = (m) =>
    m && typeof m === 'object' && m.conversationType === ConversationType.GROUP && m.messageUId;

  return {
    sendPrivateReadReceiptMessage: {
      args: { targetId: 'string', channelId: 'string?', timestamp: 'number' },
      queued: true,
      run(e, a, id) {
        const args = { targetId: a.targetId, channelId: a.channelId || '', timestamp: a.timestamp };
        const peer = store(e.appKey, a.targetId);
        for (const m of peer.messages) {
          const toReader =
            m.conversationType === ConversationType.PRIVATE &&
            m.direction === Direction.SEND &&
            m.targetId === e.userId;
          if (toReader && m.sentStatus === SentStatus.SENT && m.sentTime <= a.timestamp) {
            m.sentStatus = SentStatus.READ;
          }
        }
        for (const other of connectedEngines(e.appKey, a.targetId)) {
          emit(other, 'onPrivateReadReceiptReceived', { ...args, targetId: e.userId });
        }
        emit(e, 'onPrivateReadReceiptMessageSent', { code: 0, ...args }, id);
        return 0;
      },
    },
    sendGroupReadReceiptRequest: {
      args: { message: 'object' },
      queued: true,
      check: (e, a) =>
        isGroupMessage(a.message) && a.message.direction === Direction.SEND ? 0 : Code.PARAM_ERROR,
      run(e, a, id) {
        let sent = a.message;
        for (const { st, m } of copiesOf(e.appKey, a.message.messageUId)) {
          m.groupReadReceiptInfo = {
            readReceiptMessage: true,
            hasRespond: false,
            respondUserIds: {},
            ...m.groupReadReceiptInfo,
          };
          if (st.userId === e.userId) {
            sent = m;
            continue;
          }
          for (const other of connectedEngines(e.appKey, st.userId)) {
            emit(other, 'onGroupMessageReadReceiptRequestReceived', {
              targetId: m.targetId,
              messageUId: m.messageUId,
            });
          }
        }
        emit(e, 'onGroupReadReceiptRequestSent', { code: 0, message: sent }, id);
      },
    },
    sendGroupReadReceiptResponse: {
      args: { targetId: 'string', channelId: 'string?', messages: 'array' },
      queued: true,
      check: (e, a) =>
        a.targetId !== '' && a.messages.length > 0 && a.messages.every(isGroupMessage)
          ? 0
          : Code.PARAM_ERROR,
      run(e, a, id) {
        const answered = [];
        for (const message of a.messages) {
          for (const { st, m } of copiesOf(e.appKey, message.messageUId)) {
            const info = m.groupReadReceiptInfo || { readReceiptMessage: true };
            if (st.userId === e.userId) {
              m.groupReadReceiptInfo = { ...info, hasRespond: true };
              answered.push(m);
            } else if (st.userId === m.senderUserId && m.direction === Direction.SEND) {
              const respondUserIds = { ...info.respondUserIds, [e.userId]: now() };
              m.groupReadReceiptInfo = { ...info, respondUserIds };
              for (const other of connectedEngines(e.appKey, st.userId)) {
                emit(other, 'onGroupMessageReadReceiptResponseReceived', {
                  targetId: m.targetId,
                  messageUId: m.messageUId,
                  respondUserIds,
                });
              }
            }
          }
        }
        const args = { targetId: a.targetId, channelId: a.channelId || '' };
        emit(e, 'onGroupReadReceiptResponseSent', { code: 0, ...args, messages: answered }, id);
      },
    },
    syncConversationReadStatus: {
      args: { type: 'number', targetId: 'string', channelId: 'string?', timestamp: 'number' },
      queued: true,
      check: (e, a) =>
        a.type === ConversationType.CHATROOM || a.targetId === '' ? Code.PARAM_ERROR : 0,
      run(e, a, id) {
        // The user's engines share one store: reading there is reading everywhere.
        const st = engineStore(e);
        const key = convKey(a.type, a.targetId, a.channelId);
        for (const m of st.messages) {
          const inConversation = convKey(m.conversationType, m.targetId, m.channelId) === key;
          if (inConversation && m.direction === Direction.RECEIVE && m.sentTime <= a.timestamp) {
            m.receivedStatus = ReceivedStatus.READ;
          }
        }
        const c = st.conversations.get(key);
        if (c) core.refreshConversation(st, c);
        for (const other of connectedEngines(e.appKey, e.userId)) {
          if (other === e) continue;
          emit(other, 'onConversationReadStatusSyncMessageReceived', {
            type: a.type,
            targetId: a.targetId,
            timestamp: a.timestamp,
          });
        }
        const args = { type: a.type, targetId: a.targetId, channelId: a.channelId || '' };
        emit(e, 'onConversationReadStatusSynced', { code: 0, ...args, timestamp: a.timestamp }, id);
      },
    },
  };
};
