'use strict';
/**
 * In-memory stand-in for the RCIM native bridge (`global.__rcimBridge`, docs/bridge.md), for
 * Jest tests of apps and of this package. It speaks the same JSON protocol as the real host
 * object and keeps one local store per (appKey, userId); engines of different users in the
 * same test process can chat with each other (private and group messages).
 *
 * Its methods live by area in `areas/` (one module each, its entries keyed by bridge method
 * name: `{ args: {name: kind}, run(engine, args, eventId) }`), over the shared state and
 * helpers of `core.js`. The method table is the union of the areas; a test checks that it
 * matches the methods `RCIMIWEngine` sends and the Rust bridge's table. A method outside the
 * table resolves 3 (NATIVE_OPERATION_ERROR) unless scripted with `RCIMMock.setReply`. Entries
 * marked `queued` change server state and go through the core's outbox (`operate`).
 */
const { Code, ConnectionStatus, typeOk } = require('./constants');
const { clone, createCore } = require('./core');

const AREAS = [
  require('./areas/connection'),
  require('./areas/messages'),
  require('./areas/media'),
  require('./areas/conversations'),
  require('./areas/unread'),
  require('./areas/drafts'),
  require('./areas/search'),
  require('./areas/recall'),
  require('./areas/storage'),
  require('./areas/expansion'),
  require('./areas/receipts'),
  require('./areas/settings'),
  require('./areas/user-settings'),
  require('./areas/typing'),
  require('./areas/chatroom'),
  require('./areas/ultragroup'),
];

/** The method table: every area's entries over `core`; a name defined twice is a bug. */
function methodTable(core) {
  const table = {};
  for (const area of AREAS) {
    for (const [name, entry] of Object.entries(area(core))) {
      if (table[name]) throw new Error(`mock method ${name} is defined twice`);
      table[name] = entry;
    }
  }
  return table;
}

/** Names of the bridge methods the mock implements. */
function methodNames() {
  return Object.keys(methodTable(createCore())).sort();
}

/** Statuses that end a session, with the code its queued sends fail with (none: sign-out). */
const ENDING = new Map([
  [ConnectionStatus.UNCONNECTED, Code.CONN_ID_REJECT],
  [ConnectionStatus.KICKED_OFFLINE_BY_OTHER_CLIENT, Code.DISCONN_KICK],
  [ConnectionStatus.TOKEN_INCORRECT, Code.TOKEN_INCORRECT],
  [ConnectionStatus.CONN_USER_BLOCKED, Code.CONN_USER_BLOCKED],
  [ConnectionStatus.SIGN_OUT, 0],
  [ConnectionStatus.TIMEOUT, Code.CONNECT_TIMEOUT],
]);

function createFakeBridge() {
  const core = createCore();
  const { s, emit, receive } = core;
  const methods = methodTable(core);

  function dispatch(handle, method, argsJson) {
    const e = s.engines.get(handle);
    let args;
    try {
      args = JSON.parse(argsJson);
    } catch {
      args = null;
    }
    s.calls.push({ handle, method, args: clone(args) });
    if (!e || !e.alive) return { code: Code.ENGINE_DESTROYED };
    if (!args || typeof args !== 'object') return { code: Code.PARAM_ERROR };
    const scripted = s.replies.get(method);
    if (scripted && scripted.length) return { code: scripted.shift() };
    const entry = Object.prototype.hasOwnProperty.call(methods, method) ? methods[method] : null;
    if (!entry) return { code: Code.NATIVE_OPERATION_ERROR };
    for (const name of Object.keys(entry.args)) {
      if (!typeOk(entry.args[name], args[name])) return { code: Code.PARAM_ERROR };
    }
    const r = entry.queued
      ? core.operate(e, entry, args, args.eventId)
      : entry.run(e, args, args.eventId);
    return typeof r === 'number' ? { code: r } : r;
  }

  const bridge = {
    createEngine(configJson) {
      let cfg;
      try {
        cfg = JSON.parse(configJson);
      } catch {
        return 0;
      }
      if (!cfg || typeof cfg.appKey !== 'string' || cfg.appKey === '') return 0;
      const handle = s.nextHandle++;
      s.engines.set(handle, {
        handle,
        appKey: cfg.appKey,
        options: cfg.options || {},
        userId: null,
        connected: false, // a live session (connected once, not signed out or ended)
        online: false, // status CONNECTED: operations run now, else they wait in the outbox
        alive: true,
        listener: undefined,
      });
      return handle;
    },
    call(handle, method, argsJson) {
      return Promise.resolve().then(() => JSON.stringify(dispatch(handle, method, argsJson)));
    },
    setEventListener(handle, fn) {
      const e = s.engines.get(handle);
      if (e && e.alive) e.listener = typeof fn === 'function' ? fn : undefined;
    },
    destroyEngine(handle) {
      const e = s.engines.get(handle);
      if (e) {
        core.endSession(e);
        e.alive = false;
        e.listener = undefined;
      }
    },
  };

  /** Test controls (exported as `RCIMMock`). */
  const control = {
    bridge,
    /** Every call made: `{ handle, method, args }` (args as sent, with eventId). */
    calls: s.calls,
    /** Forgets all messages, conversations, tokens, scripted replies and recorded calls. */
    reset() {
      s.stores.clear();
      s.tokens.clear();
      s.invalidTokens.clear();
      s.replies.clear();
      s.calls.length = 0;
      s.transfers.clear();
      s.partialDownloads.clear();
      s.holdTransfers = false;
      s.recallOnlySender = false;
      core.chatrooms.rooms.clear();
      core.ultragroups.reset();
      for (const e of s.engines.values()) {
        e.userId = null;
        e.connected = false;
        e.online = false;
      }
    },
    /** Makes `connect(token)` log in as `userId` (unregistered tokens log in as the token itself). */
    registerToken(token, userId) {
      s.tokens.set(token, userId);
    },
    /** Makes `connect(token)` fail with 31004 (so do '' and tokens starting with "invalid"). */
    invalidateToken(token) {
      s.invalidTokens.add(token);
    },
    /** The next call(s) of `method` resolve with these codes instead of running. */
    setReply(method, ...codes) {
      s.replies.set(method, codes);
    },
    /**
     * The server setting "only the sender may recall": others then get 25107. Off by default
     * (anyone may recall, R113); `reset()` turns it off.
     */
    setRecallOnlySender(on) {
      s.recallOnlySender = !!on;
    },
    /**
     * Delivers an incoming message to `userId` (stored, counted unread, onMessageReceived on
     * that user's connected engines). Returns the stored message.
     */
    receiveMessage(userId, message, options = {}) {
      const appKey =
        options.appKey || [...s.engines.values()].find((e) => e.userId === userId)?.appKey;
      if (!appKey)
        throw new Error(`RCIMMock.receiveMessage: no engine has connected as "${userId}"`);
      return receive(appKey, userId, message, options);
    },
    /**
     * Pushes a connection status to `userId`'s engines and acts on it like the engine: while
     * NETWORK_UNAVAILABLE, CONNECTING or SUSPEND, sends, recalls, read receipts and setting
     * changes wait; CONNECTED runs them (in call order); UNCONNECTED, KICKED, TOKEN_INCORRECT,
     * CONN_USER_BLOCKED, SIGN_OUT and TIMEOUT end the session (queued sends fail, except on
     * SIGN_OUT; new operations resolve 33001).
     */
    setConnectionStatus(userId, status) {
      for (const e of s.engines.values()) {
        if (!e.alive || e.userId !== userId) continue;
        emit(e, 'onConnectionStatusChanged', { status });
        if (!e.connected) continue;
        if (status === ConnectionStatus.CONNECTED) {
          e.online = true;
          core.flushOutbox(e, false);
        } else if (ENDING.has(status)) {
          core.endSession(e, ENDING.get(status));
        } else {
          e.online = false;
        }
      }
    },
    /**
     * Destroys chatroom `roomId` of `appKey` (default: the first engine's) as the Server API
     * would: its members get onChatRoomStatusChanged (`status`, default DESTROY_MANUAL 1) and
     * lose its local messages. Returns whether the room existed.
     */
    destroyChatRoom(roomId, status = 1, appKey) {
      const key = appKey || [...s.engines.values()].find((e) => e.alive)?.appKey;
      return key ? core.chatrooms.destroy(key, roomId, status) : false;
    },
    /**
     * Pauses media uploads and downloads after their first progress event (25), so that a
     * test can cancel them midway; `releaseTransfers()` lets them go on.
     */
    holdTransfers() {
      s.holdTransfers = true;
    },
    /** Resumes the transfers paused by `holdTransfers()`. */
    releaseTransfers() {
      s.holdTransfers = false;
      for (const t of [...s.transfers.values()]) if (t.resume) t.resume();
    },
    /** Local messages of a user (copies). */
    messagesOf(userId) {
      const out = [];
      for (const [key, st] of s.stores)
        if (key.endsWith(`|${userId}`)) out.push(...clone(st.messages));
      return out;
    },
    /** A user's push settings (`{ language, showContent, receive }`; defaults when unset). */
    pushSettingsOf(userId) {
      for (const [key, st] of s.stores)
        if (key.endsWith(`|${userId}`) && st.settings) return { ...st.settings.push };
      return { language: '', showContent: true, receive: false };
    },
    /**
     * Live engines: `{ handle, appKey, options, userId, connected, online, deviceToken }`.
     */
    engines() {
      return [...s.engines.values()]
        .filter((e) => e.alive)
        .map((e) => ({
          handle: e.handle,
          appKey: e.appKey,
          options: e.options,
          userId: e.userId,
          connected: e.connected,
          online: e.online,
          deviceToken: e.deviceToken ?? null,
        }));
    },
    /** Resolves once pending replies and events have been delivered. */
    async flush() {
      for (let i = 0; i < 20; i++) await Promise.resolve();
    },
  };
  Object.defineProperty(bridge, '__rcimMock', { value: control, enumerable: false });
  return bridge;
}

module.exports = { createFakeBridge, methodNames };
