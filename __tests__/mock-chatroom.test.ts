/**
 * Chatrooms in the shipped Jest mock, used as an app would: join with recent messages and
 * KV sync, messages between members, one room at a time, KV limits and codes with the events
 * on the other members, deleteWhenLeft, history pages and a destroy.
 */
import {
  RCIMIWChatRoomEntriesOperationType,
  RCIMIWConversationType,
  RCIMIWEngine,
  RCIMIWTimeOrder,
  type RCIMIWMessage,
  type RCIMIWTextMessage,
} from 'react-native-rcim';
import { RCIMMock } from 'react-native-rcim/jest';

jest.mock('react-native-rcim', () => require('react-native-rcim/jest'));

const CHATROOM = RCIMIWConversationType.CHATROOM;

afterEach(() => RCIMMock.reset());

async function user(id: string) {
  const engine = RCIMIWEngine.createStandalone('app-key', {});
  await engine.connect(id, 0);
  await RCIMMock.flush();
  const received: RCIMIWMessage[] = [];
  const log: string[] = [];
  engine.setOnMessageReceivedListener((m) => received.push(m));
  engine.setOnChatRoomEntriesChangedListener((op, room, entries) =>
    log.push(`changed:${op}:${room}:${JSON.stringify(Object.fromEntries(entries))}`)
  );
  engine.setOnChatRoomEntriesSyncedListener((room) => log.push(`synced:${room}`));
  engine.setOnChatRoomJoinedListener((code, room) => log.push(`joined:${code}:${room}`));
  engine.setOnChatRoomMemberChangedListener((room, actions) =>
    log.push(`members:${room}:${actions.map((a) => `${a.userId}/${a.actionType}`).join(',')}`)
  );
  engine.setOnChatRoomStatusChangedListener((room, status) => log.push(`status:${room}:${status}`));
  return { engine, received, log };
}

const texts = (ms: RCIMIWMessage[]) => ms.map((m) => (m as RCIMIWTextMessage).text);

async function say(engine: RCIMIWEngine, room: string, text: string) {
  const m = await engine.createTextMessage(CHATROOM, room, null, text);
  const sent = new Promise<number>((resolve) =>
    engine.sendMessage(m, { onMessageSent: (code) => resolve(code) })
  );
  await RCIMMock.flush();
  return sent;
}

function code(run: (done: (code: number) => void) => Promise<number>): Promise<number> {
  return new Promise((resolve, reject) => {
    run(resolve).then((status) => {
      if (status !== 0) reject(new Error(`call refused with ${status}`));
    }, reject);
  });
}

test('join, recent messages, members and one room at a time', async () => {
  const alice = await user('alice');
  const bob = await user('bob');
  await expect(
    code((done) => alice.engine.joinChatRoom('r1', -1, false, { onChatRoomJoined: done }))
  ).resolves.toBe(23410);
  await expect(
    code((done) => alice.engine.joinChatRoom('r1', -1, true, { onChatRoomJoined: done }))
  ).resolves.toBe(0);
  expect(await say(alice.engine, 'r1', 'one')).toBe(0);
  expect(await say(alice.engine, 'r1', 'two')).toBe(0);
  // Bob is not a member yet.
  expect(await say(bob.engine, 'r1', 'nope')).toBe(23406);
  await code((done) => bob.engine.joinChatRoom('r1', 5, false, { onChatRoomJoined: done }));
  expect(texts(bob.received)).toEqual(['one', 'two']);
  expect(alice.log).toContain('members:r1:bob/1');
  await say(bob.engine, 'r1', 'hi alice');
  expect(texts(alice.received)).toEqual(['hi alice']);
  // No conversation for a chatroom.
  const conversations = await new Promise<unknown[]>((resolve) =>
    bob.engine.getConversations([CHATROOM], null, 0, 10, { onSuccess: resolve, onError: () => {} })
  );
  expect(conversations).toEqual([]);
  // Joining r2 leaves r1: its local messages go, alice sees bob leave.
  await code((done) => bob.engine.joinChatRoom('r2', 0, true, { onChatRoomJoined: done }));
  expect(RCIMMock.messagesOf('bob').filter((m) => m.targetId === 'r1')).toEqual([]);
  expect(alice.log).toContain('members:r1:bob/2');
  // Bad arguments are refused at once.
  await expect(bob.engine.joinChatRoom('r1', 51, false)).resolves.toBe(1);
  await expect(bob.engine.joinChatRoom('bad id', 0, false)).resolves.toBe(1);
});

test('KV: set, overwrite, force, events on others, sync on join, deleteWhenLeft', async () => {
  const alice = await user('alice');
  const bob = await user('bob');
  await code((done) => alice.engine.joinChatRoom('kv', -1, true, { onChatRoomJoined: done }));
  await code((done) => bob.engine.joinChatRoom('kv', -1, false, { onChatRoomJoined: done }));
  expect(
    await code((done) =>
      alice.engine.addChatRoomEntry('kv', 'k1', 'v1', true, false, { onChatRoomEntryAdded: done })
    )
  ).toBe(0);
  expect(bob.log).toContain('changed:0:kv:{"k1":"v1"}');
  expect(
    await code((done) =>
      bob.engine.addChatRoomEntry('kv', 'k1', 'v2', false, false, { onChatRoomEntryAdded: done })
    )
  ).toBe(23424);
  expect(
    await code((done) =>
      bob.engine.removeChatRoomEntry('kv', 'k1', false, { onChatRoomEntryRemoved: done })
    )
  ).toBe(23424);
  expect(
    await code((done) =>
      bob.engine.removeChatRoomEntry('kv', 'nope', true, { onChatRoomEntryRemoved: done })
    )
  ).toBe(23427);
  const errors = await new Promise<unknown>((resolve) =>
    bob.engine.addChatRoomEntries(
      'kv',
      new Map([
        ['k1', 'x'],
        ['k2', 'y'],
      ]),
      false,
      false,
      {
        onChatRoomEntriesAdded: (c, e) => resolve([c, e]),
      }
    )
  );
  expect(errors).toEqual([23428, { k1: 23424 }]);
  // Limits checked at once.
  await expect(alice.engine.addChatRoomEntry('kv', 'bad key', 'v', false, false)).resolves.toBe(1);
  await expect(
    alice.engine.addChatRoomEntry('kv', 'k'.repeat(129), 'v', false, false)
  ).resolves.toBe(1);
  await expect(
    alice.engine.addChatRoomEntry('kv', 'k', 'v'.repeat(4097), false, false)
  ).resolves.toBe(1);
  const eleven = new Map(Array.from({ length: 11 }, (_, i): [string, string] => [`k${i}`, 'v']));
  await expect(alice.engine.addChatRoomEntries('kv', eleven, false, false)).resolves.toBe(23429);
  // A third member gets every entry on join, then the sync.
  const carol = await user('carol');
  await code((done) => carol.engine.joinChatRoom('kv', -1, false, { onChatRoomJoined: done }));
  expect(carol.log.slice(0, 3)).toEqual([
    'changed:0:kv:{"k1":"v1","k2":"y"}',
    'synced:kv',
    'joined:0:kv',
  ]);
  // Alice leaves: her deleteWhenLeft entry goes, the others see it removed.
  await code((done) => alice.engine.leaveChatRoom('kv', { onChatRoomLeft: done }));
  expect(carol.log).toContain(
    `changed:${RCIMIWChatRoomEntriesOperationType.Remove}:kv:{"k1":"v1"}`
  );
  const all = await new Promise<unknown>((resolve) =>
    carol.engine.getChatRoomAllEntries('kv', { onSuccess: resolve, onError: resolve })
  );
  expect(all).toEqual({ k2: 'y' });
  // Force removes another user's entry.
  expect(
    await code((done) =>
      carol.engine.removeChatRoomEntry('kv', 'k2', true, { onChatRoomEntryRemoved: done })
    )
  ).toBe(0);
});

test('history pages and a destroy', async () => {
  const alice = await user('alice');
  await code((done) => alice.engine.joinChatRoom('h', -1, true, { onChatRoomJoined: done }));
  for (const t of ['a', 'b', 'c']) await say(alice.engine, 'h', t);
  const page = await new Promise<RCIMIWMessage[]>((resolve) =>
    alice.engine.getChatRoomMessages('h', 0, RCIMIWTimeOrder.BEFORE, 2, {
      onSuccess: resolve,
      onError: () => resolve([]),
    })
  );
  expect(texts(page)).toEqual(['c', 'b']);
  await expect(alice.engine.getChatRoomMessages('h', 0, RCIMIWTimeOrder.BEFORE, 51)).resolves.toBe(
    1
  );
  expect(RCIMMock.destroyChatRoom('h')).toBe(true);
  await RCIMMock.flush();
  expect(alice.log).toContain('status:h:1');
  expect(RCIMMock.messagesOf('alice').filter((m) => m.targetId === 'h')).toEqual([]);
});

test('local chatroom messages end with the session', async () => {
  const alice = await user('alice');
  const bob = await user('bob');
  await code((done) => alice.engine.joinChatRoom('s', -1, true, { onChatRoomJoined: done }));
  await say(alice.engine, 's', 'one');
  await code((done) => bob.engine.joinChatRoom('s', 5, false, { onChatRoomJoined: done }));
  expect(texts(RCIMMock.messagesOf('bob').filter((m) => m.targetId === 's'))).toEqual(['one']);
  await bob.engine.disconnect(false);
  await RCIMMock.flush();
  expect(RCIMMock.messagesOf('bob').filter((m) => m.targetId === 's')).toEqual([]);
  // Private messages stay.
  const m = await alice.engine.createTextMessage(RCIMIWConversationType.PRIVATE, 'bob', null, 'p');
  await alice.engine.sendMessage(m);
  await RCIMMock.flush();
  await bob.engine.connect('bob', 0);
  await RCIMMock.flush();
  expect(texts(RCIMMock.messagesOf('bob'))).toEqual(['p']);
});
