// @server-args: --ultragroup-channel-rate 100000
// Unread counts capped at 999 (R230): B publishes 1,001 messages mentioning everyone into
// RCDefault of group one through the Server API, and 5 into group two. C is online the whole
// time (the live path: 1,001 events); A connects only afterwards (the server's channel states).
// For both: the channel's, the group's and all groups' unread and mention counts are 999, get
// and load variants. A then syncs the read status of group one's channel: its counts drop to 0
// and the total over all groups is group two's 5.
import { recorder } from './settings-support';
import { assertEqual, hostEnv, waitFor, waitForAsync } from './support';
import {
  RC_DEFAULT,
  ULTRA,
  allMentions,
  allUnread,
  channelUnread,
  createUltraGroup,
  destroyMembers,
  get,
  groupId,
  groupMentions,
  groupUnread,
  members,
  publishAll,
  receivedIn,
  type UgMember,
} from './ultragroup-support';

const CAP = 999;

export default async function () {
  const env = hostEnv();
  const [userA, userB, userC] = env.users;
  const one = groupId(env, 'cap');
  const two = groupId(env, 'captwo');
  await createUltraGroup(one, [userB, userA, userC]);
  await createUltraGroup(two, [userB, userA, userC]);
  let all: UgMember[] = [];
  try {
    const [c] = await members(env, 2);
    all = [c];
    const many = Array.from({ length: 1001 }, (_, i) => `u${i}`);
    await publishAll(one, RC_DEFAULT, userB, many, 16, { mentionAll: true });
    await publishAll(two, RC_DEFAULT, userB, ['v0', 'v1', 'v2', 'v3', 'v4'], 1);
    await waitFor(
      'C receives all 1,006 messages',
      () => receivedIn(c, one, RC_DEFAULT).length + receivedIn(c, two, RC_DEFAULT).length >= 1006,
      40000
    );
    const [a] = await members(env, 0);
    all = [c, a];

    for (const m of [c, a]) {
      const who = m === a ? 'A (states)' : 'C (live)';
      // The states are read after onConnected: wait for them.
      await waitForAsync(
        `${who}: unread of group two`,
        async () => (await groupUnread(m, two)) === 5
      );
      assertEqual(await channelUnread(m, one, RC_DEFAULT), CAP, `${who}: channel unread`);
      assertEqual(await groupUnread(m, one), CAP, `${who}: group unread`);
      assertEqual(await groupMentions(m, one), CAP, `${who}: group mentions`);
      assertEqual(await allUnread(m), CAP, `${who}: all groups' unread`);
      assertEqual(await allMentions(m), CAP, `${who}: all groups' mentions`);
      assertEqual(await groupUnread(m, two), 5, `${who}: group two`);
      assertEqual(
        await get<number>('getUnreadMentionedCount', (cb) =>
          m.engine.getUnreadMentionedCount(ULTRA, one, RC_DEFAULT, cb)
        ),
        CAP,
        `${who}: channel mentions`
      );
    }

    // The load variants, through their listeners.
    const unread = recorder('onUltraGroupUnreadCountLoaded');
    const allLoaded = recorder('onUltraGroupAllUnreadCountLoaded');
    a.engine.setOnUltraGroupUnreadCountLoadedListener(unread.fn);
    a.engine.setOnUltraGroupAllUnreadCountLoadedListener(allLoaded.fn);
    assertEqual(await a.engine.loadUltraGroupUnreadCount(one), 0, 'loadUltraGroupUnreadCount');
    assertEqual(await unread.next(), [0, one, CAP], 'onUltraGroupUnreadCountLoaded');
    assertEqual(await a.engine.loadUltraGroupAllUnreadCount(), 0, 'loadUltraGroupAllUnreadCount');
    assertEqual(await allLoaded.next(), [0, CAP], 'onUltraGroupAllUnreadCountLoaded');

    // ── read: group one's counts go, group two's remain
    let synced: number | undefined;
    assertEqual(
      await a.engine.syncUltraGroupReadStatus(one, RC_DEFAULT, 0, {
        onUltraGroupReadStatusSynced: (code) => (synced = code),
      }),
      0,
      'syncUltraGroupReadStatus status'
    );
    await waitFor('onUltraGroupReadStatusSynced', () => synced !== undefined);
    assertEqual(synced, 0, 'onUltraGroupReadStatusSynced code');
    assertEqual(await groupUnread(a, one), 0, 'group one read');
    assertEqual(await groupMentions(a, one), 0, 'group one mentions read');
    assertEqual(await allUnread(a), 5, "all groups' unread: group two's");
    assertEqual(await allMentions(a), 0, "all groups' mentions");
  } finally {
    await destroyMembers(all);
  }
}
