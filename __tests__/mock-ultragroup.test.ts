/**
 * Ultra groups in the shipped Jest mock, used as an app would: channel conversations and
 * RCDefault, unread and mention counts (capped at 999), modify / recall / expansion with the
 * remote events, messages "from the server" by uid, clearing, read sync across two engines of
 * one user, typing, default notification levels, and the argument refusals.
 */
import {
  RCIMIWConversationType,
  RCIMIWEngine,
  RCIMIWMentionedType,
  RCIMIWMessageOperationPolicy,
  RCIMIWMessageType,
  RCIMIWPushNotificationLevel,
  RCIMIWTimeOrder,
  RCIMIWUltraGroupTypingStatus,
  type RCIMIWConversation,
  type RCIMIWMessage,
  type RCIMIWTextMessage,
} from 'react-native-rcim';
import { RCIMMock } from 'react-native-rcim/jest';

jest.mock('react-native-rcim', () => require('react-native-rcim/jest'));

const ULTRA = RCIMIWConversationType.ULTRA_GROUP;
const G = 'ug1';

afterEach(() => RCIMMock.reset());

async function user(id: string) {
  const engine = RCIMIWEngine.createStandalone('app-key', {});
  await engine.connect(id, 0);
  await RCIMMock.flush();
  const events: unknown[][] = [];
  const received: RCIMIWMessage[] = [];
  engine.setOnMessageReceivedListener((m) => received.push(m));
  engine.setOnRemoteUltraGroupMessageModifiedListener((ms) => events.push(['modified', ms]));
  engine.setOnRemoteUltraGroupMessageRecalledListener((ms) => events.push(['recalled', ms]));
  engine.setOnRemoteUltraGroupMessageExpansionUpdatedListener((ms) =>
    events.push(['expansion', ms])
  );
  engine.setOnUltraGroupReadTimeReceivedListener((...args) => events.push(['readTime', ...args]));
  engine.setOnUltraGroupTypingStatusChangedListener((info) => events.push(['typing', info]));
  return { engine, events, received };
}

const texts = (ms: RCIMIWMessage[]) => ms.map((m) => (m as RCIMIWTextMessage).text);

async function say(
  engine: RCIMIWEngine,
  channel: string | null,
  text: string,
  extra: Partial<RCIMIWMessage> = {}
): Promise<RCIMIWMessage> {
  const m = await engine.createTextMessage(ULTRA, G, channel, text);
  Object.assign(m, extra);
  const sent = new Promise<RCIMIWMessage>((resolve) =>
    engine.sendMessage(m, { onMessageSent: (_code, message) => resolve(message) })
  );
  await RCIMMock.flush();
  return sent;
}

/** An object callback's value (onSuccess) or code (onError). */
function value<T>(
  run: (cb: { onSuccess: (t: T) => void; onError: (code: number) => void }) => Promise<number>
): Promise<T | { error: number }> {
  return new Promise((resolve, reject) => {
    run({ onSuccess: resolve, onError: (error) => resolve({ error }) }).then((status) => {
      if (status !== 0) reject(new Error(`call refused with ${status}`));
    }, reject);
  });
}

/** An action callback's code. */
function code(run: (done: (code: number) => void) => Promise<number>): Promise<number> {
  return new Promise((resolve, reject) => {
    run(resolve).then((status) => {
      if (status !== 0) reject(new Error(`call refused with ${status}`));
    }, reject);
  });
}

test('channels are conversations; RCDefault; unread and mentions per group, capped', async () => {
  const alice = await user('alice');
  const bob = await user('bob');
  const first = await say(alice.engine, 'news', 'n1');
  expect(first.channelId).toBe('news');
  const d = await say(alice.engine, null, 'd1', {
    mentionedInfo: { type: RCIMIWMentionedType.PART, userIdList: ['bob'] },
  });
  expect(d.channelId).toBe('RCDefault');
  expect(bob.received.map((m) => [m.conversationType, m.targetId, m.channelId])).toEqual([
    [ULTRA, G, 'news'],
    [ULTRA, G, 'RCDefault'],
  ]);
  const list = (await value<RCIMIWConversation[]>((cb) =>
    bob.engine.getConversationsForAllChannel(ULTRA, G, cb)
  )) as RCIMIWConversation[];
  expect(list.map((c) => c.channelId).sort()).toEqual(['RCDefault', 'news']);
  const loaded = jest.fn();
  bob.engine.setOnConversationsLoadedForAllChannelListener(loaded);
  await bob.engine.loadConversationsForAllChannel(ULTRA, G);
  await RCIMMock.flush();
  expect(loaded.mock.calls[0].slice(0, 3)).toEqual([0, ULTRA, G]);
  expect(await value<number>((cb) => bob.engine.getUltraGroupUnreadCount(G, cb))).toBe(2);
  expect(await value<number>((cb) => bob.engine.getUltraGroupUnreadMentionedCount(G, cb))).toBe(1);
  expect(await value<number>((cb) => bob.engine.getUltraGroupAllUnreadMentionedCount(cb))).toBe(1);
  // 1,000 more: the counts stop at 999 (R230).
  for (let i = 0; i < 1000; i++) {
    RCIMMock.receiveMessage('bob', {
      conversationType: ULTRA,
      targetId: G,
      channelId: 'news',
      senderUserId: 'alice',
      messageType: RCIMIWMessageType.TEXT,
      text: `x${i}`,
    } as RCIMIWMessage);
  }
  expect(await value<number>((cb) => bob.engine.getUltraGroupAllUnreadCount(cb))).toBe(999);
  const countLoaded = jest.fn();
  bob.engine.setOnUltraGroupUnreadCountLoadedListener(countLoaded);
  await bob.engine.loadUltraGroupUnreadCount(G);
  await RCIMMock.flush();
  expect(countLoaded).toHaveBeenCalledWith(0, G, 999);
  // Refusals: another conversation type, an empty group.
  await expect(
    bob.engine.getConversationsForAllChannel(RCIMIWConversationType.GROUP, G)
  ).resolves.toBe(1);
  await expect(bob.engine.getUltraGroupUnreadCount('')).resolves.toBe(1);
});

test('modify, recall and expansion reach the other members', async () => {
  const alice = await user('alice');
  const bob = await user('bob');
  const sent = await say(alice.engine, 'news', 'original', { expansion: {} });
  const uid = sent.messageUId!;
  const edited = await alice.engine.createTextMessage(ULTRA, G, 'news', 'edited');
  expect(
    await code((done) =>
      alice.engine.modifyUltraGroupMessage(uid, edited, { onUltraGroupMessageModified: done })
    )
  ).toBe(0);
  expect(bob.events[0][0]).toBe('modified');
  expect(texts(bob.events[0][1] as RCIMIWMessage[])).toEqual(['edited']);
  expect(texts(RCIMMock.messagesOf('bob'))).toEqual(['edited']);
  // Only the sender edits.
  const bobEdit = await bob.engine.createTextMessage(ULTRA, G, 'news', 'mine now');
  expect(
    await code((done) =>
      bob.engine.modifyUltraGroupMessage(uid, bobEdit, { onUltraGroupMessageModified: done })
    )
  ).toBe(34203);
  // Expansion: set by bob, removed by alice; the other side hears the whole expansion.
  expect(
    await code((done) =>
      bob.engine.updateUltraGroupMessageExpansion(uid, new Map([['k', 'v']]), {
        onUltraGroupMessageExpansionUpdated: done,
      })
    )
  ).toBe(0);
  expect(alice.events.pop()).toEqual([
    'expansion',
    [expect.objectContaining({ expansion: { k: 'v' } })],
  ]);
  expect(
    await code((done) =>
      alice.engine.removeUltraGroupMessageExpansionForKeys(uid, ['k'], {
        onUltraGroupMessageExpansionForKeysRemoved: done,
      })
    )
  ).toBe(0);
  expect(bob.events.pop()).toEqual(['expansion', [expect.objectContaining({ expansion: {} })]]);
  await expect(alice.engine.updateUltraGroupMessageExpansion(uid, new Map())).resolves.toBe(1);
  const plain = await say(alice.engine, 'news', 'plain');
  expect(
    await code((done) =>
      alice.engine.updateUltraGroupMessageExpansion(plain.messageUId!, new Map([['k', 'v']]), {
        onUltraGroupMessageExpansionUpdated: done,
      })
    )
  ).toBe(34008);
  // Recall: a record, then deleted.
  expect(
    await code((done) =>
      alice.engine.recallUltraGroupMessage(sent, false, { onUltraGroupMessageRecalled: done })
    )
  ).toBe(0);
  const recalled = bob.events.pop()!;
  expect(recalled[0]).toBe('recalled');
  expect((recalled[1] as RCIMIWMessage[])[0].messageType).toBe(RCIMIWMessageType.RECALL);
  expect(
    await code((done) =>
      alice.engine.recallUltraGroupMessage(plain, true, { onUltraGroupMessageRecalled: done })
    )
  ).toBe(0);
  expect(RCIMMock.messagesOf('bob').map((m) => m.messageType)).toEqual([RCIMIWMessageType.RECALL]);
  // From the server: the recalled-with-delete message is not matched.
  const batch = await new Promise<unknown[]>((resolve) =>
    bob.engine.getBatchRemoteUltraGroupMessages([sent, plain], {
      onSuccess: (matched, notMatched) =>
        resolve([matched.map((m) => m.messageUId), notMatched.map((m) => m.messageUId)]),
      onError: (c) => resolve([c]),
    })
  );
  expect(batch).toEqual([[uid], [plain.messageUId]]);
  await expect(bob.engine.getBatchRemoteUltraGroupMessages([])).resolves.toBe(1);
  await expect(bob.engine.getBatchRemoteUltraGroupMessages(new Array(21).fill(sent))).resolves.toBe(
    1
  );
});

test('clearing, read sync, typing and default levels', async () => {
  const alice = await user('alice');
  const bob = await user('bob');
  const bobTablet = RCIMIWEngine.createStandalone('app-key', {});
  await bobTablet.connect('bob', 0);
  await RCIMMock.flush();
  const tabletEvents: unknown[][] = [];
  bobTablet.setOnUltraGroupReadTimeReceivedListener((...args) => tabletEvents.push(args));
  for (const t of ['a', 'b', 'c']) await say(alice.engine, 'news', t);
  await say(alice.engine, null, 'd');
  const [, second] = RCIMMock.messagesOf('bob');
  // LOCAL up to the second: the third stays.
  expect(
    await code((done) =>
      bob.engine.clearUltraGroupMessages(
        G,
        'news',
        second.sentTime!,
        RCIMIWMessageOperationPolicy.LOCAL,
        { onUltraGroupMessagesCleared: done }
      )
    )
  ).toBe(0);
  const local = await value<RCIMIWMessage[]>((cb) =>
    bob.engine.getMessages(
      ULTRA,
      G,
      'news',
      0,
      RCIMIWTimeOrder.BEFORE,
      RCIMIWMessageOperationPolicy.LOCAL,
      10,
      cb
    )
  );
  expect(texts(local as RCIMIWMessage[])).toEqual(['c']);
  await expect(
    bob.engine.clearUltraGroupMessages(G, 'news', -1, RCIMIWMessageOperationPolicy.LOCAL)
  ).resolves.toBe(1);
  // Read sync: counts go to 0, the other engine of bob is told.
  expect(await value<number>((cb) => bob.engine.getUltraGroupUnreadCount(G, cb))).toBe(2);
  expect(
    await code((done) =>
      bob.engine.syncUltraGroupReadStatus(G, 'news', 0, { onUltraGroupReadStatusSynced: done })
    )
  ).toBe(0);
  expect(await value<number>((cb) => bob.engine.getUltraGroupUnreadCount(G, cb))).toBe(1);
  expect(tabletEvents[0].slice(0, 2)).toEqual([G, 'news']);
  // Every channel, locally (the mock's clock runs ahead of Date.now() under load).
  const newest = Math.max(...RCIMMock.messagesOf('bob').map((m) => m.sentTime!));
  expect(
    await code((done) =>
      bob.engine.clearUltraGroupMessagesForAllChannel(G, newest, {
        onUltraGroupMessagesClearedForAllChannel: done,
      })
    )
  ).toBe(0);
  expect(RCIMMock.messagesOf('bob')).toEqual([]);
  // Typing: the others hear it.
  expect(
    await code((done) =>
      alice.engine.sendUltraGroupTypingStatus(G, 'news', RCIMIWUltraGroupTypingStatus.TEXT, {
        onUltraGroupTypingStatusSent: done,
      })
    )
  ).toBe(0);
  expect(bob.events.pop()).toEqual([
    'typing',
    [expect.objectContaining({ targetId: G, channelId: 'news', userId: 'alice' })],
  ]);
  await expect(
    alice.engine.sendUltraGroupTypingStatus(G, 'news', 3 as RCIMIWUltraGroupTypingStatus)
  ).resolves.toBe(1);
  // Default levels: NONE until set.
  expect(await value((cb) => bob.engine.getUltraGroupDefaultNotificationLevel(G, cb))).toBe(
    RCIMIWPushNotificationLevel.NONE
  );
  expect(
    await code((done) =>
      alice.engine.changeUltraGroupDefaultNotificationLevel(
        G,
        RCIMIWPushNotificationLevel.BLOCKED,
        {
          onUltraGroupDefaultNotificationLevelChanged: done,
        }
      )
    )
  ).toBe(0);
  expect(
    await code((done) =>
      alice.engine.changeUltraGroupChannelDefaultNotificationLevel(
        G,
        'news',
        RCIMIWPushNotificationLevel.ALL_MESSAGE,
        { onUltraGroupChannelDefaultNotificationLevelChanged: done }
      )
    )
  ).toBe(0);
  expect(await value((cb) => bob.engine.getUltraGroupDefaultNotificationLevel(G, cb))).toBe(
    RCIMIWPushNotificationLevel.BLOCKED
  );
  const channelLoaded = jest.fn();
  bob.engine.setOnUltraGroupChannelDefaultNotificationLevelLoadedListener(channelLoaded);
  await bob.engine.loadUltraGroupChannelDefaultNotificationLevel(G, 'news');
  await RCIMMock.flush();
  expect(channelLoaded).toHaveBeenCalledWith(0, G, 'news', RCIMIWPushNotificationLevel.ALL_MESSAGE);
  await expect(
    alice.engine.changeUltraGroupDefaultNotificationLevel(G, 9 as RCIMIWPushNotificationLevel)
  ).resolves.toBe(1);
});
