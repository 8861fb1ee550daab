'use strict';
/**
 * Connection: setDeviceToken (kept on the engine, see `RCIMMock.engines()`), connect (tokens
 * map to user ids; bad tokens fail with 31004), disconnect. A
 * connect first ends the engine's previous session; once connected it runs what an ended
 * session of the user left queued. A session starts and ends without local chatroom messages.
 */
const { Code, ConnectionStatus } = require('../constants');

module.exports = function connectionMethods({
  s,
  store,
  emit,
  endSession,
  flushOutbox,
  chatrooms,
}) {
  return {
    setDeviceToken: {
      args: { deviceToken: 'string' },
      run(e, a) {
        // Like the engine: 1..=512 bytes (UTF-8).
        const bytes = Buffer.byteLength(a.deviceToken, 'utf8');
        if (bytes === 0 || bytes > 512) return Code.PARAM_ERROR;
        e.deviceToken = a.deviceToken;
        return 0;
      },
    },
    connect: {
      args: { token: 'string', timeout: 'number' },
      run(e, a, id) {
        const invalid =
          s.invalidTokens.has(a.token) || a.token === '' || a.token.startsWith('invalid');
        endSession(e);
        emit(e, 'onConnectionStatusChanged', { status: ConnectionStatus.CONNECTING });
        if (invalid) {
          emit(e, 'onConnectionStatusChanged', { status: ConnectionStatus.TOKEN_INCORRECT });
          emit(e, 'onConnected', { code: Code.TOKEN_INCORRECT, userId: '' }, id);
          return 0;
        }
        e.userId = s.tokens.get(a.token) || a.token;
        e.connected = true;
        e.online = true;
        store(e.appKey, e.userId);
        chatrooms.clearAllLocal(e);
        emit(e, 'onDatabaseOpened', { code: 0 }, id);
        emit(e, 'onConnected', { code: 0, userId: e.userId }, id);
        emit(e, 'onConnectionStatusChanged', { status: ConnectionStatus.CONNECTED });
        flushOutbox(e, true);
        return 0;
      },
    },
    disconnect: {
      args: { receivePush: 'boolean' },
      run(e) {
        // Signed out: what is queued stays for the next connect; new operations get 33001.
        endSession(e);
        emit(e, 'onConnectionStatusChanged', { status: ConnectionStatus.SIGN_OUT });
        return 0;
      },
    },
    changeLogLevel: {
      args: { level: 'number' },
      run() {
        return 0;
      },
    },
  };
};
