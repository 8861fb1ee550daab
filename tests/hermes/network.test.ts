// @im-proxy
// The platform's network and app state (globalThis.__rcimPlatformEvent, what the Android/iOS
// glue feeds the engine) seen through onConnectionStatusChanged:
// - network lost (1, 0): NETWORK_UNAVAILABLE, and no reconnect attempt while it lasts; a text
//   sent meanwhile waits;
// - network back (1, 1): connected again at once (the reconnect schedule starts from 0) and
//   the waiting text goes out;
// - a network change (1, 2) while connected reconnects at once (CONNECTING, CONNECTED), and a
//   text sent right after it reaches the peer;
// - the app in the foreground (2, 1) does not override a network loss;
// - the app in the foreground while disconnected with a network (the runner's proxy in front
//   of the server refuses connections for a while): connected again at once, not at the next
//   step of the reconnect schedule.
import { RCIMIWConnectionStatus, type RCIMIWEngine, type RCIMIWMessage } from 'react-native-rcim';
import { serverApi } from './server-api';
import { recorder } from './settings-support';
import {
  PRIVATE,
  assert,
  assertEqual,
  destroyAll,
  fail,
  hostEnv,
  onlineDevice,
  sleep,
  twoEngines,
  waitFor,
} from './support';

const { NETWORK_UNAVAILABLE, CONNECTED, CONNECTING } = RCIMIWConnectionStatus;
const NETWORK = 1;
const APP_STATE = 2;

/** The runner's proxy in front of navigation and the gateway (`// @im-proxy`). */
function proxyNavi(): string {
  const raw = (globalThis as { __rcimHostEnv?: { [name: string]: string } }).__rcimHostEnv;
  const navi = raw?.RCIM_IM_PROXY_NAVI;
  if (!navi) fail('RCIM_IM_PROXY_NAVI is missing: the test file needs `// @im-proxy`');
  return navi;
}

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
  let c: RCIMIWEngine | undefined;
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

    // ── another network while connected: the connection over the old network may be dead
    // without the socket knowing, so it is closed and made again at once (CONNECTING, then
    // CONNECTED), and a text sent right after the change reaches B over the new connection.
    const changedAt = statuses.calls.length;
    const changeStart = Date.now();
    platformEvent(NETWORK, 2);
    const afterChange = await a.createTextMessage(PRIVATE, userB, null, 'sent after the change');
    // Kept in an object: `waitFor` waits for a truthy value, and success is code 0.
    let sentAfterChange: { code: number } | undefined;
    assertEqual(
      await a.sendMessage(afterChange, { onMessageSent: (code) => (sentAfterChange = { code }) }),
      0,
      'send right after the network change'
    );
    await statuses.next('CONNECTING after the network change', (s) => s[0] === CONNECTING, 5000);
    await statuses.next('CONNECTED after the network change', (s) => s[0] === CONNECTED, 5000);
    assert(
      Date.now() - changeStart < 3000,
      `reconnected ${Date.now() - changeStart} ms after the network change`
    );
    const sinceChange = statuses.calls.slice(changedAt).map((s) => s[0]);
    const reconnecting = sinceChange.indexOf(CONNECTING);
    assert(
      reconnecting >= 0 && sinceChange.indexOf(CONNECTED, reconnecting) > reconnecting,
      `a reconnect (CONNECTING, then CONNECTED) after the change: ${JSON.stringify(sinceChange)}`
    );
    assertEqual(
      (await waitFor('the text sent after the change was sent', () => sentAfterChange)).code,
      0,
      'code of the text sent after the change'
    );
    await waitFor('B receives the text sent after the change', () =>
      atB.includes('sent after the change')
    );

    // ── the foreground does not override a network loss
    platformEvent(APP_STATE, 0);
    platformEvent(NETWORK, 0);
    await statuses.next('NETWORK_UNAVAILABLE again', (s) => s[0] === NETWORK_UNAVAILABLE);
    const mark = statuses.calls.length;
    platformEvent(APP_STATE, 1);
    await sleep(1500);
    assert(
      !statuses.calls.slice(mark).some((s) => s[0] === CONNECTING || s[0] === CONNECTED),
      'no attempt in the foreground without network'
    );
    platformEvent(NETWORK, 1);
    await statuses.next('CONNECTED with the network back', (s) => s[0] === CONNECTED, 5000);

    // ── foreground while disconnected with a network (the server went away for a while):
    // C connects through the proxy, which then refuses connections for 9 s. By then C's
    // reconnect schedule (0, 0.25, 0.5, 1, 2, 4, 8 s...) waits 8 s for its next attempt;
    // the foreground makes it try at once.
    c = await onlineDevice(env, env.users[2], 'c-proxied', { naviServer: proxyNavi() });
    const statusesOfC = recorder('onConnectionStatusChanged at C');
    c.setOnConnectionStatusChangedListener(statusesOfC.fn);
    await serverApi('@im-proxy/cut', { ms: 9000 });
    await statusesOfC.next('C lost its connection', (s) => s[0] !== CONNECTED);
    await sleep(9500);
    assert(
      !statusesOfC.calls.some((s) => s[0] === CONNECTED),
      `C is still disconnected: ${JSON.stringify(statusesOfC.calls)}`
    );
    const fore = Date.now();
    platformEvent(APP_STATE, 1);
    await statusesOfC.next('C connected after the foreground', (s) => s[0] === CONNECTED, 5000);
    assert(Date.now() - fore < 3000, `reconnected ${Date.now() - fore} ms after the foreground`);
  } finally {
    await destroyAll(a, b, c);
  }
}
