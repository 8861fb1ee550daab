/**
 * Uses the shipped Jest mock exactly as an app would: one jest.mock line, then the public API.
 */
import {
  RCIMIWConnectionStatus,
  RCIMIWConversationType,
  RCIMIWEngine,
  RCIMIWMessageOperationPolicy,
  RCIMIWSentStatus,
  RCIMIWTimeOrder,
  type RCIMIWConversation,
  type RCIMIWMessage,
  type RCIMIWTextMessage,
} from 'react-native-rcim';
import { RCIMMock } from 'react-native-rcim/jest';

jest.mock('react-native-rcim', () => require('react-native-rcim/jest'));

const PRIVATE = RCIMIWConversationType.PRIVATE;

afterEach(() => RCIMMock.reset());

test('connect, send, receive and read back from memory', async () => {
  const engine = RCIMIWEngine.create('app-key', { naviServer: 'http://127.0.0.1:1' });
  const statuses: number[] = [];
  engine.setOnConnectionStatusChangedListener((s) => statuses.push(s));
  const connected = jest.fn();
  engine.setOnConnectedListener(connected);

  RCIMMock.registerToken('token-alice', 'alice');
  await expect(engine.connect('token-alice', 0)).resolves.toBe(0);
  await RCIMMock.flush();
  expect(connected).toHaveBeenCalledWith(0, 'alice');
  expect(statuses).toEqual([RCIMIWConnectionStatus.CONNECTING, RCIMIWConnectionStatus.CONNECTED]);

  const seen: string[] = [];
  engine.setOnMessageAttachedListener((m) => seen.push(`attached:${m.sentStatus}`));
  engine.setOnMessageSentListener((code, m) =>
    seen.push(`sent:${code}:${m.sentStatus}:${!!m.messageUId}`)
  );
  const text = await engine.createTextMessage(PRIVATE, 'bob', null, 'hello bob');
  expect(text.text).toBe('hello bob');
  await expect(engine.sendMessage(text)).resolves.toBe(0);
  await RCIMMock.flush();
  expect(seen).toEqual(['attached:0', `sent:0:${RCIMIWSentStatus.SENT}:true`]);

  const received: RCIMIWMessage[] = [];
  engine.setOnMessageReceivedListener((m) => received.push(m));
  RCIMMock.receiveMessage('alice', {
    conversationType: PRIVATE,
    targetId: 'bob',
    text: 'hi alice',
  });
  await RCIMMock.flush();
  expect((received[0] as RCIMIWTextMessage).text).toBe('hi alice');

  const conversations = await new Promise<unknown[]>((resolve, reject) => {
    engine.getConversations([PRIVATE], null, 0, 20, { onSuccess: resolve, onError: reject });
  });
  expect(conversations).toEqual([expect.objectContaining({ targetId: 'bob', unreadCount: 1 })]);

  const history = await new Promise<RCIMIWMessage[]>((resolve, reject) => {
    engine.getMessages(
      PRIVATE,
      'bob',
      null,
      0,
      RCIMIWTimeOrder.BEFORE,
      RCIMIWMessageOperationPolicy.LOCAL,
      20,
      { onSuccess: resolve, onError: reject }
    );
  });
  expect(history.map((m) => (m as RCIMIWTextMessage).text)).toEqual(['hi alice', 'hello bob']);

  const unread = jest.fn();
  await engine.clearUnreadCount(PRIVATE, 'bob', null, 0);
  await engine.getTotalUnreadCount(null, { onSuccess: unread });
  await RCIMMock.flush();
  expect(unread).toHaveBeenCalledWith(0);

  await engine.destroy();
});

test('two engines chat through the mock', async () => {
  const a = RCIMIWEngine.createStandalone('app-key');
  const b = RCIMIWEngine.createStandalone('app-key');
  await a.connect('alice', 0);
  await b.connect('bob', 0);
  const got = jest.fn();
  b.setOnMessageReceivedListener((m, left, offline, hasPackage) =>
    got((m as RCIMIWTextMessage).text, m.targetId, m.senderUserId, left, offline, hasPackage)
  );
  const msg = await a.createTextMessage(PRIVATE, 'bob', null, 'ping');
  const sent = jest.fn();
  await a.sendMessage(msg, { onMessageSent: sent });
  await RCIMMock.flush();
  expect(sent).toHaveBeenCalledWith(
    0,
    expect.objectContaining({ sentStatus: RCIMIWSentStatus.SENT })
  );
  expect(got).toHaveBeenCalledWith('ping', 'alice', 'alice', 0, false, false);
  await a.destroy();
  await b.destroy();
});

test('a bad token reports 31004 and TOKEN_INCORRECT; wrong types resolve 1', async () => {
  const e = RCIMIWEngine.createStandalone('app-key');
  const status = jest.fn();
  const onConnected = jest.fn();
  e.setOnConnectionStatusChangedListener(status);
  await e.connect('invalid-token', 0, { onConnected });
  await RCIMMock.flush();
  expect(onConnected).toHaveBeenCalledWith(31004, '');
  expect(status).toHaveBeenLastCalledWith(RCIMIWConnectionStatus.TOKEN_INCORRECT);

  const attached = jest.fn();
  e.setOnMessageAttachedListener(attached);
  await expect(e.sendMessage(5 as unknown as RCIMIWMessage)).resolves.toBe(1);
  await RCIMMock.flush();
  expect(attached).not.toHaveBeenCalled();
  await e.destroy();
});

test('scripted replies and recorded calls', async () => {
  const e = RCIMIWEngine.createStandalone('app-key');
  RCIMMock.setReply('connect', 3);
  await expect(e.connect('x', 0)).resolves.toBe(3);
  expect(RCIMMock.calls.at(-1)).toEqual(
    expect.objectContaining({ method: 'connect', args: { token: 'x', timeout: 0 } })
  );
  await e.destroy();
  await expect(e.connect('x', 0)).resolves.toBe(2);
});

test('the mock searches the messages one user sent in a group', async () => {
  const GROUP = RCIMIWConversationType.GROUP;
  const e = RCIMIWEngine.createStandalone('app-key');
  await e.connect('alice', 0);
  const lines: Array<[string, string, number]> = [
    ['bob', 'b1', 1000],
    ['carol', 'c1', 2000],
    ['bob', 'b2', 3000],
    ['carol', 'c2', 4000],
    ['bob', 'b3', 5000],
  ];
  for (const [senderUserId, text, sentTime] of lines) {
    RCIMMock.receiveMessage('alice', {
      conversationType: GROUP,
      targetId: 'g1',
      senderUserId,
      text,
      sentTime,
    });
  }
  // bob in another conversation: not part of g1's results.
  RCIMMock.receiveMessage('alice', { conversationType: PRIVATE, targetId: 'bob', text: 'dm' });
  await RCIMMock.flush();
  const texts = (ms: RCIMIWMessage[]) => ms.map((m) => (m as RCIMIWTextMessage).text);
  const byUser = (userId: string, startTime: number, count: number) =>
    new Promise<RCIMIWMessage[]>((resolve, reject) => {
      void e.searchMessagesByUserId(userId, GROUP, 'g1', null, startTime, count, {
        onSuccess: resolve,
        onError: reject,
      });
    });

  expect(texts(await byUser('bob', 0, 50))).toEqual(['b3', 'b2', 'b1']);
  expect(texts(await byUser('carol', 0, 50))).toEqual(['c2', 'c1']);
  const page = await byUser('bob', 0, 2);
  expect(texts(page)).toEqual(['b3', 'b2']);
  expect(texts(await byUser('bob', page[1].sentTime as number, 2))).toEqual(['b1']);

  const searched = jest.fn();
  e.setOnMessagesSearchedByUserIdListener(searched);
  await expect(e.searchMessagesByUserId('carol', GROUP, 'g1', null, 4000, 10)).resolves.toBe(0);
  await RCIMMock.flush();
  expect(searched).toHaveBeenCalledTimes(1);
  // (code, userId, type, targetId, channelId, startTime, count, messages)
  const [code, userId, type, targetId, , startTime, count, messages] = searched.mock.calls[0];
  expect([code, userId, type, targetId, startTime, count]).toEqual([
    0,
    'carol',
    GROUP,
    'g1',
    4000,
    10,
  ]);
  expect(texts(messages)).toEqual(['c1']);

  const callback = { onSuccess: jest.fn(), onError: jest.fn() };
  for (const n of [0, 51]) {
    await expect(e.searchMessagesByUserId('bob', GROUP, 'g1', null, 0, n, callback)).resolves.toBe(
      1
    );
  }
  await expect(e.searchMessagesByUserId('', GROUP, 'g1', null, 0, 10, callback)).resolves.toBe(1);
  await RCIMMock.flush();
  expect(searched).toHaveBeenCalledTimes(1);
  expect(callback.onSuccess).not.toHaveBeenCalled();
  expect(callback.onError).not.toHaveBeenCalled();
});

test('the mock keeps drafts, counts and searches messages', async () => {
  const e = RCIMIWEngine.createStandalone('app-key');
  await e.connect('alice', 0);
  for (const text of ['你好世界', 'Hello World']) {
    RCIMMock.receiveMessage('alice', { conversationType: PRIVATE, targetId: 'bob', text });
  }
  await RCIMMock.flush();
  const result = <T>(start: (cb: { onSuccess: (t: T) => void }) => unknown) =>
    new Promise<T>((resolve) => {
      start({ onSuccess: resolve });
    });

  await expect(result<number>((cb) => e.getMessageCount(PRIVATE, 'bob', null, cb))).resolves.toBe(
    2
  );
  const first = await result<RCIMIWMessage | null>((cb) =>
    e.getFirstUnreadMessage(PRIVATE, 'bob', null, cb)
  );
  expect((first as RCIMIWTextMessage).text).toBe('你好世界');
  await expect(
    result<number>((cb) => e.getUnreadCountByConversationTypes([PRIVATE], null, false, cb))
  ).resolves.toBe(2);

  const search = (keyword: string) =>
    result<RCIMIWMessage[]>((cb) => e.searchMessages(PRIVATE, 'bob', null, keyword, 0, 50, cb));
  for (const keyword of ['世', '世界', '好世界']) {
    expect((await search(keyword)).map((m) => (m as RCIMIWTextMessage).text)).toEqual(['你好世界']);
  }
  expect(await search('WORLD')).toHaveLength(1);
  await expect(e.searchMessages(PRIVATE, 'bob', null, 'x', 0, 51)).resolves.toBe(1);
  await expect(e.searchMessages(PRIVATE, 'bob', null, '', 0, 10)).resolves.toBe(1);

  // A draft puts a conversation without messages on top of the list; clearing removes it.
  const saved = jest.fn();
  await e.saveDraftMessage(PRIVATE, 'carol', null, '草稿', { onDraftMessageSaved: saved });
  await RCIMMock.flush();
  expect(saved).toHaveBeenCalledWith(0);
  await expect(result<string>((cb) => e.getDraftMessage(PRIVATE, 'carol', null, cb))).resolves.toBe(
    '草稿'
  );
  const list = await result<Array<{ targetId: string; draft: string }>>((cb) =>
    e.getConversations([PRIVATE], null, 0, 20, cb as never)
  );
  expect(list.map((c) => [c.targetId, c.draft])).toEqual([
    ['carol', '草稿'],
    ['bob', ''],
  ]);
  await e.clearDraftMessage(PRIVATE, 'carol', null);
  await expect(result<string>((cb) => e.getDraftMessage(PRIVATE, 'carol', null, cb))).resolves.toBe(
    ''
  );
  const after = await result<unknown[]>((cb) =>
    e.getConversations([PRIVATE], null, 0, 20, cb as never)
  );
  expect(after).toHaveLength(1);
  await e.destroy();
});

test('the mock pages conversations as the engine: pinned ones once, resumed at a time', async () => {
  const e = RCIMIWEngine.createStandalone('app-key');
  await e.connect('alice', 0);
  const receive = (targetId: string, sentTime: number) =>
    RCIMMock.receiveMessage('alice', {
      conversationType: PRIVATE,
      targetId,
      text: targetId,
      sentTime,
    } as RCIMIWTextMessage);
  for (const [peer, time] of [
    ['p1', 3000],
    ['p2', 2000],
    ['u1', 2500],
    ['u2', 1500],
    ['u3', 1400],
  ] as const) {
    receive(peer, time);
  }
  await e.changeConversationTopStatus(PRIVATE, 'p1', null, true);
  await e.changeConversationTopStatus(PRIVATE, 'p2', null, true);
  // A draft-only conversation: no lastMessage, its operationTime (the draft's) orders it.
  await e.saveDraftMessage(PRIVATE, 'd', null, 'later');
  await RCIMMock.flush();
  const page = (startTime: number, count: number) =>
    new Promise<RCIMIWConversation[]>((resolve, reject) => {
      e.getConversations([PRIVATE], null, startTime, count, {
        onSuccess: resolve,
        onError: reject,
      });
    });
  const ids = (list: RCIMIWConversation[]) => list.map((c) => c.targetId);
  const end = (list: RCIMIWConversation[]) => {
    const last = list[list.length - 1]!;
    return last.lastMessage?.sentTime ?? last.operationTime!;
  };
  const all = await page(0, 50);
  expect(ids(all)).toEqual(['p1', 'p2', 'd', 'u1', 'u2', 'u3']);
  expect(all[0]!.operationTime).toBe(3000);
  expect(all[2]!.lastMessage).toBeUndefined();
  expect(all[2]!.operationTime).toBeGreaterThan(3000);

  // Every page size: each conversation once, in list order (pinned ones are not repeated).
  for (const count of [1, 2, 3, 4]) {
    const seen: RCIMIWConversation[] = [];
    for (let p = await page(0, count); p.length > 0; p = await page(end(p), count)) {
      seen.push(...p);
      if (p.length < count) break;
    }
    expect(ids(seen)).toEqual(ids(all));
  }

  // A pinned page end that got a newer message before the next page: the page goes on in the
  // pinned section where it was.
  const first = await page(0, 1);
  receive('p1', 5000);
  await RCIMMock.flush();
  expect(ids(await page(end(first), 50))).toEqual(['p2', 'd', 'u1', 'u2', 'u3']);
  await e.destroy();
});

test('the mock recalls messages and relays private read receipts', async () => {
  const a = RCIMIWEngine.createStandalone('app-key');
  const b = RCIMIWEngine.createStandalone('app-key');
  await a.connect('alice', 0);
  await b.connect('bob', 0);
  const text = await a.createTextMessage(PRIVATE, 'bob', null, 'oops');
  let sent: RCIMIWMessage | undefined;
  await a.sendMessage(text, { onMessageSent: (_code, m) => (sent = m) });
  await RCIMMock.flush();
  expect(sent?.messageUId).toBeTruthy();

  const receipts: Array<[string, number]> = [];
  a.setOnPrivateReadReceiptReceivedListener((targetId, _channelId, timestamp) =>
    receipts.push([targetId, timestamp])
  );
  const receiptSent = jest.fn();
  await b.sendPrivateReadReceiptMessage('alice', null, sent!.sentTime!, {
    onPrivateReadReceiptMessageSent: receiptSent,
  });
  await RCIMMock.flush();
  expect(receiptSent).toHaveBeenCalledWith(0);
  expect(receipts).toEqual([['bob', sent!.sentTime]]);

  const remote = jest.fn();
  b.setOnRemoteMessageRecalledListener(remote);
  const recalled = jest.fn();
  await a.recallMessage(sent!, { onMessageRecalled: recalled });
  await RCIMMock.flush();
  expect(recalled).toHaveBeenCalledWith(0, expect.objectContaining({ messageType: 8 }));
  expect(remote).toHaveBeenCalledWith(
    expect.objectContaining({ messageType: 8, messageUId: sent!.messageUId })
  );

  // Anyone may recall by default; the server setting restricts it to the sender (25107).
  const second = await a.createTextMessage(PRIVATE, 'bob', null, 'second');
  let sent2: RCIMIWMessage | undefined;
  await a.sendMessage(second, { onMessageSent: (_code, m) => (sent2 = m) });
  await RCIMMock.flush();
  RCIMMock.setRecallOnlySender(true);
  const refused = jest.fn();
  await b.recallMessage(sent2!, { onMessageRecalled: refused });
  await RCIMMock.flush();
  expect(refused).toHaveBeenCalledWith(25107, expect.anything());
  RCIMMock.setRecallOnlySender(false);
  const remoteA = jest.fn();
  a.setOnRemoteMessageRecalledListener(remoteA);
  const byB = jest.fn();
  await b.recallMessage(sent2!, { onMessageRecalled: byB });
  await RCIMMock.flush();
  expect(byB).toHaveBeenCalledWith(0, expect.objectContaining({ messageType: 8 }));
  expect(remoteA).toHaveBeenCalledWith(
    expect.objectContaining({ messageType: 8, messageUId: sent2!.messageUId, operatorId: 'bob' })
  );
  expect(
    RCIMMock.messagesOf('alice').find((m) => m.messageUId === sent2!.messageUId)
  ).not.toHaveProperty('text');
  await a.destroy();
  await b.destroy();
});

test('the mock pins and mutes conversations and syncs pins to the same user', async () => {
  const phone = RCIMIWEngine.createStandalone('app-key');
  const tablet = RCIMIWEngine.createStandalone('app-key');
  await phone.connect('alice', 0);
  await tablet.connect('alice', 0);
  const synced = jest.fn();
  tablet.setOnConversationTopStatusSyncedListener(synced);
  const ownSynced = jest.fn();
  phone.setOnConversationTopStatusSyncedListener(ownSynced);

  const changed = jest.fn();
  await phone.changeConversationTopStatus(PRIVATE, 'bob', null, true, {
    onConversationTopStatusChanged: changed,
  });
  await RCIMMock.flush();
  expect(changed).toHaveBeenCalledWith(0);
  expect(synced).toHaveBeenCalledWith(PRIVATE, 'bob', '', true);
  expect(ownSynced).not.toHaveBeenCalled();

  const top = jest.fn();
  await phone.getConversationTopStatus(PRIVATE, 'bob', null, { onSuccess: top });
  const pinned = jest.fn();
  await phone.getTopConversations([PRIVATE], null, { onSuccess: pinned });
  await RCIMMock.flush();
  expect(top).toHaveBeenCalledWith(true);
  expect(pinned).toHaveBeenCalledWith([expect.objectContaining({ targetId: 'bob', top: true })]);

  const levelChanged = jest.fn();
  await phone.changeConversationNotificationLevel(PRIVATE, 'bob', null, 5, {
    onConversationNotificationLevelChanged: levelChanged,
  });
  const level = jest.fn();
  await phone.getConversationNotificationLevel(PRIVATE, 'bob', null, { onSuccess: level });
  const blocked = jest.fn();
  await phone.getBlockedConversations([PRIVATE], null, { onSuccess: blocked });
  await RCIMMock.flush();
  expect(levelChanged).toHaveBeenCalledWith(0);
  expect(level).toHaveBeenCalledWith(5);
  expect(blocked).toHaveBeenCalledWith([expect.objectContaining({ targetId: 'bob' })]);

  // Chatrooms have no settings; levels stop at BLOCKED (5).
  expect(await phone.changeConversationTopStatus(3, 'room', null, true)).toBe(1);
  expect(await phone.changeConversationNotificationLevel(PRIVATE, 'bob', null, 6 as never)).toBe(1);
  await phone.destroy();
  await tablet.destroy();
});

test('the mock queues changes made while the connection is down and runs them when it is back', async () => {
  const phone = RCIMIWEngine.createStandalone('app-key');
  const bob = RCIMIWEngine.createStandalone('app-key');
  await phone.connect('alice', 0);
  await bob.connect('bob', 0);
  let sent: RCIMIWMessage | undefined;
  await phone.sendMessage(await phone.createTextMessage(PRIVATE, 'bob', null, 'oops'), {
    onMessageSent: (_code, m) => (sent = m),
  });
  await RCIMMock.flush();
  expect(sent?.messageUId).toBeTruthy();

  const order: string[] = [];
  phone.setOnMessageRecalledListener((code) => order.push(`recall-listener:${code}`));
  phone.setOnConversationTopStatusChangedListener((code) => order.push(`pin-listener:${code}`));
  phone.setOnMessageSentListener((code) => order.push(`sent-listener:${code}`));
  const remote = jest.fn();
  bob.setOnRemoteMessageRecalledListener(remote);

  RCIMMock.setConnectionStatus('alice', RCIMIWConnectionStatus.SUSPEND);
  await RCIMMock.flush();
  expect(RCIMMock.engines().find((e) => e.userId === 'alice')).toEqual(
    expect.objectContaining({ connected: true, online: false })
  );
  await expect(
    phone.recallMessage(sent!, {
      onMessageRecalled: (code, m) => order.push(`recall-callback:${code}:${m.messageType}`),
    })
  ).resolves.toBe(0);
  await expect(
    phone.changeConversationTopStatus(PRIVATE, 'bob', null, true, {
      onConversationTopStatusChanged: (code) => order.push(`pin-callback:${code}`),
    })
  ).resolves.toBe(0);
  const attached = jest.fn();
  await expect(
    phone.sendMessage(await phone.createTextMessage(PRIVATE, 'bob', null, 'later'), {
      onMessageSaved: attached,
    })
  ).resolves.toBe(0);
  await RCIMMock.flush();
  // Nothing is reported while offline (no 30002): only the send is attached at once.
  expect(order).toEqual([]);
  expect(attached).toHaveBeenCalledTimes(1);
  expect(remote).not.toHaveBeenCalled();
  const top = jest.fn();
  await phone.getConversationTopStatus(PRIVATE, 'bob', null, { onSuccess: top });
  await RCIMMock.flush();
  expect(top).toHaveBeenCalledWith(false);

  // Still waiting while reconnecting.
  RCIMMock.setConnectionStatus('alice', RCIMIWConnectionStatus.CONNECTING);
  await RCIMMock.flush();
  expect(order).toEqual([]);

  RCIMMock.setConnectionStatus('alice', RCIMIWConnectionStatus.CONNECTED);
  await RCIMMock.flush();
  // Each once, listener and callback, in call order.
  expect(order).toEqual([
    'recall-listener:0',
    'recall-callback:0:8',
    'pin-listener:0',
    'pin-callback:0',
    'sent-listener:0',
  ]);
  expect(remote).toHaveBeenCalledTimes(1);
  await phone.getConversationTopStatus(PRIVATE, 'bob', null, { onSuccess: top });
  await RCIMMock.flush();
  expect(top).toHaveBeenLastCalledWith(true);

  // Another CONNECTED does not run them again.
  RCIMMock.setConnectionStatus('alice', RCIMIWConnectionStatus.CONNECTED);
  await RCIMMock.flush();
  expect(order).toHaveLength(5);
  expect(remote).toHaveBeenCalledTimes(1);
  await phone.destroy();
  await bob.destroy();
});

test('after disconnect the mock refuses changes with 33001; what was queued waits for the next connect', async () => {
  const phone = RCIMIWEngine.createStandalone('app-key');
  await phone.connect('alice', 0);
  let sent: RCIMIWMessage | undefined;
  await phone.sendMessage(await phone.createTextMessage(PRIVATE, 'bob', null, 'oops'), {
    onMessageSent: (_code, m) => (sent = m),
  });
  await RCIMMock.flush();

  // A level change queued while suspended, then a sign-out.
  RCIMMock.setConnectionStatus('alice', RCIMIWConnectionStatus.SUSPEND);
  const levelListener = jest.fn();
  phone.setOnConversationNotificationLevelChangedListener(levelListener);
  const levelCallback = jest.fn();
  await phone.changeConversationNotificationLevel(PRIVATE, 'bob', null, 5, {
    onConversationNotificationLevelChanged: levelCallback,
  });
  await expect(phone.disconnect(false)).resolves.toBe(0);
  await RCIMMock.flush();
  expect(levelListener).not.toHaveBeenCalled();

  const recalled = jest.fn();
  phone.setOnMessageRecalledListener(recalled);
  const pinned = jest.fn();
  phone.setOnConversationTopStatusChangedListener(pinned);
  const receipt = jest.fn();
  phone.setOnPrivateReadReceiptMessageSentListener(receipt);
  const attached = jest.fn();
  phone.setOnMessageAttachedListener(attached);
  await expect(phone.recallMessage(sent!)).resolves.toBe(33001);
  await expect(phone.changeConversationTopStatus(PRIVATE, 'bob', null, true)).resolves.toBe(33001);
  await expect(phone.sendPrivateReadReceiptMessage('bob', null, 1)).resolves.toBe(33001);
  await expect(
    phone.sendMessage(await phone.createTextMessage(PRIVATE, 'bob', null, 'no'))
  ).resolves.toBe(33001);
  // Argument errors still come first.
  expect(await phone.changeConversationTopStatus(3, 'room', null, true)).toBe(1);
  // Setting a status does not bring a signed-out session back.
  RCIMMock.setConnectionStatus('alice', RCIMIWConnectionStatus.CONNECTED);
  await RCIMMock.flush();
  expect(recalled).not.toHaveBeenCalled();
  expect(pinned).not.toHaveBeenCalled();
  expect(receipt).not.toHaveBeenCalled();
  expect(attached).not.toHaveBeenCalled();
  expect(levelListener).not.toHaveBeenCalled();

  // The next connect runs the queued change; it reports to the listener only, as the engine
  // does with operations reloaded from its outbox.
  await phone.connect('alice', 0);
  await RCIMMock.flush();
  expect(levelListener).toHaveBeenCalledTimes(1);
  expect(levelListener).toHaveBeenCalledWith(0, PRIVATE, 'bob', '', 5);
  expect(levelCallback).not.toHaveBeenCalled();
  await phone.destroy();
});

test('a kick ends the mock session: queued sends fail with 31010', async () => {
  const phone = RCIMIWEngine.createStandalone('app-key');
  await phone.connect('alice', 0);
  RCIMMock.setConnectionStatus('alice', RCIMIWConnectionStatus.SUSPEND);
  const sentResult = jest.fn();
  await phone.sendMessage(await phone.createTextMessage(PRIVATE, 'bob', null, 'lost'), {
    onMessageSent: (code, m) => sentResult(code, m.sentStatus),
  });
  RCIMMock.setConnectionStatus('alice', RCIMIWConnectionStatus.KICKED_OFFLINE_BY_OTHER_CLIENT);
  await RCIMMock.flush();
  expect(sentResult).toHaveBeenCalledTimes(1);
  expect(sentResult).toHaveBeenCalledWith(31010, RCIMIWSentStatus.FAILED);
  await expect(phone.changeConversationTopStatus(PRIVATE, 'bob', null, true)).resolves.toBe(33001);
  await phone.destroy();
});

test('the mock answers getMessageById in both forms', async () => {
  const e = RCIMIWEngine.createStandalone('app-key');
  // Before the first connect there is no local store (CLIENT_NOT_INIT), as in the engine.
  await expect(e.getMessageById(1)).resolves.toBe(33001);
  await e.connect('alice', 0);
  const stored = RCIMMock.receiveMessage<RCIMIWTextMessage>('alice', {
    conversationType: PRIVATE,
    targetId: 'bob',
    text: 'by id',
  });
  const id = stored.messageId as number;

  // The seed's form: the message itself, or the lookup's code.
  const message: RCIMIWMessage = await e.getMessageById(id);
  expect(message).toEqual(expect.objectContaining({ messageId: id, text: 'by id' }));
  await expect(e.getMessageById(id + 1000)).resolves.toBe(34204);

  // 5.2.5's form: the status, then onSuccess(message) or onError(code).
  const onSuccess = jest.fn();
  const onError = jest.fn();
  await expect(e.getMessageById(id, { onSuccess, onError })).resolves.toBe(0);
  expect(onSuccess).toHaveBeenCalledWith(expect.objectContaining({ messageId: id }));
  await expect(e.getMessageById(id + 1000, { onSuccess, onError })).resolves.toBe(0);
  expect(onError).toHaveBeenCalledWith(34204);
  expect(onSuccess).toHaveBeenCalledTimes(1);

  // Bad arguments: PARAM_ERROR and no callback.
  await expect(e.getMessageById('1' as unknown as number, { onSuccess, onError })).resolves.toBe(1);
  await RCIMMock.flush();
  expect(onSuccess).toHaveBeenCalledTimes(1);
  expect(onError).toHaveBeenCalledTimes(1);
  await e.destroy();
});
