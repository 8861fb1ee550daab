// Per-user settings through the TS API, on two devices of A: levels by conversation type and
// quiet hours (change / get / load / remove, with listeners and callback objects, and their
// argument refusals), then a pin, a conversation level, a type level, quiet hours and a
// blacklist entry changed on A's phone reach A's tablet (onConversationTopStatusSynced for the
// pin and for the level change) and a fresh device of A gets all of them at login.
import {
  RCIMIWConversationType,
  RCIMIWPushNotificationLevel,
  RCIMIWPushNotificationQuietHoursLevel,
  type RCIMIWEngine,
} from 'react-native-rcim';
import { assertParamError, recorder } from './settings-support';
import {
  GROUP,
  PRIVATE,
  actionCode,
  assertEqual,
  destroyAll,
  hostEnv,
  onlineDevice,
  signOut,
  viaCallback,
  waitFor,
  waitForAsync,
} from './support';

const { BLOCKED, MENTION, NONE } = RCIMIWPushNotificationLevel;
const QUIET_BLOCKED = RCIMIWPushNotificationQuietHoursLevel.BLOCKED;

function typeLevel(e: RCIMIWEngine, type: RCIMIWConversationType) {
  return viaCallback<RCIMIWPushNotificationLevel>(
    'getConversationTypeNotificationLevel',
    (ok, err) => e.getConversationTypeNotificationLevel(type, { onSuccess: ok, onError: err })
  );
}

function quietHours(e: RCIMIWEngine) {
  return viaCallback<[string, number, number]>('getNotificationQuietHours', (ok, err) =>
    e.getNotificationQuietHours({
      onSuccess: (startTime, spanMinutes, level) => ok([startTime, spanMinutes, level]),
      onError: err,
    })
  );
}

function changeQuietHours(e: RCIMIWEngine, start: string, span: number, level = QUIET_BLOCKED) {
  return actionCode(`changeNotificationQuietHours(${start}, ${span})`, (done) =>
    e.changeNotificationQuietHours(start, span, level, { onNotificationQuietHoursChanged: done })
  );
}

export default async function () {
  const env = hostEnv();
  const [userA, userB, userC] = env.users;
  const group = env.groups[0].id;
  let phone: RCIMIWEngine | undefined;
  let tablet: RCIMIWEngine | undefined;
  let fresh: RCIMIWEngine | undefined;
  try {
    // The tablet has been online once (it has its own inbox position), then goes offline.
    tablet = await onlineDevice(env, userA, 'a-tablet');
    await signOut(tablet);
    phone = await onlineDevice(env, userA, 'a-phone');

    // ── levels by conversation type
    assertEqual(await typeLevel(phone, GROUP), NONE, 'no type level yet (NONE: not set)');
    const typeChanged = recorder('onConversationTypeNotificationLevelChanged');
    phone.setOnConversationTypeNotificationLevelChangedListener(typeChanged.fn);
    assertEqual(
      await actionCode('changeConversationTypeNotificationLevel', (done) =>
        phone!.changeConversationTypeNotificationLevel(GROUP, BLOCKED, {
          onConversationTypeNotificationLevelChanged: done,
        })
      ),
      0,
      'type level change code'
    );
    assertEqual(await typeChanged.next(), [0, GROUP, BLOCKED], 'type level changed listener');
    assertEqual(await typeLevel(phone, GROUP), BLOCKED, 'group type level');
    const typeLoaded = recorder('onConversationTypeNotificationLevelLoaded');
    phone.setOnConversationTypeNotificationLevelLoadedListener(typeLoaded.fn);
    assertEqual(await phone.loadConversationTypeNotificationLevel(GROUP), 0, 'load status');
    assertEqual(await typeLoaded.next(), [0, GROUP, BLOCKED], 'type level loaded listener');
    // NONE removes a type's level.
    assertEqual(
      await actionCode('type level PRIVATE MENTION', (done) =>
        phone!.changeConversationTypeNotificationLevel(PRIVATE, MENTION, {
          onConversationTypeNotificationLevelChanged: done,
        })
      ),
      0,
      'private type level code'
    );
    assertEqual(await typeLevel(phone, PRIVATE), MENTION, 'private type level');
    assertEqual(
      await actionCode('type level PRIVATE NONE', (done) =>
        phone!.changeConversationTypeNotificationLevel(PRIVATE, NONE, {
          onConversationTypeNotificationLevelChanged: done,
        })
      ),
      0,
      'removing the private type level'
    );
    assertEqual(await typeLevel(phone, PRIVATE), NONE, 'private type level after NONE');
    assertParamError(
      await actionCode('type level of chatroom', (done) =>
        phone!.changeConversationTypeNotificationLevel(RCIMIWConversationType.CHATROOM, BLOCKED, {
          onConversationTypeNotificationLevelChanged: done,
        })
      ),
      'changeConversationTypeNotificationLevel(CHATROOM)'
    );

    // ── quiet hours
    assertEqual(await quietHours(phone), ['', 0, 0], 'no quiet hours yet');
    for (const [start, span] of [
      ['25:00:00', 60],
      ['22:00', 60],
      ['', 60],
      ['22:00:00', 0],
      ['22:00:00', 1440],
      ['22:00:00', -5],
    ] as const) {
      assertParamError(await changeQuietHours(phone, start, span), `quiet hours ${start} ${span}`);
    }
    const quietChanged = recorder('onNotificationQuietHoursChanged');
    phone.setOnNotificationQuietHoursChangedListener(quietChanged.fn);
    assertEqual(await changeQuietHours(phone, '22:30:00', 90), 0, 'quiet hours change code');
    assertEqual(
      await quietChanged.next(),
      [0, '22:30:00', 90, QUIET_BLOCKED],
      'quiet hours changed listener'
    );
    assertEqual(await quietHours(phone), ['22:30:00', 90, QUIET_BLOCKED], 'quiet hours');
    const quietLoaded = recorder('onNotificationQuietHoursLoaded');
    phone.setOnNotificationQuietHoursLoadedListener(quietLoaded.fn);
    assertEqual(await phone.loadNotificationQuietHours(), 0, 'loadNotificationQuietHours status');
    assertEqual(
      await quietLoaded.next(),
      [0, '22:30:00', 90, QUIET_BLOCKED],
      'quiet hours loaded listener'
    );
    const quietRemoved = recorder('onNotificationQuietHoursRemoved');
    phone.setOnNotificationQuietHoursRemovedListener(quietRemoved.fn);
    assertEqual(
      await actionCode('removeNotificationQuietHours', (done) =>
        phone!.removeNotificationQuietHours({ onNotificationQuietHoursRemoved: done })
      ),
      0,
      'remove quiet hours code'
    );
    assertEqual(await quietRemoved.next(), [0], 'quiet hours removed listener');
    assertEqual(await quietHours(phone), ['', 0, 0], 'quiet hours removed');
    // One window per user: the last one set stays (1439 minutes from midnight: all day).
    assertEqual(await changeQuietHours(phone, '00:00:00', 1439), 0, 'all-day quiet hours');
    assertEqual(
      await changeQuietHours(
        phone,
        '23:15:00',
        1,
        RCIMIWPushNotificationQuietHoursLevel.MENTION_MESSAGE
      ),
      0,
      'replacing quiet hours'
    );

    // ── a pin, a conversation level and a blacklist entry, then the tablet comes back
    const code = (what: string, start: (done: (c: number) => void) => Promise<number>) =>
      actionCode(what, start).then((c) => assertEqual(c, 0, `${what} code`));
    await code('pin B', (done) =>
      phone!.changeConversationTopStatus(PRIVATE, userB, null, true, {
        onConversationTopStatusChanged: done,
      })
    );
    await code('mute the group', (done) =>
      phone!.changeConversationNotificationLevel(GROUP, group, null, BLOCKED, {
        onConversationNotificationLevelChanged: done,
      })
    );
    await code('blacklist C', (done) =>
      phone!.addToBlacklist(userC, { onBlacklistAdded: (c) => done(c) })
    );
    await signOut(phone);

    const synced = recorder('onConversationTopStatusSynced');
    tablet.setOnConversationTopStatusSyncedListener(synced.fn);
    await viaCallback<string>('tablet reconnects', (ok) =>
      tablet!.connect(env.tokens[userA], 0, { onConnected: (_c, userId) => ok(userId) })
    );
    // Both announced, in whatever order the tablet learns them.
    const find = (target: string) => synced.calls.find((c) => c[1] === target);
    await waitFor(
      'the pin and the level change synced to the tablet',
      () => find(userB) && find(group)
    );
    assertEqual(find(userB), [PRIVATE, userB, '', true], 'pin synced to the tablet');
    assertEqual(find(group), [GROUP, group, '', false], 'level change synced to the tablet');
    await expectSettings(tablet, 'tablet');
    await signOut(tablet);

    // ── a device that never connected gets them at login
    fresh = await onlineDevice(env, userA, 'a-fresh');
    // The settings are read right after the connection opens and applied in one store
    // transaction, not before onConnected: wait until the pin is there, then check them all.
    const freshDevice = fresh;
    await waitForAsync('the fresh device applies the settings read at login', () =>
      viaCallback<boolean>('fresh device top', (ok, err) =>
        freshDevice.getConversationTopStatus(PRIVATE, userB, null, { onSuccess: ok, onError: err })
      )
    );
    await expectSettings(fresh, 'fresh device');
  } finally {
    await destroyAll(phone, tablet, fresh);
  }

  async function expectSettings(e: RCIMIWEngine, who: string) {
    const top = await viaCallback<boolean>(`${who} top`, (ok, err) =>
      e.getConversationTopStatus(PRIVATE, userB, null, { onSuccess: ok, onError: err })
    );
    assertEqual(top, true, `${who}: B pinned`);
    const level = await viaCallback<number>(`${who} level`, (ok, err) =>
      e.getConversationNotificationLevel(GROUP, group, null, { onSuccess: ok, onError: err })
    );
    assertEqual(level, BLOCKED, `${who}: group muted`);
    assertEqual(await typeLevel(e, GROUP), BLOCKED, `${who}: group type level`);
    assertEqual(
      await quietHours(e),
      ['23:15:00', 1, RCIMIWPushNotificationQuietHoursLevel.MENTION_MESSAGE],
      `${who}: quiet hours`
    );
    const blacklist = await viaCallback<string[]>(`${who} blacklist`, (ok, err) =>
      e.getBlacklist({ onSuccess: ok, onError: err })
    );
    assertEqual(blacklist, [userC], `${who}: blacklist`);
  }
}
