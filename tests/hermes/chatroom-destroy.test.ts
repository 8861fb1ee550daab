// A chatroom destroyed through the Server API (/chatroom/destroy.json): DESTROY_MANUAL on the
// members, the room's local messages deleted, and the room is gone (joining it without
// autoCreate answers 23410).
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
  const all = await members(env, 0, 1);
  const [a, b] = all;
  try {
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
  } finally {
    await destroyMembers(all);
  }
}
