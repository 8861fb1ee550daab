// Chatroom moderation through the Server API, as the client sees it: a gagged member's sends
// fail with 23408 (the message is marked FAILED) until the gag is rolled back; a blocked
// member is kicked out at once (R196): its engine forgets the room and deletes the room's
// local messages, the others see it leave, and joining again answers 23409.
import { RCIMIWConversationType, RCIMIWSentStatus } from 'react-native-rcim';
import {
  CHATROOM,
  inRoomOfTwo,
  join,
  localTexts,
  say,
  waitLog,
  waitReceived,
} from './chatroom-support';
import { assertEqual, hostEnv, paceSend, waitFor, waitForAsync } from './support';
import { serverApi } from './server-api';

export default async function () {
  const env = hostEnv();
  await inRoomOfTwo(env, 'moderated', async (room, a, b) => {
    await say(b, room, 'before the gag');
    await waitReceived(a, room, 1, 'A gets the message');

    // ── Gag: B's send fails with 23408.
    await serverApi('/chatroom/user/gag/add.json', {
      chatroomId: room,
      userId: b.userId,
      minute: 5,
    });
    const text = await b.engine.createTextMessage(CHATROOM, room, null, 'gagged');
    let sent: { code: number; status?: number } | undefined;
    await paceSend();
    assertEqual(
      await b.engine.sendMessage(text, {
        onMessageSent: (code, m) => (sent = { code, status: m.sentStatus }),
      }),
      0,
      'sendMessage status'
    );
    const result = await waitFor('onMessageSent', () => sent);
    assertEqual(result, { code: 23408, status: RCIMIWSentStatus.FAILED }, 'a gagged send');
    await serverApi('/chatroom/user/gag/rollback.json', { chatroomId: room, userId: b.userId });
    await say(b, room, 'after the gag');
    await waitReceived(a, room, 2, 'A gets the message after the gag');

    // ── Block: A is kicked out at once.
    assertEqual((await localTexts(a, room)).length, 2, "A's local messages");
    await serverApi('/chatroom/user/block/add.json', {
      chatroomId: room,
      userId: a.userId,
      minute: 5,
    });
    await waitLog(b, `member:${room}:${a.userId}:2`);
    await waitForAsync('A deletes the room', async () => (await localTexts(a, room)).length === 0);
    assertEqual(await join(a, room, -1, false), 23409, 'a blocked user cannot join');
    const conversations = await new Promise<unknown[]>((resolve, reject) => {
      void a.engine.getConversations([RCIMIWConversationType.PRIVATE, CHATROOM], null, 0, 10, {
        onSuccess: resolve,
        onError: reject,
      });
    });
    assertEqual(conversations.length, 0, 'no conversation left behind');
  });
}
