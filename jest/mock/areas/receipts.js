'use strict';
/**
 * Private read receipts: the peer's sent messages up to the timestamp become READ and its
 * connected engines get onPrivateReadReceiptReceived. Queued while offline.
 */
const { ConversationType, Direction, SentStatus } = require('../constants');

module.exports = function receiptMethods({ store, emit, connectedEngines }) {
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
  };
};
