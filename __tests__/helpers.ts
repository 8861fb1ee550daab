import type * as LibModule from '../src';
import type { RCIMBridge } from '../src/NativeRCIM';

export interface RecordedCall {
  handle: number;
  method: string;
  args: { [name: string]: unknown };
}

type Reply = { code: number; value?: unknown };

/**
 * A scripted stand-in for the JSI host object: records calls, answers {"code":0} unless told
 * otherwise, answers {"code":2} for destroyed/unknown handles, and lets a test push events.
 */
export function makeTestBridge() {
  let nextHandle = 0;
  const alive = new Set<number>();
  const listeners = new Map<number, (json: string) => void>();
  const calls: RecordedCall[] = [];
  const configs: unknown[] = [];
  let replyFor: (method: string, args: { [name: string]: unknown }) => Reply = () => ({ code: 0 });

  const bridge: RCIMBridge = {
    createEngine: jest.fn((configJson: string) => {
      configs.push(JSON.parse(configJson));
      const handle = ++nextHandle;
      alive.add(handle);
      return handle;
    }),
    call: jest.fn((handle: number, method: string, argsJson: string) => {
      const args = JSON.parse(argsJson) as { [name: string]: unknown };
      calls.push({ handle, method, args });
      const reply = alive.has(handle) ? replyFor(method, args) : { code: 2 };
      return Promise.resolve(JSON.stringify(reply));
    }),
    setEventListener: jest.fn((handle: number, fn?: (json: string) => void) => {
      if (fn) listeners.set(handle, fn);
      else listeners.delete(handle);
    }),
    destroyEngine: jest.fn((handle: number) => {
      alive.delete(handle);
    }),
  };

  return {
    bridge,
    calls,
    configs,
    lastCall: () => calls[calls.length - 1],
    setReply(fn: (method: string, args: { [name: string]: unknown }) => Reply) {
      replyFor = fn;
    },
    hasListener: (handle: number) => listeners.has(handle),
    /**
     * Delivers an event to the engine with this handle, as the host object would; `eventIds`:
     * further calls it answers (a cancel event ends the cancel call and the cancelled one).
     */
    emit(handle: number, name: string, args: object, eventId?: string, eventIds?: string[]) {
      const fn = listeners.get(handle);
      const event: { [key: string]: unknown } = { name, args };
      if (eventId !== undefined) event.eventId = eventId;
      if (eventIds !== undefined) event.eventIds = eventIds;
      if (fn) fn(JSON.stringify(event));
    },
  };
}

export const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

/** The test bridge of {@link makeTestBridge} with its recorded calls. */
export type TestBridge = ReturnType<typeof makeTestBridge>;

/**
 * A fresh copy of the library (modules reset, no default engine) loaded over a new test
 * bridge: what each engine test starts from. Undo with {@link unloadTestBridge}.
 */
export function loadOverTestBridge() {
  jest.resetModules();
  delete (globalThis as { __rcimDefaultEngine?: unknown }).__rcimDefaultEngine;
  const tb = makeTestBridge();
  globalThis.__rcimBridge = tb.bridge;
  const lib = require('../src') as typeof LibModule;
  return { tb, lib };
}

/** Removes the test bridge {@link loadOverTestBridge} installed. */
export function unloadTestBridge() {
  delete globalThis.__rcimBridge;
}
