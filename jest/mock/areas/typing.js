'use strict';
/**
 * Typing status (private conversations): the peer's connected engines get
 * onTypingStatusChanged with the typer, then with an empty list once the typer has been
 * quiet for 6 seconds. Never stored, never queued: offline, nothing is sent.
 */
const { Args, Code, ConversationType } = require('../constants');

/** How long a typing status lasts without a new one (ms). */
const TYPING_EXPIRY_MS = 6000;

module.exports = function typingMethods({ emit, connectedEngines, now }) {
  // "appKey|typer|peer" -> expiry timer of that typer's status at the peer
  const expiries = new Map();

  function tell(e, peer, userTypingStatus) {
    for (const other of connectedEngines(e.appKey, peer)) {
      emit(other, 'onTypingStatusChanged', {
        type: ConversationType.PRIVATE,
        targetId: e.userId,
        channelId: '',
        userTypingStatus,
      });
    }
  }

  return {
    sendTypingStatus: {
      args: { ...Args.conversation, currentType: 'string' },
      run(e, a) {
        if (a.type !== ConversationType.PRIVATE || a.targetId === '' || a.currentType === '') {
          return Code.PARAM_ERROR;
        }
        if (!e.online) return 0;
        const key = `${e.appKey}|${e.userId}|${a.targetId}`;
        clearTimeout(expiries.get(key));
        tell(e, a.targetId, [{ userId: e.userId, contentType: a.currentType, sentTime: now() }]);
        const timer = setTimeout(() => {
          expiries.delete(key);
          tell(e, a.targetId, []);
        }, TYPING_EXPIRY_MS);
        // A pending expiry must not keep a test process alive.
        if (timer && typeof timer.unref === 'function') timer.unref();
        expiries.set(key, timer);
        return 0;
      },
    },
  };
};
