// Chatrooms with three users: a join returns the room's recent messages (-1 none, 0 ten,
// 5, 50), oldest first; members' messages reach the other members (not as conversations or
// unread counts); leaving deletes the room's local messages; joining a second room leaves the
// first (R190); member joins and leaves are reported; the room's history pages with syncTime.
// "Nothing more arrives" is checked against a later message (a marker) that does arrive: what
// was not received before it never will be.
import {
  RCIMIWConversationType,
  RCIMIWSentStatus,
  RCIMIWTimeOrder,
  type RCIMIWMessage,
} from 'react-native-rcim';
import {
  CHATROOM,
  join,
  joined,
  leave,
  localTexts,
  members,
  receivedIn,
  roomId,
  say,
  texts,
  waitLog,
  waitReceived,
  destroyMembers,
  type Member,
} from './chatroom-support';
import { serverApi } from './server-api';
import { assert, assertEqual, hostEnv, viaCallback, waitFor } from './support';

/** One history page through the 5.2.5 callback and the listener's syncTime. */
async function historyPage(
  m: Member,
  room: string,
  timestamp: number,
  order: RCIMIWTimeOrder,
  count: number
): Promise<{ texts: Array<string | undefined>; syncTime: number }> {
  let syncTime: number | undefined;
  m.engine.setOnChatRoomMessagesLoadedListener((code, targetId, _messages, sync) => {
    if (code === 0 && targetId === room) syncTime = sync;
  });
  const page = await viaCallback<RCIMIWMessage[]>(`history of ${room}`, (ok, err) =>
    m.engine.getChatRoomMessages(room, timestamp, order, count, { onSuccess: ok, onError: err })
  );
  const sync = await waitFor(
    'onChatRoomMessagesLoaded',
    () => syncTime !== undefined && { syncTime }
  );
  m.engine.setOnChatRoomMessagesLoadedListener(undefined);
  for (const x of page) assertEqual(x.conversationType, CHATROOM, 'history message type');
  return { texts: texts(page), syncTime: sync.syncTime };
}

export default async function () {
  const env = hostEnv();
  const room = roomId(env, 'lobby');
  const other = roomId(env, 'stage');
  const all = await members(env, 0, 1, 2);
  const [a, b, c] = all;
  try {
    // ── A creates the room and fills it with 12 messages.
    assertEqual(await join(a, room, -1, true), 0, 'A joins with autoCreate');
    assert(a.log.indexOf(`joining:${room}`) < a.log.indexOf(`joined:0:${room}`), 'joining first');
    assertEqual(a.log.includes(`synced:${room}`), true, 'KV synced on join');
    const sent: string[] = [];
    for (let i = 0; i < 12; i++) {
      const m = await say(a, room, `t${i}`);
      assertEqual(m.sentStatus, RCIMIWSentStatus.SENT, 'sent status');
      assertEqual(m.conversationType, CHATROOM, 'sent type');
      sent.push(`t${i}`);
    }

    // ── History on join: -1 none, 5 the newest five, 0 the default ten, 50 all (oldest first).
    await joined(b, room, -1);
    sent.push('marker -1');
    await say(a, room, 'marker -1');
    assertEqual(
      await waitReceived(b, room, 1, 'B gets the marker'),
      ['marker -1'],
      'messageCount -1: no history before the marker'
    );
    assertEqual(await leave(b, room), 0, 'B leaves');
    b.received.length = 0;
    await joined(b, room, 5);
    assertEqual(await waitReceived(b, room, 5, 'B gets 5'), sent.slice(-5), 'messageCount 5');
    assertEqual(await localTexts(b, room), sent.slice(-5).reverse(), "B's local room history");
    // Leaving deletes the local messages of the room (R186, R201).
    assertEqual(await leave(b, room), 0, 'B leaves again');
    assertEqual(await localTexts(b, room), [], 'local history cleared on leave');
    b.received.length = 0;
    await joined(c, room, 0);
    assertEqual(
      await waitReceived(c, room, 10, 'C gets 10'),
      sent.slice(-10),
      'messageCount 0 = 10'
    );
    await joined(b, room, 50);
    assertEqual(await waitReceived(b, room, 13, 'B gets 13'), sent, 'messageCount 50');
    sent.push('marker 50');
    await say(a, room, 'marker 50');
    assertEqual(
      await waitReceived(b, room, 14, 'B gets the marker'),
      sent,
      'no more than the room has, then the marker'
    );

    // ── Members: A saw B and C join (and B leave).
    await waitLog(a, `member:${room}:${c.userId}:1`);
    await waitLog(a, `member:${room}:${b.userId}:2`);

    // ── Messages between members: B's reaches A and C, not B itself.
    a.received.length = 0;
    c.received.length = 0;
    b.received.length = 0;
    const hello = await say(b, room, 'hello room');
    assert(!!hello.messageUId, 'the sent message has a uid');
    for (const m of [a, c]) {
      const got = await waitReceived(m, room, 1, `${m.userId} gets B's message`);
      assertEqual(got, ['hello room'], `${m.userId} receives`);
      const msg = m.received[0];
      assertEqual(msg.senderUserId, b.userId, 'sender');
      assertEqual(msg.targetId, room, 'target');
      assertEqual(msg.messageUId, hello.messageUId, 'same uid');
    }
    sent.push('hello room', 'after hello');
    await say(a, room, 'after hello');
    assertEqual(
      await waitReceived(b, room, 1, 'B gets the next message'),
      ['after hello'],
      'the sender does not get its own message'
    );

    // ── No conversation and no unread count for a chatroom.
    const conversations = await viaCallback<unknown[]>('getConversations', (ok, err) =>
      a.engine.getConversations(
        [RCIMIWConversationType.PRIVATE, RCIMIWConversationType.GROUP, CHATROOM],
        null,
        0,
        20,
        { onSuccess: ok, onError: err }
      )
    );
    assertEqual(conversations.length, 0, 'no conversation for the chatroom');
    const total = await viaCallback<number>('getTotalUnreadCount', (ok, err) =>
      a.engine.getTotalUnreadCount(null, { onSuccess: ok, onError: err })
    );
    assertEqual(total, 0, 'no unread count');

    // ── History pages: BEFORE from the newest, then from syncTime; AFTER oldest first.
    const newest = [...sent].reverse();
    const first = await historyPage(a, room, 0, RCIMIWTimeOrder.BEFORE, 5);
    assertEqual(first.texts, newest.slice(0, 5), 'newest page');
    const second = await historyPage(a, room, first.syncTime, RCIMIWTimeOrder.BEFORE, 5);
    assertEqual(second.texts, newest.slice(5, 10), 'next page from syncTime');
    const after = await historyPage(a, room, second.syncTime, RCIMIWTimeOrder.AFTER, 3);
    assertEqual(after.texts, sent.slice(-9, -6), 'AFTER: oldest first');

    // ── Joining a second room leaves the first (R190): C's local messages of the first go,
    // A sees C leave, and C no longer gets the first room's messages.
    // C joined with the ten newest, then got the marker, B's hello and the message after it.
    assertEqual(await localTexts(c, room).then((t) => t.length), 13, "C's local messages");
    await joined(c, other, -1, true);
    await waitLog(a, `member:${room}:${c.userId}:2`);
    assertEqual(await localTexts(c, room), [], "the first room's local messages are gone");
    c.received.length = 0;
    b.received.length = 0;
    await say(a, room, 'only for the lobby');
    await waitReceived(b, room, 1, 'B gets the next message');
    // A marker published into the second room after it: C gets the marker, and nothing of the
    // first room before it.
    await serverApi('/message/chatroom/publish.json', {
      fromUserId: a.userId,
      toChatroomId: other,
      objectName: 'RC:TxtMsg',
      content: JSON.stringify({ content: 'stage marker' }),
    });
    assertEqual(await waitReceived(c, other, 1, 'C gets the marker'), ['stage marker'], 'marker');
    assertEqual(receivedIn(c, room), [], 'C left the first room');
    // A member of the second room gets its messages.
    await say(c, other, 'on stage');
    assertEqual(
      await localTexts(c, other),
      ['on stage', 'stage marker'],
      "C's own message is stored"
    );
  } finally {
    await destroyMembers(all);
  }
}
