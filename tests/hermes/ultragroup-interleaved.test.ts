// @server-args: --ultragroup-channel-rate 100000
// A device that sends while it receives (the channel's change sequence then moves by its own
// sends, which the server does not echo to it, and by directed messages it may not see):
// B's device sends b0..b11 into "mix" while A publishes a0..a11 there through the Server API
// with directed messages for C (c0..c3) in between. B gets each of A's messages exactly once
// through onMessageReceived, in order, none of its own and none of C's; its local channel
// holds the 24 messages once each; C gets its directed messages. B then recalls its own b0
// and A publishes "after": B gets it once. After B's device signs out and connects again, its
// catch-up announces nothing already received ("marker" is the only new message).
import type { RCIMIWMessage } from 'react-native-rcim';
import { BEFORE, LOCAL, actionCode, assertEqual, connect, hostEnv, signOut } from './support';
import {
  channelPage,
  createUltraGroup,
  destroyMembers,
  device,
  groupId,
  members,
  publish,
  receivedIn,
  say,
  texts,
  waitText,
  type UgMember,
} from './ultragroup-support';

const CHANNEL = 'mix';
const ROUNDS = 12;

export default async function () {
  const env = hostEnv();
  const [userA, userB, userC] = env.users;
  const group = groupId(env, 'mix');
  await createUltraGroup(group, [userA, userB, userC], [{ id: CHANNEL }]);
  const ms: Array<UgMember | undefined> = [];
  try {
    const [c] = await members(env, 2);
    ms.push(c);
    const b = await device(env, 1, 'b-mix');
    ms.push(b);

    // ── B sends while A publishes (with directed messages for C in between)
    const fromB = Array.from({ length: ROUNDS }, (_, i) => `b${i}`);
    const fromA = Array.from({ length: ROUNDS }, (_, i) => `a${i}`);
    const forC: string[] = [];
    const sent: RCIMIWMessage[] = [];
    const bSends = (async () => {
      for (const t of fromB) sent.push(await say(b, group, CHANNEL, t));
    })();
    const aPublishes = (async () => {
      for (let i = 0; i < ROUNDS; i++) {
        await publish(group, CHANNEL, userA, fromA[i]);
        if (i % 3 === 1) {
          const t = `c${forC.length}`;
          forC.push(t);
          await publish(group, CHANNEL, userA, t, { toUserIds: [userC] });
        }
      }
    })();
    await Promise.all([bSends, aPublishes]);
    await waitText(b, group, CHANNEL, fromA[ROUNDS - 1]);
    await waitText(c, group, CHANNEL, forC[forC.length - 1]);

    assertEqual(receivedIn(b, group, CHANNEL), fromA, "B receives A's messages once, in order");
    const local: string[] = [];
    let from = 0;
    for (let i = 0; i < 5; i++) {
      const got = await channelPage(b.engine, group, CHANNEL, from, BEFORE, LOCAL, 20);
      if (got.length === 0) break;
      local.push(...(texts(got) as string[]));
      from = got[got.length - 1].sentTime!;
    }
    assertEqual(
      [...local].sort(),
      [...fromA, ...fromB].sort(),
      "B's channel holds every message of A and B once"
    );
    assertEqual(
      receivedIn(c, group, CHANNEL).filter((t) => t!.startsWith('c')),
      forC,
      'C gets its directed messages'
    );

    // ── an own recall, then a live message
    assertEqual(
      await actionCode('recallUltraGroupMessage', (done) =>
        b.engine.recallUltraGroupMessage(sent[0], false, { onUltraGroupMessageRecalled: done })
      ),
      0,
      'B recalls b0'
    );
    await publish(group, CHANNEL, userA, 'after');
    await waitText(b, group, CHANNEL, 'after');
    assertEqual(receivedIn(b, group, CHANNEL), [...fromA, 'after'], 'B receives "after" once');

    // ── a new connection announces nothing twice
    await signOut(b.engine);
    b.received.length = 0;
    assertEqual(await connect(b.engine, env.tokens[userB]), userB, 'B connects again');
    await publish(group, CHANNEL, userA, 'marker');
    await waitText(b, group, CHANNEL, 'marker');
    assertEqual(receivedIn(b, group, CHANNEL), ['marker'], 'only the new message');
  } finally {
    await destroyMembers(ms);
  }
}
