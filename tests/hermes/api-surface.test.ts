// One API surface: the Rust bridge's method table (asked through its `__methods` row) and the
// bridge methods RCIMIWEngine sends are the same set, diagnostics rows aside. The Jest test
// __tests__/api-surface.test.ts checks the Jest mock's table the same way.
import type { RCIMBridge } from 'react-native-rcim';
import { assert, engineOptions, fail, hostEnv } from './support';
import { INTERNAL_BRIDGE_METHODS, engineBridgeMethods, surfaceDiff } from './engine-methods';

/** The real bridge's method table, from a throw-away engine. */
async function bridgeTable(bridge: RCIMBridge, appKey: string, options: object): Promise<string[]> {
  const config: { [key: string]: unknown } = { appKey, options };
  if (typeof bridge.dataDir === 'string' && bridge.dataDir !== '') config.dataDir = bridge.dataDir;
  const handle = bridge.createEngine(JSON.stringify(config));
  assert(handle !== 0, 'createEngine failed');
  try {
    const reply = JSON.parse(await bridge.call(handle, '__methods', '{}')) as {
      code: number;
      value?: unknown;
    };
    if (reply.code !== 0 || !Array.isArray(reply.value)) {
      fail(`__methods replied ${JSON.stringify(reply)}`);
    }
    return reply.value as string[];
  } finally {
    bridge.destroyEngine(handle);
  }
}

export default async function () {
  const env = hostEnv();
  const bridge = (globalThis as { __rcimBridge?: RCIMBridge }).__rcimBridge;
  assert(bridge, 'the host object is missing');

  const table = await bridgeTable(bridge, env.appKey, engineOptions(env));
  for (const name of INTERNAL_BRIDGE_METHODS) {
    assert(table.includes(name), `the bridge table lacks its diagnostics row ${name}`);
  }
  assert(new Set(table).size === table.length, `the bridge table repeats a name: ${table}`);
  const api = table.filter((name) => !INTERNAL_BRIDGE_METHODS.includes(name)).sort();

  const engine = await engineBridgeMethods();
  assert(engine.includes('connect') && engine.includes('getMessageById'), 'engine methods');

  const { onlyInEngine, onlyInTable } = surfaceDiff(engine, api);
  if (onlyInEngine.length || onlyInTable.length) {
    fail(
      'RCIMIWEngine and the Rust bridge disagree: ' +
        `only in RCIMIWEngine: [${onlyInEngine.join(', ')}]; ` +
        `only in the bridge's table: [${onlyInTable.join(', ')}]`
    );
  }
  console.log(`${api.length} API methods agree`);
}
