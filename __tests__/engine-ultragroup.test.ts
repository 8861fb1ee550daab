/**
 * The TS side of ultra groups: the bridge method and the named arguments each call sends (a
 * Map as a plain object, null keys dropped), and how the result events reach the listeners
 * (Maps rebuilt) and the callback objects.
 */
import type * as LibModule from '../src';
import { tick, loadOverTestBridge, unloadTestBridge, type TestBridge } from './helpers';

type Lib = typeof LibModule;

let tb: TestBridge;
let lib: Lib;

beforeEach(() => {
  ({ tb, lib } = loadOverTestBridge());
});

afterEach(unloadTestBridge);

const handleOf = () => (tb.bridge.createEngine as jest.Mock).mock.results[0].value as number;

test('each ultra-group method sends its name and named arguments', async () => {
  const e = lib.RCIMIWEngine.create('key');
  const UG = lib.RCIMIWConversationType.ULTRA_GROUP;
  const message = { conversationType: UG, targetId: 'g', channelId: 'c', messageUId: 'u1' };
  await e.loadConversationsForAllChannel(UG, 'g');
  await e.getConversationsForAllChannel(UG, 'g');
  await e.getBatchRemoteUltraGroupMessages([message, null as unknown as typeof message]);
  await e.clearUltraGroupMessagesForAllChannel('g', 5);
  await e.clearUltraGroupMessages('g', 'c', 6, lib.RCIMIWMessageOperationPolicy.REMOTE);
  await e.clearRemoteUltraGroupMessages('g', 'c', 7);
  await e.modifyUltraGroupMessage('u1', message);
  await e.recallUltraGroupMessage(message, true);
  await e.updateUltraGroupMessageExpansion('u1', new Map([['k', 'v']]));
  await e.removeUltraGroupMessageExpansionForKeys('u1', ['k', null as unknown as string]);
  await e.removeUltraGroupMessageExpansion('u1', ['k']);
  await e.getUltraGroupAllUnreadCount();
  await e.getUltraGroupUnreadMentionedCount('g');
  await e.syncUltraGroupReadStatus('g', '', 0);
  await e.sendUltraGroupTypingStatus('g', 'c', lib.RCIMIWUltraGroupTypingStatus.TEXT);
  await e.changeUltraGroupDefaultNotificationLevel('g', lib.RCIMIWPushNotificationLevel.BLOCKED);
  await e.getUltraGroupChannelDefaultNotificationLevel('g', 'c');
  expect(tb.calls.map((c) => [c.method, c.args])).toEqual([
    ['loadConversationsForAllChannel', { type: UG, targetId: 'g' }],
    ['getConversationsForAllChannel', { type: UG, targetId: 'g' }],
    ['getBatchRemoteUltraGroupMessages', { messages: [message] }],
    ['clearUltraGroupMessagesForAllChannel', { targetId: 'g', timestamp: 5 }],
    ['clearUltraGroupMessages', { targetId: 'g', channelId: 'c', timestamp: 6, policy: 1 }],
    ['clearRemoteUltraGroupMessages', { targetId: 'g', channelId: 'c', timestamp: 7 }],
    ['modifyUltraGroupMessage', { messageUId: 'u1', message }],
    ['recallUltraGroupMessage', { message, deleteRemote: true }],
    ['updateUltraGroupMessageExpansion', { messageUId: 'u1', expansion: { k: 'v' } }],
    ['removeUltraGroupMessageExpansionForKeys', { messageUId: 'u1', keys: ['k'] }],
    ['removeUltraGroupMessageExpansion', { messageUId: 'u1', keys: ['k'] }],
    ['getUltraGroupAllUnreadCount', {}],
    ['getUltraGroupUnreadMentionedCount', { targetId: 'g' }],
    ['syncUltraGroupReadStatus', { targetId: 'g', channelId: '', timestamp: 0 }],
    ['sendUltraGroupTypingStatus', { targetId: 'g', channelId: 'c', typingStatus: 0 }],
    ['changeUltraGroupDefaultNotificationLevel', { targetId: 'g', level: 5 }],
    ['getUltraGroupChannelDefaultNotificationLevel', { targetId: 'g', channelId: 'c' }],
  ]);
});

test('results reach the listener and the callback object once', async () => {
  const e = lib.RCIMIWEngine.create('key');
  const loaded = jest.fn();
  e.setOnBatchRemoteUltraGroupMessagesLoadedListener(loaded);
  const onSuccess = jest.fn();
  const onError = jest.fn();
  await e.getBatchRemoteUltraGroupMessages([], { onSuccess, onError });
  let eventId = tb.lastCall().args.eventId as string;
  const matched = [{ messageUId: 'a' }];
  const notMatched = [{ messageUId: 'b' }];
  tb.emit(
    handleOf(),
    'onBatchRemoteUltraGroupMessagesLoaded',
    { code: 0, matchedMessages: matched, notMatchedMessages: notMatched },
    eventId
  );
  await tick();
  expect(loaded).toHaveBeenCalledWith(0, matched, notMatched);
  expect(onSuccess).toHaveBeenCalledWith(matched, notMatched);
  expect(onError).not.toHaveBeenCalled();

  const expansionUpdated = jest.fn();
  e.setOnUltraGroupMessageExpansionUpdatedListener(expansionUpdated);
  const onUltraGroupMessageExpansionUpdated = jest.fn();
  await e.updateUltraGroupMessageExpansion('u1', new Map([['k', 'v']]), {
    onUltraGroupMessageExpansionUpdated,
  });
  eventId = tb.lastCall().args.eventId as string;
  tb.emit(
    handleOf(),
    'onUltraGroupMessageExpansionUpdated',
    { code: 34008, messageUId: 'u1', expansion: { k: 'v' } },
    eventId
  );
  await tick();
  expect(expansionUpdated).toHaveBeenCalledWith(34008, new Map([['k', 'v']]), 'u1');
  expect(onUltraGroupMessageExpansionUpdated).toHaveBeenCalledWith(34008);

  const level = jest.fn();
  await e.getUltraGroupDefaultNotificationLevel('g', { onSuccess: level, onError });
  eventId = tb.lastCall().args.eventId as string;
  tb.emit(
    handleOf(),
    'onUltraGroupDefaultNotificationLevelLoaded',
    { code: 0, targetId: 'g', level: 5 },
    eventId
  );
  await tick();
  expect(level).toHaveBeenCalledWith(lib.RCIMIWPushNotificationLevel.BLOCKED);
});

test('ultra-group events reach their listeners', async () => {
  const e = lib.RCIMIWEngine.create('key');
  const modified = jest.fn();
  const readTime = jest.fn();
  const typing = jest.fn();
  e.setOnRemoteUltraGroupMessageModifiedListener(modified);
  e.setOnUltraGroupReadTimeReceivedListener(readTime);
  e.setOnUltraGroupTypingStatusChangedListener(typing);
  const info = [
    { targetId: 'g', channelId: 'RCDefault', userId: 'bob', userNums: 1, status: 0, timestamp: 9 },
  ];
  tb.emit(handleOf(), 'onRemoteUltraGroupMessageModified', { messages: [{ messageUId: 'a' }] });
  tb.emit(handleOf(), 'onUltraGroupReadTimeReceived', {
    targetId: 'g',
    channelId: 'RCDefault',
    timestamp: 7,
  });
  tb.emit(handleOf(), 'onUltraGroupTypingStatusChanged', { info });
  await tick();
  expect(modified).toHaveBeenCalledWith([{ messageUId: 'a' }]);
  expect(readTime).toHaveBeenCalledWith('g', 'RCDefault', 7);
  expect(typing).toHaveBeenCalledWith(info);
});
