/**
 * The API surface as `RCIMIWEngine` really uses it: which bridge methods each of its methods
 * sends. Shared by the Jest drift test (against the Jest mock's table) and the Hermes test
 * `api-surface.test.ts` (against the Rust bridge's table), so the three cannot drift apart.
 *
 * Derived from behaviour, not from a list: every function on the class's prototype is called
 * once without arguments on an engine whose bridge only records the names it is asked for.
 * API methods pass their (missing) arguments on; listener setters and the internal plumbing
 * send nothing (the plumbing throws without arguments, which is caught).
 */
import { RCIMIWEngine, type RCIMBridge } from 'react-native-rcim';

/** Rows of the bridge's table that are diagnostics, not API methods (docs/bridge.md). */
export const INTERNAL_BRIDGE_METHODS: readonly string[] = [
  'ping',
  'pingAsync',
  'benchEvents',
  '__methods',
];

/** For every function on `RCIMIWEngine.prototype`: the bridge methods one call of it sent. */
export async function bridgeCallsByMethod(): Promise<{ [member: string]: string[] }> {
  let sent: string[] = [];
  const recorder: RCIMBridge = {
    createEngine: () => 1,
    call: (_handle, method) => {
      sent.push(method);
      return Promise.resolve('{"code":0}');
    },
    setEventListener: () => undefined,
    destroyEngine: () => undefined,
  };
  const g = globalThis as { __rcimBridge?: RCIMBridge };
  const saved = g.__rcimBridge;
  g.__rcimBridge = recorder;
  let engine: RCIMIWEngine;
  try {
    // The engine keeps the bridge it was created with.
    engine = RCIMIWEngine.createStandalone('api-surface');
  } finally {
    g.__rcimBridge = saved;
  }
  const proto = RCIMIWEngine.prototype as unknown as { [member: string]: unknown };
  const byMember: { [member: string]: string[] } = {};
  for (const member of Object.getOwnPropertyNames(proto)) {
    const fn = proto[member];
    if (member === 'constructor' || member === 'destroy' || typeof fn !== 'function') continue;
    sent = [];
    try {
      const result: unknown = fn.call(engine);
      if (result instanceof Promise) await result.catch(() => undefined);
    } catch {
      // Internal plumbing called without arguments: it sent nothing.
    }
    byMember[member] = sent;
  }
  await engine.destroy();
  return byMember;
}

/** The bridge methods `RCIMIWEngine` sends, sorted. */
export async function engineBridgeMethods(): Promise<string[]> {
  const byMember = await bridgeCallsByMethod();
  return [...new Set(Object.values(byMember).flat())].sort();
}

/** What one list has that the other lacks; empty lists when they agree. */
export function surfaceDiff(
  engine: readonly string[],
  table: readonly string[]
): { onlyInEngine: string[]; onlyInTable: string[] } {
  return {
    onlyInEngine: engine.filter((n) => !table.includes(n)).sort(),
    onlyInTable: table.filter((n) => !engine.includes(n)).sort(),
  };
}
