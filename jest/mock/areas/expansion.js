'use strict';
/**
 * Message expansion (R065, R066, R123–R128): a message sent with `expansion` set (even {})
 * can be updated and have keys removed after sending. Every stored copy (sender's and
 * receivers') follows; the caller gets onMessageExpansionUpdated /
 * onMessageExpansionForKeysRemoved, every other engine holding the message (the other
 * participants, and the caller's user on another engine) gets the remote event with only the
 * changed pairs / the removed keys. Queued while offline.
 *
 * Codes, as the engine answers them. At once (the call's status): 1 for an empty uid, map or
 * key list or a value that is not a string; 34010 for more than 20 pairs or keys in one call,
 * a key that is not 1..32 characters of [A-Za-z0-9+=_-], a value over 4096 characters. In the
 * event: 1 when no stored message has that uid, 34008 for a message sent without expansion
 * (or not private/group), 34010 when the message would hold more than 300 pairs.
 */
const { Code, ConversationType } = require('../constants');
const { clone } = require('../core');

const KEY = /^[A-Za-z0-9+=_-]{1,32}$/;
const MAX_VALUE = 4096;
const MAX_PER_UPDATE = 20;
const MAX_PER_MESSAGE = 300;

module.exports = function expansionMethods(core) {
  const { s, emit, engineStore } = core;

  /** Every stored copy of message `uid` of `appKey`: [{ st, m }]. */
  function copies(appKey, uid) {
    const out = [];
    for (const [key, st] of s.stores) {
      if (!key.startsWith(`${appKey}|`)) continue;
      const m = st.messages.find((x) => x.messageUId === uid);
      if (m) out.push({ st, m });
    }
    return out;
  }

  /** The caller's copy and the code of the change (0 = allowed). */
  function target(e, uid) {
    const m = engineStore(e).messages.find((x) => x.messageUId === uid);
    if (!m) return { code: Code.PARAM_ERROR };
    const expandable =
      m.expansion !== null &&
      typeof m.expansion === 'object' &&
      (m.conversationType === ConversationType.PRIVATE ||
        m.conversationType === ConversationType.GROUP);
    return { m, code: expandable ? 0 : Code.MESSAGE_CANT_EXPAND };
  }

  /** Applies `change(copy)` to every copy and tells every other engine with `remote`. */
  function spread(e, uid, change, remote) {
    for (const { st, m } of copies(e.appKey, uid)) {
      change(m);
      for (const other of core.connectedEngines(e.appKey, st.userId)) {
        if (other.handle !== e.handle) remote(other, clone(m));
      }
    }
  }

  return {
    updateMessageExpansion: {
      args: { messageUId: 'string', expansion: 'object' },
      queued: true,
      check(e, a) {
        const keys = Object.keys(a.expansion);
        const values = Object.values(a.expansion);
        if (a.messageUId === '' || keys.length === 0) return Code.PARAM_ERROR;
        if (values.some((v) => typeof v !== 'string')) return Code.PARAM_ERROR;
        const bad =
          keys.length > MAX_PER_UPDATE ||
          keys.some((k) => !KEY.test(k)) ||
          values.some((v) => [...v].length > MAX_VALUE);
        return bad ? Code.EXPANSION_SIZE_LIMIT_EXCEED : 0;
      },
      run(e, a, id) {
        const pairs = a.expansion;
        const { m, code: found } = target(e, a.messageUId);
        let code = found;
        if (code === 0) {
          const after = new Set([...Object.keys(m.expansion), ...Object.keys(pairs)]);
          if (after.size > MAX_PER_MESSAGE) code = Code.EXPANSION_SIZE_LIMIT_EXCEED;
        }
        if (code === 0) {
          spread(
            e,
            a.messageUId,
            (copy) => Object.assign(copy.expansion || (copy.expansion = {}), pairs),
            (other, message) =>
              emit(other, 'onRemoteMessageExpansionUpdated', { expansion: pairs, message })
          );
        }
        emit(
          e,
          'onMessageExpansionUpdated',
          { code, messageUId: a.messageUId, expansion: pairs },
          id
        );
      },
    },
    removeMessageExpansionForKeys: {
      args: { messageUId: 'string', keys: 'array' },
      queued: true,
      check(e, a) {
        if (a.messageUId === '' || a.keys.length === 0) return Code.PARAM_ERROR;
        if (a.keys.some((k) => typeof k !== 'string')) return Code.PARAM_ERROR;
        return a.keys.length > MAX_PER_UPDATE || a.keys.some((k) => !KEY.test(k))
          ? Code.EXPANSION_SIZE_LIMIT_EXCEED
          : 0;
      },
      run(e, a, id) {
        const code = target(e, a.messageUId).code;
        if (code === 0) {
          spread(
            e,
            a.messageUId,
            (copy) => {
              for (const k of a.keys) if (copy.expansion) delete copy.expansion[k];
            },
            (other, message) =>
              emit(other, 'onRemoteMessageExpansionForKeyRemoved', { message, keys: a.keys })
          );
        }
        emit(
          e,
          'onMessageExpansionForKeysRemoved',
          { code, messageUId: a.messageUId, keys: a.keys },
          id
        );
      },
    },
  };
};
