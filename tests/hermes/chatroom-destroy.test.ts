// A chatroom driven through the Server API: a message published into it
// (/message/chatroom/publish.json) and an entry set by the API (/chatroom/entry/set.json)
// reach the members; a destroy (/chatroom/destroy.json) fires DESTROY_MANUAL on the members,
// deletes the room's local messages, and the room is gone (joining it without autoCreate
// answers 23410).
import { RCIMIWChatRoomStatus } from 'react-native-rcim';
import {
  allEntries,
  inRoomOfTwo,
  join,
  localTexts,
  say,
  waitLog,
  waitReceived,
} from './chatroom-support';
import { assertEqual, hostEnv } from './support';
import { serverApi } from './server-api';

export default async function () {
  const env = hostEnv();
  await inRoomOfTwo(env, 'doomed', async (manual, a, b) => {
    await say(a, manual, 'last words');
    await waitReceived(b, manual, 1, 'B gets the message');
    assertEqual(await localTexts(b, manual), ['last words'], "B's local message");
    // ── Published by the Server API (the sender need not be a member).
    const published = await serverApi('/message/chatroom/publish.json', {
      fromUserId: env.users[2],
      toChatroomId: manual,
      objectName: 'RC:TxtMsg',
      content: JSON.stringify({ content: 'from the server' }),
    });
    for (const m of [a, b]) {
      const got = await waitReceived(m, manual, m === b ? 2 : 1, `${m.userId} gets the publish`);
      assertEqual(got[got.length - 1], 'from the server', `${m.userId} gets the publish`);
      const message = m.received[m.received.length - 1];
      assertEqual(message.senderUserId, env.users[2], 'the publisher');
      assertEqual(message.messageUId, published.messageUID, 'the published uid');
    }
    // ── An entry set by the Server API: every member sees it.
    await serverApi('/chatroom/entry/set.json', {
      chatroomId: manual,
      userId: env.users[2],
      key: 'by-api',
      value: 'yes',
    });
    for (const m of [a, b]) await waitLog(m, `entries:0:${manual}:{"by-api":"yes"}`);

    await serverApi('/chatroom/destroy.json', { chatroomId: manual });
    for (const m of [a, b]) {
      await waitLog(m, `status:${manual}:${RCIMIWChatRoomStatus.DESTROY_MANUAL}`);
    }
    assertEqual(await localTexts(b, manual), [], 'local messages deleted with the room');
    assertEqual(await allEntries(b, manual), 23406, 'no longer a member');
    assertEqual(await localTexts(a, manual), [], "the sender's too");
    assertEqual(await join(a, manual, -1, false), 23410, 'the room is gone');
  });
}
