// loadConversations/getConversations, loadMessages/getMessages, unread counts: results arrive
// both in the listener slots and in the callback objects, with the right content and counts.
import {
  RCIMIWMessageOperationPolicy,
  RCIMIWSentStatus,
  RCIMIWTimeOrder,
  type RCIMIWConversation,
  type RCIMIWConversationType,
  type RCIMIWMessage,
  type RCIMIWTextMessage,
} from 'react-native-rcim';
import {
  PRIVATE,
  assert,
  assertEqual,
  destroyAll,
  hostEnv,
  sendText,
  twoEngines,
  viaCallback,
  waitFor,
} from './support';

const texts = (ms: RCIMIWMessage[]) => ms.map((m) => (m as RCIMIWTextMessage).text);

export default async function () {
  const env = hostEnv();
  const { a, b, userA, userB } = await twoEngines(env);
  try {
    let receivedByB = 0;
    b.setOnMessageReceivedListener(() => receivedByB++);
    const lines = ['one', 'two', 'three'];
    let firstSent: RCIMIWMessage | undefined;
    for (const line of lines) {
      const m = await sendText(a, userB, line);
      if (!firstSent) firstSent = m;
    }
    await waitFor('B received 3 messages', () => receivedByB === 3);

    // ── conversations, B's side: listener (load…) and callback (get…)
    let loaded:
      | {
          code: number;
          types: RCIMIWConversationType[];
          startTime: number;
          count: number;
          list: RCIMIWConversation[];
        }
      | undefined;
    b.setOnConversationsLoadedListener((code, types, _channelId, startTime, count, list) => {
      loaded = { code, types, startTime, count, list };
    });
    assertEqual(await b.loadConversations([PRIVATE], null, 0, 20), 0, 'loadConversations status');
    await waitFor('onConversationsLoaded', () => loaded);
    assert(loaded, 'loaded');
    assertEqual(loaded.code, 0, 'onConversationsLoaded code');
    assertEqual(loaded.types, [PRIVATE], 'echoed conversationTypes');
    assertEqual(loaded.count, 20, 'echoed count');
    assertEqual(loaded.list.length, 1, 'one conversation for B');
    const convB = loaded.list[0];
    assertEqual(convB.targetId, userA, 'B conversation targetId');
    assertEqual(convB.conversationType, PRIVATE, 'B conversation type');
    assertEqual(convB.unreadCount, 3, 'B unreadCount');
    assertEqual(
      (convB.lastMessage as RCIMIWTextMessage | undefined)?.text,
      'three',
      'B lastMessage'
    );

    loaded = undefined;
    const viaGet = await viaCallback<RCIMIWConversation[]>('getConversations', (ok, err) =>
      b.getConversations([PRIVATE], null, 0, 20, { onSuccess: ok, onError: err })
    );
    assertEqual(viaGet.length, 1, 'getConversations length');
    assertEqual(viaGet[0].targetId, userA, 'getConversations targetId');
    assertEqual(viaGet[0].unreadCount, 3, 'getConversations unreadCount');
    await waitFor('listener also fired for getConversations', () => loaded);

    const one = await viaCallback<RCIMIWConversation>('getConversation', (ok, err) =>
      b.getConversation(PRIVATE, userA, null, { onSuccess: ok, onError: err })
    );
    assertEqual(one.unreadCount, 3, 'getConversation unreadCount');
    let oneViaListener: RCIMIWConversation | undefined;
    b.setOnConversationLoadedListener((code, _t, targetId, _c, conversation) => {
      if (code === 0 && targetId === userA) oneViaListener = conversation;
    });
    assertEqual(await b.loadConversation(PRIVATE, userA, null), 0, 'loadConversation status');
    assertEqual(
      (await waitFor('onConversationLoaded', () => oneViaListener)).unreadCount,
      3,
      'loadConversation unread'
    );

    // ── history: listener (loadMessages) and callback (getMessages)
    let history: { code: number; order: RCIMIWTimeOrder; messages: RCIMIWMessage[] } | undefined;
    b.setOnMessagesLoadedListener((code, _type, targetId, _ch, _sentTime, order, messages) => {
      if (targetId === userA) history = { code, order, messages };
    });
    assertEqual(
      await b.loadMessages(
        PRIVATE,
        userA,
        null,
        0,
        RCIMIWTimeOrder.BEFORE,
        RCIMIWMessageOperationPolicy.LOCAL,
        20
      ),
      0,
      'loadMessages status'
    );
    await waitFor('onMessagesLoaded', () => history);
    assert(history, 'history');
    assertEqual(history.code, 0, 'onMessagesLoaded code');
    assertEqual(texts(history.messages), ['three', 'two', 'one'], 'B history (newest first)');

    const viaGetMessages = await viaCallback<RCIMIWMessage[]>('getMessages', (ok, err) =>
      a.getMessages(
        PRIVATE,
        userB,
        null,
        0,
        RCIMIWTimeOrder.BEFORE,
        RCIMIWMessageOperationPolicy.LOCAL,
        2,
        { onSuccess: ok, onError: err }
      )
    );
    assertEqual(texts(viaGetMessages), ['three', 'two'], 'A history page of 2');
    for (const m of viaGetMessages) {
      assertEqual(m.sentStatus, RCIMIWSentStatus.SENT, 'A history sentStatus');
    }

    // ── unread counts
    const unread = await viaCallback<number>('getUnreadCount', (ok, err) =>
      b.getUnreadCount(PRIVATE, userA, null, { onSuccess: ok, onError: err })
    );
    assertEqual(unread, 3, 'getUnreadCount');
    let total: number | undefined;
    b.setOnTotalUnreadCountLoadedListener((code, _ch, count) => {
      if (code === 0) total = count;
    });
    assertEqual(await b.loadTotalUnreadCount(null), 0, 'loadTotalUnreadCount status');
    assertEqual(
      await waitFor('onTotalUnreadCountLoaded', () => total !== undefined && total),
      3,
      'total'
    );

    let cleared: number | undefined;
    assertEqual(
      await b.clearUnreadCount(PRIVATE, userA, null, 0, {
        onUnreadCountCleared: (c) => (cleared = c),
      }),
      0,
      'clearUnreadCount status'
    );
    await waitFor('onUnreadCountCleared', () => cleared !== undefined);
    assertEqual(cleared, 0, 'onUnreadCountCleared code');
    const after = await viaCallback<number>('getTotalUnreadCount', (ok, err) =>
      b.getTotalUnreadCount(null, { onSuccess: ok, onError: err })
    );
    assertEqual(after, 0, 'total unread after clear');

    // ── A's side: its conversation with B has no unread, lastMessage is its own sent text
    const listA = await viaCallback<RCIMIWConversation[]>('A getConversations', (ok, err) =>
      a.getConversations([PRIVATE], null, 0, 20, { onSuccess: ok, onError: err })
    );
    assertEqual(listA.length, 1, 'A conversations');
    assertEqual(listA[0].targetId, userB, 'A conversation targetId');
    assertEqual(listA[0].unreadCount, 0, 'A conversation unreadCount');

    // ── removeConversation: gone from the list
    let removed: number | undefined;
    assertEqual(
      await a.removeConversation(PRIVATE, userB, null, {
        onConversationRemoved: (c) => (removed = c),
      }),
      0,
      'removeConversation status'
    );
    await waitFor('onConversationRemoved', () => removed !== undefined);
    assertEqual(removed, 0, 'onConversationRemoved code');
    const listA2 = await viaCallback<RCIMIWConversation[]>('A getConversations again', (ok, err) =>
      a.getConversations([PRIVATE], null, 0, 20, { onSuccess: ok, onError: err })
    );
    assertEqual(listA2.length, 0, 'A conversations after remove');
  } finally {
    await destroyAll(a, b);
  }
}
