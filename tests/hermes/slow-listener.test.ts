// @server-args: --heartbeat-secs 1
// @offline-messages: 20000
// A JS listener that blocks the JS thread for 5 s (this test's server drops a connection that
// is silent for 3 heartbeats of 1 s) while far more events are pending than the queues hold
// (20 000 offline messages; the host object queues 4096 events, the engine 10 000): the
// connection is never dropped, and every message arrives exactly once.
import { RCIMIWConnectionStatus, RCIMIWEngine, type RCIMIWTextMessage } from 'react-native-rcim';
import {
  assert,
  assertEqual,
  connect,
  destroyAll,
  engineOptions,
  hostEnv,
  waitFor,
} from './support';

const OFFLINE = 20000;
const BLOCK_MS = 5000;

/** Events the host object refused so far because its queue was full (all engines). */
function hostQueueFull(): number {
  const bridge = (globalThis as { __rcimBridge?: { debugStats(): string } }).__rcimBridge;
  if (!bridge) return 0;
  const stats = JSON.parse(bridge.debugStats()) as { engines: Record<string, { full: number }> };
  return Object.values(stats.engines).reduce((sum, e) => sum + e.full, 0);
}

export default async function () {
  const env = hostEnv();
  const [me] = env.users;
  const engine = RCIMIWEngine.create(env.appKey, engineOptions(env));
  try {
    const statuses: number[] = [];
    engine.setOnConnectionStatusChangedListener((status) => statuses.push(status));
    const seen = new Set<string>();
    let duplicates = 0;
    let blocked = false;
    let fullDuringBlock = 0;
    engine.setOnMessageReceivedListener((message) => {
      const text = (message as RCIMIWTextMessage).text ?? '';
      if (seen.has(text)) duplicates++;
      seen.add(text);
      if (!blocked) {
        // Busy: nothing else runs on the JS thread meanwhile.
        blocked = true;
        const until = Date.now() + BLOCK_MS;
        while (Date.now() < until) {
          fullDuringBlock = hostQueueFull();
        }
      }
    });
    assertEqual(await connect(engine, env.tokens[me]), me, 'userId');
    await waitFor(`${OFFLINE} messages`, () => seen.size >= OFFLINE, 50000);
    await new Promise<void>((resolve) => setTimeout(resolve, 1500));
    assert(blocked, 'the listener blocked');
    assert(fullDuringBlock > 0, 'events piled up beyond the host queue while JS was blocked');
    assertEqual(seen.size, OFFLINE, 'every message');
    assertEqual(duplicates, 0, 'duplicates');
    for (let i = 0; i < OFFLINE; i++) assert(seen.has(`m${i}`), `m${i} arrived`);
    assertEqual(
      statuses,
      [RCIMIWConnectionStatus.CONNECTING, RCIMIWConnectionStatus.CONNECTED],
      'the connection never left CONNECTED'
    );
  } finally {
    await destroyAll(engine);
  }
}
