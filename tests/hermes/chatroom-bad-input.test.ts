// Chatroom bad input: every limit answers its code. Refused at once with PARAM_ERROR (1):
// room ids, messageCount outside -1..50, history count outside 1..50, KV keys (charset,
// 1..128 characters), values over 4096 characters; more than 10 entries or keys in one call:
// 23429. From the server: a missing room without autoCreate 23410, calls of a non-member
// 23406, the 101st key of a room 23423.
import { RCIMIWTimeOrder } from 'react-native-rcim';
import {
  addEntries,
  addEntry,
  destroyMembers,
  join,
  joined,
  members,
  roomId,
} from './chatroom-support';
import { actionCode, assertEqual, hostEnv, sleep } from './support';

export default async function () {
  const env = hostEnv();
  const room = roomId(env, 'limits');
  const all = await members(env, 0, 1);
  const [a, b] = all;
  try {
    // ── Joins.
    assertEqual(await join(a, roomId(env, 'missing'), -1, false), 23410, 'missing room');
    for (const count of [-2, 51, 1.5]) {
      assertEqual(await a.engine.joinChatRoom(room, count, true), 1, `messageCount ${count}`);
    }
    for (const bad of ['', 'with space', 'ünï', 'r'.repeat(65)]) {
      assertEqual(await a.engine.joinChatRoom(bad, 0, true), 1, `room id "${bad}"`);
    }
    // ── Not a member yet: the server's 23406.
    const history = (count: number) =>
      actionCode(`history count ${count}`, (done) =>
        a.engine.getChatRoomMessages(room, 0, RCIMIWTimeOrder.BEFORE, count, {
          onSuccess: () => done(0),
          onError: done,
        })
      );
    await joined(b, room, -1, true);
    assertEqual(await history(10), 23406, 'history of a non-member');
    assertEqual(await addEntry(a, room, 'k', 'v'), 23406, 'KV of a non-member');
    await joined(a, room, -1);
    assertEqual(await history(10), 0, 'history of a member');
    for (const count of [0, 51, -1]) {
      assertEqual(await history(count), 1, `history count ${count}`);
    }

    // ── Keys and values.
    for (const key of ['', 'bad key', 'ключ', 'k/1', 'k'.repeat(129)]) {
      assertEqual(await addEntry(a, room, key, 'v'), 1, `key "${key.slice(0, 20)}"`);
    }
    assertEqual(await addEntry(a, room, 'aZ09+=-_', 'v'), 0, 'the whole key charset');
    assertEqual(await addEntry(a, room, 'k'.repeat(128), 'v'), 0, 'a 128-character key');
    assertEqual(await addEntry(a, room, 'long', 'é'.repeat(4097)), 1, '4097 characters');
    // Characters, not bytes: 4096 two-byte characters fit.
    assertEqual(await addEntry(a, room, 'long', 'é'.repeat(4096)), 0, '4096 characters');
    const eleven: { [k: string]: string } = {};
    for (let i = 0; i < 11; i++) eleven[`b${i}`] = 'v';
    assertEqual((await addEntries(a, room, eleven)).code, 23429, '11 entries');
    const removeEleven = await a.engine.removeChatRoomEntries(room, Object.keys(eleven), true);
    assertEqual(removeEleven, 23429, '11 keys');
    assertEqual(await a.engine.removeChatRoomEntry(room, 'bad key', true), 1, 'removing a bad key');
    assertEqual(await a.engine.getChatRoomEntry(room, 'bad key'), 1, 'reading a bad key');

    // ── At most 100 keys in a room: 3 are set; 97 more fit, the next is 23423. Batches of
    // ten, under the room's 100 operations per second.
    let n = 3;
    while (n < 100) {
      const batch: { [k: string]: string } = {};
      for (let i = 0; i < 10 && n < 100; i++, n++) batch[`n${n}`] = 'v';
      assertEqual((await addEntries(a, room, batch)).code, 0, `keys up to ${n}`);
      await sleep(120);
    }
    await sleep(1100);
    assertEqual(await addEntry(b, room, 'one-more', 'v'), 23423, 'the 101st key');
    // Replacing an existing key still works.
    assertEqual(await addEntry(a, room, 'n50', 'w', false, true), 0, 'overwrite at 100 keys');
  } finally {
    await destroyMembers(all);
  }
}
