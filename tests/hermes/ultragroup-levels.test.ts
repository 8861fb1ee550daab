// @push-standin
// Default notification levels of an ultra group and of a channel (R236–R244) and what they do
// to offline pushes (the server pushes to an FCM stand-in). A sets the group's default to
// BLOCKED and channel "news"'s to ALL_MESSAGE (callback objects and listeners; get and load
// read them back, for C too; the Server API's notdisturb/get answers 5 and -1). B's phone has
// an FCM token and is offline with pushes kept:
// * a message into RCDefault: no push (the group default BLOCKED);
// * a message into "news": a push (the channel default wins over the group's);
// * B's own levels then win over both: news BLOCKED → no push; RCDefault ALL_MESSAGE → a push;
// * B's own MENTION for news: a message mentioning B is pushed, another one is not.
// "No push" is checked after a later push arrived. Levels outside the enum are refused (1).
import {
  RCIMIWConnectionStatus,
  RCIMIWErrorCode,
  RCIMIWPushNotificationLevel,
  type RCIMIWEngine,
} from 'react-native-rcim';
import { recorder } from './settings-support';
import { serverApi, serverApiCall } from './server-api';
import {
  actionCode,
  assert,
  assertEqual,
  connect,
  deviceEngine,
  hostEnv,
  sleep,
  waitFor,
  waitForAsync,
} from './support';
import {
  RC_DEFAULT,
  ULTRA,
  createUltraGroup,
  destroyMembers,
  get,
  groupId,
  members,
  publish,
  watch,
  type UgMember,
} from './ultragroup-support';

const { ALL_MESSAGE, BLOCKED, MENTION } = RCIMIWPushNotificationLevel;

/** Signs out keeping the device's pushes (disconnect(true)) and waits for SIGN_OUT. */
async function offlineWithPush(e: RCIMIWEngine): Promise<void> {
  let out = false;
  e.setOnConnectionStatusChangedListener((s) => {
    if (s === RCIMIWConnectionStatus.SIGN_OUT) out = true;
  });
  assertEqual(await e.disconnect(true), 0, 'disconnect(true)');
  await waitFor('SIGN_OUT', () => out);
  e.setOnConnectionStatusChangedListener(undefined);
}

interface Push {
  token: string;
  body: unknown;
}

/** What the FCM stand-in accepted so far. */
async function pushes(): Promise<Push[]> {
  const answer = await serverApiCall('@push/received', {});
  return (answer.pushes as Push[]) ?? [];
}

const pushedTo = (all: Push[], token: string, text: string) =>
  all.some((p) => p.token === token && JSON.stringify(p.body).includes(text));

export default async function () {
  const env = hostEnv();
  const [userA, userB, userC] = env.users;
  const group = groupId(env, 'levels');
  await createUltraGroup(group, [userA, userB, userC], [{ id: 'news' }]);
  const ms: Array<UgMember | undefined> = [];
  try {
    const [a, c] = await members(env, 0, 2);
    ms.push(a, c);

    // ── the group's default level
    const changed = recorder('onUltraGroupDefaultNotificationLevelChanged');
    const loaded = recorder('onUltraGroupDefaultNotificationLevelLoaded');
    a.engine.setOnUltraGroupDefaultNotificationLevelChangedListener(changed.fn);
    a.engine.setOnUltraGroupDefaultNotificationLevelLoadedListener(loaded.fn);
    assertEqual(
      await actionCode('changeUltraGroupDefaultNotificationLevel', (done) =>
        a.engine.changeUltraGroupDefaultNotificationLevel(group, BLOCKED, {
          onUltraGroupDefaultNotificationLevelChanged: done,
        })
      ),
      0,
      'A sets the group default'
    );
    assertEqual(await changed.next(), [0, group, BLOCKED], 'its listener');
    assertEqual(
      await get<number>('getUltraGroupDefaultNotificationLevel', (cb) =>
        a.engine.getUltraGroupDefaultNotificationLevel(group, cb)
      ),
      BLOCKED,
      'the group default'
    );
    assertEqual(await loaded.next(), [0, group, BLOCKED], 'the getter fires the listener');
    assertEqual(await a.engine.loadUltraGroupDefaultNotificationLevel(group), 0, 'load status');
    assertEqual(await loaded.next(), [0, group, BLOCKED], 'load listener');
    assertEqual(
      await get<number>('C getUltraGroupDefaultNotificationLevel', (cb) =>
        c.engine.getUltraGroupDefaultNotificationLevel(group, cb)
      ),
      BLOCKED,
      'the group default for C'
    );
    const groupLevel = await serverApi('/ultragroup/notdisturb/get.json', { groupId: group });
    assertEqual(groupLevel.unpushLevel, 5, 'Server API: the group default (5 = none)');

    // ── the channel's default level
    const chChanged = recorder('onUltraGroupChannelDefaultNotificationLevelChanged');
    const chLoaded = recorder('onUltraGroupChannelDefaultNotificationLevelLoaded');
    a.engine.setOnUltraGroupChannelDefaultNotificationLevelChangedListener(chChanged.fn);
    a.engine.setOnUltraGroupChannelDefaultNotificationLevelLoadedListener(chLoaded.fn);
    assertEqual(
      await actionCode('changeUltraGroupChannelDefaultNotificationLevel', (done) =>
        a.engine.changeUltraGroupChannelDefaultNotificationLevel(group, 'news', ALL_MESSAGE, {
          onUltraGroupChannelDefaultNotificationLevelChanged: done,
        })
      ),
      0,
      'A sets the channel default'
    );
    assertEqual(await chChanged.next(), [0, group, 'news', ALL_MESSAGE], 'its listener');
    assertEqual(
      await get<number>('getUltraGroupChannelDefaultNotificationLevel', (cb) =>
        c.engine.getUltraGroupChannelDefaultNotificationLevel(group, 'news', cb)
      ),
      ALL_MESSAGE,
      'the channel default for C'
    );
    assertEqual(
      await a.engine.loadUltraGroupChannelDefaultNotificationLevel(group, 'news'),
      0,
      'load status'
    );
    assertEqual(await chLoaded.next(), [0, group, 'news', ALL_MESSAGE], 'load listener');
    const channelLevel = await serverApi('/ultragroup/notdisturb/get.json', {
      groupId: group,
      busChannel: 'news',
    });
    assertEqual(channelLevel.unpushLevel, -1, 'Server API: the channel default (-1 = all)');
    for (const bad of [9, -1]) {
      assertEqual(
        await a.engine.changeUltraGroupDefaultNotificationLevel(
          group,
          bad as RCIMIWPushNotificationLevel
        ),
        RCIMIWErrorCode.PARAM_ERROR,
        `group level ${bad}`
      );
      assertEqual(
        await a.engine.changeUltraGroupChannelDefaultNotificationLevel(
          group,
          'news',
          bad as RCIMIWPushNotificationLevel
        ),
        RCIMIWErrorCode.PARAM_ERROR,
        `channel level ${bad}`
      );
    }

    // ── B's phone: a push token, offline with pushes kept
    const token = `fcm-${userB}`;
    const phone = watch(deviceEngine(env, 'b-phone', { pushOptions: { enableFCM: true } }), userB);
    ms.push(phone);
    assertEqual(await phone.engine.setDeviceToken(token), 0, 'setDeviceToken');
    assertEqual(await connect(phone.engine, env.tokens[userB]), userB, 'B connects with a token');
    await offlineWithPush(phone.engine);

    await publish(group, RC_DEFAULT, userC, 'p1-group-blocked');
    await publish(group, 'news', userC, 'p2-channel-all');
    await waitForAsync('a push of the news message', async () =>
      pushedTo(await pushes(), token, 'p2-channel-all')
    );
    await sleep(500);
    assert(
      !pushedTo(await pushes(), token, 'p1-group-blocked'),
      'no push for RCDefault (the group default BLOCKED)'
    );

    // ── B's own levels win
    assertEqual(await connect(phone.engine, env.tokens[userB]), userB, 'B connects again');
    for (const [channel, level] of [
      ['news', BLOCKED],
      [RC_DEFAULT, ALL_MESSAGE],
    ] as const) {
      assertEqual(
        await actionCode(`B's level of ${channel}`, (done) =>
          phone.engine.changeConversationNotificationLevel(ULTRA, group, channel, level, {
            onConversationNotificationLevelChanged: done,
          })
        ),
        0,
        `B sets its level of ${channel}`
      );
    }
    await offlineWithPush(phone.engine);
    await publish(group, 'news', userC, 'p3-own-blocked');
    await publish(group, RC_DEFAULT, userC, 'p4-own-all');
    await waitForAsync('a push of the RCDefault message', async () =>
      pushedTo(await pushes(), token, 'p4-own-all')
    );
    await sleep(500);
    assert(!pushedTo(await pushes(), token, 'p3-own-blocked'), "no push: B's own BLOCKED");

    // ── MENTION: only messages that mention B (or everyone) are pushed
    assertEqual(await connect(phone.engine, env.tokens[userB]), userB, 'B connects once more');
    assertEqual(
      await actionCode("B's level of news: MENTION", (done) =>
        phone.engine.changeConversationNotificationLevel(ULTRA, group, 'news', MENTION, {
          onConversationNotificationLevelChanged: done,
        })
      ),
      0,
      'B sets MENTION for news'
    );
    await offlineWithPush(phone.engine);
    await publish(group, 'news', userC, 'p5-not-mentioned');
    await publish(group, 'news', userC, 'p6-mentions-b', { mention: [userB] });
    await waitForAsync('a push of the mention', async () =>
      pushedTo(await pushes(), token, 'p6-mentions-b')
    );
    await sleep(500);
    assert(!pushedTo(await pushes(), token, 'p5-not-mentioned'), 'no push: B not mentioned');
  } finally {
    await destroyMembers(ms);
  }
}
