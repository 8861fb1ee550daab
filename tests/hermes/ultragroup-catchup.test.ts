// @server-args: --ultragroup-channel-rate 100000
// Catch-up and gap filling of a channel (R098, R221): B's device receives "before", signs out;
// A publishes g0..g149 into the channel through the Server API and then edits "before" (the
// Server API's modify). When B's device connects again it gets the newest messages by the
// channel's catch-up — at most 100, the newest, oldest first, through onMessageReceived — and
// the edit through onRemoteUltraGroupMessageModified; its unread count is 151, all it never
// read (the server's state). getMessages with LOCAL_REMOTE then pages the whole channel newest first
// with no gap (the older messages come from the server), and a second pass with LOCAL gives
// the same list: what was fetched is stored.
import type { RCIMIWMessage, RCIMIWTextMessage } from 'react-native-rcim';
import { serverApi } from './server-api';
import {
  BEFORE,
  LOCAL,
  LOCAL_REMOTE,
  assert,
  assertEqual,
  connect,
  hostEnv,
  signOut,
  waitFor,
} from './support';
import {
  channelUnread,
  createUltraGroup,
  destroyMembers,
  device,
  groupId,
  publish,
  publishAll,
  receivedIn,
  texts,
  waitText,
  type UgMember,
  channelPage,
} from './ultragroup-support';

const CHANNEL = 'talk';

/** The whole channel through getMessages pages of 20, newest first. */
async function allPages(m: UgMember, group: string, policy: number): Promise<string[]> {
  const out: string[] = [];
  let from = 0;
  for (let i = 0; i < 12; i++) {
    const got: RCIMIWMessage[] = await channelPage(
      m.engine,
      group,
      CHANNEL,
      from,
      BEFORE,
      policy,
      20
    );
    if (got.length === 0) break;
    out.push(...(texts(got) as string[]));
    from = got[got.length - 1].sentTime!;
  }
  return out;
}

export default async function () {
  const env = hostEnv();
  const [userA, userB] = env.users;
  const group = groupId(env, 'gaps');
  await createUltraGroup(group, [userA, userB], [{ id: CHANNEL }]);
  let b: UgMember | undefined;
  try {
    b = await device(env, 1, 'b-phone');
    const beforeUid = await publish(group, CHANNEL, userA, 'before');
    await waitText(b, group, CHANNEL, 'before');
    await signOut(b.engine);

    // ── 150 messages while B is away, one at a time (their order is the channel's), then an
    // edit of "before"
    const published = Array.from({ length: 150 }, (_, i) => `g${i}`);
    await publishAll(group, CHANNEL, userA, published);
    await serverApi('/ultragroup/msg/modify.json', {
      groupId: group,
      fromUserId: userA,
      msgUID: beforeUid,
      content: JSON.stringify({ content: 'before (edited)' }),
      busChannel: CHANNEL,
    });

    // ── back: the newest by catch-up, oldest first, and the edit
    b.received.length = 0;
    assertEqual(await connect(b.engine, env.tokens[userB]), userB, 'B connects again');
    await waitText(b, group, CHANNEL, 'g149', 20000);
    const caught = receivedIn(b, group, CHANNEL);
    assert(caught.length >= 1 && caught.length <= 100, `caught up ${caught.length} (1..=100)`);
    assertEqual(caught, published.slice(-caught.length), 'the newest, oldest first, no gap');
    const edits = await waitFor('onRemoteUltraGroupMessageModified for "before"', () =>
      b!.modified.flat().find((x) => x.messageUId === beforeUid)
    );
    assertEqual((edits as RCIMIWTextMessage).text, 'before (edited)', 'the edited text');
    assertEqual([edits.targetId, edits.channelId], [group, CHANNEL], 'edit of the channel');
    assertEqual(
      await channelUnread(b, group, CHANNEL),
      151,
      'unread: "before" and the 150 (server state)'
    );

    // ── the gap is filled from the server, then kept locally
    const expected = [...published].reverse().concat('before (edited)');
    assertEqual(await allPages(b, group, LOCAL_REMOTE), expected, 'LOCAL_REMOTE pages');
    assertEqual(await allPages(b, group, LOCAL), expected, 'LOCAL pages after filling');
  } finally {
    await destroyMembers([b]);
  }
}
