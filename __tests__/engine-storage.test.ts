/**
 * Insert, delete, clear, status, mention, expansion and search methods over a scripted
 * bridge: what each sends (named arguments, null entries dropped, the expansion Map as a plain
 * object), and how their results reach the listener slots (§3 parameters, Maps rebuilt) and
 * the 5.2.5 callback objects.
 */
import type * as LibModule from '../src';
import type { RCIMIWConversationType, RCIMIWMessage, RCIMIWMessageType } from '../src';
import { loadOverTestBridge, unloadTestBridge, type TestBridge } from './helpers';

type Lib = typeof LibModule;

let tb: TestBridge;
let lib: Lib;

beforeEach(() => {
  ({ tb, lib } = loadOverTestBridge());
});

afterEach(unloadTestBridge);

const conv = { type: 2, targetId: 'g', channelId: null };
const key = { type: 2, targetId: 'g', channelId: '' };
const m1: RCIMIWMessage = { messageId: 1, messageUId: 'U1', conversationType: 2, targetId: 'g' };
const m2: RCIMIWMessage = { messageId: 2, messageUId: 'U2', conversationType: 2, targetId: 'g' };
const lastId = () => tb.lastCall().args.eventId as string;

test('arguments are sent by name; arrays lose null entries; the expansion Map is an object', async () => {
  const e = lib.RCIMIWEngine.create('key');
  // Arrays with holes, as untyped callers pass them.
  const nulls = <T>(xs: Array<T | null | undefined>) => xs as T[];
  const cases: Array<[() => Promise<unknown>, string, object]> = [
    [() => e.getMessageByUId('U1', { onSuccess: () => {} }), 'getMessageByUId', {}],
    [() => e.getUnreadMentionedMessages(2, 'g', null), 'getUnreadMentionedMessages', conv],
    [() => e.loadUnreadMentionedMessages(2, 'g', null), 'loadUnreadMentionedMessages', conv],
    [() => e.getUnreadMentionedCount(2, 'g', null), 'getUnreadMentionedCount', conv],
    [() => e.loadUnreadMentionedCount(2, 'g', null), 'loadUnreadMentionedCount', conv],
    [() => e.insertMessage(m1), 'insertMessage', { message: m1 }],
    [
      () => e.insertMessages(nulls<RCIMIWMessage>([m1, null, m2, undefined])),
      'insertMessages',
      { messages: [m1, m2] },
    ],
    [
      () => e.deleteLocalMessages(nulls<RCIMIWMessage>([null, m1])),
      'deleteLocalMessages',
      { messages: [m1] },
    ],
    [
      () => e.deleteMessages(2, 'g', null, nulls<RCIMIWMessage>([m1, undefined, m2])),
      'deleteMessages',
      { ...conv, messages: [m1, m2] },
    ],
    [
      () => e.clearMessages(2, 'g', null, 1700, lib.RCIMIWMessageOperationPolicy.LOCAL_REMOTE),
      'clearMessages',
      { ...conv, timestamp: 1700, policy: 2 },
    ],
    [
      () =>
        e.updateMessageExpansion(
          'U1',
          new Map([
            ['k', 'v'],
            ['n', '数'],
          ])
        ),
      'updateMessageExpansion',
      { messageUId: 'U1', expansion: { k: 'v', n: '数' } },
    ],
    [
      () => e.removeMessageExpansionForKeys('U1', nulls<string>(['a', null, 'b'])),
      'removeMessageExpansionForKeys',
      { messageUId: 'U1', keys: ['a', 'b'] },
    ],
    [
      () => e.searchMessagesByTimeRange(2, 'g', null, '世界', 10, 20, 5, 50),
      'searchMessagesByTimeRange',
      { ...conv, keyword: '世界', startTime: 10, endTime: 20, offset: 5, count: 50 },
    ],
    [
      () =>
        e.searchConversations(
          nulls<RCIMIWConversationType>([1, null, 2]),
          null,
          nulls<RCIMIWMessageType>([2, undefined]),
          '你'
        ),
      'searchConversations',
      { conversationTypes: [1, 2], channelId: null, messageTypes: [2], keyword: '你' },
    ],
    [
      () => e.changeMessageSentStatus(7, lib.RCIMIWSentStatus.FAILED),
      'changeMessageSentStatus',
      { messageId: 7, sentStatus: 1 },
    ],
    [
      () => e.changeMessageReceiveStatus(7, lib.RCIMIWReceivedStatus.LISTENED),
      'changeMessageReceiveStatus',
      { messageId: 7, receivedStatus: 2 },
    ],
  ];
  for (const [call, method, args] of cases) {
    await expect(call()).resolves.toBe(0);
    const sent = tb.lastCall();
    expect(sent.method).toBe(method);
    if (method === 'getMessageByUId') {
      // Served from the reply: no eventId.
      expect(sent.args).toEqual({ messageUId: 'U1' });
    } else {
      expect(sent.args).toEqual(args);
    }
  }
  // A plain object is passed through as it is.
  await e.updateMessageExpansion('U1', { k: 'v' } as unknown as Map<string, string>);
  expect(tb.lastCall().args).toEqual({ messageUId: 'U1', expansion: { k: 'v' } });
  // With a callback object, the eventId comes along.
  await e.clearMessages(2, 'g', null, 0, 0, { onMessagesCleared: () => {} });
  expect(tb.lastCall().args).toEqual({ ...conv, timestamp: 0, policy: 0, eventId: '1' });
});

describe('getMessageByUId', () => {
  test('without a callback resolves the message or the code (seed form)', async () => {
    const e = lib.RCIMIWEngine.create('key');
    tb.setReply((_m, a) => (a.messageUId === 'U1' ? { code: 0, value: m1 } : { code: 34204 }));
    await expect(e.getMessageByUId('U1')).resolves.toEqual(m1);
    await expect(e.getMessageByUId('nope')).resolves.toBe(34204);
  });

  test('with a callback: 0 and onSuccess, 0 and onError(code), or the rejecting code', async () => {
    const e = lib.RCIMIWEngine.create('key');
    tb.setReply((_m, a) =>
      a.messageUId === 'U1' ? { code: 0, value: m1 } : { code: a.messageUId === '' ? 1 : 34204 }
    );
    const ok = { onSuccess: jest.fn(), onError: jest.fn() };
    await expect(e.getMessageByUId('U1', ok)).resolves.toBe(0);
    expect(ok.onSuccess).toHaveBeenCalledWith(m1);
    const unknown = { onSuccess: jest.fn(), onError: jest.fn() };
    await expect(e.getMessageByUId('nope', unknown)).resolves.toBe(0);
    expect(unknown.onError).toHaveBeenCalledWith(34204);
    const bad = { onSuccess: jest.fn(), onError: jest.fn() };
    await expect(e.getMessageByUId('', bad)).resolves.toBe(1);
    expect(bad.onSuccess).not.toHaveBeenCalled();
    expect(bad.onError).not.toHaveBeenCalled();
  });
});

test('results reach the listener slots with the §3 parameters; expansion Maps are rebuilt', () => {
  const e = lib.RCIMIWEngine.create('key');
  const got: unknown[][] = [];
  e.setOnUnreadMentionedMessagesLoadedListener((...a) => got.push(['mentioned', ...a]));
  e.setOnUnreadMentionedCountLoadedListener((...a) => got.push(['mentionedCount', ...a]));
  e.setOnMessageInsertedListener((...a) => got.push(['inserted', ...a]));
  e.setOnMessagesInsertedListener((...a) => got.push(['insertedMany', ...a]));
  e.setOnLocalMessagesDeletedListener((...a) => got.push(['deletedLocal', ...a]));
  e.setOnMessagesDeletedListener((...a) => got.push(['deleted', ...a]));
  e.setOnMessagesClearedListener((...a) => got.push(['cleared', ...a]));
  e.setOnMessageSentStatusChangedListener((...a) => got.push(['sentStatus', ...a]));
  e.setOnMessageReceiveStatusChangedListener((...a) => got.push(['receiveStatus', ...a]));
  e.setOnMessageExpansionUpdatedListener((...a) => got.push(['expansion', ...a]));
  e.setOnMessageExpansionForKeysRemovedListener((...a) => got.push(['keysRemoved', ...a]));
  e.setOnRemoteMessageExpansionUpdatedListener((...a) => got.push(['remoteExpansion', ...a]));
  e.setOnRemoteMessageExpansionForKeyRemovedListener((...a) => got.push(['remoteRemoved', ...a]));
  e.setOnMessagesSearchedByTimeRangeListener((...a) => got.push(['byTime', ...a]));
  e.setOnConversationsSearchedListener((...a) => got.push(['conversations', ...a]));

  tb.emit(1, 'onUnreadMentionedMessagesLoaded', { code: 0, ...key, messages: [m1] });
  tb.emit(1, 'onUnreadMentionedCountLoaded', { code: 0, ...key, count: 2 });
  tb.emit(1, 'onMessageInserted', { code: 0, message: m1 });
  tb.emit(1, 'onMessagesInserted', { code: 1, messages: [m1, m2] });
  tb.emit(1, 'onLocalMessagesDeleted', { code: 0, messages: [m1] });
  tb.emit(1, 'onMessagesDeleted', { messages: [m2], ...key, code: 0 });
  tb.emit(1, 'onMessagesCleared', { code: 0, ...key, timestamp: 99 });
  tb.emit(1, 'onMessageSentStatusChanged', { code: 0, messageId: 1 });
  tb.emit(1, 'onMessageReceiveStatusChanged', { code: 34204, messageId: 5 });
  tb.emit(1, 'onMessageExpansionUpdated', { code: 0, messageUId: 'U1', expansion: { k: 'v' } });
  tb.emit(1, 'onMessageExpansionForKeysRemoved', { code: 0, messageUId: 'U1', keys: ['k'] });
  tb.emit(1, 'onRemoteMessageExpansionUpdated', { expansion: { a: '1' }, message: m1 });
  tb.emit(1, 'onRemoteMessageExpansionForKeyRemoved', { message: m1, keys: ['a'] });
  tb.emit(1, 'onMessagesSearchedByTimeRange', {
    code: 0,
    ...key,
    keyword: '世',
    startTime: 1,
    endTime: 2,
    offset: 3,
    count: 4,
    messages: [m2],
  });
  const result = { conversation: { targetId: 'g' }, count: 3 };
  tb.emit(1, 'onConversationsSearched', {
    code: 0,
    conversationTypes: [2],
    channelId: '',
    messageTypes: [2],
    keyword: '世',
    conversations: [result],
  });
  expect(got).toEqual([
    ['mentioned', 0, 2, 'g', '', [m1]],
    ['mentionedCount', 0, 2, 'g', '', 2],
    ['inserted', 0, m1],
    ['insertedMany', 1, [m1, m2]],
    ['deletedLocal', 0, [m1]],
    ['deleted', 0, 2, 'g', '', [m2]],
    ['cleared', 0, 2, 'g', '', 99],
    ['sentStatus', 0, 1],
    ['receiveStatus', 34204, 5],
    ['expansion', 0, 'U1', new Map([['k', 'v']])],
    ['keysRemoved', 0, 'U1', ['k']],
    ['remoteExpansion', new Map([['a', '1']]), m1],
    ['remoteRemoved', m1, ['a']],
    ['byTime', 0, 2, 'g', '', '世', 1, 2, 3, 4, [m2]],
    ['conversations', 0, [2], '', [2], '世', [result]],
  ]);
  const expansionArgs = got.find((g) => g[0] === 'remoteExpansion')!;
  expect(expansionArgs[1]).toBeInstanceOf(Map);
});

test('results reach the 5.2.5 callback objects', async () => {
  const e = lib.RCIMIWEngine.create('key');

  const mentioned = { onSuccess: jest.fn(), onError: jest.fn() };
  await e.getUnreadMentionedMessages(2, 'g', null, mentioned);
  tb.emit(1, 'onUnreadMentionedMessagesLoaded', { code: 0, ...key, messages: [m1] }, lastId());
  expect(mentioned.onSuccess).toHaveBeenCalledWith([m1]);

  const count = { onSuccess: jest.fn(), onError: jest.fn() };
  await e.getUnreadMentionedCount(2, 'g', null, count);
  tb.emit(1, 'onUnreadMentionedCountLoaded', { code: 0, ...key, count: 3 }, lastId());
  expect(count.onSuccess).toHaveBeenCalledWith(3);

  const inserted = { onMessageInserted: jest.fn() };
  await e.insertMessage(m1, inserted);
  tb.emit(1, 'onMessageInserted', { code: 0, message: m1 }, lastId());
  expect(inserted.onMessageInserted).toHaveBeenCalledWith(0, m1);

  const insertedMany = { onMessagesInserted: jest.fn() };
  await e.insertMessages([m1, m2], insertedMany);
  tb.emit(1, 'onMessagesInserted', { code: 0, messages: [m1, m2] }, lastId());
  expect(insertedMany.onMessagesInserted).toHaveBeenCalledWith(0, [m1, m2]);

  const deletedLocal = { onLocalMessagesDeleted: jest.fn() };
  await e.deleteLocalMessages([m1], deletedLocal);
  tb.emit(1, 'onLocalMessagesDeleted', { code: 0, messages: [m1] }, lastId());
  expect(deletedLocal.onLocalMessagesDeleted).toHaveBeenCalledWith(0, [m1]);

  const deleted = { onMessagesDeleted: jest.fn() };
  await e.deleteMessages(2, 'g', null, [m2], deleted);
  tb.emit(1, 'onMessagesDeleted', { code: 0, ...key, messages: [m2] }, lastId());
  expect(deleted.onMessagesDeleted).toHaveBeenCalledWith(0, [m2]);

  const cleared = { onMessagesCleared: jest.fn() };
  await e.clearMessages(2, 'g', null, 5, 2, cleared);
  tb.emit(1, 'onMessagesCleared', { code: 33001, ...key, timestamp: 5 }, lastId());
  expect(cleared.onMessagesCleared).toHaveBeenCalledWith(33001);

  const sentStatus = { onMessageSentStatusChanged: jest.fn() };
  await e.changeMessageSentStatus(1, 2, sentStatus);
  tb.emit(1, 'onMessageSentStatusChanged', { code: 0, messageId: 1 }, lastId());
  expect(sentStatus.onMessageSentStatusChanged).toHaveBeenCalledWith(0);

  const receiveStatus = { onMessageReceiveStatusChanged: jest.fn() };
  await e.changeMessageReceiveStatus(1, 1, receiveStatus);
  tb.emit(1, 'onMessageReceiveStatusChanged', { code: 34204, messageId: 1 }, lastId());
  expect(receiveStatus.onMessageReceiveStatusChanged).toHaveBeenCalledWith(34204);

  const updated = { onMessageExpansionUpdated: jest.fn() };
  await e.updateMessageExpansion('U1', new Map([['k', 'v']]), updated);
  tb.emit(
    1,
    'onMessageExpansionUpdated',
    { code: 34010, messageUId: 'U1', expansion: { k: 'v' } },
    lastId()
  );
  expect(updated.onMessageExpansionUpdated).toHaveBeenCalledWith(34010);

  const removed = { onMessageExpansionForKeysRemoved: jest.fn() };
  await e.removeMessageExpansionForKeys('U1', ['k'], removed);
  tb.emit(
    1,
    'onMessageExpansionForKeysRemoved',
    { code: 0, messageUId: 'U1', keys: ['k'] },
    lastId()
  );
  expect(removed.onMessageExpansionForKeysRemoved).toHaveBeenCalledWith(0);

  const byTime = { onSuccess: jest.fn(), onError: jest.fn() };
  await e.searchMessagesByTimeRange(2, 'g', null, 'x', 0, 9, 0, 10, byTime);
  tb.emit(
    1,
    'onMessagesSearchedByTimeRange',
    { code: 0, ...key, keyword: 'x', startTime: 0, endTime: 9, offset: 0, count: 10, messages: [] },
    lastId()
  );
  expect(byTime.onSuccess).toHaveBeenCalledWith([]);

  const conversations = { onSuccess: jest.fn(), onError: jest.fn() };
  await e.searchConversations([2], null, [2], 'x', conversations);
  tb.emit(
    1,
    'onConversationsSearched',
    {
      code: 34004,
      conversationTypes: [2],
      channelId: '',
      messageTypes: [2],
      keyword: 'x',
      conversations: [],
    },
    lastId()
  );
  expect(conversations.onError).toHaveBeenCalledWith(34004);
  expect(conversations.onSuccess).not.toHaveBeenCalled();
  for (const cb of [mentioned, count, byTime]) expect(cb.onError).not.toHaveBeenCalled();
});

test('a rejected call (PARAM_ERROR) fires no callback even if an event arrives', async () => {
  const e = lib.RCIMIWEngine.create('key');
  tb.setReply(() => ({ code: 1 }));
  const cb = { onMessagesInserted: jest.fn() };
  await expect(e.insertMessages([], cb)).resolves.toBe(1);
  tb.emit(1, 'onMessagesInserted', { code: 0, messages: [] }, '1');
  expect(cb.onMessagesInserted).not.toHaveBeenCalled();
});
