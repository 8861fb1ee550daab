'use strict';
/** Connection: connect (tokens map to user ids; bad tokens fail with 31004), disconnect. */
const { Code, ConnectionStatus } = require('../constants');

module.exports = function connectionMethods({ s, store, emit }) {
  return {
    connect: {
      args: { token: 'string', timeout: 'number' },
      run(e, a, id) {
        const invalid =
          s.invalidTokens.has(a.token) || a.token === '' || a.token.startsWith('invalid');
        emit(e, 'onConnectionStatusChanged', { status: ConnectionStatus.CONNECTING });
        if (invalid) {
          emit(e, 'onConnectionStatusChanged', { status: ConnectionStatus.TOKEN_INCORRECT });
          emit(e, 'onConnected', { code: Code.TOKEN_INCORRECT, userId: '' }, id);
          return 0;
        }
        e.userId = s.tokens.get(a.token) || a.token;
        e.connected = true;
        store(e.appKey, e.userId);
        emit(e, 'onDatabaseOpened', { code: 0 }, id);
        emit(e, 'onConnected', { code: 0, userId: e.userId }, id);
        emit(e, 'onConnectionStatusChanged', { status: ConnectionStatus.CONNECTED });
        return 0;
      },
    },
    disconnect: {
      args: { receivePush: 'boolean' },
      run(e) {
        e.connected = false;
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
