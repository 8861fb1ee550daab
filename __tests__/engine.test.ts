import type * as LibModule from '../src';
import type { IRCIMIWGetMessageCallback, RCIMIWConversationType, RCIMIWMessage } from '../src';
import { tick, loadOverTestBridge, unloadTestBridge, type TestBridge } from './helpers';

type Lib = typeof LibModule;

let tb: TestBridge;
let lib: Lib;

beforeEach(() => {
  ({ tb, lib } = loadOverTestBridge());
});

afterEach(unloadTestBridge);

describe('create / destroy', () => {
  test('create is a singleton that ignores later arguments', () => {
    const a = lib.RCIMIWEngine.create('key-1', { naviServer: 'http://navi' });
    const b = lib.RCIMIWEngine.create('key-2', { naviServer: 'http://other' });
    expect(b).toBe(a);
    expect(tb.bridge.createEngine).toHaveBeenCalledTimes(1);
    expect(tb.configs[0]).toEqual({ appKey: 'key-1', options: { naviServer: 'http://navi' } });
  });

  test('options default to {}', () => {
    lib.RCIMIWEngine.create('key');
    expect(tb.configs[0]).toEqual({ appKey: 'key', options: {} });
  });

  test("the platform's data dir goes into the config", () => {
    (tb.bridge as { dataDir?: string }).dataDir = '/data/rcim';
    lib.RCIMIWEngine.createStandalone('key', { kickReconnectDevice: true });
    expect(tb.configs[0]).toEqual({
      appKey: 'key',
      options: { kickReconnectDevice: true },
      dataDir: '/data/rcim',
    });
  });

  test('destroy clears the singleton at once; old object then resolves ENGINE_DESTROYED', async () => {
    const a = lib.RCIMIWEngine.create('key');
    const p = a.destroy();
    const b = lib.RCIMIWEngine.create('key');
    expect(b).not.toBe(a);
    await expect(p).resolves.toBe(0);
    expect(tb.bridge.destroyEngine).toHaveBeenCalledWith(1);
    expect(tb.hasListener(1)).toBe(false);
    await expect(a.connect('t', 0)).resolves.toBe(lib.RCIMIWErrorCode.ENGINE_DESTROYED);
    await expect(a.loadTotalUnreadCount(null)).resolves.toBe(2);
    await expect(a.destroy()).resolves.toBe(2);
    await expect(b.connect('t', 0)).resolves.toBe(0);
  });

  test('createStandalone makes independent engines and leaves the singleton alone', async () => {
    const s1 = lib.RCIMIWEngine.createStandalone('key');
    const s2 = lib.RCIMIWEngine.createStandalone('key');
    const main = lib.RCIMIWEngine.create('key');
    expect(new Set([s1, s2, main]).size).toBe(3);
    expect(lib.RCIMIWEngine.create('key')).toBe(main);

    const got: string[] = [];
    s1.setOnConnectedListener((_code, userId) => got.push(`s1:${userId}`));
    s2.setOnConnectedListener((_code, userId) => got.push(`s2:${userId}`));
    main.setOnConnectedListener((_code, userId) => got.push(`main:${userId}`));
    tb.emit(1, 'onConnected', { code: 0, userId: 'a' });
    tb.emit(2, 'onConnected', { code: 0, userId: 'b' });
    tb.emit(3, 'onConnected', { code: 0, userId: 'c' });
    expect(got).toEqual(['s1:a', 's2:b', 'main:c']);

    await s1.destroy();
    expect(lib.RCIMIWEngine.create('key')).toBe(main);
    await expect(s2.connect('t', 0)).resolves.toBe(0);
  });
});

describe('calls', () => {
  test('arguments are sent by name; eventId only with a callback object', async () => {
    const e = lib.RCIMIWEngine.create('key');
    await e.connect('tok', 5);
    expect(tb.lastCall()).toEqual({
      handle: 1,
      method: 'connect',
      args: { token: 'tok', timeout: 5 },
    });
    await e.connect('tok', 5, {});
    expect(tb.lastCall().args).toEqual({ token: 'tok', timeout: 5, eventId: expect.any(String) });
    await e.getMessages(1, 'u', null, 0, lib.RCIMIWTimeOrder.BEFORE, 0, 20);
    expect(tb.lastCall()).toEqual({
      handle: 1,
      method: 'getMessages',
      args: {
        type: 1,
        targetId: 'u',
        channelId: null,
        sentTime: 0,
        order: 0,
        policy: 0,
        count: 20,
      },
    });
  });

  test('null entries are filtered from arrays; undefined becomes null', async () => {
    const e = lib.RCIMIWEngine.create('key');
    const types = [1, null, 2, undefined] as unknown as lib_ConversationTypes;
    await e.loadConversations(types, undefined as unknown as string, 0, 10);
    expect(tb.lastCall().args).toEqual({
      conversationTypes: [1, 2],
      channelId: null,
      startTime: 0,
      count: 10,
    });
  });

  test('wrong argument types are passed through for the engine to reject', async () => {
    const e = lib.RCIMIWEngine.create('key');
    tb.setReply(() => ({ code: 1 }));
    await expect(e.sendMessage(42 as unknown as object)).resolves.toBe(1);
    expect(tb.lastCall().args).toEqual({ message: 42 });
  });

  test('create*Message resolves with the message object', async () => {
    const e = lib.RCIMIWEngine.create('key');
    const msg = { conversationType: 1, messageType: 2, targetId: 'u', text: 'hi' };
    tb.setReply(() => ({ code: 0, value: msg }));
    await expect(e.createTextMessage(1, 'u', null, 'hi')).resolves.toEqual(msg);
    expect(tb.lastCall().args).toEqual({ type: 1, targetId: 'u', channelId: null, text: 'hi' });
    tb.setReply(() => ({ code: 1 }));
    await expect(e.createTextMessage(1, 'u', null, 5 as unknown as string)).resolves.toBe(1);
  });

  test('getMessageById without a callback resolves the message (seed form)', async () => {
    const e = lib.RCIMIWEngine.create('key');
    const msg = { messageId: 7, text: 'x' };
    tb.setReply(() => ({ code: 0, value: msg }));
    const got: RCIMIWMessage = await e.getMessageById(7);
    expect(got).toEqual(msg);
    expect(tb.lastCall()).toEqual(
      expect.objectContaining({ method: 'getMessageById', args: { messageId: 7 } })
    );
    // A failed lookup resolves its code instead of a message.
    tb.setReply(() => ({ code: 34204 }));
    await expect(e.getMessageById(8)).resolves.toBe(34204);
    tb.setReply(() => ({ code: 1 }));
    await expect(e.getMessageById('7' as unknown as number)).resolves.toBe(1);
  });

  test('getMessageById with a callback resolves the status and calls onSuccess (5.2.5)', async () => {
    const e = lib.RCIMIWEngine.create('key');
    const msg = { messageId: 7, text: 'x' };
    tb.setReply(() => ({ code: 0, value: msg }));
    const onSuccess = jest.fn();
    const onError = jest.fn();
    const status: number = await e.getMessageById(7, { onSuccess, onError });
    expect(status).toBe(0);
    expect(onSuccess).toHaveBeenCalledTimes(1);
    expect(onSuccess).toHaveBeenCalledWith(msg);
    expect(onError).not.toHaveBeenCalled();
    // A callback that may be undefined picks the form at run time.
    const maybe = { onSuccess } as IRCIMIWGetMessageCallback | undefined;
    const either: number | RCIMIWMessage = await e.getMessageById(7, maybe);
    expect(either).toBe(0);
    expect(onSuccess).toHaveBeenCalledTimes(2);
  });

  test('getMessageById with a callback: an unknown id resolves 0 and calls onError(code)', async () => {
    const e = lib.RCIMIWEngine.create('key');
    tb.setReply(() => ({ code: 34204 }));
    const onSuccess = jest.fn();
    const onError = jest.fn();
    await expect(e.getMessageById(99, { onSuccess, onError })).resolves.toBe(0);
    expect(onError).toHaveBeenCalledWith(34204);
    expect(onSuccess).not.toHaveBeenCalled();
    // A callback object without onError is fine.
    await expect(e.getMessageById(99, { onSuccess })).resolves.toBe(0);
  });

  test('getMessageById with a callback: a rejected call resolves its code, no callback fires', async () => {
    const e = lib.RCIMIWEngine.create('key');
    tb.setReply(() => ({ code: 1 }));
    const onSuccess = jest.fn();
    const onError = jest.fn();
    await expect(e.getMessageById(-1, { onSuccess, onError })).resolves.toBe(1);
    await e.destroy();
    await expect(e.getMessageById(7, { onSuccess, onError })).resolves.toBe(2);
    await tick();
    expect(onSuccess).not.toHaveBeenCalled();
    expect(onError).not.toHaveBeenCalled();
  });

  test('getMessageById: an error thrown by onSuccess is reported, not thrown', async () => {
    const e = lib.RCIMIWEngine.create('key');
    tb.setReply(() => ({ code: 0, value: { messageId: 7 } }));
    const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const onSuccess = () => {
        throw new Error('app bug');
      };
      await expect(e.getMessageById(7, { onSuccess })).resolves.toBe(0);
      expect(error).toHaveBeenCalled();
    } finally {
      error.mockRestore();
    }
  });

  test('an unreadable reply resolves RESULT_UNKNOWN', async () => {
    const e = lib.RCIMIWEngine.create('key');
    (tb.bridge.call as jest.Mock).mockImplementationOnce(() => Promise.resolve('not json'));
    await expect(e.disconnect(true)).resolves.toBe(lib.RCIMIWErrorCode.RESULT_UNKNOWN);
  });

  test('arguments that cannot be serialized resolve PARAM_ERROR without calling native', async () => {
    const e = lib.RCIMIWEngine.create('key');
    const loop: { [k: string]: unknown } = {};
    loop.self = loop;
    const n = tb.calls.length;
    await expect(e.sendMessage(loop)).resolves.toBe(1);
    expect(tb.calls.length).toBe(n);
  });
});

describe('listener slots', () => {
  test('one listener per slot: last set wins, undefined clears', () => {
    const e = lib.RCIMIWEngine.create('key');
    const first = jest.fn();
    const second = jest.fn();
    e.setOnMessageReceivedListener(first);
    e.setOnMessageReceivedListener(second);
    tb.emit(1, 'onMessageReceived', {
      message: { text: 'a' },
      left: 0,
      offline: false,
      hasPackage: false,
    });
    expect(first).not.toHaveBeenCalled();
    expect(second).toHaveBeenCalledWith({ text: 'a' }, 0, false, false);
    e.setOnMessageReceivedListener(undefined);
    tb.emit(1, 'onMessageReceived', {
      message: { text: 'b' },
      left: 0,
      offline: false,
      hasPackage: false,
    });
    e.setOnMessageReceivedListener();
    tb.emit(1, 'onMessageReceived', {
      message: { text: 'c' },
      left: 0,
      offline: false,
      hasPackage: false,
    });
    expect(second).toHaveBeenCalledTimes(1);
  });

  test('args are passed in declaration order whatever the JSON key order', () => {
    const e = lib.RCIMIWEngine.create('key');
    const fn = jest.fn();
    e.setOnMessagesLoadedListener(fn);
    tb.emit(1, 'onMessagesLoaded', {
      messages: [{ messageId: 1 }],
      order: 0,
      sentTime: 5,
      channelId: null,
      targetId: 'u',
      type: 1,
      code: 0,
    });
    expect(fn).toHaveBeenCalledWith(0, 1, 'u', null, 5, 0, [{ messageId: 1 }]);
  });

  test('seed-only aliases share the 5.2.5 slot', () => {
    const e = lib.RCIMIWEngine.create('key');
    const viaAlias = jest.fn();
    const viaOfficial = jest.fn();
    e.setOnConnectionStatusChangeListener(viaAlias);
    tb.emit(1, 'onConnectionStatusChanged', { status: 1 });
    expect(viaAlias).toHaveBeenCalledWith(lib.RCIMIWConnectionStatus.CONNECTED);
    e.setOnConnectionStatusChangedListener(viaOfficial);
    tb.emit(1, 'onConnectionStatusChanged', { status: 7 });
    expect(viaAlias).toHaveBeenCalledTimes(1);
    expect(viaOfficial).toHaveBeenCalledWith(7);
    e.setOnConnectionStatusChangeListener(undefined);
    tb.emit(1, 'onConnectionStatusChanged', { status: 2 });
    expect(viaOfficial).toHaveBeenCalledTimes(1);

    const typing = jest.fn();
    e.setOnTypingStatusChangeListener(typing);
    tb.emit(1, 'onTypingStatusChanged', {
      type: 1,
      targetId: 'u',
      channelId: '',
      userTypingStatus: [],
    });
    expect(typing).toHaveBeenCalledWith(1, 'u', '', []);

    const cleared = jest.fn();
    e.setOnMessageClearedListener(cleared);
    tb.emit(1, 'onMessagesCleared', {
      code: 0,
      type: 1,
      targetId: 'u',
      channelId: '',
      timestamp: 9,
    });
    expect(cleared).toHaveBeenCalledWith(0, 1, 'u', '', 9);

    const removed = jest.fn();
    e.setOnUltraGroupMessageExpansionRemovedListener(removed);
    tb.emit(1, 'onUltraGroupMessageExpansionForKeysRemoved', {
      code: 0,
      messageUId: 'X',
      keys: ['k'],
    });
    expect(removed).toHaveBeenCalledWith(0, 'X', ['k']);

    const attached = jest.fn();
    e.setMessageAttachedListener(attached);
    tb.emit(1, 'onMessageAttached', { message: { messageId: 3 } });
    expect(attached).toHaveBeenCalledWith({ messageId: 3 });
  });

  test('Map-typed listener parameters are rebuilt as Maps', () => {
    const e = lib.RCIMIWEngine.create('key');
    const fn = jest.fn();
    e.setOnRemoteMessageExpansionUpdatedListener(fn);
    tb.emit(1, 'onRemoteMessageExpansionUpdated', {
      expansion: { a: '1', b: '2' },
      message: { messageId: 1 },
    });
    const [expansion, message] = fn.mock.calls[0];
    expect(expansion).toBeInstanceOf(Map);
    expect([...expansion.entries()]).toEqual([
      ['a', '1'],
      ['b', '2'],
    ]);
    expect(message).toEqual({ messageId: 1 });

    const added = jest.fn();
    e.setOnChatRoomEntriesAddedListener(added);
    tb.emit(1, 'onChatRoomEntriesAdded', {
      code: 0,
      targetId: 'r',
      entries: { k: 'v' },
      errorEntries: {},
    });
    expect(added.mock.calls[0][2]).toEqual(new Map([['k', 'v']]));
    expect(added.mock.calls[0][3]).toEqual(new Map());

    const resp = jest.fn();
    e.setOnGroupMessageReadReceiptResponseReceivedListener(resp);
    tb.emit(1, 'onGroupMessageReadReceiptResponseReceived', {
      targetId: 'g',
      messageUId: 'U',
      respondUserIds: { u1: 100 },
    });
    expect(resp.mock.calls[0][2]).toEqual(new Map([['u1', 100]]));
  });

  test('Map arguments are sent as plain objects', async () => {
    const e = lib.RCIMIWEngine.create('key');
    // a method added later would pass its Map the same way; exercise the packing via invoke
    const invoke = (
      e as unknown as { invoke: (m: string, a: object) => Promise<number> }
    ).invoke.bind(e);
    await invoke('updateMessageExpansion', { messageUId: 'U', expansion: new Map([['k', 'v']]) });
    expect(tb.lastCall().args).toEqual({ messageUId: 'U', expansion: { k: 'v' } });
  });

  test('default engine slots survive destroy/create; standalone slots are separate', async () => {
    const a = lib.RCIMIWEngine.create('key');
    const fn = jest.fn();
    a.setOnConnectedListener(fn);
    await a.destroy();
    const b = lib.RCIMIWEngine.create('key');
    tb.emit(2, 'onConnected', { code: 0, userId: 'u' });
    expect(fn).toHaveBeenCalledWith(0, 'u');

    const s = lib.RCIMIWEngine.createStandalone('key');
    tb.emit(3, 'onConnected', { code: 0, userId: 'x' });
    expect(fn).toHaveBeenCalledTimes(1);
    expect(b).not.toBe(s);
  });

  test('a throwing listener does not stop the callback object', async () => {
    const e = lib.RCIMIWEngine.create('key');
    const spy = jest.spyOn(console, 'error').mockImplementation(() => {});
    e.setOnConnectedListener(() => {
      throw new Error('app bug');
    });
    const onConnected = jest.fn();
    await e.connect('t', 0, { onConnected });
    tb.emit(1, 'onConnected', { code: 0, userId: 'u' }, tb.lastCall().args.eventId as string);
    expect(onConnected).toHaveBeenCalledWith(0, 'u');
    expect(spy).toHaveBeenCalled();
    spy.mockRestore();
  });

  test('unreadable or unknown events are ignored', () => {
    const e = lib.RCIMIWEngine.create('key');
    const fn = jest.fn();
    e.setOnConnectedListener(fn);
    const listener = (tb.bridge.setEventListener as jest.Mock).mock.calls[0][1] as (
      j: string
    ) => void;
    expect(() => listener('{bad json')).not.toThrow();
    expect(() => listener(JSON.stringify({ name: 'onSomethingNew', args: {} }))).not.toThrow();
    expect(() => listener(JSON.stringify({ args: {} }))).not.toThrow();
    expect(fn).not.toHaveBeenCalled();
  });
});

describe('callback objects', () => {
  test('multi-stage callbacks: each function fires once, in order, then the call is done', async () => {
    const e = lib.RCIMIWEngine.create('key');
    const order: string[] = [];
    const listenerSeen: string[] = [];
    e.setOnMessageAttachedListener(() => listenerSeen.push('attached'));
    e.setOnMessageSentListener(() => listenerSeen.push('sent'));
    const cb = {
      onMessageSaved: jest.fn(() => order.push('saved')),
      onMessageSent: jest.fn(() => order.push('sent')),
    };
    await expect(e.sendMessage({ messageType: 2 }, cb)).resolves.toBe(0);
    const id = tb.lastCall().args.eventId as string;
    const message = { messageId: 1, sentStatus: 2 };
    tb.emit(1, 'onMessageAttached', { message }, id);
    tb.emit(1, 'onMessageAttached', { message }, id);
    tb.emit(1, 'onMessageSent', { code: 0, message }, id);
    tb.emit(1, 'onMessageSent', { code: 0, message }, id);
    expect(order).toEqual(['saved', 'sent']);
    expect(cb.onMessageSaved).toHaveBeenCalledWith(message);
    expect(cb.onMessageSent).toHaveBeenCalledWith(0, message);
    expect(listenerSeen).toEqual(['attached', 'attached', 'sent', 'sent']);
  });

  test('object callbacks: onSuccess(t) on code 0, onError(code) otherwise', async () => {
    const e = lib.RCIMIWEngine.create('key');
    const ok = { onSuccess: jest.fn(), onError: jest.fn() };
    await e.getConversations([1], null, 0, 10, ok);
    const conversations = [{ targetId: 'u', unreadCount: 2 }];
    tb.emit(
      1,
      'onConversationsLoaded',
      { code: 0, conversationTypes: [1], channelId: null, startTime: 0, count: 10, conversations },
      tb.lastCall().args.eventId as string
    );
    expect(ok.onSuccess).toHaveBeenCalledWith(conversations);
    expect(ok.onError).not.toHaveBeenCalled();

    const bad = { onSuccess: jest.fn(), onError: jest.fn() };
    await e.getTotalUnreadCount(null, bad);
    tb.emit(
      1,
      'onTotalUnreadCountLoaded',
      { code: 33002, channelId: null, count: 0 },
      tb.lastCall().args.eventId as string
    );
    expect(bad.onError).toHaveBeenCalledWith(33002);
    expect(bad.onSuccess).not.toHaveBeenCalled();
  });

  test('events of other calls do not reach a callback object', async () => {
    const e = lib.RCIMIWEngine.create('key');
    const a = { onSuccess: jest.fn() };
    const b = { onSuccess: jest.fn() };
    await e.getUnreadCount(1, 'a', null, a);
    const idA = tb.lastCall().args.eventId as string;
    await e.getUnreadCount(1, 'b', null, b);
    const idB = tb.lastCall().args.eventId as string;
    expect(idA).not.toBe(idB);
    tb.emit(
      1,
      'onUnreadCountLoaded',
      { code: 0, type: 1, targetId: 'b', channelId: null, count: 4 },
      idB
    );
    tb.emit(1, 'onUnreadCountLoaded', {
      code: 0,
      type: 1,
      targetId: 'x',
      channelId: null,
      count: 9,
    });
    expect(a.onSuccess).not.toHaveBeenCalled();
    expect(b.onSuccess).toHaveBeenCalledWith(4);
  });

  test('connect callback: onDatabaseOpened then onConnected', async () => {
    const e = lib.RCIMIWEngine.create('key');
    const cb = { onDatabaseOpened: jest.fn(), onConnected: jest.fn() };
    const dbListener = jest.fn();
    e.setOnDatabaseOpenedListener(dbListener);
    await e.connect('t', 0, cb);
    const id = tb.lastCall().args.eventId as string;
    tb.emit(1, 'onDatabaseOpened', { code: 0 }, id);
    tb.emit(1, 'onConnected', { code: 31004, userId: '' }, id);
    expect(cb.onDatabaseOpened).toHaveBeenCalledWith(0);
    expect(cb.onConnected).toHaveBeenCalledWith(31004, '');
    expect(dbListener).toHaveBeenCalledWith(0);
  });

  test('progress callbacks repeat; action callbacks get code only', async () => {
    const e = lib.RCIMIWEngine.create('key');
    const media = { onMediaMessageSending: jest.fn(), onMediaMessageSent: jest.fn() };
    await e.sendMediaMessage({}, media);
    const id = tb.lastCall().args.eventId as string;
    tb.emit(1, 'onMediaMessageSending', { message: {}, progress: 10 }, id);
    tb.emit(1, 'onMediaMessageSending', { message: {}, progress: 90 }, id);
    tb.emit(1, 'onMediaMessageSent', { code: 0, message: {} }, id);
    expect(media.onMediaMessageSending).toHaveBeenCalledTimes(2);
    expect(media.onMediaMessageSent).toHaveBeenCalledWith(0, {});

    const removed = { onConversationRemoved: jest.fn() };
    await e.removeConversation(1, 'u', null, removed);
    tb.emit(
      1,
      'onConversationRemoved',
      { code: 0, type: 1, targetId: 'u', channelId: null },
      tb.lastCall().args.eventId as string
    );
    expect(removed.onConversationRemoved).toHaveBeenCalledWith(0);

    const cleared = { onUnreadCountCleared: jest.fn() };
    await e.clearUnreadCount(1, 'u', null, 0, cleared);
    tb.emit(
      1,
      'onUnreadCountCleared',
      { code: 0, type: 1, targetId: 'u', channelId: null, timestamp: 0 },
      tb.lastCall().args.eventId as string
    );
    expect(cleared.onUnreadCountCleared).toHaveBeenCalledWith(0);
  });

  test('a non-zero reply (PARAM_ERROR) fires nothing, even if events arrive later', async () => {
    const e = lib.RCIMIWEngine.create('key');
    tb.setReply(() => ({ code: 1 }));
    const listener = jest.fn();
    e.setOnMessagesLoadedListener(listener);
    const cb = { onSuccess: jest.fn(), onError: jest.fn() };
    await expect(e.getMessages(1, 'u', null, 0, 0, 0, 'x' as unknown as number, cb)).resolves.toBe(
      lib.RCIMIWErrorCode.PARAM_ERROR
    );
    const id = tb.lastCall().args.eventId as string;
    await tick();
    expect(listener).not.toHaveBeenCalled();
    // a stray event with the rejected call's eventId must not reach the callback
    e.setOnMessagesLoadedListener(undefined);
    tb.emit(1, 'onMessagesLoaded', { code: 0, messages: [] }, id);
    expect(cb.onSuccess).not.toHaveBeenCalled();
    expect(cb.onError).not.toHaveBeenCalled();
  });

  test('destroy drops pending callbacks', async () => {
    const e = lib.RCIMIWEngine.createStandalone('key');
    const cb = { onConnected: jest.fn() };
    await e.connect('t', 0, cb);
    const id = tb.lastCall().args.eventId as string;
    await e.destroy();
    tb.emit(1, 'onConnected', { code: 0, userId: 'u' }, id);
    expect(cb.onConnected).not.toHaveBeenCalled();
  });
});

type lib_ConversationTypes = Array<RCIMIWConversationType>;

test('two copies of the module share one default engine and its slots', () => {
  const first = lib.RCIMIWEngine.create('key');
  const fn = jest.fn();
  first.setOnConnectedListener(fn);
  jest.resetModules();
  const copy = require('../src') as Lib;
  expect(copy.RCIMIWEngine).not.toBe(lib.RCIMIWEngine);
  expect(copy.RCIMIWEngine.create('key')).toBe(first);
  expect(tb.bridge.createEngine).toHaveBeenCalledTimes(1);
});

test('a host-object error rejects the call instead of throwing', async () => {
  const e = lib.RCIMIWEngine.create('key');
  (tb.bridge.call as jest.Mock).mockImplementationOnce(() => {
    throw new Error('the RCIM bridge was torn down');
  });
  const p = e.connect('t', 0, { onConnected: jest.fn() });
  await expect(p).rejects.toThrow('torn down');
});

describe('drafts, counts and local search', () => {
  const conv = { type: 1, targetId: 'u', channelId: null };

  test('arguments are sent by name, load* twins included', async () => {
    const e = lib.RCIMIWEngine.create('key');
    const cases: Array<[() => Promise<number>, string, object]> = [
      [() => e.saveDraftMessage(1, 'u', null, 'd'), 'saveDraftMessage', { ...conv, draft: 'd' }],
      [() => e.loadDraftMessage(1, 'u', null), 'loadDraftMessage', conv],
      [() => e.getDraftMessage(1, 'u', null), 'getDraftMessage', conv],
      [() => e.clearDraftMessage(1, 'u', null), 'clearDraftMessage', conv],
      [() => e.loadMessageCount(1, 'u', null), 'loadMessageCount', conv],
      [() => e.getMessageCount(1, 'u', null), 'getMessageCount', conv],
      [() => e.loadFirstUnreadMessage(1, 'u', null), 'loadFirstUnreadMessage', conv],
      [() => e.getFirstUnreadMessage(1, 'u', null), 'getFirstUnreadMessage', conv],
      [
        () => e.loadUnreadCountByConversationTypes([1, null, 2] as never, null, true),
        'loadUnreadCountByConversationTypes',
        { conversationTypes: [1, 2], channelId: null, contain: true },
      ],
      [
        () => e.getUnreadCountByConversationTypes([1], 'c', false),
        'getUnreadCountByConversationTypes',
        { conversationTypes: [1], channelId: 'c', contain: false },
      ],
      [
        () => e.searchMessages(1, 'u', null, '世界', 0, 50),
        'searchMessages',
        { ...conv, keyword: '世界', startTime: 0, count: 50 },
      ],
      [
        () => e.searchMessagesByUserId('bob', 2, 'g', null, 1700, 20),
        'searchMessagesByUserId',
        { userId: 'bob', type: 2, targetId: 'g', channelId: null, startTime: 1700, count: 20 },
      ],
    ];
    for (const [call, method, args] of cases) {
      await expect(call()).resolves.toBe(0);
      expect(tb.lastCall()).toEqual({ handle: 1, method, args });
    }
    tb.setReply(() => ({ code: 1 }));
    await expect(e.searchMessages(1, 'u', null, 'x', 0, 51)).resolves.toBe(1);
  });

  test('results reach the listener slots with the §3 parameters', async () => {
    const e = lib.RCIMIWEngine.create('key');
    const got: unknown[][] = [];
    e.setOnDraftMessageSavedListener((...a) => got.push(['saved', ...a]));
    e.setOnDraftMessageClearedListener((...a) => got.push(['cleared', ...a]));
    e.setOnDraftMessageLoadedListener((...a) => got.push(['loaded', ...a]));
    e.setOnMessageCountLoadedListener((...a) => got.push(['count', ...a]));
    e.setOnFirstUnreadMessageLoadedListener((...a) => got.push(['first', ...a]));
    e.setOnUnreadCountByConversationTypesLoadedListener((...a) => got.push(['byTypes', ...a]));
    e.setOnMessagesSearchedListener((...a) => got.push(['searched', ...a]));
    e.setOnMessagesSearchedByUserIdListener((...a) => got.push(['byUser', ...a]));
    const key = { type: 1, targetId: 'u', channelId: '' };
    const m = { messageId: 3, text: '你好世界' };
    tb.emit(1, 'onDraftMessageSaved', { code: 0, ...key, draft: 'd' });
    tb.emit(1, 'onDraftMessageCleared', { code: 0, ...key });
    tb.emit(1, 'onDraftMessageLoaded', { code: 0, ...key, draft: 'd' });
    tb.emit(1, 'onMessageCountLoaded', { code: 0, ...key, count: 4 });
    tb.emit(1, 'onFirstUnreadMessageLoaded', { code: 0, ...key, message: null });
    tb.emit(1, 'onUnreadCountByConversationTypesLoaded', {
      code: 0,
      conversationTypes: [1, 2],
      channelId: '',
      contain: true,
      count: 7,
    });
    tb.emit(1, 'onMessagesSearched', {
      code: 0,
      ...key,
      keyword: '世',
      startTime: 0,
      count: 10,
      messages: [m],
    });
    tb.emit(1, 'onMessagesSearchedByUserId', {
      code: 0,
      userId: 'bob',
      ...key,
      startTime: 0,
      count: 10,
      messages: [m],
    });
    expect(got).toEqual([
      ['saved', 0, 1, 'u', '', 'd'],
      ['cleared', 0, 1, 'u', ''],
      ['loaded', 0, 1, 'u', '', 'd'],
      ['count', 0, 1, 'u', '', 4],
      ['first', 0, 1, 'u', '', null],
      ['byTypes', 0, [1, 2], '', true, 7],
      ['searched', 0, 1, 'u', '', '世', 0, 10, [m]],
      ['byUser', 0, 'bob', 1, 'u', '', 0, 10, [m]],
    ]);
  });

  test('results reach the 5.2.5 callback objects', async () => {
    const e = lib.RCIMIWEngine.create('key');
    const key = { type: 1, targetId: 'u', channelId: '' };
    const lastId = () => tb.lastCall().args.eventId as string;

    const saved = { onDraftMessageSaved: jest.fn() };
    await e.saveDraftMessage(1, 'u', null, 'd', saved);
    tb.emit(1, 'onDraftMessageSaved', { code: 0, ...key, draft: 'd' }, lastId());
    expect(saved.onDraftMessageSaved).toHaveBeenCalledWith(0);

    const cleared = { onDraftMessageCleared: jest.fn() };
    await e.clearDraftMessage(1, 'u', null, cleared);
    tb.emit(1, 'onDraftMessageCleared', { code: 33002, ...key }, lastId());
    expect(cleared.onDraftMessageCleared).toHaveBeenCalledWith(33002);

    const draft = { onSuccess: jest.fn(), onError: jest.fn() };
    await e.getDraftMessage(1, 'u', null, draft);
    tb.emit(1, 'onDraftMessageLoaded', { code: 0, ...key, draft: '草稿' }, lastId());
    expect(draft.onSuccess).toHaveBeenCalledWith('草稿');

    const count = { onSuccess: jest.fn(), onError: jest.fn() };
    await e.getMessageCount(1, 'u', null, count);
    tb.emit(1, 'onMessageCountLoaded', { code: 0, ...key, count: 12 }, lastId());
    expect(count.onSuccess).toHaveBeenCalledWith(12);

    const first = { onSuccess: jest.fn(), onError: jest.fn() };
    await e.getFirstUnreadMessage(1, 'u', null, first);
    const m = { messageId: 9 };
    tb.emit(1, 'onFirstUnreadMessageLoaded', { code: 0, ...key, message: m }, lastId());
    expect(first.onSuccess).toHaveBeenCalledWith(m);

    const byTypes = { onSuccess: jest.fn(), onError: jest.fn() };
    await e.getUnreadCountByConversationTypes([1], null, true, byTypes);
    tb.emit(
      1,
      'onUnreadCountByConversationTypesLoaded',
      { code: 0, conversationTypes: [1], channelId: '', contain: true, count: 5 },
      lastId()
    );
    expect(byTypes.onSuccess).toHaveBeenCalledWith(5);

    const found = { onSuccess: jest.fn(), onError: jest.fn() };
    await e.searchMessages(1, 'u', null, 'hi', 0, 10, found);
    tb.emit(
      1,
      'onMessagesSearched',
      { code: 33001, ...key, keyword: 'hi', startTime: 0, count: 10, messages: [] },
      lastId()
    );
    expect(found.onError).toHaveBeenCalledWith(33001);
    expect(found.onSuccess).not.toHaveBeenCalled();

    const byUser = { onSuccess: jest.fn(), onError: jest.fn() };
    await e.searchMessagesByUserId('bob', 1, 'u', null, 0, 10, byUser);
    const sentByBob = [{ messageId: 4, senderUserId: 'bob' }];
    tb.emit(
      1,
      'onMessagesSearchedByUserId',
      { code: 0, userId: 'bob', ...key, startTime: 0, count: 10, messages: sentByBob },
      lastId()
    );
    expect(byUser.onSuccess).toHaveBeenCalledWith(sentByBob);
    for (const cb of [draft, count, first, byTypes, byUser]) {
      expect(cb.onError).not.toHaveBeenCalled();
    }
  });
});

describe('top conversations and notification levels', () => {
  const conv = { type: 1, targetId: 'u', channelId: null };
  const types = { conversationTypes: [1, 2], channelId: null };

  test('arguments are sent by name, load* twins included', async () => {
    const e = lib.RCIMIWEngine.create('key');
    const cases: Array<[() => Promise<number>, string, object]> = [
      [
        () => e.changeConversationTopStatus(1, 'u', null, true),
        'changeConversationTopStatus',
        { ...conv, top: true },
      ],
      [() => e.loadConversationTopStatus(1, 'u', null), 'loadConversationTopStatus', conv],
      [() => e.getConversationTopStatus(1, 'u', null), 'getConversationTopStatus', conv],
      [() => e.loadTopConversations([1, 2], null), 'loadTopConversations', types],
      [() => e.getTopConversations([1, 2], null), 'getTopConversations', types],
      [
        () => e.changeConversationNotificationLevel(1, 'u', null, 5),
        'changeConversationNotificationLevel',
        { ...conv, level: 5 },
      ],
      [
        () => e.loadConversationNotificationLevel(1, 'u', null),
        'loadConversationNotificationLevel',
        conv,
      ],
      [
        () => e.getConversationNotificationLevel(1, 'u', null),
        'getConversationNotificationLevel',
        conv,
      ],
      [() => e.loadBlockedConversations([1, 2], null), 'loadBlockedConversations', types],
      [() => e.getBlockedConversations([1, 2], null), 'getBlockedConversations', types],
    ];
    for (const [call, method, args] of cases) {
      await expect(call()).resolves.toBe(0);
      expect(tb.lastCall()).toEqual({ handle: 1, method, args });
    }
  });

  test('results reach the listener slots and the 5.2.5 callback objects', async () => {
    const e = lib.RCIMIWEngine.create('key');
    const key = { type: 1, targetId: 'u', channelId: '' };
    const got: unknown[][] = [];
    e.setOnConversationTopStatusChangedListener((...a) => got.push(['changed', ...a]));
    e.setOnConversationTopStatusSyncedListener((...a) => got.push(['synced', ...a]));
    e.setOnTopConversationsLoadedListener((...a) => got.push(['tops', ...a]));
    e.setOnConversationNotificationLevelLoadedListener((...a) => got.push(['level', ...a]));
    e.setOnBlockedConversationsLoadedListener((...a) => got.push(['blocked', ...a]));
    const lastId = () => tb.lastCall().args.eventId as string;
    const c = { conversationType: 1, targetId: 'u', top: true };

    const changed = { onConversationTopStatusChanged: jest.fn() };
    await e.changeConversationTopStatus(1, 'u', null, true, changed);
    tb.emit(1, 'onConversationTopStatusChanged', { code: 0, ...key, top: true }, lastId());
    expect(changed.onConversationTopStatusChanged).toHaveBeenCalledWith(0);
    tb.emit(1, 'onConversationTopStatusSynced', { ...key, top: false });

    const top = { onSuccess: jest.fn(), onError: jest.fn() };
    await e.getConversationTopStatus(1, 'u', null, top);
    tb.emit(1, 'onConversationTopStatusLoaded', { code: 0, ...key, top: true }, lastId());
    expect(top.onSuccess).toHaveBeenCalledWith(true);

    const tops = { onSuccess: jest.fn(), onError: jest.fn() };
    await e.getTopConversations([1], null, tops);
    const listed = { code: 0, conversationTypes: [1], channelId: '', conversations: [c] };
    tb.emit(1, 'onTopConversationsLoaded', listed, lastId());
    expect(tops.onSuccess).toHaveBeenCalledWith([c]);

    const levelChanged = { onConversationNotificationLevelChanged: jest.fn() };
    await e.changeConversationNotificationLevel(1, 'u', null, 5, levelChanged);
    tb.emit(
      1,
      'onConversationNotificationLevelChanged',
      { code: 30002, ...key, level: 5 },
      lastId()
    );
    expect(levelChanged.onConversationNotificationLevelChanged).toHaveBeenCalledWith(30002);

    const level = { onSuccess: jest.fn(), onError: jest.fn() };
    await e.getConversationNotificationLevel(1, 'u', null, level);
    tb.emit(1, 'onConversationNotificationLevelLoaded', { code: 0, ...key, level: 2 }, lastId());
    expect(level.onSuccess).toHaveBeenCalledWith(2);

    const blocked = { onSuccess: jest.fn(), onError: jest.fn() };
    await e.getBlockedConversations([1], null, blocked);
    tb.emit(1, 'onBlockedConversationsLoaded', { ...listed, code: 33002 }, lastId());
    expect(blocked.onError).toHaveBeenCalledWith(33002);
    expect(blocked.onSuccess).not.toHaveBeenCalled();

    expect(got).toEqual([
      ['changed', 0, 1, 'u', '', true],
      ['synced', 1, 'u', '', false],
      ['tops', 0, [1], '', [c]],
      ['level', 0, 1, 'u', '', 2],
      ['blocked', 33002, [1], '', [c]],
    ]);
  });
});

describe('message types and media', () => {
  const conv = { type: 1, targetId: 'u', channelId: null };

  test('every create*Message sends its arguments by name and resolves the message', async () => {
    const e = lib.RCIMIWEngine.create('key');
    const built = { messageId: 0, messageType: 4 };
    tb.setReply(() => ({ code: 0, value: built }));
    const quoted = { messageType: 2, text: 'q' };
    const calls: Array<[Promise<unknown>, string, object]> = [
      [e.createImageMessage(1, 'u', null, '/a.png'), 'createImageMessage', { path: '/a.png' }],
      [e.createFileMessage(1, 'u', null, '/f.bin'), 'createFileMessage', { path: '/f.bin' }],
      [e.createGIFMessage(1, 'u', null, '/g.gif'), 'createGIFMessage', { path: '/g.gif' }],
      [
        e.createSightMessage(1, 'u', null, '/v.mp4', 7),
        'createSightMessage',
        { path: '/v.mp4', duration: 7 },
      ],
      [
        e.createVoiceMessage(1, 'u', null, '/s.aac', 3),
        'createVoiceMessage',
        { path: '/s.aac', duration: 3 },
      ],
      [
        e.createReferenceMessage(1, 'u', null, quoted, 'reply'),
        'createReferenceMessage',
        { referenceMessage: quoted, text: 'reply' },
      ],
      [
        e.createCustomMessage(
          1,
          'u',
          null,
          lib.RCIMIWCustomMessagePolicy.STORAGE,
          'app:card',
          new Map([['k', 'v']])
        ),
        'createCustomMessage',
        { policy: 3, messageIdentifier: 'app:card', fields: { k: 'v' } },
      ],
      [
        e.createLocationMessage(1, 'u', null, 116.4, 39.9, 'Tiananmen', '/map.jpg'),
        'createLocationMessage',
        { longitude: 116.4, latitude: 39.9, poiName: 'Tiananmen', thumbnailPath: '/map.jpg' },
      ],
    ];
    for (const [i, [promise, method, args]] of calls.entries()) {
      await expect(promise).resolves.toEqual(built);
      expect(tb.calls[i]).toEqual(expect.objectContaining({ method, args: { ...conv, ...args } }));
    }
  });

  test('a rejected create*Message resolves its code, as createTextMessage does', async () => {
    const e = lib.RCIMIWEngine.create('key');
    tb.setReply(() => ({ code: 34234 }));
    await expect(e.createImageMessage(1, 'u', null, '/missing.png')).resolves.toBe(34234);
    tb.setReply(() => ({ code: 1 }));
    await expect(e.createTextMessage(1, 'u', 'c'.repeat(21), 'x')).resolves.toBe(1);
  });

  test('media calls send { message } (+ eventId with a callback object)', async () => {
    const e = lib.RCIMIWEngine.create('key');
    const m = { messageId: 5, messageType: 4, local: '/a.png' };
    await e.sendMediaMessage(m);
    await e.cancelSendingMediaMessage(m, {});
    await e.downloadMediaMessage(m, {});
    await e.cancelDownloadingMediaMessage(m);
    expect(tb.calls.map((c) => [c.method, c.args])).toEqual([
      ['sendMediaMessage', { message: m }],
      ['cancelSendingMediaMessage', { message: m, eventId: '1' }],
      ['downloadMediaMessage', { message: m, eventId: '2' }],
      ['cancelDownloadingMediaMessage', { message: m }],
    ]);
  });

  test('a cancel event answers the cancel call and the cancelled call (eventIds)', async () => {
    const e = lib.RCIMIWEngine.create('key');
    const slot = jest.fn();
    e.setOnSendingMediaMessageCanceledListener(slot);
    const send = {
      onMediaMessageSaved: jest.fn(),
      onMediaMessageSending: jest.fn(),
      onSendingMediaMessageCanceled: jest.fn(),
      onMediaMessageSent: jest.fn(),
    };
    const m = { messageId: 5, messageType: 4 };
    await e.sendMediaMessage(m, send);
    const sendId = tb.lastCall().args.eventId as string;
    tb.emit(1, 'onMediaMessageAttached', { message: m }, sendId);
    tb.emit(1, 'onMediaMessageSending', { message: m, progress: 30 }, sendId);
    const cancel = { onCancelSendingMediaMessageCalled: jest.fn() };
    await e.cancelSendingMediaMessage(m, cancel);
    const cancelId = tb.lastCall().args.eventId as string;
    const canceled = { ...m, sentStatus: 6 };
    tb.emit(1, 'onSendingMediaMessageCanceled', { code: 0, message: canceled }, cancelId, [sendId]);
    expect(slot).toHaveBeenCalledTimes(1);
    expect(slot).toHaveBeenCalledWith(0, canceled);
    expect(send.onMediaMessageSaved).toHaveBeenCalledWith(m);
    expect(send.onMediaMessageSending).toHaveBeenCalledWith(m, 30);
    expect(send.onSendingMediaMessageCanceled).toHaveBeenCalledWith(canceled);
    expect(cancel.onCancelSendingMediaMessageCalled).toHaveBeenCalledWith(0, canceled);
    // Both calls are over: later events of the send reach the slot only.
    tb.emit(1, 'onMediaMessageSent', { code: 0, message: m }, sendId);
    expect(send.onMediaMessageSent).not.toHaveBeenCalled();
  });

  test('the download cancel event reaches both callback objects, whichever id it carries', async () => {
    const e = lib.RCIMIWEngine.create('key');
    const m = { messageId: 6, messageType: 5, remote: 'http://f/media/x/a.bin' };
    const download = {
      onMediaMessageDownloading: jest.fn(),
      onDownloadingMediaMessageCanceled: jest.fn(),
      onMediaMessageDownloaded: jest.fn(),
    };
    await e.downloadMediaMessage(m, download);
    const downloadId = tb.lastCall().args.eventId as string;
    const cancel = { onCancelDownloadingMediaMessageCalled: jest.fn() };
    await e.cancelDownloadingMediaMessage(m, cancel);
    const cancelId = tb.lastCall().args.eventId as string;
    tb.emit(1, 'onMediaMessageDownloading', { message: m, progress: 40 }, downloadId);
    // eventIds may repeat eventId: each callback object still fires once.
    tb.emit(1, 'onDownloadingMediaMessageCanceled', { code: 0, message: m }, cancelId, [
      downloadId,
      cancelId,
    ]);
    expect(download.onMediaMessageDownloading).toHaveBeenCalledWith(m, 40);
    expect(download.onDownloadingMediaMessageCanceled).toHaveBeenCalledTimes(1);
    expect(download.onDownloadingMediaMessageCanceled).toHaveBeenCalledWith(m);
    expect(cancel.onCancelDownloadingMediaMessageCalled).toHaveBeenCalledTimes(1);
    expect(cancel.onCancelDownloadingMediaMessageCalled).toHaveBeenCalledWith(0, m);
    expect(download.onMediaMessageDownloaded).not.toHaveBeenCalled();
  });
});
