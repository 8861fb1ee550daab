// A full KV room: 100 entries of 4096 characters (about 800 KB) do not fit in one frame. A
// joiner still gets every entry as one Update before the sync and its join result (R209: the
// engine reads the rest in pages), getChatRoomAllEntries and the seed's loadAllChatRoomEntries
// return all of them, and when their setter leaves, the others learn the removal of every
// deleteWhenLeft entry (in one event or several).
import { RCIMIWChatRoomEntriesOperationType } from 'react-native-rcim';
import {
  addEntries,
  allEntries,
  destroyMembers,
  joined,
  leave,
  members,
  roomId,
  sorted,
  type Member,
} from './chatroom-support';
import { assertEqual, hostEnv, sleep, waitFor } from './support';

const UPDATE = RCIMIWChatRoomEntriesOperationType.Update;
const REMOVE = RCIMIWChatRoomEntriesOperationType.Remove;

/** The keys of `m`'s entries events of `op` in `room`, all events together. */
function keysIn(m: Member, op: number, room: string): Set<string> {
  const prefix = `entries:${op}:${room}:`;
  const keys = new Set<string>();
  for (const line of m.log) {
    if (line.startsWith(prefix)) {
      for (const k of Object.keys(JSON.parse(line.slice(prefix.length)) as object)) keys.add(k);
    }
  }
  return keys;
}

export default async function () {
  const env = hostEnv();
  const room = roomId(env, 'kvfull');
  const all = await members(env, 0, 1, 2);
  const [a, b, c] = all;
  try {
    await joined(a, room, -1, true);
    await joined(b, room, -1);
    // 100 keys, each value 4096 characters of two UTF-8 bytes, set by A (deleteWhenLeft) in
    // batches of ten under the room's 100 operations per second.
    const full: { [k: string]: string } = {};
    for (let n = 0; n < 100; n++) {
      const key = `key${String(n).padStart(3, '0')}`;
      full[key] = `${key}:`.padEnd(4096, 'é');
    }
    const keys = Object.keys(full);
    for (let i = 0; i < keys.length; i += 10) {
      const batch: { [k: string]: string } = {};
      for (const k of keys.slice(i, i + 10)) batch[k] = full[k];
      assertEqual((await addEntries(a, room, batch, true)).code, 0, `keys ${i}..${i + 9}`);
      await sleep(120);
    }
    await waitFor('B sees the 100 entries set', () => keysIn(b, UPDATE, room).size === 100);

    // ── The joiner gets all 100 as one Update, then the sync, then its result.
    await joined(c, room, -1);
    const expected = `entries:${UPDATE}:${room}:${JSON.stringify(sorted(full))}`;
    const mine = c.log.filter((l) => !l.startsWith('member:'));
    assertEqual(mine.length, 4, `C's join reports: ${mine.map((l) => l.slice(0, 60)).join(' | ')}`);
    assertEqual(mine[0], `joining:${room}`, 'joining first');
    assertEqual(mine[1] === expected, true, 'every entry in the Update of the join');
    assertEqual(mine.slice(2), [`synced:${room}`, `joined:0:${room}`], 'then sync and result');

    // ── Reads of all entries.
    const read = await allEntries(c, room);
    assertEqual(
      JSON.stringify(read) === JSON.stringify(sorted(full)),
      true,
      'getChatRoomAllEntries'
    );
    let seed: object | undefined;
    c.engine.setOnAllChatRoomEntriesLoadedListener((code, targetId, map) => {
      if (code === 0 && targetId === room) seed = sorted(map);
    });
    assertEqual(await c.engine.loadAllChatRoomEntries(room), 0, 'loadAllChatRoomEntries');
    const loaded = await waitFor('onAllChatRoomEntriesLoaded', () => seed);
    assertEqual(Object.keys(loaded).length, 100, 'loadAllChatRoomEntries: every entry');

    // ── A leaves: B and C learn that all 100 of its deleteWhenLeft entries are gone.
    assertEqual(await leave(a, room), 0, 'A leaves');
    for (const m of [b, c]) {
      await waitFor(
        `${m.userId} sees the 100 entries removed`,
        () => keysIn(m, REMOVE, room).size === 100
      );
    }
    assertEqual(await allEntries(b, room), {}, 'no entries left');
  } finally {
    await destroyMembers(all);
  }
}
