// clearUltraGroupMessages with timestamp 0 (all of them) and LOCAL_REMOTE (R223): A writes 3
// messages into "gone"; B's device clears the channel with 0. Locally nothing is left, and
// the server history of B is empty too (0 means "now" there as well). After B's device signs
// out and connects again the channel still shows nothing: no message comes back through the
// catch-up, the channel state or getMessages, and the unread count is 0. A message written
// after the clear arrives as usual. A's history is untouched.
import type { RCIMIWMessage, RCIMIWMessageOperationPolicy } from 'react-native-rcim';
import {
  BEFORE,
  LOCAL,
  LOCAL_REMOTE,
  REMOTE,
  actionCode,
  assertEqual,
  connect,
  hostEnv,
  signOut,
  sleep,
} from './support';
import {
  channelPage,
  channelUnread,
  createUltraGroup,
  destroyMembers,
  device,
  groupId,
  members,
  say,
  texts,
  waitReceived,
  waitText,
  type UgMember,
} from './ultragroup-support';

const CHANNEL = 'gone';

async function page(m: UgMember, group: string, policy: RCIMIWMessageOperationPolicy) {
  const got: RCIMIWMessage[] = await channelPage(m.engine, group, CHANNEL, 0, BEFORE, policy, 20);
  return texts(got);
}

export default async function () {
  const env = hostEnv();
  const userB = env.users[1];
  const group = groupId(env, 'clearall');
  await createUltraGroup(group, [env.users[0], userB], [{ id: CHANNEL }]);
  const ms: Array<UgMember | undefined> = [];
  try {
    const [a] = await members(env, 0);
    ms.push(a);
    const b = await device(env, 1, 'b-clear');
    ms.push(b);
    for (const t of ['x1', 'x2', 'x3']) await say(a, group, CHANNEL, t);
    await waitReceived(b, group, CHANNEL, 3, 'B gets the three');

    // ── clear everything, here and on the server
    assertEqual(
      await actionCode('clearUltraGroupMessages(0, LOCAL_REMOTE)', (done) =>
        b.engine.clearUltraGroupMessages(group, CHANNEL, 0, LOCAL_REMOTE, {
          onUltraGroupMessagesCleared: done,
        })
      ),
      0,
      'cleared'
    );
    assertEqual(await page(b, group, LOCAL), [], 'nothing left locally');
    assertEqual(await page(b, group, REMOTE), [], "B's server history is empty");
    assertEqual(await page(a, group, REMOTE), ['x3', 'x2', 'x1'], "A's is untouched");

    // ── a new connection brings nothing back
    await signOut(b.engine);
    b.received.length = 0;
    assertEqual(await connect(b.engine, env.tokens[userB]), userB, 'B connects again');
    // The catch-up runs right after the connection: give it time to bring anything back.
    await sleep(1500);
    assertEqual(b.received.length, 0, 'no message received again');
    assertEqual(await page(b, group, LOCAL), [], 'nothing locally after the reconnect');
    assertEqual(await page(b, group, LOCAL_REMOTE), [], 'nothing through getMessages');
    assertEqual(await channelUnread(b, group, CHANNEL), 0, 'no unread');

    // ── later messages arrive as usual
    await say(a, group, CHANNEL, 'x4');
    await waitText(b, group, CHANNEL, 'x4');
    assertEqual(await page(b, group, LOCAL_REMOTE), ['x4'], 'only the new message');
  } finally {
    await destroyMembers(ms);
  }
}
