// Messages sent while the receiver is offline arrive when it connects, flagged offline, and
// the offline sync ends with left = 0 and hasPackage = false.
import { RCIMIWEngine, type RCIMIWTextMessage } from 'react-native-rcim';
import {
  assertEqual,
  connect,
  destroyAll,
  engineOptions,
  hostEnv,
  sendText,
  waitFor,
} from './support';

export default async function () {
  const env = hostEnv();
  const [userA, userB] = env.users;
  const a = RCIMIWEngine.create(env.appKey, engineOptions(env));
  let b: RCIMIWEngine | undefined;
  try {
    assertEqual(await connect(a, env.tokens[userA]), userA, 'A userId');
    for (const line of ['while you were away', 'second one']) await sendText(a, userB, line);

    b = RCIMIWEngine.createStandalone(env.appKey, engineOptions(env));
    const got: Array<{ text: string; left: number; offline: boolean; hasPackage: boolean }> = [];
    b.setOnMessageReceivedListener((m, left, offline, hasPackage) => {
      got.push({ text: (m as RCIMIWTextMessage).text ?? '', left, offline, hasPackage });
    });
    assertEqual(await connect(b, env.tokens[userB]), userB, 'B userId');
    await waitFor('2 offline messages', () => got.length >= 2);
    assertEqual(
      got.map((g) => g.text),
      ['while you were away', 'second one'],
      'offline messages in order'
    );
    assertEqual(
      got.map((g) => g.offline),
      [true, true],
      'offline flag'
    );
    const last = got[got.length - 1];
    assertEqual([last.left, last.hasPackage], [0, false], 'sync complete on the last message');
  } finally {
    await destroyAll(b, a);
  }
}
