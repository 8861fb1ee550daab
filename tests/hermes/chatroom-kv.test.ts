// Chatroom KV entries with three users: set, overwrite, batch with partial failure, remove
// with and without force, reads, the events on the other members (never on the writer), all
// entries then the sync on join (R209), and deleteWhenLeft entries removed when their setter
// leaves (R207).
import { RCIMIWChatRoomEntriesOperationType } from 'react-native-rcim';
import {
  addEntries,
  addEntry,
  allEntries,
  destroyMembers,
  joined,
  leave,
  members,
  removeEntry,
  roomId,
  sorted,
  waitLog,
} from './chatroom-support';
import { actionCode, assert, assertEqual, hostEnv, waitFor } from './support';

const UPDATE = RCIMIWChatRoomEntriesOperationType.Update;
const REMOVE = RCIMIWChatRoomEntriesOperationType.Remove;

export default async function () {
  const env = hostEnv();
  const room = roomId(env, 'kv');
  const all = await members(env, 0, 1, 2);
  const [a, b, c] = all;
  try {
    await joined(a, room, -1, true);
    await joined(b, room, -1);
    const entries = (op: number, e: object) => `entries:${op}:${room}:${JSON.stringify(e)}`;

    // ── Set: the others see it, the writer does not.
    assertEqual(await addEntry(a, room, 'k1', 'v1', true, false), 0, 'A sets k1');
    await waitLog(b, entries(UPDATE, { k1: 'v1' }));
    // ── Overwrite: refused without the flag, done with it.
    assertEqual(await addEntry(b, room, 'k1', 'x', false, false), 23424, 'no overwrite');
    assertEqual(await addEntry(a, room, 'k1', 'v1b', true, true), 0, 'A overwrites k1');
    await waitLog(b, entries(UPDATE, { k1: 'v1b' }));
    // ── A batch where one key exists: 23428 with that key's code; the others are set.
    assertEqual(
      await addEntries(b, room, { k2: 'v2', k1: 'no' }),
      { code: 23428, errors: { k1: 23424 } },
      'partial batch'
    );
    await waitLog(a, entries(UPDATE, { k2: 'v2' }));
    assert(
      !a.log.includes(entries(UPDATE, { k1: 'v1' })) &&
        !a.log.includes(entries(UPDATE, { k1: 'v1b' })),
      `the writer gets no event of its own change: ${a.log.join(' | ')}`
    );
    // ── Remove: another user's key only with force; a missing key is 23427.
    assertEqual(await removeEntry(b, room, 'k1', false), 23424, "B may not remove A's key");
    assertEqual(await removeEntry(b, room, 'nokey', true), 23427, 'missing key');
    assertEqual(await removeEntry(b, room, 'k1', true), 0, 'force removes it');
    await waitLog(a, entries(REMOVE, { k1: 'v1b' }));

    // ── Reads: one key, a missing key, all keys, and the seed's loadAllChatRoomEntries.
    const one = await new Promise<unknown>((resolve) => {
      void a.engine.getChatRoomEntry(room, 'k2', {
        onSuccess: (t) => resolve(sorted(t as unknown as { [k: string]: string })),
        onError: (code) => resolve(code),
      });
    });
    assertEqual(one, { k2: 'v2' }, 'getChatRoomEntry');
    const missing = await actionCode('getChatRoomEntry(k1)', (done) =>
      a.engine.getChatRoomEntry(room, 'k1', { onSuccess: () => done(0), onError: done })
    );
    assertEqual(missing, 23427, 'a removed key');
    assertEqual(await allEntries(a, room), { k2: 'v2' }, 'getChatRoomAllEntries');
    let seed: object | undefined;
    a.engine.setOnAllChatRoomEntriesLoadedListener((code, targetId, map) => {
      if (code === 0 && targetId === room) seed = sorted(map);
    });
    assertEqual(await a.engine.loadAllChatRoomEntries(room), 0, 'loadAllChatRoomEntries');
    assertEqual(await waitFor('onAllChatRoomEntriesLoaded', () => seed), { k2: 'v2' }, 'seed name');

    // ── A joiner gets every entry as one Update, then the sync, then its join result.
    assertEqual(await addEntry(a, room, 'k3', 'v3', true, false), 0, 'A sets k3 (deleteWhenLeft)');
    await joined(c, room, -1);
    const mine = c.log.filter((l) => !l.startsWith('member:'));
    assertEqual(
      mine,
      [
        `joining:${room}`,
        entries(UPDATE, { k2: 'v2', k3: 'v3' }),
        `synced:${room}`,
        `joined:0:${room}`,
      ],
      'sync on join (R209)'
    );

    // ── deleteWhenLeft: A leaves, its k3 goes (k2 is B's and stays).
    assertEqual(await leave(a, room), 0, 'A leaves');
    await waitLog(b, entries(REMOVE, { k3: 'v3' }));
    await waitLog(c, entries(REMOVE, { k3: 'v3' }));
    assertEqual(await allEntries(c, room), { k2: 'v2' }, 'after A left');
    // Not a member any more: the room's KV calls answer 23406.
    assertEqual(await addEntry(a, room, 'k4', 'v4'), 23406, 'not in the room');
    assertEqual(await allEntries(a, room), 23406, 'reading needs membership');

    // ── Batch removal with force.
    const removed = await actionCode('removeChatRoomEntries', (done) =>
      c.engine.removeChatRoomEntries(room, ['k2'], true, { onChatRoomEntriesRemoved: done })
    );
    assertEqual(removed, 0, 'C removes k2');
    await waitLog(b, entries(REMOVE, { k2: 'v2' }));
    assertEqual(await allEntries(b, room), {}, 'no entries left');
  } finally {
    await destroyMembers(all);
  }
}
