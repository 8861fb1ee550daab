/**
 * The Jest mock's behaviour for insert, delete, clear, status edits, getMessageByUId,
 * mentions, expansion and the two searches, used as an app would (one jest.mock line).
 */
import {
  RCIMIWConversationType,
  RCIMIWEngine,
  RCIMIWMentionedType,
  RCIMIWMessageDirection,
  RCIMIWMessageOperationPolicy,
  RCIMIWMessageType,
  RCIMIWReceivedStatus,
  RCIMIWSentStatus,
  type RCIMIWConversation,
  type RCIMIWMessage,
  type RCIMIWSearchConversationResult,
  type RCIMIWTextMessage,
} from 'react-native-rcim';
import { RCIMMock } from 'react-native-rcim/jest';

jest.mock('react-native-rcim', () => require('react-native-rcim/jest'));

const PRIVATE = RCIMIWConversationType.PRIVATE;
const GROUP = RCIMIWConversationType.GROUP;
const { LOCAL, LOCAL_REMOTE } = RCIMIWMessageOperationPolicy;

const engines: RCIMIWEngine[] = [];
afterEach(async () => {
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

/** Calls `start` with an IRCIMIWObjectCallback and resolves what onSuccess got. */
function got<T>(start: (cb: { onSuccess: (t: T) => void; onError: (c: number) => void }) => void) {
  return new Promise<T>((resolve, reject) => {
    start({ onSuccess: resolve, onError: (c) => reject(new Error(`onError(${c})`)) });
  });
}

async function send(e: RCIMIWEngine, m: RCIMIWMessage): Promise<RCIMIWMessage> {
  let sent: RCIMIWMessage | undefined;
  await e.sendMessage(m, { onMessageSent: (_c, message) => (sent = message) });
  await RCIMMock.flush();
  return sent!;
}

const texts = (ms: RCIMIWMessage[]) => ms.map((m) => (m as RCIMIWTextMessage).text);
const text = (targetId: string, t: string, extra: Partial<RCIMIWTextMessage> = {}) =>
  ({
    conversationType: PRIVATE,
    messageType: RCIMIWMessageType.TEXT,
    targetId,
    text: t,
    ...extra,
  }) as RCIMIWTextMessage;

test('insertMessage stores a local message (an outgoing sent one by default); getMessageByUId', async () => {
  const a = await login('alice');
  const inserted = jest.fn();
  await expect(
    a.insertMessage(text('bob', 'local only'), { onMessageInserted: inserted })
  ).resolves.toBe(0);
  await RCIMMock.flush();
  const [code, stored] = inserted.mock.calls[0] as [number, RCIMIWTextMessage];
  expect(code).toBe(0);
  expect(stored).toEqual(
    expect.objectContaining({
      text: 'local only',
      direction: RCIMIWMessageDirection.SEND,
      sentStatus: RCIMIWSentStatus.SENT,
      senderUserId: 'alice',
    })
  );
  expect(stored.messageId).toBeGreaterThan(0);
  expect(stored.messageUId).toBeUndefined();
  // Non-storable types and missing conversations are parameter errors.
  await expect(
    a.insertMessage({ ...text('bob', 'x'), messageType: RCIMIWMessageType.COMMAND })
  ).resolves.toBe(1);
  const noConversation: RCIMIWTextMessage = { messageType: RCIMIWMessageType.TEXT, text: 'x' };
  await expect(a.insertMessage(noConversation)).resolves.toBe(1);

  const sent = await send(a, await a.createTextMessage(PRIVATE, 'bob', null, 'sent one'));
  await expect(a.getMessageByUId(sent.messageUId!)).resolves.toEqual(
    expect.objectContaining({ text: 'sent one', messageId: sent.messageId })
  );
  await expect(a.getMessageByUId('no-such-uid')).resolves.toBe(34204);
  const onError = jest.fn();
  await expect(a.getMessageByUId('no-such-uid', { onError })).resolves.toBe(0);
  expect(onError).toHaveBeenCalledWith(34204);
  expect(RCIMMock.messagesOf('bob').map((m) => (m as RCIMIWTextMessage).text)).toEqual([
    'sent one',
  ]);
});

test('insertMessages is all or nothing; incoming inserts count as unread', async () => {
  const a = await login('alice');
  const ok = text('bob', 'in', { direction: RCIMIWMessageDirection.RECEIVE, sentTime: 1000 });
  const bad = { ...text('bob', 'bad'), messageType: RCIMIWMessageType.RECALL };
  await expect(a.insertMessages([ok, bad])).resolves.toBe(1);
  expect(RCIMMock.messagesOf('alice')).toEqual([]);
  await expect(a.insertMessages([])).resolves.toBe(1);

  const listener = jest.fn();
  a.setOnMessagesInsertedListener(listener);
  const out = text('bob', 'out', { sentTime: 2000 });
  await expect(a.insertMessages([ok, null as unknown as RCIMIWMessage, out])).resolves.toBe(0);
  await RCIMMock.flush();
  const [code, messages] = listener.mock.calls[0] as [number, RCIMIWMessage[]];
  expect(code).toBe(0);
  expect(texts(messages)).toEqual(['in', 'out']);
  expect(messages[0]).toEqual(
    expect.objectContaining({ senderUserId: 'bob', receivedStatus: RCIMIWReceivedStatus.UNREAD })
  );
  const unread = await got<number>((cb) => a.getUnreadCount(PRIVATE, 'bob', null, cb));
  expect(unread).toBe(1);
});

test("deleteLocalMessages and deleteMessages; the user's other engine follows, the peer keeps its copy", async () => {
  const a = await login('alice');
  const a2 = await login('alice');
  const b = await login('bob');
  const m1 = await send(a, await a.createTextMessage(PRIVATE, 'bob', null, 'one'));
  const m2 = await send(a, await a.createTextMessage(PRIVATE, 'bob', null, 'two'));
  const m3 = await send(a, await a.createTextMessage(PRIVATE, 'bob', null, 'three'));

  const local = jest.fn();
  await expect(a.deleteLocalMessages([m1], { onLocalMessagesDeleted: local })).resolves.toBe(0);
  await RCIMMock.flush();
  expect(local).toHaveBeenCalledWith(0, [expect.objectContaining({ messageId: m1.messageId })]);
  await expect(a.deleteLocalMessages([{ targetId: 'bob' }])).resolves.toBe(1);

  // A message of another conversation is refused.
  await expect(a.deleteMessages(PRIVATE, 'carol', null, [m2])).resolves.toBe(1);
  const listener = jest.fn();
  a.setOnMessagesDeletedListener(listener);
  const cb = jest.fn();
  await expect(
    a.deleteMessages(PRIVATE, 'bob', null, [m2], { onMessagesDeleted: cb })
  ).resolves.toBe(0);
  await RCIMMock.flush();
  expect(cb).toHaveBeenCalledWith(0, [expect.objectContaining({ messageId: m2.messageId })]);
  expect(listener).toHaveBeenCalledWith(0, PRIVATE, 'bob', null, [
    expect.objectContaining({ messageId: m2.messageId }),
  ]);

  const history = (e: RCIMIWEngine, target: string) =>
    got<RCIMIWMessage[]>((c) => e.getMessages(PRIVATE, target, null, 0, 0, LOCAL, 20, c));
  expect(texts(await history(a2, 'bob'))).toEqual(['three']);
  expect(texts(await history(b, 'alice'))).toEqual(['three', 'two', 'one']);
  const conv = await got<RCIMIWConversation>((c) => a.getConversation(PRIVATE, 'bob', null, c));
  expect((conv.lastMessage as RCIMIWTextMessage).text).toBe('three');
  expect(m3.messageUId).toBeTruthy();

  // Without a session, the remote deletion is refused (33001); a local one still works.
  await a.disconnect(false);
  await a2.disconnect(false);
  await expect(a.deleteMessages(PRIVATE, 'bob', null, [m3])).resolves.toBe(33001);
  await expect(a.deleteLocalMessages([m3])).resolves.toBe(0);
});

test('clearMessages: R111 bounds, LOCAL without a session, LOCAL_REMOTE needs one', async () => {
  const a = await login('alice');
  await send(a, await a.createTextMessage(PRIVATE, 'bob', null, 'old'));
  const mid = await send(a, await a.createTextMessage(PRIVATE, 'bob', null, 'mid'));
  const last = await send(a, await a.createTextMessage(PRIVATE, 'bob', null, 'new'));

  await expect(a.clearMessages(PRIVATE, 'bob', null, last.sentTime! + 1, LOCAL)).resolves.toBe(1);
  await expect(a.clearMessages(PRIVATE, 'bob', null, -1, LOCAL)).resolves.toBe(1);
  await expect(a.clearMessages(PRIVATE, 'bob', null, 0, 7 as never)).resolves.toBe(1);

  const listener = jest.fn();
  a.setOnMessagesClearedListener(listener);
  const cb = jest.fn();
  await expect(
    a.clearMessages(PRIVATE, 'bob', null, mid.sentTime!, LOCAL_REMOTE, { onMessagesCleared: cb })
  ).resolves.toBe(0);
  await RCIMMock.flush();
  expect(cb).toHaveBeenCalledWith(0);
  expect(listener).toHaveBeenCalledWith(0, PRIVATE, 'bob', null, mid.sentTime);
  expect(texts(RCIMMock.messagesOf('alice'))).toEqual(['new']);

  await a.disconnect(false);
  await expect(a.clearMessages(PRIVATE, 'bob', null, 0, LOCAL_REMOTE)).resolves.toBe(33001);
  await expect(a.clearMessages(PRIVATE, 'bob', null, 0, LOCAL)).resolves.toBe(0);
  expect(RCIMMock.messagesOf('alice')).toEqual([]);
});

test('status edits change the stored message and its unread count', async () => {
  const b = await login('bob');
  const m = RCIMMock.receiveMessage('bob', text('alice', 'hi'));
  await RCIMMock.flush();
  const unread = () => got<number>((c) => b.getUnreadCount(PRIVATE, 'alice', null, c));
  expect(await unread()).toBe(1);

  const cb = jest.fn();
  const listener = jest.fn();
  b.setOnMessageReceiveStatusChangedListener(listener);
  await expect(
    b.changeMessageReceiveStatus(m.messageId!, RCIMIWReceivedStatus.READ, {
      onMessageReceiveStatusChanged: cb,
    })
  ).resolves.toBe(0);
  await RCIMMock.flush();
  expect(cb).toHaveBeenCalledWith(0);
  expect(listener).toHaveBeenCalledWith(0, m.messageId);
  expect(await unread()).toBe(0);

  const sent = jest.fn();
  await b.changeMessageSentStatus(m.messageId!, RCIMIWSentStatus.FAILED, {
    onMessageSentStatusChanged: sent,
  });
  await RCIMMock.flush();
  expect(sent).toHaveBeenCalledWith(0);
  expect(await b.getMessageById(m.messageId!)).toEqual(
    expect.objectContaining({
      sentStatus: RCIMIWSentStatus.FAILED,
      receivedStatus: RCIMIWReceivedStatus.READ,
    })
  );

  const unknown = jest.fn();
  await b.changeMessageSentStatus(99999, RCIMIWSentStatus.SENT, {
    onMessageSentStatusChanged: unknown,
  });
  await RCIMMock.flush();
  expect(unknown).toHaveBeenCalledWith(34204);
  await expect(b.changeMessageSentStatus(m.messageId!, 42 as never)).resolves.toBe(1);
});

test('mentions raise mentionedCount and the unread-mentioned count; reading clears them', async () => {
  const a = await login('alice');
  const b = await login('bob');
  const c = await login('carol');
  const group = 'g1';
  const mention = async (t: string, type: RCIMIWMentionedType, userIdList: string[]) => {
    const m = await a.createTextMessage(GROUP, group, null, t);
    m.mentionedInfo = { type, userIdList, mentionedContent: `@ ${t}` };
    return send(a, m);
  };
  await mention('for bob', RCIMIWMentionedType.PART, ['bob']);
  await mention('for all', RCIMIWMentionedType.ALL, []);
  await send(a, await a.createTextMessage(GROUP, group, null, 'plain'));
  await mention('for carol', RCIMIWMentionedType.PART, ['carol']);

  const convOf = (e: RCIMIWEngine) =>
    got<RCIMIWConversation>((cb) => e.getConversation(GROUP, group, null, cb));
  expect(await convOf(b)).toEqual(expect.objectContaining({ unreadCount: 4, mentionedCount: 2 }));
  expect(await convOf(c)).toEqual(expect.objectContaining({ mentionedCount: 2 }));
  expect((await convOf(a)).mentionedCount).toBe(0);
  expect(await got<number>((cb) => b.getUnreadMentionedCount(GROUP, group, null, cb))).toBe(2);
  const listed = await got<RCIMIWMessage[]>((cb) =>
    b.getUnreadMentionedMessages(GROUP, group, null, cb)
  );
  expect(texts(listed)).toEqual(['for bob', 'for all']);
  expect(listed[0].mentionedInfo).toEqual({
    type: RCIMIWMentionedType.PART,
    userIdList: ['bob'],
    mentionedContent: '@ for bob',
  });

  const loaded = jest.fn();
  b.setOnUnreadMentionedCountLoadedListener(loaded);
  await b.loadUnreadMentionedCount(GROUP, group, null);
  await RCIMMock.flush();
  expect(loaded).toHaveBeenCalledWith(0, GROUP, group, null, 2);
  const loadedMessages = jest.fn();
  b.setOnUnreadMentionedMessagesLoadedListener(loadedMessages);
  await b.loadUnreadMentionedMessages(GROUP, group, null);
  await RCIMMock.flush();
  expect(loadedMessages).toHaveBeenCalledWith(0, GROUP, group, null, expect.any(Array));

  await b.clearUnreadCount(GROUP, group, null, 0);
  await RCIMMock.flush();
  expect(await convOf(b)).toEqual(expect.objectContaining({ unreadCount: 0, mentionedCount: 0 }));
  expect(await got<number>((cb) => b.getUnreadMentionedCount(GROUP, group, null, cb))).toBe(0);
  // Private messages never count as mentions.
  const p = await a.createTextMessage(PRIVATE, 'bob', null, 'private @');
  p.mentionedInfo = { type: RCIMIWMentionedType.ALL, userIdList: [] };
  await send(a, p);
  expect(
    (await got<RCIMIWConversation>((cb) => b.getConversation(PRIVATE, 'alice', null, cb)))
      .mentionedCount
  ).toBe(0);
});

test('expansion: update and remove reach every copy; limits answer 34010, 34008, 1', async () => {
  const a = await login('alice');
  const a2 = await login('alice');
  const b = await login('bob');
  const m = await a.createTextMessage(PRIVATE, 'bob', null, 'expand me');
  m.expansion = { k1: 'v1' };
  const sent = await send(a, m);
  const uid = sent.messageUId!;
  expect(RCIMMock.messagesOf('bob')[0].expansion).toEqual({ k1: 'v1' });

  const remoteB = jest.fn();
  const remoteA2 = jest.fn();
  const remoteA = jest.fn();
  b.setOnRemoteMessageExpansionUpdatedListener(remoteB);
  a2.setOnRemoteMessageExpansionUpdatedListener(remoteA2);
  a.setOnRemoteMessageExpansionUpdatedListener(remoteA);
  const listener = jest.fn();
  a.setOnMessageExpansionUpdatedListener(listener);
  const cb = jest.fn();
  await expect(
    a.updateMessageExpansion(uid, new Map([['k2', 'v2']]), { onMessageExpansionUpdated: cb })
  ).resolves.toBe(0);
  await RCIMMock.flush();
  expect(cb).toHaveBeenCalledWith(0);
  expect(listener).toHaveBeenCalledWith(0, uid, new Map([['k2', 'v2']]));
  expect(remoteB).toHaveBeenCalledWith(
    new Map([['k2', 'v2']]),
    expect.objectContaining({ messageUId: uid, expansion: { k1: 'v1', k2: 'v2' } })
  );
  expect(remoteA2).toHaveBeenCalledTimes(1);
  expect(remoteA).not.toHaveBeenCalled();

  const removedB = jest.fn();
  b.setOnRemoteMessageExpansionForKeyRemovedListener(removedB);
  const removed = jest.fn();
  await b.removeMessageExpansionForKeys(uid, ['k1', null as unknown as string], {
    onMessageExpansionForKeysRemoved: removed,
  });
  await RCIMMock.flush();
  expect(removed).toHaveBeenCalledWith(0);
  expect(removedB).not.toHaveBeenCalled();
  expect((await a.getMessageByUId(uid)).expansion).toEqual({ k2: 'v2' });

  const codeOf = async (map: Map<string, string>, target = uid) => {
    let code: number | undefined;
    const status = await a.updateMessageExpansion(target, map, {
      onMessageExpansionUpdated: (c) => (code = c),
    });
    await RCIMMock.flush();
    return status !== 0 ? status : code;
  };
  expect(await codeOf(new Map([['k'.repeat(33), 'v']]))).toBe(34010);
  expect(await codeOf(new Map([['中文', 'v']]))).toBe(34010);
  expect(await codeOf(new Map([['big', 'x'.repeat(4097)]]))).toBe(34010);
  expect(await codeOf(new Map([['ok', 'x'.repeat(4096)]]))).toBe(0);
  const many = (n: number, p: string) =>
    new Map(Array.from({ length: n }, (_, i) => [`${p}${i}`, 'v']));
  expect(await codeOf(many(21, 'a'))).toBe(34010);
  for (let i = 0; i < 14; i++) expect(await codeOf(many(20, `b${i}_`))).toBe(0);
  // 2 + 14 * 20 = 282 keys; 19 more is over 300.
  expect(await codeOf(many(19, 'c'))).toBe(34010);
  expect(await codeOf(many(18, 'c'))).toBe(0);
  expect(await codeOf(new Map([['k', 'v']]), 'no-such-uid')).toBe(1);
  // Per-call limits are refused at once (the status), the others in the callback.
  await expect(a.updateMessageExpansion(uid, many(21, 'z'))).resolves.toBe(34010);
  await expect(a.removeMessageExpansionForKeys(uid, ['bad key'])).resolves.toBe(34010);
  await expect(a.removeMessageExpansionForKeys(uid, [])).resolves.toBe(1);
  const plain = await send(a, await a.createTextMessage(PRIVATE, 'bob', null, 'no expansion'));
  expect(await codeOf(new Map([['k', 'v']]), plain.messageUId)).toBe(34008);
  expect(await codeOf(new Map())).toBe(1);
});

test('searchMessagesByTimeRange pages with offset; searchConversations counts matches', async () => {
  const a = await login('alice');
  const times: number[] = [];
  for (const t of ['你好世界', 'hello', '世界和平', '新世界', 'other']) {
    times.push((await send(a, await a.createTextMessage(PRIVATE, 'bob', null, t))).sentTime!);
  }
  await send(a, await a.createTextMessage(PRIVATE, 'carol', null, '世界'));
  const search = (keyword: string, start: number, end: number, offset: number, count: number) =>
    got<RCIMIWMessage[]>((cb) =>
      a.searchMessagesByTimeRange(PRIVATE, 'bob', null, keyword, start, end, offset, count, cb)
    );
  expect(texts(await search('世界', 0, Date.now() + 1000, 0, 2))).toEqual(['新世界', '世界和平']);
  expect(texts(await search('世界', 0, Date.now() + 1000, 2, 2))).toEqual(['你好世界']);
  expect(texts(await search('世', times[1], times[3], 0, 50))).toEqual(['新世界', '世界和平']);
  expect(texts(await search('界和', 0, times[4], 0, 50))).toEqual(['世界和平']);
  await expect(a.searchMessagesByTimeRange(PRIVATE, 'bob', null, '世', 0, 1, 0, 51)).resolves.toBe(
    1
  );
  await expect(a.searchMessagesByTimeRange(PRIVATE, 'bob', null, '世', 5, 1, 0, 5)).resolves.toBe(
    1
  );

  const results = await got<RCIMIWSearchConversationResult[]>((cb) =>
    a.searchConversations([PRIVATE, GROUP], null, [RCIMIWMessageType.TEXT], '世界', cb)
  );
  expect(results.map((r) => [r.conversation?.targetId, r.count])).toEqual([
    ['carol', 1],
    ['bob', 3],
  ]);
  const none = await got<RCIMIWSearchConversationResult[]>((cb) =>
    a.searchConversations([PRIVATE], null, [RCIMIWMessageType.IMAGE], '世界', cb)
  );
  expect(none).toEqual([]);
  await expect(a.searchConversations([], null, [RCIMIWMessageType.TEXT], 'x')).resolves.toBe(1);
  await expect(a.searchConversations([PRIVATE], null, [RCIMIWMessageType.TEXT], '')).resolves.toBe(
    1
  );
});
