/**
 * The plumbing under RCIMIWEngine (docs/bridge.md): one native engine behind the JSI host
 * object, named arguments packed for it (null entries of arrays dropped, Maps turned into
 * plain objects, as the official wrapper does), its replies parsed, and its events handed to
 * the listener slots (Map parameters rebuilt) and to the per-call callback objects.
 *
 * RCIMIWEngine (RCIMEngine.ts) extends it with the public API only.
 */
import { CALLBACK_ROUTES } from './callbacks';
import { LISTENER_PARAMS, MAP_PARAMS, type ListenerName } from './listeners';
import { getBridge, type RCIMBridge } from './NativeRCIM';
import { logger } from './logger';
import {
  RCIMIWErrorCode,
  type IRCIMIWObjectCallback,
  type RCIMIWEngineOptions,
  type RCIMIWMessage,
} from './RCIMDefines';

export type AnyFunction = (...args: never[]) => unknown;
export type EventArgs = { [name: string]: unknown };

interface NativeEvent {
  name?: unknown;
  eventId?: unknown;
  /** Further calls the event also answers (a cancel ends its call and the cancelled one). */
  eventIds?: unknown;
  args?: unknown;
}

/** The eventIds an event answers: its `eventId` and those of `eventIds`, once each. */
function answeredEventIds(event: NativeEvent): string[] {
  const ids: unknown[] = [event.eventId];
  if (Array.isArray(event.eventIds)) ids.push(...(event.eventIds as unknown[]));
  const out: string[] = [];
  for (const id of ids) {
    if (id === undefined || id === null) continue;
    const s = String(id);
    if (!out.includes(s)) out.push(s);
  }
  return out;
}

interface NativeReply {
  code: number;
  value?: unknown;
}

interface PendingCall {
  callback: { [fn: string]: unknown };
  fired: Set<string>;
}

/** One listener per slot; the last one set wins; `undefined` clears the slot. */
export class ListenerSlots {
  private readonly fns = new Map<ListenerName, AnyFunction>();

  set(name: ListenerName, fn: AnyFunction | undefined): void {
    if (typeof fn === 'function') this.fns.set(name, fn);
    else this.fns.delete(name);
  }

  get(name: string): AnyFunction | undefined {
    return this.fns.get(name as ListenerName);
  }
}

/**
 * State of the default (singleton) engine: the cached instance and its listener slots, which
 * survive destroy() and a later create() as in the official wrapper. Kept on globalThis so
 * that two copies of this module (e.g. its ESM and CommonJS builds loaded side by side) still
 * share one singleton, hence one native engine.
 */
export interface DefaultEngineState {
  /** The engine `RCIMIWEngine.create` made (always an `RCIMIWEngine`). */
  instance: RCIMEngineCore | null;
  slots: ListenerSlots;
}

const DEFAULT_STATE_KEY = '__rcimDefaultEngine';

export function defaultState(): DefaultEngineState {
  const g = globalThis as { [DEFAULT_STATE_KEY]?: DefaultEngineState };
  let state = g[DEFAULT_STATE_KEY];
  if (!state) {
    state = { instance: null, slots: new ListenerSlots() };
    g[DEFAULT_STATE_KEY] = state;
  }
  return state;
}

function toNativeValue(value: unknown): unknown {
  if (value === undefined) return null;
  if (value instanceof Map) return Object.fromEntries(value);
  if (Array.isArray(value)) return value.filter((item) => item !== null && item !== undefined);
  return value;
}

function packArgs(args: EventArgs): EventArgs {
  const packed: EventArgs = {};
  for (const key of Object.keys(args)) packed[key] = toNativeValue(args[key]);
  return packed;
}

function toMap(value: unknown): Map<string, unknown> {
  if (value instanceof Map) return value as Map<string, unknown>;
  if (value !== null && typeof value === 'object') return new Map(Object.entries(value));
  return new Map();
}

function parseReply(text: unknown): NativeReply {
  try {
    const reply = (typeof text === 'string' ? JSON.parse(text) : text) as NativeReply | null;
    if (reply && typeof reply.code === 'number') return reply;
  } catch {
    // fall through
  }
  logger.warn('unreadable reply from the native engine:', text);
  return { code: RCIMIWErrorCode.RESULT_UNKNOWN };
}

function safeCall(what: string, fn: AnyFunction, args: unknown[]): void {
  try {
    (fn as (...a: unknown[]) => unknown)(...args);
  } catch (e) {
    logger.error(`${what} threw:`, e);
  }
}

/** One native engine and the delivery of its replies and events. */
export abstract class RCIMEngineCore {
  private readonly bridge: RCIMBridge;
  private readonly handle: number;
  private readonly slots: ListenerSlots;
  private readonly pending = new Map<string, PendingCall>();
  private nextEventId = 0;
  private destroyed = false;

  protected constructor(appKey: string, options: RCIMIWEngineOptions, slots: ListenerSlots) {
    this.bridge = getBridge();
    this.slots = slots;
    const config: EventArgs = { appKey, options: options ?? {} };
    const dataDir = this.bridge.dataDir;
    if (typeof dataDir === 'string' && dataDir !== '') config.dataDir = dataDir;
    this.handle = this.bridge.createEngine(JSON.stringify(config));
    this.bridge.setEventListener(this.handle, (json: string) => this.onNativeEvent(json));
  }

  /**
   * Releases the native engine once: pending callbacks are dropped and later calls resolve 2
   * (ENGINE_DESTROYED). Resolves 0, or 2 when it was released already.
   */
  protected release(): Promise<number> {
    if (this.destroyed) return Promise.resolve(RCIMIWErrorCode.ENGINE_DESTROYED);
    this.destroyed = true;
    this.pending.clear();
    try {
      this.bridge.setEventListener(this.handle, undefined);
      this.bridge.destroyEngine(this.handle);
    } catch (e) {
      logger.warn('destroy:', e);
    }
    return Promise.resolve(RCIMIWErrorCode.SUCCESS);
  }

  /**
   * Calls `method` with named `args`. Resolves with the engine's status code, or with the
   * reply's `value` when `resolveValue` is set and the code is 0. A callback object is
   * registered under a fresh eventId and called when the engine's events answer the call.
   */
  protected invoke(
    method: string,
    args: EventArgs,
    callback?: object,
    resolveValue = false
  ): Promise<number> {
    return this.send(method, args, callback).then((reply) =>
      resolveValue && reply.code === RCIMIWErrorCode.SUCCESS && reply.value !== undefined
        ? (reply.value as number)
        : reply.code
    );
  }

  /**
   * Calls a method whose reply is the whole answer (no event follows), e.g. `getMessageById`.
   * Without a callback object it resolves the reply's value, or a non-zero code (the seed's
   * form). With one (5.2.5) it resolves the status of the call: a code that rejects the call
   * itself (1..4: bad arguments, engine destroyed, ...) is resolved and nothing else happens;
   * otherwise it resolves 0 and hands the value to `onSuccess`, or the lookup's error code
   * (e.g. 34204, unknown id) to `onError`.
   */
  protected invokeLookup<T>(
    method: string,
    args: EventArgs,
    callback?: IRCIMIWObjectCallback<T>
  ): Promise<T | number> {
    if (callback === null || typeof callback !== 'object') {
      return this.invoke(method, args, undefined, true) as Promise<unknown> as Promise<T | number>;
    }
    return this.send(method, args).then((reply) => {
      if (
        reply.code >= RCIMIWErrorCode.PARAM_ERROR &&
        reply.code <= RCIMIWErrorCode.RESULT_UNKNOWN
      ) {
        return reply.code;
      }
      const [fn, value] =
        reply.code === RCIMIWErrorCode.SUCCESS
          ? (['onSuccess', reply.value] as const)
          : (['onError', reply.code] as const);
      const f = (callback as { [fn: string]: unknown })[fn];
      if (typeof f === 'function') {
        safeCall(`callback ${fn}`, f.bind(callback) as AnyFunction, [value]);
      }
      return RCIMIWErrorCode.SUCCESS;
    });
  }

  /**
   * Sends one call to the bridge and resolves its parsed reply. A callback object is
   * registered under a fresh eventId (sent with the arguments) and forgotten again when the
   * engine rejects the call.
   */
  private send(method: string, args: EventArgs, callback?: object): Promise<NativeReply> {
    let argsJson: string;
    const packed = packArgs(args);
    let eventId: string | undefined;
    if (callback !== null && typeof callback === 'object') {
      eventId = String(++this.nextEventId);
      packed.eventId = eventId;
    }
    try {
      argsJson = JSON.stringify(packed);
    } catch (e) {
      logger.warn(`${method}: arguments cannot be serialized:`, e);
      return Promise.resolve({ code: RCIMIWErrorCode.PARAM_ERROR });
    }
    if (eventId !== undefined) {
      this.pending.set(eventId, {
        callback: callback as { [fn: string]: unknown },
        fired: new Set(),
      });
    }
    let pendingReply: Promise<string>;
    try {
      pendingReply = this.bridge.call(this.handle, method, argsJson);
    } catch (e) {
      // A host-object error (e.g. the runtime's bridge was torn down): reject, never throw.
      if (eventId !== undefined) this.pending.delete(eventId);
      return Promise.reject(e);
    }
    return pendingReply.then((text) => {
      const reply = parseReply(text);
      if (reply.code !== RCIMIWErrorCode.SUCCESS && eventId !== undefined) {
        // Rejected immediately: no listener and no callback will fire for this call.
        this.pending.delete(eventId);
      }
      return reply;
    });
  }

  private onNativeEvent(json: string): void {
    let event: NativeEvent;
    try {
      event = JSON.parse(json) as NativeEvent;
    } catch {
      logger.warn('unreadable event from the native engine:', json);
      return;
    }
    if (!event || typeof event.name !== 'string') return;
    const name = event.name;
    const args: EventArgs =
      event.args !== null && typeof event.args === 'object' ? (event.args as EventArgs) : {};

    const listener = this.slots.get(name);
    const params = (LISTENER_PARAMS as { [name: string]: readonly string[] | undefined })[name];
    if (listener && params) {
      const values = params.map((p) => (MAP_PARAMS.has(`${name}.${p}`) ? toMap(args[p]) : args[p]));
      safeCall(`listener ${name}`, listener, values);
    }

    for (const eventId of answeredEventIds(event)) this.routeToCallback(eventId, name, args);
  }

  private routeToCallback(eventId: string, name: string, args: EventArgs): void {
    const pending = this.pending.get(eventId);
    const route = CALLBACK_ROUTES[name];
    if (!pending || !route) return;
    const ok = args.code === undefined || args.code === RCIMIWErrorCode.SUCCESS;
    if (!route.progress) this.pending.delete(eventId);
    for (const h of route.handlers) {
      if (h.when === 'ok' && !ok) continue;
      if (h.when === 'error' && ok) continue;
      const f = pending.callback[h.fn];
      if (typeof f !== 'function') continue;
      if (!h.repeat) {
        if (pending.fired.has(h.fn)) continue;
        pending.fired.add(h.fn);
      }
      safeCall(
        `callback ${h.fn}`,
        f.bind(pending.callback) as AnyFunction,
        h.args.map((a) => args[a])
      );
    }
  }

  protected setListener(name: ListenerName, listener: AnyFunction | undefined): void {
    this.slots.set(name, listener);
  }

  /**
   * Calls a `create…Message` method: resolves with the message object the engine built, or
   * with the status code when it rejects the arguments (1 PARAM_ERROR; for a media file the
   * engine may answer a local-file code such as 34234 invalid path).
   */
  protected invokeCreate<T extends RCIMIWMessage>(method: string, args: EventArgs): Promise<T> {
    return this.invoke(method, args, undefined, true) as Promise<unknown> as Promise<T>;
  }
}
