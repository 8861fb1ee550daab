/**
 * The API surface as `RCIMIWEngine` really uses it: which bridge methods each of its methods
 * sends. Shared by the Jest drift test (against the Jest mock's table) and the Hermes test
 * `api-surface.test.ts` (against the Rust bridge's table), so the three cannot drift apart.
 *
 * Derived from behaviour, not from a list: every function on the class's prototype chain is called
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

/**
 * The members of RCIMIWEngine's prototype chain (the class and the area classes it extends),
 * down to the plumbing: the first prototype that defines `invoke`, which is not walked (its
 * `release` would destroy the engine under test).
 */
export function apiMembers(): string[] {
  const names = new Set<string>();
  let proto = RCIMIWEngine.prototype as object | null;
  while (proto && !Object.prototype.hasOwnProperty.call(proto, 'invoke')) {
    for (const name of Object.getOwnPropertyNames(proto)) {
      if (name !== 'constructor') names.add(name);
    }
    proto = Object.getPrototypeOf(proto) as object | null;
  }
  return [...names];
}

/** For every function of RCIMIWEngine (see apiMembers): the bridge methods one call of it sent. */
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
  for (const member of apiMembers()) {
    const fn = proto[member];
    if (member === 'destroy' || typeof fn !== 'function') continue;
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
