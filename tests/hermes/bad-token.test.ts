// A bad token surfaces 31004 through setOnConnectedListener, and the connection-status
// listener sees TOKEN_INCORRECT (5).
import { RCIMIWConnectionStatus, RCIMIWEngine } from 'react-native-rcim';
import { assertEqual, destroyAll, engineOptions, hostEnv, waitFor } from './support';

export default async function () {
  const env = hostEnv();
  const engine = RCIMIWEngine.create(env.appKey, engineOptions(env));
  try {
    const statuses: number[] = [];
    let connected: { code: number; userId: string } | undefined;
    let callbackCode: number | undefined;
    engine.setOnConnectionStatusChangedListener((s) => statuses.push(s));
    engine.setOnConnectedListener((code, userId) => (connected = { code, userId }));

    const status = await engine.connect('this-is-not-a-token', 0, {
      onConnected: (code) => (callbackCode = code),
    });
    assertEqual(status, 0, 'connect status (the call itself is accepted)');
    await waitFor('onConnected', () => connected);
    assertEqual(connected?.code, 31004, 'onConnected code');
    assertEqual(connected?.userId, '', 'onConnected userId');
    assertEqual(callbackCode, 31004, 'callback onConnected code');
    await waitFor('TOKEN_INCORRECT status', () =>
      statuses.includes(RCIMIWConnectionStatus.TOKEN_INCORRECT)
    );

    // a valid token of another user still works on a fresh engine afterwards
    const other = RCIMIWEngine.createStandalone(env.appKey, engineOptions(env));
    try {
      let ok: { code: number; userId: string } | undefined;
      await other.connect(env.tokens[env.users[0]], 0, {
        onConnected: (code, userId) => (ok = { code, userId }),
      });
      await waitFor('valid connect', () => ok);
      assertEqual(ok, { code: 0, userId: env.users[0] }, 'valid connect');
    } finally {
      await destroyAll(other);
    }
  } finally {
    await destroyAll(engine);
  }
}
