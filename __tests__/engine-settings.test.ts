/**
 * The TS side of the per-user settings, typing, read-status sync, group receipts and directed
 * sends: the bridge method and the named arguments each call sends, and how their result
 * events reach the callback objects (three-argument quiet hours, the two-stage directed send,
 * the responders' Map).
 */
import type * as LibModule from '../src';
import type { RCIMIWMessage } from '../src';
import { tick, loadOverTestBridge, unloadTestBridge, type TestBridge } from './helpers';

type Lib = typeof LibModule;

let tb: TestBridge;
let lib: Lib;

beforeEach(() => {
  ({ tb, lib } = loadOverTestBridge());
});

afterEach(unloadTestBridge);

const handleOf = () => (tb.bridge.createEngine as jest.Mock).mock.results[0].value as number;

test('each method sends its name and named arguments', async () => {
  const e = lib.RCIMIWEngine.create('key');
  const { PRIVATE, GROUP } = lib.RCIMIWConversationType;
  const msg = { conversationType: GROUP, targetId: 'g', messageUId: 'U1' } as RCIMIWMessage;
  await e.changeConversationTypeNotificationLevel(GROUP, lib.RCIMIWPushNotificationLevel.BLOCKED);
  await e.getConversationTypeNotificationLevel(PRIVATE);
  await e.changeNotificationQuietHours(
    '22:00:00',
    60,
    lib.RCIMIWPushNotificationQuietHoursLevel.BLOCKED
  );
  await e.removeNotificationQuietHours();
  await e.sendTypingStatus(PRIVATE, 'bob', null, 'RC:TxtMsg');
  await e.syncConversationReadStatus(PRIVATE, 'bob', null, 42);
  await e.sendGroupReadReceiptResponse('g', null, [msg, null as unknown as RCIMIWMessage]);
  await e.sendGroupMessageToDesignatedUsers(msg, ['bob', null as unknown as string]);
  await e.removeConversations([PRIVATE, GROUP], null);
  await e.addToBlacklist('bob');
  await e.getBlacklist();
  const sent = tb.calls.map((c) => [c.method, c.args]);
  expect(sent).toEqual([
    ['changeConversationTypeNotificationLevel', { type: GROUP, level: 5 }],
    ['getConversationTypeNotificationLevel', { type: PRIVATE }],
    [
      'changeNotificationQuietHours',
      {
        startTime: '22:00:00',
        spanMinutes: 60,
        level: 2,
        utcOffsetMinutes: 0 - new Date().getTimezoneOffset(),
      },
    ],
    ['removeNotificationQuietHours', {}],
    [
      'sendTypingStatus',
      { type: PRIVATE, targetId: 'bob', channelId: null, currentType: 'RC:TxtMsg' },
    ],
    [
      'syncConversationReadStatus',
      { type: PRIVATE, targetId: 'bob', channelId: null, timestamp: 42 },
    ],
    ['sendGroupReadReceiptResponse', { targetId: 'g', channelId: null, messages: [msg] }],
    ['sendGroupMessageToDesignatedUsers', { message: msg, userIds: ['bob'] }],
    ['removeConversations', { conversationTypes: [PRIVATE, GROUP], channelId: null }],
    ['addToBlacklist', { userId: 'bob' }],
    ['getBlacklist', {}],
  ]);
});

test('getNotificationQuietHours: onSuccess gets three arguments, onError the code', async () => {
  const e = lib.RCIMIWEngine.create('key');
  const onSuccess = jest.fn();
  const onError = jest.fn();
  await e.getNotificationQuietHours({ onSuccess, onError });
  const id = tb.lastCall().args.eventId as string;
  tb.emit(
    handleOf(),
    'onNotificationQuietHoursLoaded',
    { code: 0, startTime: '22:00:00', spanMinutes: 60, level: 2 },
    id
  );
  await tick();
  expect(onSuccess).toHaveBeenCalledWith('22:00:00', 60, 2);
  await e.getNotificationQuietHours({ onSuccess, onError });
  tb.emit(
    handleOf(),
    'onNotificationQuietHoursLoaded',
    { code: 33003 },
    tb.lastCall().args.eventId as string
  );
  await tick();
  expect(onError).toHaveBeenCalledWith(33003);
});

test('sendGroupMessageToDesignatedUsers: onMessageSaved then onMessageSent', async () => {
  const e = lib.RCIMIWEngine.create('key');
  const order: string[] = [];
  const attached = jest.fn(() => order.push('listener attached'));
  e.setOnGroupMessageToDesignatedUsersAttachedListener(attached);
  await e.sendGroupMessageToDesignatedUsers({ messageUId: '' } as RCIMIWMessage, ['bob'], {
    onMessageSaved: () => order.push('saved'),
    onMessageSent: (code) => order.push(`sent ${code}`),
  });
  const id = tb.lastCall().args.eventId as string;
  tb.emit(handleOf(), 'onGroupMessageToDesignatedUsersAttached', { message: { messageId: 1 } }, id);
  tb.emit(
    handleOf(),
    'onGroupMessageToDesignatedUsersSent',
    { code: 0, message: { messageId: 1 } },
    id
  );
  await tick();
  expect(order).toEqual(['listener attached', 'saved', 'sent 0']);
});

test('group receipt responses reach the listener as a Map of userId to time', async () => {
  const e = lib.RCIMIWEngine.create('key');
  const listener = jest.fn();
  e.setOnGroupMessageReadReceiptResponseReceivedListener(listener);
  tb.emit(handleOf(), 'onGroupMessageReadReceiptResponseReceived', {
    targetId: 'g',
    messageUId: 'U1',
    respondUserIds: { bob: 10, carol: 11 },
  });
  await tick();
  expect(listener).toHaveBeenCalledWith(
    'g',
    'U1',
    new Map([
      ['bob', 10],
      ['carol', 11],
    ])
  );
});

test('push: setDeviceToken and the push settings send their named arguments', async () => {
  const e = lib.RCIMIWEngine.create('key');
  expect(await e.setDeviceToken('tok')).toBe(0);
  await e.changePushLanguage('en_US');
  await e.changePushContentShowStatus(false);
  await e.changePushReceiveStatus(true);
  expect(tb.calls.map((c) => [c.method, c.args])).toEqual([
    ['setDeviceToken', { deviceToken: 'tok' }],
    ['changePushLanguage', { language: 'en_US' }],
    ['changePushContentShowStatus', { showContent: false }],
    ['changePushReceiveStatus', { receive: true }],
  ]);
});

test('push settings: the result reaches the listener (with the argument) and the callback', async () => {
  const e = lib.RCIMIWEngine.create('key');
  const cases = [
    {
      name: 'onPushLanguageChanged',
      args: { code: 0, language: 'ar_SA' },
      expected: [0, 'ar_SA'],
      start: (cb: object) => e.changePushLanguage('ar_SA', cb),
      set: (l: jest.Mock) => e.setOnPushLanguageChangedListener(l),
    },
    {
      name: 'onPushContentShowStatusChanged',
      args: { code: 33003, showContent: true },
      expected: [33003, true],
      start: (cb: object) => e.changePushContentShowStatus(true, cb),
      set: (l: jest.Mock) => e.setOnPushContentShowStatusChangedListener(l),
    },
    {
      name: 'onPushReceiveStatusChanged',
      args: { code: 0, receive: false },
      expected: [0, false],
      start: (cb: object) => e.changePushReceiveStatus(false, cb),
      set: (l: jest.Mock) => e.setOnPushReceiveStatusChangedListener(l),
    },
  ];
  for (const c of cases) {
    const listener = jest.fn();
    const callback = jest.fn();
    c.set(listener);
    await c.start({ [c.name]: callback });
    tb.emit(handleOf(), c.name, c.args, tb.lastCall().args.eventId as string);
    await tick();
    expect(listener).toHaveBeenCalledWith(...c.expected);
    // The 5.2.5 callback objects take the code only.
    expect(callback).toHaveBeenCalledWith(c.expected[0]);
  }
});
