'use strict';
/**
 * Recall: any participant may recall by default (R113); with `RCIMMock.setRecallOnlySender(true)`
 * only the sender may (25107 for the others). Every stored copy becomes a RECALL record without
 * its content, expansion or mentions (R115) and the other users' connected engines get
 * onRemoteMessageRecalled. Queued while offline.
 */
const { Code, MessageType } = require('../constants');
const { clone } = require('../core');

module.exports = function recallMethods(core) {
  const { s, now, emit, engineStore, conversationOf, refreshConversation } = core;
  return {
    recallMessage: {
      args: { message: 'object' },
      queued: true,
      run(e, a, id) {
        const uid = a.message.messageUId;
        const mine = uid && engineStore(e).messages.find((m) => m.messageUId === uid);
        let code = 0;
        if (!mine) code = Code.RECALL_PARAMETER_INVALID;
        else if (s.recallOnlySender && mine.senderUserId !== e.userId) {
          code = Code.RECALL_USER_INVALID;
        }
        if (code !== 0) {
          emit(e, 'onMessageRecalled', { code, message: a.message }, id);
          return 0;
        }
        const recallTime = now();
        for (const [key, st] of s.stores) {
          const m = st.messages.find((x) => x.messageUId === uid);
          if (!m) continue;
          for (const field of ['text', 'expansion', 'mentionedInfo', 'referenceMessage']) {
            delete m[field];
          }
          Object.assign(m, {
            messageType: MessageType.RECALL,
            operatorId: e.userId,
            recallTime,
            recallActionTime: recallTime,
            admin: false,
            deleted: false,
          });
          refreshConversation(st, conversationOf(st, m));
          const [appKey, userId] = key.split('|');
          if (appKey !== e.appKey || userId === e.userId) continue;
          for (const other of core.connectedEngines(appKey, userId)) {
            emit(other, 'onRemoteMessageRecalled', { message: clone(m) });
          }
        }
        emit(e, 'onMessageRecalled', { code: 0, message: clone(mine) }, id);
        return 0;
      },
    },
  };
};
