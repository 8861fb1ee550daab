// @server-args: --chatroom-idle-destroy-secs 3
// Destroyed chatrooms: a destroy through the Server API (/chatroom/destroy.json) fires
// DESTROY_MANUAL on the members and deletes the room's local messages; a room left idle (no
// message, no join or leave) for the server's idle setting (3 s here) is destroyed with
// DESTROY_AUTO. A destroyed room is gone: joining it without autoCreate answers 23410.
import { RCIMIWChatRoomStatus } from 'react-native-rcim';
import {
  destroyMembers,
  join,
  joined,
  localTexts,
  members,
  roomId,
  say,
  waitLog,
  waitReceived,
} from './chatroom-support';
import { assertEqual, hostEnv } from './support';
import { serverApi } from './server-api';

export default async function () {
  const env = hostEnv();
  const manual = roomId(env, 'doomed');
  const idle = roomId(env, 'idle');
  const all = await members(env, 0, 1);
  const [a, b] = all;
  try {
    // ── Destroyed through the Server API.
    await joined(a, manual, -1, true);
    await joined(b, manual, -1);
    await say(a, manual, 'last words');
    await waitReceived(b, manual, 1, 'B gets the message');
    assertEqual(await localTexts(b, manual), ['last words'], "B's local message");
    await serverApi('/chatroom/destroy.json', { chatroomId: manual });
    for (const m of [a, b]) {
      await waitLog(m, `status:${manual}:${RCIMIWChatRoomStatus.DESTROY_MANUAL}`);
    }
    assertEqual(await localTexts(b, manual), [], 'local messages deleted with the room');
    assertEqual(await localTexts(a, manual), [], "the sender's too");
    assertEqual(await join(a, manual, -1, false), 23410, 'the room is gone');

    // ── Destroyed when idle.
    await joined(a, idle, -1, true);
    const started = Date.now();
    await waitLog(a, `status:${idle}:${RCIMIWChatRoomStatus.DESTROY_AUTO}`, 30000);
    console.log(`idle room destroyed after ${Date.now() - started} ms`);
    assertEqual(await join(a, idle, -1, false), 23410, 'the idle room is gone');
  } finally {
    await destroyMembers(all);
  }
}
