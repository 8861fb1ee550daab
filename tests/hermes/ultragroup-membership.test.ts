// Membership and channel changes made through the Server API while the members are online
// (R211–R216): A, B and C are members; channel "vip" is private with A listed. C cannot send
// into it (24416) until the Server API lists C; then C gets its messages; unlisted again, C
// gets none; made public (channel/type/change), C reads the whole channel. The channel list
// (channel/get) and member/exist answer as RongCloud's. C quits the group: its sends are
// refused (24406) and it gets nothing more; it joins again and can send. A dismissed group
// refuses sends (24410). "Nothing arrives" is checked against a later message of a second
// group that does arrive.
import { serverApi } from './server-api';
import { assert, assertEqual, hostEnv, waitForAsync } from './support';
import {
  RC_DEFAULT,
  UG,
  createUltraGroup,
  destroyMembers,
  groupId,
  members,
  receivedIn,
  say,
  trySay,
  waitText,
} from './ultragroup-support';

export default async function () {
  const env = hostEnv();
  const [userA, userB, userC] = env.users;
  const group = groupId(env, 'member');
  const other = groupId(env, 'membertwo');
  await createUltraGroup(
    group,
    [userA, userB, userC],
    [{ id: 'news' }, { id: 'vip', privateUsers: [userA] }]
  );
  await createUltraGroup(other, [userA, userC]);
  const all = await members(env, 0, 1, 2);
  const [a, , c] = all;
  try {
    // ── the Server API's view
    const list = await serverApi('/ultragroup/channel/get.json', { groupId: group });
    // RongCloud's examples name the type (PUBLIC / PRIVATE); its create call numbers it (0 / 1).
    const kind = (t: unknown) => (t === 1 || t === 'PRIVATE' ? 'private' : 'public');
    const channels = (list.channelList as Array<{ channelId: string; type: unknown }>)
      .map((x) => `${x.channelId}:${kind(x.type)}`)
      .sort();
    assertEqual(channels, [`${RC_DEFAULT}:public`, 'news:public', 'vip:private'], 'channel/get');
    const exists = await serverApi('/ultragroup/member/exist.json', {
      groupId: group,
      userId: userC,
    });
    assertEqual(exists.status, true, 'member/exist');

    // ── listed, unlisted, made public
    assertEqual((await trySay(c, group, 'vip', 'not yet')).code, UG.NOT_IN_PRIVATE_CHANNEL, 'C');
    await serverApi('/ultragroup/channel/private/users/add.json', {
      groupId: group,
      busChannel: 'vip',
      userIds: userC,
    });
    await say(a, group, 'vip', 'vip 1');
    await waitText(c, group, 'vip', 'vip 1');
    await say(c, group, 'vip', 'C is listed');
    await waitText(a, group, 'vip', 'C is listed');
    await serverApi('/ultragroup/channel/private/users/del.json', {
      groupId: group,
      busChannel: 'vip',
      userIds: userC,
    });
    await say(a, group, 'vip', 'vip 2');
    await say(a, other, null, 'marker 1');
    await waitText(c, other, RC_DEFAULT, 'marker 1');
    assertEqual(receivedIn(c, group, 'vip'), ['vip 1'], 'C unlisted gets no more of vip');
    assertEqual((await trySay(c, group, 'vip', 'unlisted')).code, UG.NOT_IN_PRIVATE_CHANNEL, 'C');
    await serverApi('/ultragroup/channel/type/change.json', {
      groupId: group,
      busChannel: 'vip',
      type: 0,
    });
    await say(a, group, 'vip', 'vip 3');
    // Public now: the channel's stream is C's to read, "vip 2" included (the resync after the
    // change catches C up with what it could not read before).
    await waitText(c, group, 'vip', 'vip 3');
    await waitText(c, group, 'vip', 'vip 2');
    assertEqual(
      [...receivedIn(c, group, 'vip')].sort(),
      ['vip 1', 'vip 2', 'vip 3'],
      'a public channel reaches every member'
    );

    // ── quit and join again
    await serverApi('/ultragroup/quit.json', { groupId: group, userId: userC });
    const gone = await serverApi('/ultragroup/member/exist.json', {
      groupId: group,
      userId: userC,
    });
    assertEqual(gone.status, false, 'member/exist after quit');
    assertEqual((await trySay(c, group, 'news', 'gone')).code, UG.NOT_IN_GROUP, 'C quit');
    await say(a, group, 'news', 'after quit');
    await say(a, other, null, 'marker 2');
    await waitText(c, other, RC_DEFAULT, 'marker 2');
    assert(!receivedIn(c, group, 'news').includes('after quit'), 'C gets nothing after quit');
    await serverApi('/ultragroup/join.json', { groupId: group, userId: userC });
    // The gateway learns of the join through the directory: C's send goes through.
    await waitForAsync(
      'C can send again',
      async () => (await trySay(c, group, 'news', 'back')).code === 0,
      5000
    );
    await waitText(a, group, 'news', 'back');

    // ── dismissed
    await serverApi('/ultragroup/dis.json', { groupId: group });
    assertEqual((await trySay(a, group, 'news', 'no group')).code, UG.GROUP_NOT_EXIST, 'dismissed');
  } finally {
    await destroyMembers(all);
  }
}
