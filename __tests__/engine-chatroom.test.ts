/**
 * The TS side of chatrooms: the bridge method and the named arguments each call sends (a Map
 * as a plain object, null keys dropped), and how the result events reach the listeners (Maps
 * rebuilt) and the callback objects (plain objects, as 5.2.5 passes them).
 */
import type * as LibModule from '../src';
import { tick, loadOverTestBridge, unloadTestBridge, type TestBridge } from './helpers';

type Lib = typeof LibModule;

let tb: TestBridge;
let lib: Lib;

beforeEach(() => {
  ({ tb, lib } = loadOverTestBridge());
});

afterEach(unloadTestBridge);

const handleOf = () => (tb.bridge.createEngine as jest.Mock).mock.results[0].value as number;

test('each chatroom method sends its name and named arguments', async () => {
  const e = lib.RCIMIWEngine.create('key');
  const { BEFORE } = lib.RCIMIWTimeOrder;
  await e.joinChatRoom('r1', 5, true);
  await e.leaveChatRoom('r1');
  await e.loadChatRoomMessages('r1', 0, BEFORE, 20);
  await e.getChatRoomMessages('r1', 7, BEFORE, 3);
  await e.addChatRoomEntry('r1', 'k', 'v', true, false);
  await e.addChatRoomEntries(
    'r1',
    new Map([
      ['a', '1'],
      ['b', '2'],
    ]),
    false,
    true
  );
  await e.loadChatRoomEntry('r1', 'k');
  await e.getChatRoomEntry('r1', 'k');
  await e.loadChatRoomAllEntries('r1');
  await e.loadAllChatRoomEntries('r1');
  await e.getChatRoomAllEntries('r1');
  await e.removeChatRoomEntry('r1', 'k', true);
  await e.removeChatRoomEntries('r1', ['a', null as unknown as string, 'b'], false);
  expect(tb.calls.map((c) => [c.method, c.args])).toEqual([
    ['joinChatRoom', { targetId: 'r1', messageCount: 5, autoCreate: true }],
    ['leaveChatRoom', { targetId: 'r1' }],
    ['loadChatRoomMessages', { targetId: 'r1', timestamp: 0, order: 0, count: 20 }],
    ['getChatRoomMessages', { targetId: 'r1', timestamp: 7, order: 0, count: 3 }],
    [
      'addChatRoomEntry',
      { targetId: 'r1', key: 'k', value: 'v', deleteWhenLeft: true, overwrite: false },
    ],
    [
      'addChatRoomEntries',
      { targetId: 'r1', entries: { a: '1', b: '2' }, deleteWhenLeft: false, overwrite: true },
    ],
    ['loadChatRoomEntry', { targetId: 'r1', key: 'k' }],
    ['getChatRoomEntry', { targetId: 'r1', key: 'k' }],
    ['loadChatRoomAllEntries', { targetId: 'r1' }],
    ['loadAllChatRoomEntries', { targetId: 'r1' }],
    ['getChatRoomAllEntries', { targetId: 'r1' }],
    ['removeChatRoomEntry', { targetId: 'r1', key: 'k', force: true }],
    ['removeChatRoomEntries', { targetId: 'r1', keys: ['a', 'b'], force: false }],
  ]);
});

test('join: the joining stage, then onChatRoomJoined on the listener and the callback', async () => {
  const e = lib.RCIMIWEngine.create('key');
  const joining = jest.fn();
  const joinedListener = jest.fn();
  e.setOnChatRoomJoiningListener(joining);
  e.setOnChatRoomJoinedListener(joinedListener);
  const onChatRoomJoined = jest.fn();
  await e.joinChatRoom('r1', -1, false, { onChatRoomJoined });
  const eventId = tb.lastCall().args.eventId as string;
  tb.emit(handleOf(), 'onChatRoomJoining', { targetId: 'r1' }, eventId);
  tb.emit(handleOf(), 'onChatRoomJoined', { code: 23410, targetId: 'r1' }, eventId);
  // A second answer for the same call is not passed to the callback again.
  tb.emit(handleOf(), 'onChatRoomJoined', { code: 0, targetId: 'r1' }, eventId);
  await tick();
  expect(joining).toHaveBeenCalledWith('r1');
  expect(joinedListener.mock.calls).toEqual([
    [23410, 'r1'],
    [0, 'r1'],
  ]);
  expect(onChatRoomJoined.mock.calls).toEqual([[23410, 'r1']]);
});

test('KV results: Maps on the listeners, plain objects on the callbacks', async () => {
  const e = lib.RCIMIWEngine.create('key');
  const added = jest.fn();
  e.setOnChatRoomEntriesAddedListener(added);
  const onChatRoomEntriesAdded = jest.fn();
  await e.addChatRoomEntries('r1', new Map([['a', '1']]), false, false, {
    onChatRoomEntriesAdded,
  });
  let eventId = tb.lastCall().args.eventId as string;
  tb.emit(
    handleOf(),
    'onChatRoomEntriesAdded',
    { code: 23428, targetId: 'r1', entries: { a: '1', b: '2' }, errorEntries: { b: 23424 } },
    eventId
  );
  await tick();
  expect(added.mock.calls[0][0]).toBe(23428);
  expect(added.mock.calls[0][3]).toEqual(new Map([['b', 23424]]));
  expect(onChatRoomEntriesAdded).toHaveBeenCalledWith(23428, { b: 23424 });

  const loaded = jest.fn();
  e.setOnAllChatRoomEntriesLoadedListener(loaded);
  const onSuccess = jest.fn();
  const onError = jest.fn();
  await e.getChatRoomAllEntries('r1', { onSuccess, onError });
  eventId = tb.lastCall().args.eventId as string;
  tb.emit(
    handleOf(),
    'onChatRoomAllEntriesLoaded',
    { code: 0, targetId: 'r1', entries: { a: '1' } },
    eventId
  );
  await tick();
  expect(loaded).toHaveBeenCalledWith(0, 'r1', new Map([['a', '1']]));
  expect(onSuccess).toHaveBeenCalledWith({ a: '1' });
  expect(onError).not.toHaveBeenCalled();

  const entryError = jest.fn();
  await e.getChatRoomEntry('r1', 'missing', { onSuccess, onError: entryError });
  eventId = tb.lastCall().args.eventId as string;
  tb.emit(handleOf(), 'onChatRoomEntryLoaded', { code: 23427, targetId: 'r1', entry: {} }, eventId);
  await tick();
  expect(entryError).toHaveBeenCalledWith(23427);
});

test('chatroom events reach their listeners with Maps rebuilt', async () => {
  const e = lib.RCIMIWEngine.create('key');
  const changed = jest.fn();
  const synced = jest.fn();
  const status = jest.fn();
  const members = jest.fn();
  e.setOnChatRoomEntriesChangedListener(changed);
  e.setOnChatRoomEntriesSyncedListener(synced);
  e.setOnChatRoomStatusChangedListener(status);
  e.setOnChatRoomMemberChangedListener(members);
  tb.emit(handleOf(), 'onChatRoomEntriesChanged', {
    operationType: 1,
    roomId: 'r1',
    entries: { k: 'v' },
  });
  tb.emit(handleOf(), 'onChatRoomEntriesSynced', { roomId: 'r1' });
  tb.emit(handleOf(), 'onChatRoomStatusChanged', { targetId: 'r1', status: 1 });
  tb.emit(handleOf(), 'onChatRoomMemberChanged', {
    targetId: 'r1',
    actions: [{ userId: 'bob', actionType: 1 }],
  });
  await tick();
  expect(changed).toHaveBeenCalledWith(
    lib.RCIMIWChatRoomEntriesOperationType.Remove,
    'r1',
    new Map([['k', 'v']])
  );
  expect(synced).toHaveBeenCalledWith('r1');
  expect(status).toHaveBeenCalledWith('r1', lib.RCIMIWChatRoomStatus.DESTROY_MANUAL);
  expect(members).toHaveBeenCalledWith('r1', [
    { userId: 'bob', actionType: lib.RCIMIWChatRoomMemberActionType.JOIN },
  ]);
});
