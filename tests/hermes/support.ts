/**
 * Helpers for the Hermes integration tests (run by scripts/hermes-tests.mjs inside
 * rcim-jshost). Each test file default-exports an async function that throws on failure.
 */
import {
  RCIMIWConnectionStatus,
  RCIMIWConversationType,
  RCIMIWEngine,
  RCIMIWMessageOperationPolicy,
  RCIMIWTimeOrder,
  type RCIMBridge,
  type RCIMIWEngineOptions,
  type RCIMIWMessage,
  type RCIMIWTextMessage,
} from 'react-native-rcim';

export interface HostEnv {
  navi: string;
  appKey: string;
  /** { userId: token }, in registration order. */
  tokens: { [userId: string]: string };
  users: string[];
  /** Groups created for this run through `/group/create.json` (RCIM_GROUPS). */
  groups: HostGroup[];
  dataDir: string;
  /** The runner's file proxy (`// @file-proxy`), to use as the engines' `fileServer`. */
  fileServer?: string;
  /** PEM of the CA of a TLS server (RCIM_TLS_CA): the engines trust it (`tls` option). */
  tlsCa?: string;
}

export interface HostGroup {
  id: string;
  name: string;
  /** Member user ids (a prefix of `users`). */
  members: string[];
}

/** The RCIM_* environment the runner gives the host (`globalThis.__rcimHostEnv`). */
export function hostEnv(): HostEnv {
  const raw = (globalThis as { __rcimHostEnv?: { [name: string]: string } }).__rcimHostEnv;
  if (!raw) throw new Error('globalThis.__rcimHostEnv is missing (run this inside rcim-jshost)');
  const need = (name: string): string => {
    const v = raw[name];
    if (!v) throw new Error(`${name} is not set`);
    return v;
  };
  const tokens = JSON.parse(need('RCIM_TOKENS')) as { [userId: string]: string };
  return {
    navi: need('RCIM_NAVI'),
    appKey: need('RCIM_APP_KEY'),
    tokens,
    users: Object.keys(tokens),
    groups: raw.RCIM_GROUPS ? (JSON.parse(raw.RCIM_GROUPS) as HostGroup[]) : [],
    dataDir: raw.RCIM_DATA_DIR ?? '',
    fileServer: raw.RCIM_FILE_SERVER || undefined,
    tlsCa: raw.RCIM_TLS_CA || undefined,
  };
}

/** The engine options of a test: the run's server (and file proxy), plus `extra`. */
export function engineOptions(env: HostEnv, extra: RCIMIWEngineOptions = {}): RCIMIWEngineOptions {
  const options: RCIMIWEngineOptions = { naviServer: env.navi, ...extra };
  if (env.fileServer && !extra.fileServer) options.fileServer = env.fileServer;
  if (env.tlsCa && !extra.tls) options.tls = { caCertificates: [env.tlsCa] };
  return options;
}

export const PRIVATE = RCIMIWConversationType.PRIVATE;
export const GROUP = RCIMIWConversationType.GROUP;

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

let lastSendCall = 0;
/**
 * Keeps the test's send calls under the SDK's 5 messages per second (R080): a sixth call
 * inside one second fails with 20604 by design, which is not what these tests are about.
 */
export async function paceSend(): Promise<void> {
  const wait = lastSendCall + 210 - Date.now();
  if (wait > 0) await sleep(wait);
  lastSendCall = Date.now();
}

export function fail(message: string): never {
  throw new Error(message);
}

export function assert(cond: unknown, message: string): asserts cond {
  if (!cond) fail(message);
}

function show(v: unknown): string {
  try {
    return JSON.stringify(v);
  } catch {
    return String(v);
  }
}

export function assertEqual<T>(actual: T, expected: T, what: string): void {
  if (show(actual) !== show(expected)) {
    fail(`${what}: expected ${show(expected)}, got ${show(actual)}`);
  }
}

/**
 * Polls until `check()` returns a truthy value; returns it. A falsy result (0, '') counts as
 * "not yet": to wait for a result code (success is 0), return it boxed, e.g. `{ code }`.
 */
export async function waitFor<T>(
  what: string,
  check: () => T | undefined | null | false,
  timeoutMs = 15000
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = check();
    if (v) return v as T;
    if (Date.now() > deadline) fail(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(20);
  }
}

/** `waitFor` for an asynchronous check (e.g. a lookup through the API). */
export async function waitForAsync<T>(
  what: string,
  check: () => Promise<T | undefined | null | false>,
  timeoutMs = 15000
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v as T;
    if (Date.now() > deadline) fail(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(50);
  }
}

/**
 * Turns a 5.2.5 callback-object call into a Promise of what it delivers. `start` receives
 * resolve/reject helpers and must return the method's status Promise; a non-zero status
 * rejects at once.
 */
export async function viaCallback<T>(
  what: string,
  start: (resolve: (v: T) => void, reject: (code: number) => void) => Promise<unknown>,
  timeoutMs = 15000
): Promise<T> {
  let result: { ok: true; value: T } | { ok: false; code: number } | undefined;
  const status = await start(
    (value) => {
      if (!result) result = { ok: true, value };
    },
    (code) => {
      if (!result) result = { ok: false, code };
    }
  );
  if (typeof status === 'number' && status !== 0) fail(`${what}: call resolved ${status}`);
  const r = await waitFor(`${what} callback`, () => result, timeoutMs);
  if (!r.ok) fail(`${what}: onError(${r.code})`);
  return r.value;
}

/** Connects and waits for onConnected (code 0) through the callback object; returns userId. */
export async function connect(engine: RCIMIWEngine, token: string): Promise<string> {
  let db: number | undefined;
  let done: { code: number; userId: string } | undefined;
  const status = await engine.connect(token, 0, {
    onDatabaseOpened: (code) => (db = code),
    onConnected: (code, userId) => (done = { code, userId }),
  });
  assertEqual(status, 0, 'connect status');
  const r = await waitFor('onConnected', () => done);
  assertEqual(r.code, 0, 'onConnected code');
  assertEqual(db, 0, 'onDatabaseOpened code (before onConnected)');
  return r.userId;
}

/**
 * Creates two connected engines: the default singleton for users[0], a standalone one for
 * users[1] (both with `extra` options).
 */
export async function twoEngines(env: HostEnv, extra: RCIMIWEngineOptions = {}) {
  assert(env.users.length >= 2, 'need two users in RCIM_TOKENS');
  const [userA, userB] = env.users;
  const a = RCIMIWEngine.create(env.appKey, engineOptions(env, extra));
  const b = RCIMIWEngine.createStandalone(env.appKey, engineOptions(env, extra));
  assertEqual(await connect(a, env.tokens[userA]), userA, 'engine A userId');
  assertEqual(await connect(b, env.tokens[userB]), userB, 'engine B userId');
  return { a, b, userA, userB };
}

/**
 * Sends a text from `engine` to `targetId` (a private chat unless `type` says otherwise) and
 * waits for onMessageSent (code 0).
 */
export async function sendText(
  engine: RCIMIWEngine,
  targetId: string,
  text: string,
  type: RCIMIWConversationType = PRIVATE
): Promise<RCIMIWMessage> {
  const msg = await engine.createTextMessage(type, targetId, null, text);
  assert(msg !== null && typeof msg === 'object', `createTextMessage resolved ${show(msg)}`);
  let sent: { code: number; message: RCIMIWMessage } | undefined;
  await paceSend();
  const status = await engine.sendMessage(msg, {
    onMessageSent: (code, message) => (sent = { code, message }),
  });
  assertEqual(status, 0, 'sendMessage status');
  const r = await waitFor(`onMessageSent for "${text}"`, () => sent);
  assertEqual(r.code, 0, `onMessageSent code for "${text}"`);
  return r.message;
}

/** Destroys engines, ignoring errors (for finally blocks). */
export async function destroyAll(...engines: Array<RCIMIWEngine | undefined>): Promise<void> {
  for (const e of engines) {
    try {
      if (e) await e.destroy();
    } catch {
      // ignore
    }
  }
}

/**
 * Another device: a standalone engine whose data directory is `<RCIM_DATA_DIR>/<name>`, so it
 * has its own store and its own device id (a second phone of a user, or a reinstall). The
 * engine keeps the bridge it was created with; this one hands the host object's functions a
 * different `dataDir`. The server lets one mobile device of a user be online at a time: the
 * device that connects last kicks the other one (31010).
 */
export function deviceEngine(
  env: HostEnv,
  name: string,
  extra: RCIMIWEngineOptions = {}
): RCIMIWEngine {
  const g = globalThis as { __rcimBridge?: RCIMBridge };
  const real = g.__rcimBridge;
  assert(real, 'global.__rcimBridge is missing');
  const base = env.dataDir || real.dataDir || '';
  assert(base !== '', 'no data directory to put a device under');
  const device: RCIMBridge = {
    createEngine: (config) => real.createEngine(config),
    call: (handle, method, args) => real.call(handle, method, args),
    setEventListener: (handle, fn) => real.setEventListener(handle, fn),
    destroyEngine: (handle) => real.destroyEngine(handle),
    dataDir: `${base}/${name}`,
  };
  g.__rcimBridge = device;
  try {
    return RCIMIWEngine.createStandalone(env.appKey, engineOptions(env, extra));
  } finally {
    g.__rcimBridge = real;
  }
}

/**
 * Disconnects `engine` (no push) and waits until its status is SIGN_OUT, so that another
 * device of the same user can connect without kicking it.
 */
export async function signOut(engine: RCIMIWEngine): Promise<void> {
  let out = false;
  engine.setOnConnectionStatusChangedListener((status) => {
    if (status === RCIMIWConnectionStatus.SIGN_OUT) out = true;
  });
  assertEqual(await engine.disconnect(false), 0, 'disconnect status');
  await waitFor('SIGN_OUT', () => out);
  engine.setOnConnectionStatusChangedListener(undefined);
}

/**
 * The code of an action whose result comes in one callback-object function: the status of the
 * call when it is non-zero (rejected at once), else the code the callback gets. `start` gets
 * the function to hand the callback object (`onXxx: done`).
 */
export async function actionCode(
  what: string,
  start: (done: (code: number) => void) => Promise<number>,
  timeoutMs = 15000
): Promise<number> {
  let code: number | undefined;
  const status = await start((c) => {
    if (code === undefined) code = c;
  });
  if (status !== 0) return status;
  return waitFor(`${what} callback`, () => code !== undefined && { code }, timeoutMs).then(
    (r) => r.code
  );
}

/** The code an object-callback call ends with: its non-zero status, or onError's code, or 0. */
export async function objectCode(
  what: string,
  start: (cb: { onSuccess: () => void; onError: (code: number) => void }) => Promise<number>,
  timeoutMs = 15000
): Promise<number> {
  return actionCode(
    what,
    (done) => start({ onSuccess: () => done(0), onError: (c) => done(c) }),
    timeoutMs
  );
}

/** One page of `getMessages` through its callback object. */
export function page(
  engine: RCIMIWEngine,
  type: RCIMIWConversationType,
  targetId: string,
  sentTime: number,
  order: RCIMIWTimeOrder,
  policy: RCIMIWMessageOperationPolicy,
  count: number,
  what = 'getMessages'
): Promise<RCIMIWMessage[]> {
  return viaCallback<RCIMIWMessage[]>(what, (ok, err) =>
    engine.getMessages(type, targetId, null, sentTime, order, policy, count, {
      onSuccess: ok,
      onError: err,
    })
  );
}

/** The texts of messages (undefined for other types). */
export const texts = (ms: RCIMIWMessage[]) => ms.map((m) => (m as RCIMIWTextMessage).text);

export const LOCAL = RCIMIWMessageOperationPolicy.LOCAL;
export const REMOTE = RCIMIWMessageOperationPolicy.REMOTE;
export const LOCAL_REMOTE = RCIMIWMessageOperationPolicy.LOCAL_REMOTE;
export const BEFORE = RCIMIWTimeOrder.BEFORE;
export const AFTER = RCIMIWTimeOrder.AFTER;

/** A device of `userId` (see `deviceEngine`), connected; destroy it to take it offline. */
export async function onlineDevice(
  env: HostEnv,
  userId: string,
  name: string,
  extra: RCIMIWEngineOptions = {}
): Promise<RCIMIWEngine> {
  const engine = deviceEngine(env, name, extra);
  try {
    assertEqual(await connect(engine, env.tokens[userId]), userId, `${name} userId`);
  } catch (e) {
    await destroyAll(engine);
    throw e;
  }
  return engine;
}

/** Polls `getMessages` (LOCAL, newest first, up to 20) until `check(texts)` holds; returns them. */
export async function waitForLocalHistory(
  engine: RCIMIWEngine,
  type: RCIMIWConversationType,
  targetId: string,
  what: string,
  check: (t: Array<string | undefined>) => boolean,
  timeoutMs = 15000
): Promise<RCIMIWMessage[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const got = await page(engine, type, targetId, 0, BEFORE, LOCAL, 20, what);
    if (check(texts(got))) return got;
    if (Date.now() > deadline) {
      fail(`timed out after ${timeoutMs} ms waiting for ${what}; local: ${show(texts(got))}`);
    }
    await sleep(100);
  }
}
