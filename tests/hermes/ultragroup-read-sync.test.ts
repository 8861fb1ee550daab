// syncUltraGroupReadStatus across two devices of A (R231–R233): B writes 3 messages into
// "news" and 1 into RCDefault; A's tablet holds them unread and signs out; A's phone connects
// with the same counts (the server's states), marks "news" read (callback object and
// onUltraGroupReadStatusSynced; the timestamp is ignored by the server) and RCDefault (channel
// "" = RCDefault): its counts are 0. When the tablet connects again it gets
// onUltraGroupReadTimeReceived for both channels and its counts are 0 too.
import { recorder } from './settings-support';
import {
  actionCode,
  assert,
  assertEqual,
  connect,
  hostEnv,
  signOut,
  waitFor,
  waitForAsync,
} from './support';
import {
  RC_DEFAULT,
  channelUnread,
  createUltraGroup,
  destroyMembers,
  device,
  groupId,
  groupUnread,
  members,
  say,
  type UgMember,
} from './ultragroup-support';

export default async function () {
  const env = hostEnv();
  const [userA, userB] = env.users;
  const group = groupId(env, 'read');
  await createUltraGroup(group, [userB, userA], [{ id: 'news' }]);
  const ms: Array<UgMember | undefined> = [];
  try {
    const [b] = await members(env, 1);
    ms.push(b);
    const tablet = await device(env, 0, 'a-tablet');
    ms.push(tablet);
    for (const t of ['one', 'two', 'three']) await say(b, group, 'news', t);
    await say(b, group, null, 'default');
    await waitForAsync(
      'the tablet has 4 unread',
      async () => (await groupUnread(tablet, group)) === 4
    );
    assertEqual(await channelUnread(tablet, group, 'news'), 3, 'tablet: news unread');
    await signOut(tablet.engine);

    const phone = await device(env, 0, 'a-phone');
    ms.push(phone);
    await waitForAsync(
      'the phone has 4 unread',
      async () => (await groupUnread(phone, group)) === 4
    );
    const synced = recorder('onUltraGroupReadStatusSynced');
    phone.engine.setOnUltraGroupReadStatusSyncedListener(synced.fn);
    assertEqual(
      await actionCode('syncUltraGroupReadStatus(news)', (done) =>
        phone.engine.syncUltraGroupReadStatus(group, 'news', 12345, {
          onUltraGroupReadStatusSynced: done,
        })
      ),
      0,
      'sync news'
    );
    const [code, target, channel, timestamp] = await synced.next();
    assertEqual([code, target, channel], [0, group, 'news'], 'onUltraGroupReadStatusSynced');
    assert(typeof timestamp === 'number', `its timestamp is a number: ${timestamp}`);
    assertEqual(await channelUnread(phone, group, 'news'), 0, 'phone: news read');
    assertEqual(await groupUnread(phone, group), 1, 'phone: RCDefault still unread');
    assertEqual(
      await actionCode('syncUltraGroupReadStatus("")', (done) =>
        phone.engine.syncUltraGroupReadStatus(group, '', 0, { onUltraGroupReadStatusSynced: done })
      ),
      0,
      'sync RCDefault by ""'
    );
    assertEqual(await groupUnread(phone, group), 0, 'phone: all read');
    await signOut(phone.engine);

    assertEqual(await connect(tablet.engine, env.tokens[userA]), userA, 'the tablet connects');
    for (const ch of ['news', RC_DEFAULT]) {
      const got = await waitFor(`the tablet gets onUltraGroupReadTimeReceived for ${ch}`, () =>
        tablet.readTimes.find((r) => r.targetId === group && r.channelId === ch)
      );
      assert(got.timestamp > 0, `read time of ${ch}: ${got.timestamp}`);
    }
    assertEqual(await channelUnread(tablet, group, 'news'), 0, 'tablet: news read');
    assertEqual(await channelUnread(tablet, group, RC_DEFAULT), 0, 'tablet: RCDefault read');
    assertEqual(await groupUnread(tablet, group), 0, 'tablet: group read');
  } finally {
    await destroyMembers(ms);
  }
}
