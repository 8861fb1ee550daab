// Conversation top status and notification levels through the TS API: A pins a private
// conversation that has no messages yet (callback object and listener), reads the status and
// the pinned list back, mutes a group (blocked list), and B — another user — sees none of it.
import {
  RCIMIWPushNotificationLevel,
  type RCIMIWConversation,
  type RCIMIWConversationType,
} from 'react-native-rcim';
import {
  GROUP,
  PRIVATE,
  assert,
  assertEqual,
  destroyAll,
  hostEnv,
  twoEngines,
  viaCallback,
  waitFor,
} from './support';

export default async function () {
  const env = hostEnv();
  const { a, b, userA, userB } = await twoEngines(env);
  try {
    const changedByA: Array<{ code: number; targetId: string; top: boolean }> = [];
    a.setOnConversationTopStatusChangedListener((code, _type, targetId, _channelId, top) =>
      changedByA.push({ code, targetId, top })
    );
    const syncedByA: unknown[] = [];
    a.setOnConversationTopStatusSyncedListener((...args) => syncedByA.push(args));

    let code: number | undefined;
    assertEqual(
      await a.changeConversationTopStatus(PRIVATE, userB, null, true, {
        onConversationTopStatusChanged: (c) => (code = c),
      }),
      0,
      'changeConversationTopStatus status'
    );
    await waitFor('A onConversationTopStatusChanged', () => code !== undefined);
    assertEqual(code, 0, 'top callback code');
    await waitFor('A top listener', () => changedByA.length > 0);
    assertEqual(changedByA[0], { code: 0, targetId: userB, top: true }, 'top listener');

    const topOf = (engine: typeof a, target: string) =>
      viaCallback<boolean>('getConversationTopStatus', (ok, err) =>
        engine.getConversationTopStatus(PRIVATE, target, null, { onSuccess: ok, onError: err })
      );
    assertEqual(await topOf(a, userB), true, 'A sees the pin');
    const tops = await viaCallback<RCIMIWConversation[]>('getTopConversations', (ok, err) =>
      a.getTopConversations([PRIVATE, GROUP], null, { onSuccess: ok, onError: err })
    );
    assertEqual(
      tops.map((c) => [c.targetId, c.top]),
      [[userB, true]],
      'pinned conversations'
    );

    const group = env.groups[0]?.id ?? 'some-group';
    let levelCode: number | undefined;
    assertEqual(
      await a.changeConversationNotificationLevel(
        GROUP,
        group,
        null,
        RCIMIWPushNotificationLevel.BLOCKED,
        { onConversationNotificationLevelChanged: (c) => (levelCode = c) }
      ),
      0,
      'changeConversationNotificationLevel status'
    );
    await waitFor('A level callback', () => levelCode !== undefined);
    assertEqual(levelCode, 0, 'level callback code');
    const level = await viaCallback<RCIMIWPushNotificationLevel>(
      'getConversationNotificationLevel',
      (ok, err) =>
        a.getConversationNotificationLevel(GROUP, group, null, { onSuccess: ok, onError: err })
    );
    assertEqual(level, RCIMIWPushNotificationLevel.BLOCKED, 'stored level');
    const blocked = await viaCallback<RCIMIWConversation[]>('getBlockedConversations', (ok, err) =>
      a.getBlockedConversations([PRIVATE, GROUP], null, { onSuccess: ok, onError: err })
    );
    assertEqual(
      blocked.map((c) => c.targetId),
      [group],
      'blocked conversations'
    );

    // Settings are per user: B's conversation with A is not pinned.
    assertEqual(await topOf(b, userA), false, 'B sees no pin');
    // Chatrooms have no settings.
    assertEqual(
      await a.changeConversationTopStatus(3 as RCIMIWConversationType, 'room', null, true),
      1,
      'chatroom refused'
    );
    assert(syncedByA.length === 0, 'the changing device gets no synced event');
  } finally {
    await destroyAll(a, b);
  }
}
