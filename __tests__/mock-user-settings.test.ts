/**
 * The Jest mock's behaviour for the per-user settings (type levels, quiet hours, blacklist,
 * push settings and the device token),
 * typing, read-status sync, group read receipts, directed group messages and
 * removeConversations, used as an app would (one jest.mock line).
 */
import {
  RCIMIWBlacklistStatus,
  RCIMIWConnectionStatus,
  RCIMIWConversationType,
  RCIMIWEngine,
  RCIMIWErrorCode,
  RCIMIWMessageType,
  RCIMIWPushNotificationLevel,
  RCIMIWPushNotificationQuietHoursLevel,
  RCIMIWReceivedStatus,
  type RCIMIWConversation,
  type RCIMIWMessage,
  type RCIMIWTextMessage,
  type RCIMIWTypingStatus,
} from 'react-native-rcim';
import { RCIMMock } from 'react-native-rcim/jest';

jest.mock('react-native-rcim', () => require('react-native-rcim/jest'));

const { PRIVATE, GROUP, CHATROOM } = RCIMIWConversationType;
const PARAM = RCIMIWErrorCode.PARAM_ERROR;

const engines: RCIMIWEngine[] = [];
afterEach(async () => {
  jest.useRealTimers();
  for (const e of engines.splice(0)) await e.destroy();
  RCIMMock.reset();
});

async function login(userId: string): Promise<RCIMIWEngine> {
  const e = RCIMIWEngine.createStandalone('app-key');
  engines.push(e);
  await e.connect(userId, 0);
  await RCIMMock.flush();
  return e;
}

function got<T>(start: (cb: { onSuccess: (t: T) => void; onError: (c: number) => void }) => void) {
  return new Promise<T>((resolve, reject) => {
    start({ onSuccess: resolve, onError: (c) => reject(new Error(`onError(${c})`)) });
  });
}

const text = (type: RCIMIWConversationType, targetId: string, t: string) =>
  ({
    conversationType: type,
    messageType: RCIMIWMessageType.TEXT,
    targetId,
    text: t,
  }) as RCIMIWTextMessage;

/** Sends and resolves the code and message of onMessageSent. */
async function send(e: RCIMIWEngine, m: RCIMIWMessage): Promise<[number, RCIMIWMessage]> {
  const done = new Promise<[number, RCIMIWMessage]>((resolve) => {
    void e.sendMessage(m, { onMessageSent: (code, message) => resolve([code, message]) });
  });
  return done;
}

test('a conversation whose level was never set reports NONE, as the engine does', async () => {
  const a = await login('alice');
  expect(await got((c) => a.getConversationNotificationLevel(PRIVATE, 'bob', null, c))).toBe(
    RCIMIWPushNotificationLevel.NONE
  );
  const [code] = await send(a, text(PRIVATE, 'carol', 'hi'));
  expect(code).toBe(0);
  const conversation = await got<RCIMIWConversation>((c) =>
    a.getConversation(PRIVATE, 'carol', null, c)
  );
  expect(conversation.notificationLevel).toBe(RCIMIWPushNotificationLevel.NONE);
  expect(await got((c) => a.getConversationNotificationLevel(PRIVATE, 'carol', null, c))).toBe(
    RCIMIWPushNotificationLevel.NONE
  );
  await a.changeConversationNotificationLevel(PRIVATE, 'carol', null, 0);
  await RCIMMock.flush();
  expect(await got((c) => a.getConversationNotificationLevel(PRIVATE, 'carol', null, c))).toBe(
    RCIMIWPushNotificationLevel.ALL_MESSAGE
  );
});

test('conversation type levels: change, get, load; chatroom refused', async () => {
  const a = await login('alice');
  const changed = jest.fn();
  a.setOnConversationTypeNotificationLevelChangedListener(changed);
  const cb = jest.fn();
  expect(
    await a.changeConversationTypeNotificationLevel(GROUP, RCIMIWPushNotificationLevel.BLOCKED, {
      onConversationTypeNotificationLevelChanged: cb,
    })
  ).toBe(0);
  await RCIMMock.flush();
  expect(cb).toHaveBeenCalledWith(0);
  expect(changed).toHaveBeenCalledWith(0, GROUP, RCIMIWPushNotificationLevel.BLOCKED);
  expect(await got((c) => a.getConversationTypeNotificationLevel(GROUP, c))).toBe(
    RCIMIWPushNotificationLevel.BLOCKED
  );
  const loaded = jest.fn();
  a.setOnConversationTypeNotificationLevelLoadedListener(loaded);
  await a.loadConversationTypeNotificationLevel(PRIVATE);
  await RCIMMock.flush();
  expect(loaded).toHaveBeenCalledWith(0, PRIVATE, RCIMIWPushNotificationLevel.NONE);
  expect(
    await a.changeConversationTypeNotificationLevel(CHATROOM, RCIMIWPushNotificationLevel.BLOCKED)
  ).toBe(PARAM);
  // NONE removes the level again.
  await a.changeConversationTypeNotificationLevel(GROUP, RCIMIWPushNotificationLevel.NONE);
  await RCIMMock.flush();
  expect(await got((c) => a.getConversationTypeNotificationLevel(GROUP, c))).toBe(
    RCIMIWPushNotificationLevel.NONE
  );
});

test('a conversation level is NONE until set; ALL_MESSAGE overrides a muting type level', async () => {
  const a = await login('alice');
  const b = await login('bob');
  await send(b, text(PRIVATE, 'alice', 'hi'));
  await RCIMMock.flush();
  const level = () => got((c) => a.getConversationNotificationLevel(PRIVATE, 'bob', null, c));
  const counted = () => got((c) => a.getUnreadCountByConversationTypes([PRIVATE], null, false, c));
  expect(await level()).toBe(RCIMIWPushNotificationLevel.NONE);
  expect(await got((c) => a.getConversationNotificationLevel(GROUP, 'nobody', null, c))).toBe(
    RCIMIWPushNotificationLevel.NONE
  );
  expect(await counted()).toBe(1);
  // Not set: the type's level decides.
  await a.changeConversationTypeNotificationLevel(PRIVATE, RCIMIWPushNotificationLevel.BLOCKED);
  await RCIMMock.flush();
  expect(await counted()).toBe(0);
  await a.changeConversationNotificationLevel(
    PRIVATE,
    'bob',
    null,
    RCIMIWPushNotificationLevel.ALL_MESSAGE
  );
  await RCIMMock.flush();
  expect(await level()).toBe(RCIMIWPushNotificationLevel.ALL_MESSAGE);
  expect(await counted()).toBe(1);
  expect(await got((c) => a.getUnreadCountByConversationTypes([PRIVATE], null, true, c))).toBe(1);
});

test('quiet hours: change (with the UTC offset), get with three arguments, remove', async () => {
  const a = await login('alice');
  const level = RCIMIWPushNotificationQuietHoursLevel.BLOCKED;
  expect(await a.changeNotificationQuietHours('25:00:00', 60, level)).toBe(PARAM);
  expect(await a.changeNotificationQuietHours('22:00:00', 0, level)).toBe(PARAM);
  expect(await a.changeNotificationQuietHours('22:00:00', 1440, level)).toBe(PARAM);
  const changed = jest.fn();
  a.setOnNotificationQuietHoursChangedListener(changed);
  expect(await a.changeNotificationQuietHours('22:00:00', 480, level)).toBe(0);
  const call = RCIMMock.calls.filter((c) => c.method === 'changeNotificationQuietHours').pop()!;
  // The device's offset east of UTC (JSON has no -0).
  expect(call.args?.utcOffsetMinutes).toBe(0 - new Date().getTimezoneOffset());
  await RCIMMock.flush();
  expect(changed).toHaveBeenCalledWith(0, '22:00:00', 480, level);
  const hours = await new Promise<unknown[]>((resolve) => {
    void a.getNotificationQuietHours({
      onSuccess: (startTime, spanMinutes, l) => resolve([startTime, spanMinutes, l]),
      onError: () => resolve([]),
    });
  });
  expect(hours).toEqual(['22:00:00', 480, level]);
  const removed = jest.fn();
  await a.removeNotificationQuietHours({ onNotificationQuietHoursRemoved: removed });
  await RCIMMock.flush();
  expect(removed).toHaveBeenCalledWith(0);
  const loaded = jest.fn();
  a.setOnNotificationQuietHoursLoadedListener(loaded);
  await a.loadNotificationQuietHours();
  await RCIMMock.flush();
  expect(loaded).toHaveBeenCalledWith(0, '', 0, 0);
});

test('blacklist: add, status, list, remove; the blocked sender gets 405', async () => {
  const a = await login('alice');
  const b = await login('bob');
  const added = jest.fn();
  await a.addToBlacklist('bob', { onBlacklistAdded: added });
  await RCIMMock.flush();
  expect(added).toHaveBeenCalledWith(0, 'bob');
  expect(await got((c) => a.getBlacklistStatus('bob', c))).toBe(RCIMIWBlacklistStatus.IN_BLACKLIST);
  expect(await got((c) => a.getBlacklist(c))).toEqual(['bob']);
  const received = jest.fn();
  a.setOnMessageReceivedListener(received);
  const [code] = await send(b, text(PRIVATE, 'alice', 'hi'));
  expect(code).toBe(405);
  const [back] = await send(a, text(PRIVATE, 'bob', 'I can still write'));
  expect(back).toBe(0);
  await RCIMMock.flush();
  expect(received).not.toHaveBeenCalled();
  const removed = jest.fn();
  await a.removeFromBlacklist('bob', { onBlacklistRemoved: removed });
  await RCIMMock.flush();
  expect(removed).toHaveBeenCalledWith(0, 'bob');
  const status = jest.fn();
  a.setOnBlacklistStatusLoadedListener(status);
  await a.loadBlacklistStatus('bob');
  const list = jest.fn();
  a.setOnBlacklistLoadedListener(list);
  await a.loadBlacklist();
  await RCIMMock.flush();
  expect(status).toHaveBeenCalledWith(0, 'bob', RCIMIWBlacklistStatus.NOT_IN_BLACKLIST);
  expect(list).toHaveBeenCalledWith(0, []);
  expect((await send(b, text(PRIVATE, 'alice', 'hi again')))[0]).toBe(0);
});

test('push: the device token is kept, push settings are per user and queued offline', async () => {
  const e = RCIMIWEngine.createStandalone('app-key');
  engines.push(e);
  expect(await e.setDeviceToken('')).toBe(PARAM);
  expect(await e.setDeviceToken('x'.repeat(513))).toBe(PARAM);
  expect(await e.setDeviceToken('apns-token')).toBe(0);
  expect(RCIMMock.engines()[0].deviceToken).toBe('apns-token');
  // Before connect there is no session.
  expect(await e.changePushLanguage('en_US')).toBe(33001);
  await e.connect('alice', 0);
  await RCIMMock.flush();
  expect(RCIMMock.pushSettingsOf('alice')).toEqual({
    language: '',
    showContent: true,
    receive: false,
  });
  expect(await e.changePushLanguage('en US')).toBe(PARAM);
  const language = jest.fn();
  e.setOnPushLanguageChangedListener(language);
  const callback = jest.fn();
  await e.changePushLanguage('en_US', { onPushLanguageChanged: callback });
  await RCIMMock.flush();
  expect(language).toHaveBeenCalledWith(0, 'en_US');
  expect(callback).toHaveBeenCalledWith(0);
  // Offline: waits, then runs when the connection is back.
  RCIMMock.setConnectionStatus('alice', RCIMIWConnectionStatus.NETWORK_UNAVAILABLE);
  const show = jest.fn();
  await e.changePushContentShowStatus(false, { onPushContentShowStatusChanged: show });
  const receive = jest.fn();
  e.setOnPushReceiveStatusChangedListener(receive);
  await e.changePushReceiveStatus(true);
  await RCIMMock.flush();
  expect(show).not.toHaveBeenCalled();
  RCIMMock.setConnectionStatus('alice', RCIMIWConnectionStatus.CONNECTED);
  await RCIMMock.flush();
  expect(show).toHaveBeenCalledWith(0);
  expect(receive).toHaveBeenCalledWith(0, true);
  expect(RCIMMock.pushSettingsOf('alice')).toEqual({
    language: 'en_US',
    showContent: false,
    receive: true,
  });
  expect(RCIMMock.pushSettingsOf('bob').language).toBe('');
});

test('typing: the peer sees the typer, then an empty list after 6 s', async () => {
  const a = await login('alice');
  const b = await login('bob');
  const seen: RCIMIWTypingStatus[][] = [];
  b.setOnTypingStatusChangedListener((type, targetId, _channelId, list) => {
    expect([type, targetId]).toEqual([PRIVATE, 'alice']);
    seen.push(list);
  });
  jest.useFakeTimers({ doNotFake: ['queueMicrotask', 'nextTick'] });
  expect(await a.sendTypingStatus(PRIVATE, 'bob', null, 'RC:TxtMsg')).toBe(0);
  await RCIMMock.flush();
  expect(seen.map((l) => l.map((t) => [t.userId, t.contentType]))).toEqual([
    [['alice', 'RC:TxtMsg']],
  ]);
  jest.advanceTimersByTime(6000);
  await RCIMMock.flush();
  expect(seen[1]).toEqual([]);
});

test("read status sync reaches the user's other engine and clears its unread", async () => {
  const a = await login('alice');
  const a2 = await login('alice');
  const b = await login('bob');
  const [, m] = await send(b, text(PRIVATE, 'alice', 'read me'));
  await RCIMMock.flush();
  const synced = jest.fn();
  a2.setOnConversationReadStatusSyncMessageReceivedListener(synced);
  const done = jest.fn();
  await a.syncConversationReadStatus(PRIVATE, 'bob', null, m.sentTime!, {
    onConversationReadStatusSynced: done,
  });
  await RCIMMock.flush();
  expect(done).toHaveBeenCalledWith(0);
  expect(synced).toHaveBeenCalledWith(PRIVATE, 'bob', m.sentTime);
  expect(await got((c) => a2.getUnreadCount(PRIVATE, 'bob', null, c))).toBe(0);
  expect(RCIMMock.messagesOf('alice')[0].receivedStatus).toBe(RCIMIWReceivedStatus.READ);
});

test('group read receipts: request, responses, the sender sees who responded', async () => {
  const a = await login('alice');
  const b = await login('bob');
  const c = await login('carol');
  const [, m] = await send(a, text(GROUP, 'g1', 'please confirm'));
  await RCIMMock.flush();
  const requests: string[] = [];
  for (const [name, e] of [
    ['bob', b],
    ['carol', c],
  ] as const) {
    e.setOnGroupMessageReadReceiptRequestReceivedListener((targetId, uid) =>
      requests.push(`${name}:${targetId}:${uid}`)
    );
  }
  const sent = jest.fn();
  await a.sendGroupReadReceiptRequest(m, { onGroupReadReceiptRequestSent: sent });
  await RCIMMock.flush();
  expect(sent).toHaveBeenCalledWith(0, expect.objectContaining({ messageUId: m.messageUId }));
  expect(requests.sort()).toEqual([`bob:g1:${m.messageUId}`, `carol:g1:${m.messageUId}`]);
  const responses: Map<string, number>[] = [];
  a.setOnGroupMessageReadReceiptResponseReceivedListener((_t, _uid, respondUserIds) =>
    responses.push(respondUserIds)
  );
  for (const e of [b, c]) {
    const copy = await got<RCIMIWMessage[]>((cb) =>
      e.getMessages(GROUP, 'g1', null, 0, 0, 0, 20, cb)
    );
    const answered = jest.fn();
    await e.sendGroupReadReceiptResponse('g1', null, copy, {
      onGroupReadReceiptResponseSent: answered,
    });
    await RCIMMock.flush();
    expect(answered).toHaveBeenCalledWith(0, [
      expect.objectContaining({
        groupReadReceiptInfo: expect.objectContaining({ hasRespond: true }),
      }),
    ]);
  }
  expect(responses[1]).toBeInstanceOf(Map);
  expect([...responses[1].keys()].sort()).toEqual(['bob', 'carol']);
  const own = RCIMMock.messagesOf('alice').find((x) => x.messageUId === m.messageUId)!;
  expect(Object.keys(own.groupReadReceiptInfo!.respondUserIds!).sort()).toEqual(['bob', 'carol']);
});

test('a directed group message reaches only the named members', async () => {
  const a = await login('alice');
  const b = await login('bob');
  const c = await login('carol');
  const got = { bob: jest.fn(), carol: jest.fn() };
  b.setOnMessageReceivedListener(got.bob);
  c.setOnMessageReceivedListener(got.carol);
  const stages: string[] = [];
  a.setOnGroupMessageToDesignatedUsersAttachedListener(() => stages.push('attached'));
  const code = await new Promise<number>((resolve) => {
    void a.sendGroupMessageToDesignatedUsers(text(GROUP, 'g1', 'for bob'), ['bob'], {
      onMessageSaved: () => stages.push('saved'),
      onMessageSent: (c) => resolve(c),
    });
  });
  await RCIMMock.flush();
  expect(code).toBe(0);
  expect(stages).toEqual(['attached', 'saved']);
  expect(got.bob).toHaveBeenCalledTimes(1);
  expect(got.carol).not.toHaveBeenCalled();
  expect(await a.sendGroupMessageToDesignatedUsers(text(PRIVATE, 'bob', 'x'), ['bob'])).toBe(PARAM);
});

test('removeConversations removes the conversations of the types and their messages', async () => {
  const a = await login('alice');
  await login('bob');
  await send(a, text(PRIVATE, 'bob', 'p'));
  await send(a, text(GROUP, 'g1', 'g'));
  await RCIMMock.flush();
  const removed = jest.fn();
  a.setOnConversationsRemovedListener(removed);
  const cb = jest.fn();
  await a.removeConversations([PRIVATE], null, { onConversationsRemoved: cb });
  await RCIMMock.flush();
  expect(cb).toHaveBeenCalledWith(0);
  expect(removed).toHaveBeenCalledWith(0, [PRIVATE], '');
  const left = await got<{ conversationType?: number }[]>((c) =>
    a.getConversations([PRIVATE, GROUP], null, 0, 50, c)
  );
  expect(left.map((x) => x.conversationType)).toEqual([GROUP]);
  expect(RCIMMock.messagesOf('alice').map((x) => x.conversationType)).toEqual([GROUP]);
});

test("a conversation level change reaches the user's other engine as a top-status sync", async () => {
  const a = await login('alice');
  const a2 = await login('alice');
  const synced = jest.fn();
  a2.setOnConversationTopStatusSyncedListener(synced);
  await a.changeConversationTopStatus(PRIVATE, 'bob', null, true);
  await a.changeConversationNotificationLevel(
    GROUP,
    'g1',
    null,
    RCIMIWPushNotificationLevel.BLOCKED
  );
  await RCIMMock.flush();
  expect(synced.mock.calls).toEqual([
    [PRIVATE, 'bob', '', true],
    [GROUP, 'g1', '', false],
  ]);
});
