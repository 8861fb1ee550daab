// @server-args: --chatroom-idle-destroy-secs 3
// An idle chatroom (no message, no join or leave for the server's idle setting: 3 s here)
// is destroyed by the server (R185, R189): DESTROY_AUTO on its members, its local messages
// deleted, and joining it without autoCreate answers 23410. Activity keeps a room alive.
import { RCIMIWChatRoomStatus } from 'react-native-rcim';
import { inRoomOfTwo, join, localTexts, say, waitLog, waitReceived } from './chatroom-support';
import { assert, assertEqual, hostEnv, sleep } from './support';

export default async function () {
  const env = hostEnv();
  await inRoomOfTwo(env, 'idle', async (idle, a, b) => {
    // Messages every second keep it alive past the idle time.
    for (let i = 0; i < 5; i++) {
      await say(a, idle, `alive ${i}`);
      await sleep(1000);
    }
    await waitReceived(b, idle, 5, 'B gets the messages');
    const destroyed = `status:${idle}:${RCIMIWChatRoomStatus.DESTROY_AUTO}`;
    assert(!a.log.includes(destroyed), 'an active room is not destroyed');
    assertEqual((await localTexts(b, idle)).length, 5, "B's local messages");
    // Then nothing happens: the room goes.
    const quiet = Date.now();
    for (const m of [a, b]) await waitLog(m, destroyed, 30000);
    console.log(`idle room destroyed ${Date.now() - quiet} ms after its last message`);
    assertEqual(await localTexts(b, idle), [], 'local messages deleted with the room');
    assertEqual(await join(a, idle, -1, false), 23410, 'the idle room is gone');
  });
}
