// The platform's network and app state (globalThis.__rcimPlatformEvent, what the Android/iOS
// glue feeds the engine) seen through onConnectionStatusChanged:
// - network lost (1, 0): NETWORK_UNAVAILABLE, and no reconnect attempt while it lasts; a text
//   sent meanwhile waits;
// - network back (1, 1): connected again at once (the reconnect schedule starts from 0) and
//   the waiting text goes out;
// - a network change (1, 2) while connected keeps or restores the connection;
// - app in the foreground (2, 1) while disconnected: connected again at once. The test host
//   has no other way to be disconnected than a network loss, so this takes the foreground as
//   a reason to try again even after one (the platform's network callback can lag behind).
import { RCIMIWConnectionStatus, type RCIMIWMessage } from 'react-native-rcim';
import { recorder } from './settings-support';
import {
  PRIVATE,
  assert,
  assertEqual,
  destroyAll,
  fail,
  hostEnv,
  sleep,
  twoEngines,
  waitFor,
} from './support';

const { NETWORK_UNAVAILABLE, CONNECTED, CONNECTING, SUSPEND } = RCIMIWConnectionStatus;
const NETWORK = 1;
const APP_STATE = 2;

function platformEvent(kind: number, value: number): void {
  const hook = (globalThis as { __rcimPlatformEvent?: (k: number, v: number) => void })
    .__rcimPlatformEvent;
  if (typeof hook !== 'function')
    fail('globalThis.__rcimPlatformEvent is missing (old rcim-jshost?)');
  hook(kind, value);
}

export default async function () {
  const env = hostEnv();
  const { a, b, userB } = await twoEngines(env);
  try {
    const statuses = recorder('onConnectionStatusChanged');
    a.setOnConnectionStatusChangedListener(statuses.fn);
    const atB: string[] = [];
    b.setOnMessageReceivedListener((m) => atB.push((m as { text?: string }).text ?? ''));

    // ── network lost: reported, and nothing is tried while it lasts
    platformEvent(NETWORK, 0);
    await statuses.next('NETWORK_UNAVAILABLE', (s) => s[0] === NETWORK_UNAVAILABLE);
    const msg = await a.createTextMessage(PRIVATE, userB, null, 'sent while offline');
    let sent: { code: number; message: RCIMIWMessage } | undefined;
    assertEqual(
      await a.sendMessage(msg, { onMessageSent: (code, message) => (sent = { code, message }) }),
      0,
      'send while offline'
    );
    const before = statuses.calls.length;
    await sleep(3000);
    const meanwhile = statuses.calls.slice(before).map((s) => s[0]);
    assert(
      !meanwhile.includes(CONNECTING) && !meanwhile.includes(CONNECTED),
      `no reconnect attempt without network: ${JSON.stringify(meanwhile)}`
    );
    assertEqual(sent, undefined, 'the text waits for the network');
    assertEqual(atB, [], 'B got nothing yet');

    // ── network back: connected again at once, the text goes out
    const back = Date.now();
    platformEvent(NETWORK, 1);
    await statuses.next('CONNECTED after the network returned', (s) => s[0] === CONNECTED, 5000);
    assert(Date.now() - back < 3000, `reconnected after ${Date.now() - back} ms`);
    const r = await waitFor('the waiting text was sent', () => sent);
    assertEqual(r.code, 0, 'waiting text code');
    await waitFor('B receives it', () => atB.includes('sent while offline'));

    // ── another network: still (or again) connected
    platformEvent(NETWORK, 2);
    await sleep(500);
    await waitFor(
      'connected after a network change',
      () => statuses.calls[statuses.calls.length - 1]?.[0] === CONNECTED,
      5000
    );

    // ── app state: background keeps the connection; foreground while disconnected reconnects
    platformEvent(APP_STATE, 0);
    platformEvent(NETWORK, 0);
    await statuses.next('NETWORK_UNAVAILABLE again', (s) => s[0] === NETWORK_UNAVAILABLE);
    const fore = Date.now();
    platformEvent(APP_STATE, 1);
    await statuses.next('CONNECTED after the foreground', (s) => s[0] === CONNECTED, 5000);
    assert(Date.now() - fore < 3000, `reconnected after ${Date.now() - fore} ms`);
    assert(
      !statuses.calls.some((s) => s[0] === SUSPEND),
      `no SUSPEND status: ${JSON.stringify(statuses.calls)}`
    );
  } finally {
    await destroyAll(a, b);
  }
}
